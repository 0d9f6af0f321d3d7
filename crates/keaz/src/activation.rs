//! `/activate/{ticket}`: whether a ticket is still good, and redeeming it (with a password
//! when the user has none yet). No caller: the ticket is the credential.

use actix_web::web::{Data, Payload};
use actix_web::HttpRequest;
use rosetta_core::{ActivateRequest, Directory, RedeemOutcome};
use rosetta_dialect::{label_credential, JsonReply, Limits};
use serde_json::Value;

use crate::auth::DIALECT_NAME;
use crate::convert::user_hash;
use crate::errors::KeazError;
use crate::request::{json_body, member, segment};
use crate::wire::{TicketHash, UserHash, PASSWORD};

fn path_ticket(req: &HttpRequest) -> Result<String, KeazError> {
    segment(req, "ticket")
        .filter(|t| !t.is_empty() && t.len() <= 256)
        .map(str::to_owned)
        .ok_or_else(KeazError::not_found)
}

pub async fn ticket_status(
    req: HttpRequest,
    dir: Data<Directory>,
) -> Result<JsonReply<TicketHash>, KeazError> {
    let ticket = path_ticket(&req)?;
    if dir.ticket_valid(&ticket).await? {
        Ok(JsonReply::ok(TicketHash { ticket: "valid" }))
    } else {
        Err(KeazError::not_found())
    }
}

pub async fn activate(
    req: HttpRequest,
    dir: Data<Directory>,
    limits: Data<Limits>,
    payload: Payload,
) -> Result<JsonReply<UserHash>, KeazError> {
    let ticket = path_ticket(&req)?;
    let password = match json_body(&req, payload, limits.body_bytes).await? {
        None => None,
        Some(Value::Object(map)) => member(&map, PASSWORD)?,
        Some(_) => return Err(KeazError::invalid("body", "must be a JSON object")),
    };
    let request = ActivateRequest {
        dialect: DIALECT_NAME,
        ticket: &ticket,
        password,
    };
    match dir.activate(request).await? {
        RedeemOutcome::Activated(user) => {
            label_credential(&req, user.tenant_id, format!("user:{}", user.id));
            Ok(JsonReply::ok(user_hash(&user)))
        }
        RedeemOutcome::NoSuchTicket => Err(KeazError::not_found()),
        RedeemOutcome::PasswordRequired => Err(KeazError::invalid(
            PASSWORD,
            "is required: this user has no password yet",
        )),
    }
}
