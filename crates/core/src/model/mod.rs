//! The canonical user of MAPPING.md and the records around it. None of these types holds a
//! secret: password hashes and encrypted memorable words live in [`UserSecrets`], which the
//! dialects never see, so serialising a [`User`] cannot leak one.

mod asset;
mod audit;
mod credential;
mod outbox;
mod tenant;
mod time;
mod tokens;
mod usage;
mod user;

pub use asset::{Asset, Booking, NewBooking};
pub use audit::{AuditAction, AuditRecord, NewAudit};
pub use credential::{CredentialChange, CredentialSummary, KeyAction, KeyAudit};
pub use outbox::{
    EmailBody, EmailKind, NewEmail, OutboxEmail, QueuedEmail, SealedBody, StoredBody,
};
pub use tenant::{default_roles, Credential, Role, Tenant, DEFAULT_ROLE};
pub use time::Timestamp;
pub use tokens::{NewSession, NewTicket, Session, SessionKind};
pub use usage::{day_of, status_class, CallerUsage, RouteUsage, UsageCount, UsageQuery};
pub use user::{
    Cursor, Device, Page, Profile, SecretChange, Status, User, UserFilter, UserKey, UserRecord,
    UserSecrets, SEARCH_TERM_MAX,
};
