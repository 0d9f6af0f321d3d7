//! The console's caller: an operator with a live session, from the `rosetta_console` cookie.

use actix_web::dev::Payload;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use rosetta_core::{ConsoleSecret, Directory};

use super::{ConsoleError, ConsoleState};

pub const SESSION_COOKIE: &str = "rosetta_console";

/// An operator whose session cookie names a live session (its idle expiry moved on).
#[derive(Debug)]
pub struct Operator {
    pub operator: rosetta_core::Operator,
    /// The session's CSRF token, written into its forms.
    pub csrf: ConsoleSecret,
    /// The cookie's token (logout ends the session it names).
    pub token: ConsoleSecret,
}

impl FromRequest for Operator {
    type Error = ConsoleError;
    type Future = LocalBoxFuture<'static, Result<Self, ConsoleError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let (Some(dir), Some(state)) = (
                req.app_data::<Data<Directory>>().cloned(),
                req.app_data::<Data<ConsoleState>>().cloned(),
            ) else {
                return Err(ConsoleError::Internal("console app data missing".into()));
            };
            let Some(cookie) = req.cookie(SESSION_COOKIE) else {
                return Err(ConsoleError::NoSession);
            };
            let token = cookie.value().to_owned();
            match dir.operator_session(&token, state.session_idle).await? {
                Some(s) => Ok(Self {
                    operator: s.operator,
                    csrf: s.csrf,
                    token: ConsoleSecret::new(token),
                }),
                None => Err(ConsoleError::NoSession),
            }
        })
    }
}
