#![doc = include_str!("../README.md")]

pub mod crypto;
pub mod error;
pub mod ids;
pub mod model;
mod recent;
pub mod service;
pub mod store;

pub use error::{CoreError, CoreResult, UniqueField};
pub use ids::{Email, Names, TenantId, UserId, Username};
pub use model::*;
pub use service::{
    Actor, CreateOptions, Directory, LoginCheck, NameInput, NewUser, Notice, Principal,
    SessionAuth, Settings, UserPatch,
};
pub use store::{Redeem, RedeemOutcome, Store};
