//! `POST /import/users`: CSV in, every bad row named, all or nothing.

use std::time::Instant;

use rosetta_testkit::{backend_tests, Backend};
use serde_json::json;

use crate::support::*;

async fn csv_import(backend: Backend) {
    let app = spawn_app_with(backend, |o| o.limits.import_bytes = 4096).await;
    let c = company(&app, "Acme Fleet", "acme.test").await;

    let mut file = b"\xEF\xBB\xBF".to_vec();
    file.extend_from_slice(
        b"name,email,contact_number,perms,license-types,branch_ids,cost-centre_id\r\n\
          \"Jo Smith\",jo@acme.test,\"+44 1,234\",\"fleet;view\",B;C1,7,\"CC, North\"\r\n\
          Al,al@acme.test,,,,,\r\n\
          \"Multi Line\",ml@acme.test,\"line one\r\nline two\",,,,\r\n",
    );
    let r = csv(&app, &c.admin, "text/csv; charset=utf-8", file).await;
    assert_eq!(r.status, 201, "{}", r.text);
    snap!("import_created", &r.body);
    assert_eq!(r.body[0]["contact_number"], "+44 1,234");
    assert_eq!(r.body[0]["cost-centre_id"], "CC, North");
    assert_eq!(r.body[0]["perms"], json!(["fleet", "view"]));
    assert_eq!(r.body[2]["contact_number"], "line one\r\nline two");
    let emails = app.wait_for_emails(3).await;
    assert_eq!(emails.len(), 3);
    let ticket = emails
        .iter()
        .find(|e| e.to == "al@acme.test")
        .unwrap()
        .ticket()
        .unwrap();
    let r = post(
        &app,
        &format!("/activate/{ticket}"),
        "",
        json!({"password": "pw12"}),
    )
    .await;
    assert_eq!(r.status, 200);

    // Bad rows among many: every one is named, and nothing is written.
    let before = get(&app, "/users", &c.reader).await.body;
    let mut file = String::from("name,email,employee_id\n");
    for i in 0..60 {
        let email = match i {
            29 => "broken-at-row-31".to_owned(),
            40 => "USER0@acme.test".to_owned(),
            50 => "root@ACME.test".to_owned(),
            _ => format!("user{i}@acme.test"),
        };
        let name = if i == 55 {
            "Bad;Name".to_owned()
        } else {
            format!("User {i}")
        };
        file.push_str(&format!("{name},{email},{i}\n"));
    }
    let r = csv(&app, &c.admin, "text/csv", file.into_bytes()).await;
    assert_eq!(r.status, 422, "{}", r.text);
    snap!("import_rejected", &r.body);
    let rows: Vec<i64> = r.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["row"].as_i64().unwrap())
        .collect();
    assert_eq!(rows, [31, 42, 52, 57]);
    assert_eq!(get(&app, "/users", &c.reader).await.body, before);

    let r = csv(
        &app,
        &c.admin,
        "text/csv",
        b"name,email,password,colour\nA,a@acme.test,x,red\n".to_vec(),
    )
    .await;
    assert_eq!(r.status, 422);
    snap!("import_bad_header", &r.body);

    // Over `limits.import_bytes`, wrong media type, not an administrator.
    let big = format!("name,email\n{}", "A,a@acme.test\n".repeat(400));
    let r = csv(&app, &c.admin, "text/csv", big.into_bytes()).await;
    assert_eq!(r.status, 413);
    snap!("import_too_large", &r.body);
    let r = csv(&app, &c.admin, "application/json", b"[]".to_vec()).await;
    assert_eq!(r.status, 415);
    snap!("import_unsupported", &r.body);
    let r = csv(
        &app,
        &c.reader,
        "text/csv",
        b"name,email\nA,a@acme.test\n".to_vec(),
    )
    .await;
    assert_eq!(r.status, 403);
    assert_eq!(get(&app, "/users", &c.reader).await.body, before);
}

async fn csv_import_ten_thousand(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = company(&app, "Acme Fleet", "acme.test").await;
    let mut file = String::from("name,email,employee_id,license-types,branch_ids\r\n");
    for i in 0..10_000 {
        file.push_str(&format!(
            "Driver {i},driver{i}@acme.test,E{i},B;C1,{}\r\n",
            i % 7
        ));
    }
    let started = Instant::now();
    let r = csv(&app, &c.admin, "text/csv", file.into_bytes()).await;
    let took = started.elapsed();
    assert_eq!(r.status, 201, "{}", &r.text[..r.text.len().min(500)]);
    assert_eq!(r.body.as_array().unwrap().len(), 10_000);
    eprintln!(
        "keaz CSV import of 10,000 rows on {backend:?}: {} ms",
        took.as_millis()
    );
    let r = get(&app, "/users", &c.reader).await;
    assert_eq!(r.body.as_array().unwrap().len(), 10_004);
}

backend_tests!(csv_import, csv_import_ten_thousand);
