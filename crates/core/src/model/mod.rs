//! The canonical user of MAPPING.md and the records around it. None of these types holds a
//! secret: password hashes and encrypted memorable words live in [`UserSecrets`], which the
//! dialects never see, so serialising a [`User`] cannot leak one.

mod asset;
mod audit;
mod credential;
mod group;
mod operator;
mod outbox;
pub mod query;
mod tenant;
mod time;
mod tokens;
mod usage;
mod user;

pub use asset::{Asset, Booking, NewBooking};
pub use audit::{AuditAction, AuditRecord, NewAudit};
pub use credential::{
    CredentialChange, CredentialSummary, KeyAction, KeyAudit, CREDENTIAL_DIALECTS,
};
pub use group::{Group, GroupAuditRecord, GroupRecord, GroupRef, Member, Members, NewGroupAudit};
pub use operator::{
    ConsoleSecret, NewOperatorSession, Operator, OperatorId, OperatorLogin, OperatorSession,
    StatusCounts, TenantOverview, UserStatusCount,
};
pub use outbox::{
    EmailBody, EmailKind, NewEmail, OutboxEmail, QueuedEmail, SealedBody, StoredBody,
};
pub use query::{
    AttrKind, CompareOp, Comparison, Condition, Folded, GroupAttr, GroupQuery, Query, QueryAttr,
    QueryPage, QueryProblem, Sort, UserAttr, UserQuery, Value,
};
pub use tenant::{default_roles, Credential, Role, Tenant, DEFAULT_ROLE};
pub use time::Timestamp;
pub use tokens::{NewSession, NewTicket, Session, SessionKind};
pub use usage::{
    day_of, status_class, CallerUsage, DailyUsage, RouteUsage, UsageCount, UsageQuery,
};
pub use user::{
    Cursor, Device, Page, Profile, SecretChange, Status, User, UserFilter, UserKey, UserRecord,
    UserSecrets, SEARCH_TERM_MAX,
};
