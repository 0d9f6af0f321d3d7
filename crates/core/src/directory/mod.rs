//! The directory service: every operation a dialect may perform, scoped to the caller's
//! tenant, validated here once so that no dialect can write a user the others cannot read.
//! One file per aggregate; `service` holds the service itself.

mod actor;
mod assets;
mod credentials;
mod group_requests;
mod groups;
mod imports;
mod logins;
mod new_users;
mod notices;
mod operations;
mod operators;
mod queries;
mod requests;
mod rights;
mod rotation;
mod service;
mod sessions;
mod settings;
mod tenants;
mod tickets;
mod user_input;
mod users;

pub use actor::{Actor, Principal};
pub use group_requests::{
    CreateGroupRequest, DeleteGroupRequest, ModifyGroupRequest, ReplaceGroupRequest,
};
pub use imports::{ImportUsersRequest, ImportedUser};
pub use logins::LoginCheck;
pub use operations::{Imports, Outbox, Usage};
pub use requests::{
    ActivateRequest, AddBookingRequest, CreateCredentialRequest, CreateUserRequest,
    CreateUsersRequest, NameInput, NewUser, Onboarding, PutAssetRequest, ResetTicketRequest,
    StartSessionRequest, UpdateUserRequest, UserPatch,
};
pub use service::Directory;
pub use sessions::SessionAuth;
pub use settings::Settings;
