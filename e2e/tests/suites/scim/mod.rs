//! SCIM 2.0 through the whole gateway: the provisioning sequences Microsoft Entra ID and Okta
//! document (their request bodies, as their SCIM guides print them), and SCIM beside the four
//! legacy dialects on one directory. The isolation matrix and the anonymous suite cover scim's
//! routes from `DIALECTS` like every dialect's.

mod cross;
mod entra;
mod okta;

use reqwest::Method;
use rosetta_testkit::{enc, Client, Fixtures, Resp};
use serde_json::Value;

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
pub const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

/// A SCIM client of one tenant: `Authorization: Bearer` (a `--dialect scim` credential),
/// `application/scim+json` both ways, under `/scim/v2`.
pub struct Scim {
    pub gw: Client,
    pub token: String,
}

impl Scim {
    pub fn new(gw: &Client, token: &str) -> Self {
        gw.secret(token);
        Self {
            gw: gw.clone(),
            token: token.to_owned(),
        }
    }

    /// A scim credential of `tenant`, as `rosetta credential create --dialect scim` makes it.
    pub async fn of(app: &impl Fixtures, gw: &Client, tenant: rosetta_core::TenantId) -> Self {
        let token = app.credential(tenant, "scim").await;
        Self::new(gw, &token)
    }

    /// `path` is relative to `/scim/v2`; `extra` are more request headers (`If-Match`, ...).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        extra: &[(&str, &str)],
    ) -> Resp {
        let auth = format!("Bearer {}", self.token);
        let mut headers = vec![
            ("Authorization", auth.as_str()),
            ("Accept", "application/scim+json"),
        ];
        if body.is_some() {
            headers.push(("Content-Type", "application/scim+json"));
        }
        headers.extend_from_slice(extra);
        let bytes = body.map(|b| serde_json::to_vec(b).unwrap());
        self.gw
            .call(method, &format!("/scim/v2{path}"), &headers, bytes)
            .await
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Resp {
        self.call(method, path, body, &[]).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(Method::GET, path, None).await
    }

    /// `GET /Users?filter=<filter>` (the filter URL-encoded here).
    pub async fn users_where(&self, filter: &str) -> Value {
        let r = self.get(&format!("/Users?filter={}", enc(filter))).await;
        list(&r)
    }

    /// The one user `filter` finds.
    pub async fn the_user(&self, filter: &str) -> Value {
        let l = self.users_where(filter).await;
        assert_eq!(l["totalResults"], 1, "{filter}: {l}");
        l["Resources"][0].clone()
    }
}

/// A 200 `ListResponse`, checked for its shape (integers, 1-based start).
pub fn list(r: &Resp) -> Value {
    let l = r.expect(200);
    assert_eq!(l["schemas"][0], LIST_SCHEMA, "{l}");
    assert!(l["totalResults"].is_u64(), "{l}");
    assert!(l["startIndex"].is_u64(), "{l}");
    assert!(l["itemsPerPage"].is_u64(), "{l}");
    l
}

/// The resources of a list (an absent `Resources` is an empty page, RFC 7644 3.4.2).
pub fn resources(l: &Value) -> Vec<Value> {
    l["Resources"].as_array().cloned().unwrap_or_default()
}

/// A SCIM error answer with `status`, its body's `status` the same text (RFC 7644 3.12).
pub fn error(r: &Resp, status: u16) -> Value {
    let e = r.expect(status);
    assert_eq!(e["schemas"][0], ERROR_SCHEMA, "{}", r.text);
    assert_eq!(e["status"], status.to_string(), "{}", r.text);
    e
}

/// The member ids of a group as SCIM reads it.
pub fn member_ids(group: &Value) -> Vec<String> {
    let mut ids: Vec<String> = group["members"]
        .as_array()
        .map(|m| {
            m.iter()
                .map(|x| x["value"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

/// A PATCH answer: 200 with the resource, or 204 (both allowed, RFC 7644 3.5.2).
pub fn patched(r: &Resp) {
    assert!(
        r.status == 200 || r.status == 204,
        "{} {}",
        r.status,
        r.text
    );
}
