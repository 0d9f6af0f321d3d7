//! `/sessiontoken`: the two-step login (password, then three characters of the memorable
//! word) and the logout.

use std::collections::HashMap;

use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use rand::seq::index::sample;
use rosetta_core::{
    Directory, LoginCheck, SessionAuth, SessionKind, StartSessionRequest, Status, UserKey,
};
use rosetta_dialect::{label_credential, Limits};

use crate::auth::{KfSession, DIALECT_NAME};
use crate::body::read_members;
use crate::errors::KfError;
use crate::reply::Reply;
use crate::requests::{Character, CompleteBody, LoginBody};
use crate::wire::{Position, SessionTokenResponse, TemporaryTokenResponse};

/// How many memorable-word characters a login asks for.
const CHARACTERS_ASKED: usize = 3;

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

/// Step 1: username and password give a temporary token and the positions to answer.
pub async fn login(
    req: HttpRequest,
    payload: Payload,
    dir: Data<Directory>,
    limits: Data<Limits>,
) -> Result<Reply<TemporaryTokenResponse>, KfError> {
    let body = LoginBody::read(&read_members(&req, payload, &limits).await?)?;
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
    label_credential(&req, user.tenant_id, format!("user:{}", user.id));
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
    Ok(Reply::ok(TemporaryTokenResponse {
        temporary_token: token,
        memorable_word_list: positions
            .into_iter()
            .map(|position| Position { position })
            .collect(),
        is_admin,
    }))
}

/// Whether exactly the asked positions are answered, each once, with its character in any
/// letter case. An answer for a position not asked, or a second answer for one, is a wrong
/// answer: a client that sends every letter it knows must not pass.
fn characters_match(asked: &[usize], expected: &[char], given: &[Character]) -> bool {
    let answers = given.len();
    let given: HashMap<i64, &str> = given
        .iter()
        .map(|c| (c.position, c.value.as_str()))
        .collect();
    answers == asked.len()
        && given.len() == answers
        && asked.len() == expected.len()
        && asked.iter().zip(expected).all(|(pos, want)| {
            let Ok(pos) = i64::try_from(*pos) else {
                return false;
            };
            given
                .get(&pos)
                .is_some_and(|got| got.trim().to_lowercase() == want.to_lowercase().to_string())
        })
}

/// Step 2: the temporary token and the asked characters give a session token.
pub async fn complete_login(
    req: HttpRequest,
    payload: Payload,
    dir: Data<Directory>,
    limits: Data<Limits>,
) -> Result<Reply<SessionTokenResponse>, KfError> {
    let body = CompleteBody::read(&read_members(&req, payload, &limits).await?)?;
    let SessionAuth { session, user, .. } = dir
        .find_session(DIALECT_NAME, SessionKind::Temporary, &body.temporary_token)
        .await?
        .ok_or_else(KfError::invalid_temporary)?;
    // Consumed before anything is checked: a token gets one try, right or wrong, and of two
    // racing uses only the one that deletes it goes on.
    if !dir.end_session(session.id).await? {
        return Err(KfError::invalid_temporary());
    }
    label_credential(&req, user.tenant_id, format!("user:{}", user.id));
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
    Ok(Reply::ok(SessionTokenResponse {
        session_token: token,
    }))
}

/// Ends the caller's own session.
pub async fn logout(
    KfSession(auth): KfSession,
    dir: Data<Directory>,
) -> Result<HttpResponse, KfError> {
    dir.end_session(auth.session.id).await?;
    Ok(HttpResponse::NoContent().finish())
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
            Character {
                position: 3,
                value: "N".into(),
            },
            Character {
                position: 4,
                value: "e".into(),
            },
            Character {
                position: 6,
                value: "p".into(),
            },
        ];
        assert!(characters_match(&[3, 4, 6], &['n', 'e', 'p'], &given));
        assert!(!characters_match(&[3, 4, 6], &['n', 'e', 'x'], &given));
        assert!(!characters_match(&[3, 4, 7], &['n', 'e', 'p'], &given));
        assert!(characters_match(&[], &[], &[]));
        // An extra answer, or one position twice, is refused.
        let mut extra = given.clone();
        extra.push(Character {
            position: 1,
            value: "x".into(),
        });
        assert!(!characters_match(&[3, 4, 6], &['n', 'e', 'p'], &extra));
        let mut twice = given[..2].to_vec();
        twice.push(given[1].clone());
        assert!(!characters_match(&[3, 4], &['n', 'e'], &twice));
        assert!(!characters_match(&[], &[], &given[..1]));
    }
}
