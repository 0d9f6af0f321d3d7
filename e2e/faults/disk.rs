//! The SQLite database on a full file system (a 4 MiB tmpfs of the test's own). Writes are
//! answered a clean 503 in the dialect's shape, nothing is half-written, and writes succeed
//! again once space is back, without a restart. Then on a file system that turns read-only
//! under the running gateway (a loop-mounted ext4 with `errors=remount-ro` and its error
//! trigger: the suite runs as root, for whom a file's mode bits do not make it read-only, and
//! `mount -o remount,ro` refuses while the database is open for writing): clean 503s, and the
//! process stays up and stops cleanly. (PostgreSQL's disk is the server's own business: its full disk reaches the gateway
//! as a failed statement, the same 503 path.)

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::{create_user, usr_tenant, Serve};

/// A small tmpfs mounted on a temporary directory; unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount() -> Self {
        let dir = tempfile::tempdir().unwrap();
        mount(&["-t", "tmpfs", "-o", "size=4m", "tmpfs"], dir.path());
        Self { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

fn mount(args: &[&str], at: &Path) {
    let ok = Command::new("mount").args(args).arg(at).status().unwrap();
    assert!(
        ok.success(),
        "mount {args:?} (the fault suite runs as root)"
    );
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// Fills the file system with `filler` until it refuses.
fn fill(filler: &PathBuf) {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(filler)
        .unwrap();
    let block = vec![0u8; 64 * 1024];
    while f.write_all(&block).is_ok() {}
    let _ = f.sync_all();
}

async fn refused_cleanly(client: &reqwest::Client, base: &str, token: &str, name: &str) {
    let body = serde_json::json!({
        "contactName": name, "emailAddress": format!("{name}@example.com"),
        "username": name, "password": "pw-of-the-test", "active": true, "defaultAccountId": 1,
    });
    let r = client
        .post(format!("{base}/usr/new"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503, "{name}");
    assert_eq!(r.headers()["retry-after"], "1");
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["error"]["code"].is_string(), "usr's envelope: {body}");
}

/// Writes succeed again within 10 s (the store may have marked the database down and be
/// probing it), answered 503 meanwhile.
async fn comes_back(client: &reqwest::Client, base: &str, token: &str, name: &str) {
    let started = std::time::Instant::now();
    loop {
        let made = create_user(client, base, token, name).await;
        if (200..300).contains(&made) {
            return;
        }
        assert_eq!(made, 503, "{name}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "writes never came back"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
#[ignore = "fault suite: .ci/run runs it with --ignored"]
async fn full_disk_answers_clean_503s() {
    let disk = SmallDisk::mount();
    let work = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", disk.path().join("rosetta.db").display());
    let (_, token) = usr_tenant(work.path(), &url);
    let client = reqwest::Client::new();
    let mut serve = Serve::start(work.path(), &url, Stdio::null());
    serve.ready(&client).await;
    let made = create_user(&client, &serve.base, &token, "before").await;
    assert!((200..300).contains(&made), "{made}");

    let filler = disk.path().join("filler");
    for i in 0..5 {
        // Again each time: a failed write can give back the pages it had taken.
        fill(&filler);
        refused_cleanly(&client, &serve.base, &token, &format!("full{i}")).await;
    }
    std::fs::remove_file(&filler).unwrap();
    comes_back(&client, &serve.base, &token, "space-again").await;

    assert!(serve.child.try_wait().unwrap().is_none(), "no restart");
    // Nothing of the refused writes was half-written.
    let list = client
        .get(format!("{}/usr/acc/1", serve.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!list.contains("full0"), "{list}");
}

/// A small ext4 file system in a file, loop-mounted with `errors=remount-ro`; unmounted when
/// dropped.
struct LoopDisk {
    _image: tempfile::TempDir,
    at: tempfile::TempDir,
}

impl LoopDisk {
    fn mount() -> Self {
        let image = tempfile::tempdir().unwrap();
        let file = image.path().join("disk.img");
        std::fs::File::create(&file)
            .unwrap()
            .set_len(16 * 1024 * 1024)
            .unwrap();
        let ok = Command::new("mkfs.ext4")
            .arg("-q")
            .arg(&file)
            .status()
            .unwrap();
        assert!(ok.success(), "mkfs.ext4");
        let at = tempfile::tempdir().unwrap();
        let mut args = vec!["-o", "loop,errors=remount-ro"];
        let file = file.to_str().unwrap().to_owned();
        args.push(&file);
        mount(&args, at.path());
        Self { _image: image, at }
    }

    /// Turns the file system read-only under its open files, as the kernel does on an I/O
    /// error (`mount -o remount,ro` refuses while files are open for writing).
    fn fail(&self) {
        let out = Command::new("findmnt")
            .args(["-no", "SOURCE"])
            .arg(self.at.path())
            .output()
            .unwrap();
        let source = String::from_utf8(out.stdout).unwrap();
        let device = Path::new(source.trim()).file_name().unwrap().to_owned();
        let trigger = Path::new("/sys/fs/ext4")
            .join(device)
            .join("trigger_fs_error");
        std::fs::write(trigger, "read-only by the fault suite").unwrap();
    }
}

impl Drop for LoopDisk {
    fn drop(&mut self) {
        // Before `_image` (and the file in it) is deleted.
        let _ = Command::new("umount").arg(self.at.path()).status();
    }
}

#[tokio::test]
#[ignore = "fault suite: .ci/run runs it with --ignored"]
async fn read_only_database_answers_clean_503s() {
    let disk = LoopDisk::mount();
    let work = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", disk.at.path().join("rosetta.db").display());
    let (_, token) = usr_tenant(work.path(), &url);
    let client = reqwest::Client::new();
    let mut serve = Serve::start(work.path(), &url, Stdio::null());
    serve.ready(&client).await;
    let made = create_user(&client, &serve.base, &token, "before").await;
    assert!((200..300).contains(&made), "{made}");

    disk.fail();
    for i in 0..5 {
        refused_cleanly(&client, &serve.base, &token, &format!("ro{i}")).await;
    }
    let health = client
        .get(format!("{}/healthz", serve.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    assert!(serve.child.try_wait().unwrap().is_none(), "still running");
    serve.signal("-TERM");
    assert_eq!(serve.exit().await.code(), Some(0));
}
