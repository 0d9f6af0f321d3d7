//! `POST /login` (JSON or a form) and `GET /login?email=&password=`: a session token.

use actix_web::web::{self, Data, Payload};
use actix_web::HttpRequest;
use rosetta_core::{CoreError, Directory, LoginCheck, SessionKind, StartSessionRequest, UserKey};
use rosetta_dialect::body::media_type;
use rosetta_dialect::{label_credential, JsonReply, Limits};

use crate::auth::DIALECT_NAME;
use crate::errors::KeazError;
use crate::request::{body, json_body, member, object, query_value};
use crate::wire::{TokenHash, EMAIL, PASSWORD};

pub async fn login_post(
    req: HttpRequest,
    dir: Data<Directory>,
    limits: Data<Limits>,
    payload: Payload,
) -> Result<JsonReply<TokenHash>, KeazError> {
    let media = media_type(&req);
    let (email, password) = if media == "application/x-www-form-urlencoded" {
        let bytes = body(&req, payload, limits.body_bytes).await?;
        let text = String::from_utf8(bytes)
            .map_err(|_| KeazError::invalid("body", "is not valid UTF-8"))?;
        let pairs = web::Query::<Vec<(String, String)>>::from_query(&text)
            .map_err(|_| KeazError::invalid("body", "is not a valid form"))?
            .into_inner();
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        (get(EMAIL), get(PASSWORD))
    } else {
        let map = object(json_body(&req, payload, limits.body_bytes).await?)?;
        (member(&map, EMAIL)?, member(&map, PASSWORD)?)
    };
    login(&req, &dir, email, password).await
}

pub async fn login_get(
    req: HttpRequest,
    dir: Data<Directory>,
) -> Result<JsonReply<TokenHash>, KeazError> {
    let email = query_value(&req, EMAIL);
    let password = query_value(&req, PASSWORD);
    login(&req, &dir, email, password).await
}

async fn login(
    req: &HttpRequest,
    dir: &Directory,
    email: Option<String>,
    password: Option<String>,
) -> Result<JsonReply<TokenHash>, KeazError> {
    let email = email
        .filter(|e| !e.trim().is_empty())
        .ok_or_else(|| KeazError::invalid(EMAIL, "is required"))?;
    let password = password
        .filter(|p| !p.is_empty())
        .ok_or_else(|| KeazError::invalid(PASSWORD, "is required"))?;
    match dir
        .check_login(UserKey::Email(email.trim().to_owned()), &password)
        .await?
    {
        LoginCheck::Ok(user, _) => {
            dir.login_succeeded(user.id).await?;
            let (_, token) = dir
                .start_session(StartSessionRequest {
                    user: &user,
                    dialect: DIALECT_NAME,
                    kind: SessionKind::Session,
                    data: None,
                })
                .await?;
            label_credential(req, user.tenant_id, format!("user:{}", user.id));
            Ok(JsonReply::ok(TokenHash { token }))
        }
        LoginCheck::Rejected => Err(KeazError::unauthorized(
            "the email or password is wrong, or the account is not active",
        )),
        LoginCheck::Locked => Err(CoreError::Locked.into()),
    }
}
