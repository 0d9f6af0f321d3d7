#![doc = include_str!("../README.md")]

pub mod bearer;
pub mod body;
mod caller;
pub mod deprecation;
mod errors;
mod list_stream;
pub mod members;
mod miss;
pub mod openapi;
pub mod path;
mod reply;
mod table;
pub mod unmatched;
mod withdrawn;
pub mod wording;
pub mod xml;

use actix_web::{HttpMessage, HttpRequest};

pub use body::{read_body, BodyError, Limits};
pub use caller::{Admin, Caller};
pub use deprecation::Clock;
pub use errors::{render, DialectError, Render, RETRY_AFTER_SECONDS};
pub use list_stream::{json_items, streamed_list, xml_items, ListFrame};
pub use members::{Members, Repeated};
pub use miss::Miss;
pub use reply::JsonReply;
pub use table::{join, paths_overlap, AppData, Dialect, Handler, Mounted, OtherMethods, Route};
pub use withdrawn::{Withdrawn, WithdrawnReason};

/// Who made a call, as `rosetta usage` names it (never a secret): `credential:3`, `user:17`
/// (the user of a session), `integration-key:tenant-2` (a v2 integration key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialLabel(pub String);

impl CredentialLabel {
    /// The caller as `/metrics` labels it: per credential, never per user. A label per user
    /// would grow the series with every user who logs in and publish who is active, so every
    /// session user is `session`; a tenant's credential or key keeps its id (there are few);
    /// anything else is `other`, so a new label form cannot add series by accident.
    pub fn metric(&self) -> &str {
        let label = self.0.as_str();
        let bounded = ["credential:", "integration-key"]
            .iter()
            .any(|p| label.starts_with(p))
            || label == "cli";
        if bounded {
            label
        } else if label.starts_with("user:") {
            "session"
        } else {
            "other"
        }
    }
}

/// The tenant of the caller a [`CredentialLabel`] names, for `rosetta usage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallerTenant(pub rosetta_core::TenantId);

/// Records the caller (and its tenant) for metrics and `rosetta usage`.
pub fn label_credential(
    req: &HttpRequest,
    tenant: rosetta_core::TenantId,
    label: impl Into<String>,
) {
    let mut extensions = req.extensions_mut();
    extensions.insert(CredentialLabel(label.into()));
    extensions.insert(CallerTenant(tenant));
}

#[cfg(test)]
mod tests {
    use super::CredentialLabel;

    #[test]
    fn metric_labels_are_per_credential() {
        let metric = |l: &str| CredentialLabel(l.to_owned()).metric().to_owned();
        assert_eq!(metric("user:17"), "session");
        assert_eq!(metric("user:18"), "session");
        assert_eq!(metric("credential:3"), "credential:3");
        assert_eq!(
            metric("integration-key:tenant-2"),
            "integration-key:tenant-2"
        );
        assert_eq!(metric("company:2"), "other");
        assert_eq!(metric("integration-key"), "integration-key");
        assert_eq!(metric("token:abc"), "other");
    }
}
