//! `rosetta operator create`: the console's operators, who are no tenant's users.

use rosetta_core::{CoreError, Password, UniqueField};
use serde_json::json;

use super::{explain, open, print};
use crate::config::Config;

pub(super) async fn create(
    config: &Config,
    username: &str,
    password: String,
    json_out: bool,
) -> Result<(), String> {
    let password =
        Password::parse(password, config.security.min_password_length).map_err(explain)?;
    let (dir, _db) = open(config).await?;
    let operator = dir
        .create_operator(username, password)
        .await
        .map_err(|e| match e {
            CoreError::Conflict(UniqueField::Username) => {
                format!("an operator named '{}' already exists", username.trim())
            }
            other => explain(other),
        })?;
    print(
        json_out,
        json!({"operator_id": operator.id.0, "username": operator.username}),
        &format!(
            "operator {} created (id {})",
            operator.username, operator.id
        ),
    );
    Ok(())
}
