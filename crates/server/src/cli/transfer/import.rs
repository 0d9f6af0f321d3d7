//! `rosetta user import`: the whole file read and checked first (its own shape, the core's
//! rules for every user, duplicates within the file and against the tenant, letter case
//! ignored), every problem reported by line in one go, and only a clean file written, in one
//! transaction through the Directory's batch (all or nothing).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use rosetta_core::{
    Actor, CoreError, Email, ImportUsersRequest, ImportedUser, Onboarding, TenantId, UserFilter,
    Username,
};
use rosetta_dialect::wording;
use serde_json::json;

use super::csv_rows::Columns;
use super::format::{open, Format};
use super::line::{UserLine, SHAPE};
use super::report::{progress, LineError};
use super::scim_lines;
use crate::cli::{explain, one_line};
use crate::config::Config;

pub struct ImportArgs {
    pub tenant: i64,
    pub file: PathBuf,
    pub format: Format,
    pub json_out: bool,
}

/// The users of a file with the line each starts on, and every problem found reading it.
#[derive(Default)]
struct Read {
    users: Vec<ImportedUser>,
    lines: Vec<u64>,
    errors: Vec<LineError>,
}

impl Read {
    fn push(&mut self, line: u64, user: Result<ImportedUser, Vec<LineError>>) {
        match user {
            Ok(u) => {
                self.users.push(u);
                self.lines.push(line);
            }
            Err(e) => self.errors.extend(e),
        }
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn read_lines(bytes: &[u8], format: Format) -> Read {
    let mut read = Read::default();
    for (i, raw) in bytes.split(|b| *b == b'\n').enumerate() {
        let n = i as u64 + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let raw = if n == 1 {
            raw.strip_prefix(BOM).unwrap_or(raw)
        } else {
            raw
        };
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue; // a blank line (the last newline's) holds no user
        }
        let user = match format {
            Format::Scim => scim_lines::read(raw, n),
            _ => serde_json::from_slice::<UserLine>(raw)
                .map_err(|e| vec![LineError::new(n, "line", json_problem(&e))])
                .and_then(|l| l.into_import(n)),
        };
        read.push(n, user);
    }
    read
}

/// serde's message names the member and says what was expected, never a value; its own
/// "at line 1 column N" is the column within this line.
fn json_problem(e: &serde_json::Error) -> String {
    format!("is not a {} user: {e}", SHAPE)
}

fn read_csv(bytes: &[u8]) -> Read {
    let mut read = Read::default();
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    let columns = match reader.headers().map_err(|_| ()) {
        Ok(h) => match Columns::read(h) {
            Ok(c) => c,
            Err(e) => {
                read.errors = e;
                return read;
            }
        },
        Err(()) => {
            read.errors = vec![LineError::new(1, "header", "is not valid CSV (UTF-8)")];
            return read;
        }
    };
    let width = reader.headers().map(|h| h.len()).unwrap_or(0);
    let mut lines = LineCounter::new(bytes);
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| lines.at(p.byte())).unwrap_or(0);
                read.errors
                    .push(LineError::new(line, "row", "is not valid CSV (UTF-8)"));
                continue;
            }
        };
        let n = record.position().map(|p| lines.at(p.byte())).unwrap_or(0);
        if record.len() > width {
            read.errors.push(LineError::new(
                n,
                "row",
                format!("has {} fields but the header has {width}", record.len()),
            ));
            continue;
        }
        let user = columns
            .line(&record, n)
            .and_then(|line| line.into_import(n));
        read.push(n, user);
    }
    read
}

/// The line a byte offset is on, for offsets asked in increasing order. The csv reader's own
/// line count is off after a CRLF, which every RFC 4180 file ends its lines with.
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    fn at(&mut self, byte: u64) -> u64 {
        let mut to = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        // After a CRLF the reader puts a record's start at the LF; a record never starts
        // with a line break (blank lines are skipped), so step over any.
        while matches!(self.bytes.get(to), Some(b'\r' | b'\n')) {
            to += 1;
        }
        if to > self.offset {
            let newlines = self.bytes[self.offset..to].iter().filter(|b| **b == b'\n');
            self.line += newlines.count() as u64;
            self.offset = to;
        }
        self.line
    }
}

/// Within the file and against the tenant: usernames and emails in any letter case, external
/// ids exactly. A repeat names the line that had it first.
fn duplicates(read: &mut Read, taken: &Taken) {
    let mut seen: [HashMap<String, u64>; 3] = Default::default();
    for (user, line) in read.users.iter().zip(&read.lines) {
        let u = &user.user;
        let email = Email::parse(&u.email).ok().map(|e| e.key());
        let username = Username::parse(u.username.as_deref().unwrap_or(&u.email))
            .ok()
            .map(|n| n.key());
        let external = u.external_id.clone().filter(|x| !x.is_empty());
        let keys = [
            ("username", username, &taken.usernames, 0),
            ("email", email, &taken.emails, 1),
            ("external_id", external, &taken.external_ids, 2),
        ];
        for (field, key, stored, slot) in keys {
            let Some(key) = key else { continue };
            if let Some(first) = seen[slot].get(&key) {
                let message = format!("is also on line {first} (letter case aside)");
                read.errors.push(LineError::new(*line, field, message));
                continue;
            }
            if stored.contains(&key) {
                read.errors.push(LineError::new(
                    *line,
                    field,
                    "is already taken in this tenant",
                ));
            }
            seen[slot].insert(key, *line);
        }
    }
}

/// The tenant's unique keys (not its users: a few strings each).
#[derive(Default)]
struct Taken {
    usernames: HashSet<String>,
    emails: HashSet<String>,
    external_ids: HashSet<String>,
}

/// A core refusal as a file problem: the field it names and the shared wording.
fn core_problem(line: u64, e: CoreError) -> LineError {
    match e {
        CoreError::Validation { field, problem } => {
            LineError::new(line, field.as_str(), wording::problem(&problem))
        }
        other => LineError::new(line, "user", explain(other)),
    }
}

pub async fn import(config: &Config, args: ImportArgs) -> Result<(), String> {
    let (dir, _db) = open(config).await?;
    let tenant = TenantId(args.tenant);
    dir.tenant(tenant)
        .await
        .map_err(|_| format!("tenant {} does not exist", args.tenant))?;
    let actor = Actor::cli(tenant);
    let path = args.file.clone();
    let bytes = tokio::task::spawn_blocking(move || std::fs::read(&path))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("cannot read {}: {e}", args.file.display()))?;
    let bar = progress(args.json_out, None, "checking");
    let mut read = match args.format {
        Format::Csv => read_csv(&bytes),
        other => read_lines(&bytes, other),
    };
    drop(bytes);
    bar.set_position(read.users.len() as u64);

    let mut taken = Taken::default();
    let mut pages = dir
        .all_users(&actor, &UserFilter::all())
        .await
        .map_err(explain)?;
    while let Some(page) = pages.next_page().await {
        for u in page.map_err(explain)? {
            taken.usernames.insert(u.username.key());
            taken.emails.insert(u.email.key());
            taken.external_ids.extend(u.external_id);
        }
    }
    duplicates(&mut read, &taken);
    let new_users: Vec<_> = read.users.iter().map(|u| u.user.clone()).collect();
    for (i, e) in dir
        .check_new_users(&actor, &new_users)
        .await
        .map_err(explain)?
    {
        read.errors.push(core_problem(read.lines[i], e));
    }
    drop(new_users);
    if !read.errors.is_empty() {
        bar.finish_and_clear();
        return refuse(&args, read.errors);
    }

    bar.set_message("writing");
    let lines = read.lines;
    let request = ImportUsersRequest {
        users: read.users,
        // As keaz's CSV import: a pending user gets an activation ticket and its email.
        onboarding: Onboarding::Activation { email: true },
    };
    let written = dir.import_users(&actor, request).await;
    bar.finish_and_clear();
    let imported = match written {
        Ok(users) => users.len(),
        Err((index, e)) => {
            // What the check could not see (a clash written meanwhile): still nothing written.
            let line = index.and_then(|i| lines.get(i).copied()).unwrap_or(0);
            return refuse(&args, vec![core_problem(line, e)]);
        }
    };
    if args.json_out {
        let v = json!({"tenant": args.tenant, "format": args.format.name(), "imported": imported, "errors": []});
        println!("{v}");
    } else {
        println!("imported {imported} users (0 errors)");
    }
    Ok(())
}

/// Every problem, by line, and the one error line; nothing was written.
fn refuse(args: &ImportArgs, mut errors: Vec<LineError>) -> Result<(), String> {
    errors.sort_by_key(|e| e.line);
    let n = errors.len();
    if args.json_out {
        let v = json!({"tenant": args.tenant, "format": args.format.name(), "imported": 0, "errors": errors});
        println!("{v}");
    } else {
        for e in &errors {
            eprintln!("line {}: {}: {}", e.line, e.field, one_line(&e.message));
        }
    }
    Err(format!(
        "{n} problem{} in {}; no user was imported",
        if n == 1 { "" } else { "s" },
        args.file.display()
    ))
}
