#![doc = include_str!("../README.md")]

pub mod crypto;
pub mod directory;
pub mod error;
pub mod hashing;
pub mod ids;
pub mod model;
mod recent;
pub mod secrets;
pub mod store;
pub mod tags;
pub mod text;

pub use directory::{
    ActivateRequest, Actor, AddBookingRequest, CreateCredentialRequest, CreateGroupRequest,
    CreateUserRequest, CreateUsersRequest, DeleteGroupRequest, Directory, ImportUsersRequest,
    ImportedUser, Imports, LoginCheck, ModifyGroupRequest, NameInput, NewUser, Onboarding, Outbox,
    Principal, PutAssetRequest, ReplaceGroupRequest, ResetTicketRequest, SessionAuth, Settings,
    StartSessionRequest, UpdateUserRequest, Usage, UserPatch,
};
pub use error::{CoreError, CoreResult, Field, Problem, Refusal, UniqueField};
pub use ids::{Email, Names, TenantId, UserId, Username};
pub use model::*;
pub use secrets::{BcryptHash, MemorableWord, Password};
pub use store::{
    AssetStore, AuditStore, CredentialStore, EndSessions, GroupStore, GroupUpdateWrite, LoginName,
    LoginStore, NewAsset, NewCredential, NewGroupWrite, NewTenant, NewUserWrite, OperatorStore,
    OutboxStore, QueryStore, Redeem, RedeemOutcome, SessionStore, Store, TenantStore,
    TicketReplace, TicketStore, UsageStore, UserDeleteWrite, UserListStore, UserPages, UserStore,
    UserUpdateWrite,
};
pub use tags::{AssetTag, PermName};
pub use text::TextKind;
