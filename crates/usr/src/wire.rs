//! The usr document's JSON, member for member as it spells them.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// The body of addUser and modifyUser. Every member is kept as raw JSON because the document's
/// own examples send numbers as strings (`"active":"0"`), and a per-member conversion can name
/// the offending member in the error, which serde's own messages cannot. JSON `null` arrives
/// as `None`, which is what "absent or null fields stay as they are" needs. Unknown members
/// (an echoed `id`, say) are ignored so a client can send back what it read.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct UserIn {
    #[serde(rename = "contactName")]
    pub contact_name: Option<Value>,
    #[serde(rename = "emailAddress")]
    pub email_address: Option<Value>,
    #[serde(rename = "defaultAccountId")]
    pub default_account_id: Option<Value>,
    pub username: Option<Value>,
    pub password: Option<Value>,
    pub active: Option<Value>,
}

/// The user object every answer carries. No password member exists, so none can leak.
#[derive(Debug, Serialize, PartialEq, Eq, ToSchema)]
pub struct UserOut {
    pub id: i64,
    #[serde(rename = "contactName")]
    pub contact_name: String,
    #[serde(rename = "emailAddress")]
    pub email_address: String,
    #[serde(rename = "defaultAccountId")]
    pub default_account_id: Option<i64>,
    pub username: String,
    /// 1 iff the user is active (a pending user shows 0).
    pub active: u8,
}

/// deleteUser's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Deleted {
    pub id: i64,
    pub deleted: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    pub code: &'static str,
    pub message: String,
    pub field: Option<&'static str>,
}
