//! The handlers. Each one negotiates the response format first, so that every answer, errors
//! included, comes back in the format the caller asked for.

use std::collections::HashMap;

use actix_web::http::{header, StatusCode};
use actix_web::web::{Data, Path, Payload};
use actix_web::{HttpRequest, HttpResponse};
use rand::seq::index::sample;
use rosetta_core::{
    Actor, CreateUserRequest, Directory, LoginCheck, Onboarding, Role, SessionAuth, SessionKind,
    StartSessionRequest, Status, UpdateUserRequest, User, UserFilter, UserId, UserKey,
};
use rosetta_dialect::{label_credential, read_body, BodyError, Limits};
use serde::Serialize;

use crate::convert;
use crate::errors::KfError;
use crate::format::{parse_object, BodyKind, Format, XML_DECLARATION};
use crate::wire::{self, Members, ToXml};

pub const DIALECT_NAME: &str = "kashflow";

/// How many memorable-word characters a login asks for.
const CHARACTERS_ASKED: usize = 3;

/// Writes a body in the negotiated format.
pub fn reply<T: Serialize + ToXml>(format: Format, status: StatusCode, body: &T) -> HttpResponse {
    let bytes = match format {
        Format::Json => match serde_json::to_vec(body) {
            Ok(b) => b,
            Err(e) => {
                tracing::error!(error = %e, "cannot serialise a response");
                return HttpResponse::InternalServerError().finish();
            }
        },
        Format::Xml { .. } => {
            let mut out = String::from(XML_DECLARATION);
            body.write_xml(&mut out);
            out.into_bytes()
        }
    };
    HttpResponse::build(status)
        .content_type(format.content_type())
        .body(bytes)
}

fn finish(format: Format, result: Result<HttpResponse, KfError>) -> HttpResponse {
    result.unwrap_or_else(|e| e.response(format))
}

// ----- authentication ---------------------------------------------------------------------

/// The token of `Authorization: KfToken <token>` (scheme in any case).
fn kf_token(req: &HttpRequest) -> Option<String> {
    let raw = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = raw.trim().split_once(char::is_whitespace)?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("KfToken") && !token.is_empty()).then(|| token.to_owned())
}

/// The caller's live session, user, actor and tenant roles. Anything else is
/// `InvalidSessionToken`.
async fn authenticate(req: &HttpRequest, dir: &Directory) -> Result<SessionAuth, KfError> {
    let token = kf_token(req).ok_or_else(KfError::invalid_session)?;
    let auth = dir
        .find_session(DIALECT_NAME, SessionKind::Session, &token)
        .await?
        .ok_or_else(KfError::invalid_session)?;
    label_credential(req, auth.actor.label());
    Ok(auth)
}

fn require_admin(actor: &Actor) -> Result<(), KfError> {
    if actor.admin {
        Ok(())
    } else {
        Err(KfError::forbidden(
            "Only an administrator may create, change or delete users.",
        ))
    }
}

/// Checks the body's type, reads it within the limit and parses it into members.
async fn read_members(
    req: &HttpRequest,
    payload: Payload,
    limits: &Limits,
) -> Result<Members, KfError> {
    let kind = BodyKind::of(req)?;
    let bytes = read_body(req, payload, limits.body_bytes)
        .await
        .map_err(|e| match e {
            BodyError::TooLarge => KfError::too_large(limits.body_bytes),
            BodyError::Broken => KfError::validation("The request body could not be read."),
        })?;
    parse_object(kind, &bytes).map(Members::new)
}

// ----- /sessiontoken ----------------------------------------------------------------------

/// Step 1: username and password give a temporary token and the positions to answer.
pub async fn login(
    req: HttpRequest,
    payload: Payload,
    dir: Data<Directory>,
    limits: Data<Limits>,
) -> HttpResponse {
    let format = Format::of(&req);
    finish(
        format,
        login_inner(&req, payload, &dir, &limits, format).await,
    )
}

/// Three distinct positions within a word of `len` characters, counted from 1, ascending.
fn pick_positions(len: usize) -> Vec<usize> {
    let mut rng = rand::thread_rng();
    let mut positions: Vec<usize> = sample(&mut rng, len, CHARACTERS_ASKED.min(len))
        .into_iter()
        .map(|i| i + 1)
        .collect();
    positions.sort_unstable();
    positions
}

async fn login_inner(
    req: &HttpRequest,
    payload: Payload,
    dir: &Directory,
    limits: &Limits,
    format: Format,
) -> Result<HttpResponse, KfError> {
    let body = wire::LoginBody::read(&read_members(req, payload, limits).await?)?;
    let (user, secrets) = match dir
        .check_login(
            UserKey::Username(body.user_name.trim().to_owned()),
            &body.password,
        )
        .await?
    {
        LoginCheck::Ok(user, secrets) => (user, secrets),
        LoginCheck::Rejected => return Err(KfError::invalid_credentials()),
        LoginCheck::Locked => return Err(KfError::locked()),
    };
    label_credential(req, format!("user:{}", user.id));
    let positions = pick_positions(dir.memorable_len(&secrets)?);
    let data = serde_json::to_string(&positions).map_err(|_| KfError::internal())?;
    let (_, token) = dir
        .start_session(StartSessionRequest {
            user: &user,
            dialect: DIALECT_NAME,
            kind: SessionKind::Temporary,
            data: Some(data),
        })
        .await?;
    let is_admin = dir.actor_for(&user, DIALECT_NAME).await?.admin;
    Ok(reply(
        format,
        StatusCode::OK,
        &wire::TemporaryTokenResponse {
            temporary_token: token,
            memorable_word_list: positions
                .into_iter()
                .map(|position| wire::Position { position })
                .collect(),
            is_admin,
        },
    ))
}

/// Step 2: the temporary token and the asked characters give a session token.
pub async fn complete_login(
    req: HttpRequest,
    payload: Payload,
    dir: Data<Directory>,
    limits: Data<Limits>,
) -> HttpResponse {
    let format = Format::of(&req);
    finish(
        format,
        complete_login_inner(&req, payload, &dir, &limits, format).await,
    )
}

/// Whether every asked position is answered with its character, in any letter case.
/// Answers for positions not asked are ignored.
fn characters_match(asked: &[usize], expected: &[char], given: &[wire::Character]) -> bool {
    let given: HashMap<i64, &str> = given
        .iter()
        .map(|c| (c.position, c.value.as_str()))
        .collect();
    asked.len() == expected.len()
        && asked.iter().zip(expected).all(|(pos, want)| {
            let Ok(pos) = i64::try_from(*pos) else {
                return false;
            };
            given
                .get(&pos)
                .is_some_and(|got| got.trim().to_lowercase() == want.to_lowercase().to_string())
        })
}

async fn complete_login_inner(
    req: &HttpRequest,
    payload: Payload,
    dir: &Directory,
    limits: &Limits,
    format: Format,
) -> Result<HttpResponse, KfError> {
    let body = wire::CompleteBody::read(&read_members(req, payload, limits).await?)?;
    let SessionAuth { session, user, .. } = dir
        .find_session(DIALECT_NAME, SessionKind::Temporary, &body.temporary_token)
        .await?
        .ok_or_else(KfError::invalid_temporary)?;
    // Consumed before anything is checked: a token gets one try, right or wrong, and of two
    // racing uses only the one that deletes it goes on.
    if !dir.end_session(session.id).await? {
        return Err(KfError::invalid_temporary());
    }
    label_credential(req, format!("user:{}", user.id));
    if dir.is_locked(user.tenant_id, user.id).await? {
        return Err(KfError::locked());
    }
    if user.status != Status::Active {
        return Err(KfError::invalid_credentials());
    }
    let asked: Vec<usize> = session
        .data
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|_| KfError::internal())?
        .unwrap_or_default();
    let secrets = dir.user_secrets(user.tenant_id, user.id).await?;
    // The word may have been changed since step 1; then the positions no longer fit.
    if asked
        .iter()
        .any(|&p| p > dir.memorable_len(&secrets).unwrap_or(0))
    {
        return Err(KfError::invalid_temporary());
    }
    let expected = dir.memorable_letters(&secrets, &asked)?;
    if !characters_match(&asked, &expected, &body.memorable_word_list) {
        return Err(if dir.login_failed(user.id).await? {
            KfError::locked()
        } else {
            KfError::invalid_memorable_word()
        });
    }
    dir.login_succeeded(user.id).await?;
    let (_, token) = dir
        .start_session(StartSessionRequest {
            user: &user,
            dialect: DIALECT_NAME,
            kind: SessionKind::Session,
            data: None,
        })
        .await?;
    Ok(reply(
        format,
        StatusCode::OK,
        &wire::SessionTokenResponse {
            session_token: token,
        },
    ))
}

/// Ends the caller's own session.
pub async fn logout(req: HttpRequest, dir: Data<Directory>) -> HttpResponse {
    let format = Format::of(&req);
    finish(
        format,
        async {
            let auth = authenticate(&req, &dir).await?;
            dir.end_session(auth.session.id).await?;
            Ok(HttpResponse::NoContent().finish())
        }
        .await,
    )
}

// ----- /users -----------------------------------------------------------------------------

/// Users in KashFlow's shape: role names from the tenant's catalogue, and each user's live
/// sessions as `NoOfLogins`.
async fn to_wire(
    dir: &Directory,
    roles: &[Role],
    users: &[User],
) -> Result<Vec<wire::User>, KfError> {
    let mut counts: HashMap<UserId, i64> = HashMap::new();
    let ids: Vec<UserId> = users.iter().map(|u| u.id).collect();
    for chunk in ids.chunks(500) {
        counts.extend(dir.session_counts(chunk).await?);
    }
    Ok(users
        .iter()
        .map(|u| convert::to_wire(u, roles, counts.get(&u.id).copied().unwrap_or(0)))
        .collect())
}

/// A path number that is not a number names no user.
fn path_number(raw: &str) -> Result<i64, KfError> {
    raw.trim()
        .parse::<i64>()
        .map_err(|_| KfError::user_not_found())
}

pub async fn list_users(req: HttpRequest, dir: Data<Directory>) -> HttpResponse {
    let format = Format::of(&req);
    finish(
        format,
        async {
            let SessionAuth { actor, roles, .. } = authenticate(&req, &dir).await?;
            let users = dir.all_users(&actor, &UserFilter::all()).await?;
            let list = wire::UserList(to_wire(&dir, &roles, &users).await?);
            Ok(reply(format, StatusCode::OK, &list))
        }
        .await,
    )
}

async fn one_user(dir: &Directory, roles: &[Role], user: &User) -> Result<wire::User, KfError> {
    to_wire(dir, roles, std::slice::from_ref(user))
        .await?
        .pop()
        .ok_or_else(KfError::internal)
}

pub async fn get_user(
    req: HttpRequest,
    number: Path<String>,
    dir: Data<Directory>,
) -> HttpResponse {
    let format = Format::of(&req);
    finish(
        format,
        async {
            let SessionAuth { actor, roles, .. } = authenticate(&req, &dir).await?;
            let id = path_number(&number)?;
            let (user, logins) = dir.get_user_with_sessions(&actor, UserId(id)).await?;
            Ok(reply(
                format,
                StatusCode::OK,
                &convert::to_wire(&user, &roles, logins),
            ))
        }
        .await,
    )
}

pub async fn create_user(
    req: HttpRequest,
    payload: Payload,
    dir: Data<Directory>,
    limits: Data<Limits>,
) -> HttpResponse {
    let format = Format::of(&req);
    finish(
        format,
        async {
            let SessionAuth { actor, roles, .. } = authenticate(&req, &dir).await?;
            require_admin(&actor)?;
            let body = wire::UserBody::read(&read_members(&req, payload, &limits).await?)?;
            let new = convert::new_user(body)?;
            let request = CreateUserRequest {
                user: new,
                onboarding: Onboarding::Plain,
            };
            let user = dir.create_user(&actor, request).await?;
            let location = format!("{}/{}", req.path().trim_end_matches('/'), user.id);
            let body = one_user(&dir, &roles, &user).await?;
            let mut resp = reply(format, StatusCode::CREATED, &body);
            if let Ok(value) = header::HeaderValue::from_str(&location) {
                resp.headers_mut().insert(header::LOCATION, value);
            }
            Ok(resp)
        }
        .await,
    )
}

pub async fn update_user(
    req: HttpRequest,
    number: Path<String>,
    payload: Payload,
    dir: Data<Directory>,
    limits: Data<Limits>,
) -> HttpResponse {
    let format = Format::of(&req);
    finish(
        format,
        async {
            let SessionAuth { actor, roles, .. } = authenticate(&req, &dir).await?;
            require_admin(&actor)?;
            let id = path_number(&number)?;
            let body = wire::UserBody::read(&read_members(&req, payload, &limits).await?)?;
            let patch = convert::patch(body, id)?;
            let request = UpdateUserRequest {
                id: UserId(id),
                patch,
                expected_version: None,
            };
            let user = dir.update_user(&actor, request).await?;
            Ok(reply(
                format,
                StatusCode::OK,
                &one_user(&dir, &roles, &user).await?,
            ))
        }
        .await,
    )
}

pub async fn delete_user(
    req: HttpRequest,
    number: Path<String>,
    dir: Data<Directory>,
) -> HttpResponse {
    let format = Format::of(&req);
    finish(
        format,
        async {
            let SessionAuth {
                user: me, actor, ..
            } = authenticate(&req, &dir).await?;
            require_admin(&actor)?;
            let id = path_number(&number)?;
            if me.id == UserId(id) {
                return Err(KfError::forbidden("You cannot delete your own user."));
            }
            dir.delete_user(&actor, UserId(id)).await?;
            Ok(HttpResponse::NoContent().finish())
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_distinct_ascending_and_within_the_word() {
        for len in 3..12 {
            for _ in 0..50 {
                let p = pick_positions(len);
                assert_eq!(p.len(), 3);
                assert!(p.windows(2).all(|w| w[0] < w[1]));
                assert!(p.iter().all(|&x| (1..=len).contains(&x)));
            }
        }
        assert!(pick_positions(0).is_empty());
    }

    #[test]
    fn characters_compare_in_any_case() {
        let given = vec![
            wire::Character {
                position: 3,
                value: "N".into(),
            },
            wire::Character {
                position: 4,
                value: "e".into(),
            },
            wire::Character {
                position: 6,
                value: "p".into(),
            },
        ];
        assert!(characters_match(&[3, 4, 6], &['n', 'e', 'p'], &given));
        assert!(!characters_match(&[3, 4, 6], &['n', 'e', 'x'], &given));
        assert!(!characters_match(&[3, 4, 7], &['n', 'e', 'p'], &given));
        assert!(characters_match(&[], &[], &[]));
    }
}
