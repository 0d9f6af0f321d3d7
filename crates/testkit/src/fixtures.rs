//! What a test starts from, made the way an operator makes it (`rosetta tenant create`,
//! `rosetta user create`, `rosetta credential create`): through the directory, as the CLI.

use rosetta_core::{
    Actor, CreateCredentialRequest, CreateUserRequest, Directory, NameInput, NewUser, Onboarding,
    TenantId, User,
};

/// Fixtures for anything that holds a directory: a [`crate::TestDirectory`], a
/// [`crate::TestApp`], the gateway of the server's tests and e2e.
// Test code only, never sent across threads by a bound, so `Send` need not be promised.
#[allow(async_fn_in_trait)]
pub trait Fixtures {
    fn directory(&self) -> &Directory;

    /// A tenant and its v2 integration key.
    async fn tenant(&self, name: &str) -> (TenantId, String) {
        let (t, key) = self.directory().create_tenant(name).await.expect("tenant");
        (t.id, key)
    }

    /// An active user created as an operator would, with the CLI's defaults (role 6).
    async fn user(&self, tenant: TenantId, username: &str, email: &str, password: &str) -> User {
        self.user_with(tenant, username, email, password, |_| {})
            .await
    }

    /// [`Fixtures::user`] after `adjust` has changed what is created.
    async fn user_with(
        &self,
        tenant: TenantId,
        username: &str,
        email: &str,
        password: &str,
        adjust: impl FnOnce(&mut NewUser),
    ) -> User {
        let mut new = NewUser::new(email, NameInput::Full(username.to_owned()));
        new.username = Some(username.to_owned());
        new.password = Some(password.to_owned());
        new.role_number = Some(6);
        adjust(&mut new);
        self.directory()
            .create_user(
                &Actor::cli(tenant),
                CreateUserRequest {
                    user: new,
                    onboarding: Onboarding::Plain,
                },
            )
            .await
            .expect("user")
    }

    /// A machine credential of `dialect` (e.g. usr's bearer token).
    async fn credential(&self, tenant: TenantId, dialect: &str) -> String {
        self.directory()
            .create_credential(CreateCredentialRequest {
                tenant,
                dialect,
                name: Some("test"),
            })
            .await
            .expect("credential")
            .1
    }
}

impl<T: AsRef<Directory>> Fixtures for T {
    fn directory(&self) -> &Directory {
        self.as_ref()
    }
}
