//! The document's examples, byte for byte: `POST`/`PUT /usr/new`, `GET`/`POST`/`PUT`/`DELETE
//! /usr/{userId}` and the account list.

use insta::assert_json_snapshot;
use reqwest::Method;
use rosetta_testkit::rosetta_core::{Actor, Status, UserId, UserKey};
use rosetta_testkit::{backend_tests, Backend, Fixtures};
use serde_json::json;

use crate::support::*;

/// The document's addUser example, byte for byte.
const ADD_EXAMPLE: &str = r#"{ "contactName":"John Doe", "emailAddress":"jhn.doe@example.com", "defaultAccountId":1, "username":"test", "password":"test" }"#;

/// The document's modifyUser example, byte for byte (note `"active":"0"`).
const MODIFY_EXAMPLE: &str = r#"{ "contactName":"John Doe modified", "emailAddress":"john.doe@example.com", "defaultAccountId":1, "username":"test", "password":"test", "active":"0" }"#;

async fn document_examples(backend: Backend) {
    let app = spawn_app(backend).await;
    // One tenant per method, so the example body (always username "test") can be sent as is.
    for (tenant_name, method) in [("post", Method::POST), ("put", Method::PUT)] {
        let (tenant, _) = app.tenant(tenant_name).await;
        let token = app.credential(tenant, "usr").await;

        let added = send(
            &app,
            method.clone(),
            "/usr/new",
            Some(&token),
            JS,
            Some(ADD_EXAMPLE),
        )
        .await;
        assert_eq!(added.status, 201, "{}", added.body);
        assert_eq!(added.content_type, "application/json");
        assert_json_snapshot!("add_user_created", added.body, {".id" => "[id]"});
        let id = added.body["id"].as_i64().unwrap();
        // Members in the document's order, exactly as the wire carries them.
        assert_eq!(
            added.text,
            format!(
                r#"{{"id":{id},"contactName":"John Doe","emailAddress":"jhn.doe@example.com","defaultAccountId":1,"username":"test","active":1}}"#
            )
        );
        assert!(verifies(&app, "test", "test").await);

        let read = get(&app, &format!("/usr/{id}"), &token).await;
        assert_eq!(read.status, 200);
        assert_eq!(read.body, added.body);
        assert_json_snapshot!("get_user", read.body, {".id" => "[id]"});

        // The document's list example: account 1, with and without `/pub`.
        let list = get(&app, "/pub/usr/acc/1", &token).await;
        assert_eq!(list.status, 200);
        assert_eq!(list.content_type, "application/json");
        assert_json_snapshot!("list_by_account", list.body, {"[].id" => "[id]"});
        let alias = get(&app, "/usr/acc/1", &token).await;
        assert_eq!(alias.body, list.body);

        let modified = send(
            &app,
            method.clone(),
            &format!("/usr/{id}"),
            Some(&token),
            JS,
            Some(MODIFY_EXAMPLE),
        )
        .await;
        assert_eq!(modified.status, 200, "{}", modified.body);
        assert_eq!(modified.content_type, "application/json");
        assert_eq!(modified.body["id"], json!(id));
        assert_eq!(modified.body["active"], json!(0));
        assert_json_snapshot!("modify_user", modified.body, {".id" => "[id]"});
        let stored = app
            .directory
            .get_user(&Actor::cli(tenant), UserKey::Id(UserId(id)))
            .await
            .unwrap();
        assert_eq!(stored.status, Status::Inactive);
        assert_eq!(stored.names.first, "John");
        assert_eq!(stored.names.last, "Doe modified");
        assert_eq!(
            get(&app, &format!("/usr/{id}"), &token).await.body,
            modified.body
        );

        let deleted = send(
            &app,
            Method::DELETE,
            &format!("/usr/{id}"),
            Some(&token),
            None,
            None,
        )
        .await;
        assert_eq!(deleted.status, 200);
        assert_eq!(deleted.body, json!({"id": id, "deleted": true}));
        assert_json_snapshot!("delete_user", deleted.body, {".id" => "[id]"});

        let gone = get(&app, &format!("/usr/{id}"), &token).await;
        assert_eq!(gone.status, 404);
        assert_json_snapshot!("unknown_user", gone.body);
        let list = get(&app, "/pub/usr/acc/1", &token).await;
        assert_eq!(list.body, json!([]));
    }
}

backend_tests!(document_examples);
