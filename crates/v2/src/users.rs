//! `/api/v2/user`: read one user (GET), create one (POST), delete one (DELETE).

use actix_web::web::Data;
use rosetta_core::{CreateUserRequest, Directory, Onboarding, Status, UserKey};

use crate::auth::{V2Caller, V2Post};
use crate::body;
use crate::convert;
use crate::errors::V2Error;
use crate::format::Params;
use crate::inputs::{parse_guid, user_input};
use crate::reply::Reply;
use crate::wire::UserResponse;

fn lookup_key(params: &Params) -> Result<UserKey, V2Error> {
    if let Some(id) = params.value("Id") {
        return Ok(UserKey::Uuid(parse_guid("Id", &id)?));
    }
    if let Some(email) = params.value("Email") {
        return Ok(UserKey::Email(email.trim().to_owned()));
    }
    if let Some(x) = params.value("ExternalId") {
        return Ok(UserKey::ExternalId(x));
    }
    Err(V2Error::field(
        "Id",
        "NotEmpty",
        "Id, Email or ExternalId is required",
    ))
}

fn answer(user: rosetta_core::User) -> Reply<UserResponse> {
    Reply(UserResponse {
        user: Some(convert::user_to_wire(user)),
        response_status: None,
    })
}

pub async fn get_user(
    V2Caller { actor, params }: V2Caller,
    dir: Data<Directory>,
) -> Result<Reply<UserResponse>, V2Error> {
    let key = lookup_key(&params)?;
    let user = dir.get_user(&actor, key).await?;
    Ok(answer(user))
}

/// Answers the user as it was just before it was deleted.
pub async fn delete_user(
    V2Caller { actor, params }: V2Caller,
    dir: Data<Directory>,
) -> Result<Reply<UserResponse>, V2Error> {
    let id = params
        .value("Id")
        .ok_or_else(|| V2Error::field("Id", "NotEmpty", "Id is required"))?;
    let uuid = parse_guid("Id", &id)?;
    let user = dir.get_user(&actor, UserKey::Uuid(uuid)).await?;
    dir.delete_user(&actor, user.id).await?;
    Ok(answer(user))
}

pub async fn create_user(
    post: V2Post,
    dir: Data<Directory>,
) -> Result<Reply<UserResponse>, V2Error> {
    let V2Post {
        caller: V2Caller { actor, params: _ },
        body: bytes,
        format,
    } = post;
    let input = user_input(body::parse(&bytes, format)?)?;
    let (new, flags) = convert::new_user(input)?;
    let send = !flags.do_not_email;
    let onboarding = if flags.reset_password {
        Onboarding::Reset { email: send }
    } else {
        match new.status {
            Status::Active if send => Onboarding::Welcome,
            Status::Active | Status::Inactive => Onboarding::Plain,
            Status::Pending => Onboarding::Activation { email: send },
        }
    };
    let request = CreateUserRequest {
        user: new,
        onboarding,
    };
    let user = dir.create_user(&actor, request).await?;
    Ok(answer(user))
}
