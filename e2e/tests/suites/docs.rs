//! The documentation's examples, run against the real gateway so the docs cannot rot.
//!
//! Convention (also stated in `docs/dialects/README.md`): every fenced block tagged `sh` in a
//! page is run; blocks with any other tag (`text`, `json`, `xml`, `toml`) are illustrations.
//! A page's `sh` blocks run in order as ONE `bash -euo pipefail` script, so a variable one block
//! sets is there for the next. The harness boots a fresh gateway, prepares a tenant, its
//! administrator and a usr credential (what `rosetta tenant create`, `rosetta user create` and
//! `rosetta credential create` would make), and exports:
//!
//! | variable | value |
//! |---|---|
//! | `BASE` | the main listener, e.g. `http://127.0.0.1:8080` (no trailing slash) |
//! | `COMPANY_ID`, `INTEGRATION_KEY` | the tenant's v2 credentials |
//! | `USR_TOKEN` | a usr bearer token of the tenant |
//! | `SCIM_TOKEN` | (scim page) a scim bearer token of the tenant |
//! | `OUTBOX` | `email.dir` (the file transport writes one `.eml` per message there) |
//! | `KASHFLOW_BASE` | (operations page) kashflow's own listener |
//!
//! The administrator is `admin` / `admin@acme.example`, password `change-me`, memorable word
//! `aardvark`, role 6, perms `admin,keaz`, as in the README's quick start.
//!
//! Examples check their own results: success examples use `curl --fail-with-body` or compare
//! `-w '%{http_code}'` with the expected status (`test "$code" = 201`), and `jq -e` checks
//! members of the answer. A failing command fails the test, which prints the failing block and
//! what the script wrote while running it (with `set -x` tracing).

use std::path::Path;
use std::time::Duration;

use rosetta_core::NameInput;
use rosetta_e2e::TestGateway;
use rosetta_server::Config;
use rosetta_testkit::{backend_tests, Backend, Fixtures};

const ADMIN_USERNAME: &str = "admin";
const ADMIN_EMAIL: &str = "admin@acme.example";
const ADMIN_PASSWORD: &str = "change-me";
const MEMORABLE_WORD: &str = "aardvark";

/// The bodies of the blocks fenced as ```` ```sh ````, in order.
fn sh_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        let fence = line.trim_start();
        match &mut current {
            None => {
                if let Some(tag) = fence.strip_prefix("```") {
                    if tag.trim() == "sh" {
                        current = Some(String::new());
                    }
                }
            }
            Some(body) => {
                if fence.starts_with("```") {
                    blocks.push(std::mem::take(body));
                    current = None;
                } else {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    assert!(current.is_none(), "an sh block is not closed");
    blocks
}

/// The blocks fenced as ```` ```toml ````, in order.
fn toml_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match &mut current {
            None if line.trim() == "```toml" => current = Some(String::new()),
            None => {}
            Some(body) if line.trim_start().starts_with("```") => {
                blocks.push(std::mem::take(body));
                current = None;
            }
            Some(body) => {
                body.push_str(line);
                body.push('\n');
            }
        }
    }
    blocks
}

fn page(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The tenant, administrator and usr credential every page starts from.
async fn prepare(app: &TestGateway) -> Vec<(String, String)> {
    let (tenant, key) = app.tenant("Acme Ltd").await;
    app.user_with(tenant, ADMIN_USERNAME, ADMIN_EMAIL, ADMIN_PASSWORD, |new| {
        new.name = NameInput::Full("Ada Admin".into());
        new.memorable_word = Some(MEMORABLE_WORD.into());
        new.perms = vec!["admin".into(), "keaz".into()];
    })
    .await;
    let usr_token = app.credential(tenant, "usr").await;
    vec![
        ("BASE".into(), app.url("")),
        ("COMPANY_ID".into(), tenant.0.to_string()),
        ("INTEGRATION_KEY".into(), key),
        ("USR_TOKEN".into(), usr_token),
        ("OUTBOX".into(), app.config.email.dir.display().to_string()),
    ]
}

/// Runs the page's `sh` blocks as one script; panics with the failing block and its output.
async fn run_page(name: &str, markdown: &str, env: &[(String, String)], min_blocks: usize) {
    let blocks = sh_blocks(markdown);
    assert!(
        blocks.len() >= min_blocks,
        "{name}: expected at least {min_blocks} sh blocks, found {}",
        blocks.len()
    );
    let work = tempfile::tempdir().unwrap();
    // A ceiling for every curl call, without putting it in the docs.
    std::fs::write(work.path().join(".curlrc"), "max-time = 30\n").unwrap();
    let mut script = String::from("exec 2>&1\nexport PS4='+ '\n");
    for (i, block) in blocks.iter().enumerate() {
        script.push_str(&format!("set +x; echo '@@block {i}@@'; set -x\n"));
        script.push_str(block);
    }
    script.push_str("set +x; echo '@@done@@'\n");
    let mut command = tokio::process::Command::new("bash");
    command
        .args(["-euo", "pipefail", "-c", &script])
        .current_dir(work.path())
        .env("CURL_HOME", work.path())
        .kill_on_drop(true);
    for (k, v) in env {
        command.env(k, v);
    }
    let output = tokio::time::timeout(Duration::from_secs(180), command.output())
        .await
        .unwrap_or_else(|_| panic!("{name}: the examples did not finish in 180 s"))
        .expect("run bash");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    if output.status.success() && text.contains("@@done@@") {
        return;
    }
    // The last block that started is the one that failed.
    let (index, since) = text
        .rmatch_indices("@@block ")
        .next()
        .and_then(|(at, _)| {
            let rest = &text[at + 8..];
            let end = rest.find("@@")?;
            Some((rest[..end].parse::<usize>().ok()?, &rest[end + 2..]))
        })
        .unwrap_or((0, text.as_str()));
    panic!(
        "{name}: example block {} of {} failed ({}).\n--- block ---\n{}--- output ---\n{}",
        index + 1,
        blocks.len(),
        output.status,
        blocks.get(index).map_or("", String::as_str),
        since.trim_start_matches('\n'),
    );
}

fn require_tools() {
    for tool in ["bash", "curl", "jq"] {
        let found = std::process::Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(found, "the docs' examples need `{tool}` on PATH");
    }
}

async fn dialect_page(backend: Backend, name: &str, min_blocks: usize) {
    require_tools();
    let mut app = TestGateway::start(backend).await;
    let env = prepare(&app).await;
    let markdown = page(&format!("docs/dialects/{name}.md"));
    run_page(name, &markdown, &env, min_blocks).await;
    app.stop().await;
}

async fn mapping_page(backend: Backend) {
    require_tools();
    let mut app = TestGateway::start(backend).await;
    let env = prepare(&app).await;
    run_page("mapping", &page("docs/mapping.md"), &env, 3).await;
    app.stop().await;
}

async fn kashflow_page(backend: Backend) {
    dialect_page(backend, "kashflow", 5).await;
}

async fn usr_page(backend: Backend) {
    dialect_page(backend, "usr", 5).await;
}

async fn keaz_page(backend: Backend) {
    dialect_page(backend, "keaz", 5).await;
}

async fn v2_page(backend: Backend) {
    dialect_page(backend, "v2", 5).await;
}

/// scim.md also needs a scim bearer token (`rosetta credential create --dialect scim`).
async fn scim_page(backend: Backend) {
    require_tools();
    let mut app = TestGateway::start(backend).await;
    let mut env = prepare(&app).await;
    let company: i64 = env
        .iter()
        .find(|(k, _)| k == "COMPANY_ID")
        .and_then(|(_, v)| v.parse().ok())
        .expect("COMPANY_ID");
    let token = app
        .credential(rosetta_core::TenantId(company), "scim")
        .await;
    env.push(("SCIM_TOKEN".into(), token));
    run_page("scim", &page("docs/dialects/scim.md"), &env, 10).await;
    app.stop().await;
}

/// operations.md: its `toml` blocks are real configuration (dedicated listeners get port 0 here
/// so tests never collide), and its `sh` blocks run against the gateway that configuration
/// makes.
async fn operations_page(backend: Backend) {
    require_tools();
    let markdown = page("docs/operations.md");
    let tomls = toml_blocks(&markdown);
    assert!(!tomls.is_empty(), "operations.md has no toml block");
    let mut dialects = std::collections::BTreeMap::new();
    for text in &tomls {
        let parsed = Config::from_sources(Some(text), Vec::new()).unwrap_or_else(|e| {
            panic!("operations.md toml block is not a valid config: {e}\n{text}")
        });
        dialects.extend(parsed.dialects);
    }
    let mut app = TestGateway::start_with(backend, |config| {
        for (name, mut mount) in dialects {
            if mount.listen.is_some() {
                mount.listen = Some(free_address());
            }
            config.dialects.insert(name, mount);
        }
    })
    .await;
    let mut env = prepare(&app).await;
    for (listener, addr) in &app.gateway().addrs {
        if listener != "main" {
            env.push((
                format!("{}_BASE", listener.to_ascii_uppercase().replace('+', "_")),
                format!("http://{addr}"),
            ));
        }
    }
    run_page("operations", &markdown, &env, 1).await;
    app.stop().await;
}

/// A free local port for a dedicated listener. Not `127.0.0.1:0`: a dialect whose `listen` is
/// the main listener's text (the tests' main listener is `127.0.0.1:0`) is mounted on the main
/// listener.
fn free_address() -> String {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    probe.local_addr().unwrap().to_string()
}

#[test]
fn blocks_are_found_in_order() {
    let md = "x\n```sh\na=1\n```\n```json\n{}\n```\n  ```sh\necho $a\n  ```\n";
    assert_eq!(sh_blocks(md), vec!["a=1\n", "echo $a\n"]);
    assert_eq!(toml_blocks("```toml\n[x]\n```\n"), vec!["[x]\n"]);
}

backend_tests!(
    mapping_page,
    kashflow_page,
    usr_page,
    keaz_page,
    v2_page,
    scim_page,
    operations_page
);
