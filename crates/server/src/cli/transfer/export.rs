//! `rosetta user export`: the tenant's users a page at a time (the Directory's whole-list
//! read, [`rosetta_core::UserPages`], which holds at most a few pages), each page rendered and
//! written before the next is taken, so a tenant of any size never sits in memory. A file is
//! written beside `--out` and renamed into place at the end: a failed export leaves none.

use std::io::Write;
use std::path::{Path, PathBuf};

use rosetta_core::{Actor, Cursor, Directory, TenantId, User, UserFilter};
use rosetta_scim::transfer::Resources;
use serde_json::json;

use super::csv_rows;
use super::format::{open, Format};
use super::line::UserLine;
use super::report::progress;
use super::scim_lines;
use crate::cli::explain;
use crate::config::Config;

pub struct ExportArgs {
    pub tenant: i64,
    pub format: Format,
    pub out: Option<PathBuf>,
    pub with_password_hashes: bool,
    pub keaz_columns: bool,
    pub scim_base: String,
    pub json_out: bool,
}

type Sink = Box<dyn Write + Send>;

/// Where the lines go: a `.partial` file renamed at the end, or stdout.
struct Target {
    sink: Sink,
    file: Option<(PathBuf, PathBuf)>,
}

impl Target {
    fn open(out: Option<&Path>) -> Result<Self, String> {
        let Some(out) = out else {
            return Ok(Self {
                sink: Box::new(std::io::BufWriter::new(std::io::stdout())),
                file: None,
            });
        };
        let mut partial = out.as_os_str().to_owned();
        partial.push(".partial");
        let partial = PathBuf::from(partial);
        let f = std::fs::File::create(&partial)
            .map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
        Ok(Self {
            sink: Box::new(std::io::BufWriter::new(f)),
            file: Some((partial, out.to_owned())),
        })
    }

    /// Writes one rendered page off the async workers (file I/O blocks).
    async fn write(&mut self, bytes: Vec<u8>) -> Result<(), String> {
        let mut sink: Sink = std::mem::replace(&mut self.sink, Box::new(std::io::sink()));
        let (sink, written) = tokio::task::spawn_blocking(move || {
            let r = sink.write_all(&bytes);
            (sink, r)
        })
        .await
        .map_err(|e| e.to_string())?;
        self.sink = sink;
        written.map_err(|e| format!("cannot write the export: {e}"))
    }

    async fn finish(mut self) -> Result<(), String> {
        let mut sink: Sink = std::mem::replace(&mut self.sink, Box::new(std::io::sink()));
        let file = self.file.take();
        tokio::task::spawn_blocking(move || {
            sink.flush()
                .map_err(|e| format!("cannot write the export: {e}"))?;
            drop(sink);
            if let Some((partial, out)) = file {
                std::fs::rename(&partial, &out)
                    .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
            }
            Ok(())
        })
        .await
        .map_err(|e| e.to_string())?
    }

    fn abandon(self) {
        if let Some((partial, _)) = &self.file {
            let _gone = std::fs::remove_file(partial);
        }
    }
}

pub async fn export(config: &Config, args: ExportArgs) -> Result<(), String> {
    if args.json_out && args.out.is_none() {
        return Err("--json needs --out: without it stdout is the export itself".into());
    }
    if args.keaz_columns && args.format != Format::Csv {
        return Err("--keaz-columns is for --format csv".into());
    }
    let (dir, _db) = open(config).await?;
    let tenant = TenantId(args.tenant);
    dir.tenant(tenant)
        .await
        .map_err(|_| format!("tenant {} does not exist", args.tenant))?;
    let actor = Actor::cli(tenant);
    let total = dir
        .list_users(&actor, &UserFilter::all(), Cursor::Start, 1)
        .await
        .map_err(explain)?
        .total;
    let mut target = Target::open(args.out.as_deref())?;
    match write_all(&dir, &actor, &args, &mut target, total).await {
        Ok(count) => {
            target.finish().await?;
            summary(&args, count);
            Ok(())
        }
        Err(e) => {
            target.abandon();
            Err(e)
        }
    }
}

async fn write_all(
    dir: &Directory,
    actor: &Actor,
    args: &ExportArgs,
    target: &mut Target,
    total: u64,
) -> Result<u64, String> {
    let bar = progress(args.json_out, Some(total), "exporting");
    let renderer = Renderer::new(dir, actor, args).await?;
    if args.format == Format::Csv {
        let header = csv_rows::header(args.keaz_columns, args.with_password_hashes);
        target.write(renderer.csv(&[header])?).await?;
    }
    let mut pages = dir
        .all_users(actor, &UserFilter::all())
        .await
        .map_err(explain)?;
    let mut count = 0u64;
    while let Some(page) = pages.next_page().await {
        let page = page.map_err(explain)?;
        let bytes = renderer.page(dir, actor, &page).await?;
        target.write(bytes).await?;
        count += page.len() as u64;
        bar.inc(page.len() as u64);
    }
    bar.finish_and_clear();
    Ok(count)
}

/// Turns a page of users into the format's bytes.
struct Renderer<'a> {
    args: &'a ExportArgs,
    scim: Option<Resources>,
}

impl<'a> Renderer<'a> {
    async fn new(dir: &Directory, actor: &Actor, args: &'a ExportArgs) -> Result<Self, String> {
        let scim = if args.format == Format::Scim {
            let roles = dir.roles(actor.tenant).await.map_err(explain)?;
            Some(Resources::new(&args.scim_base, roles))
        } else {
            None
        };
        Ok(Self { args, scim })
    }

    async fn page(&self, dir: &Directory, actor: &Actor, page: &[User]) -> Result<Vec<u8>, String> {
        let mut lines = Vec::with_capacity(page.len());
        for user in page {
            let hash = if self.args.with_password_hashes && user.has_password {
                dir.user_secrets(actor.tenant, user.id)
                    .await
                    .map_err(explain)?
                    .password_hash
            } else {
                None
            };
            lines.push((user, hash));
        }
        match self.args.format {
            Format::Jsonl => {
                let mut out = Vec::new();
                for (user, hash) in lines {
                    push_json(&mut out, &UserLine::from_user(user, hash))?;
                }
                Ok(out)
            }
            Format::Scim => {
                let mut out = Vec::new();
                let resources = self.scim.as_ref().ok_or("no SCIM context")?;
                for (user, hash) in lines {
                    push_json(&mut out, &scim_lines::with_hash(resources.user(user), hash))?;
                }
                Ok(out)
            }
            Format::Csv => {
                let rows: Vec<Vec<String>> = lines
                    .into_iter()
                    .map(|(user, hash)| {
                        csv_rows::record(
                            &UserLine::from_user(user, hash),
                            self.args.keaz_columns,
                            self.args.with_password_hashes,
                        )
                    })
                    .collect();
                self.csv(&rows)
            }
        }
    }

    fn csv<R: AsRef<[S]>, S: AsRef<[u8]>>(&self, rows: &[R]) -> Result<Vec<u8>, String> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        for row in rows {
            w.write_record(row.as_ref())
                .map_err(|e| format!("cannot write CSV: {e}"))?;
        }
        w.into_inner().map_err(|e| format!("cannot write CSV: {e}"))
    }
}

fn push_json(out: &mut Vec<u8>, value: &impl serde::Serialize) -> Result<(), String> {
    serde_json::to_writer(&mut *out, value).map_err(|e| format!("cannot write JSON: {e}"))?;
    out.push(b'\n');
    Ok(())
}

fn summary(args: &ExportArgs, count: u64) {
    let file = args
        .out
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "-".into());
    if args.json_out {
        let v = json!({"tenant": args.tenant, "format": args.format.name(), "users": count, "file": file});
        println!("{v}");
    } else if args.out.is_some() {
        println!("exported {count} users to {file}");
    } else {
        // stdout is the export: the summary goes where the bar went.
        eprintln!("exported {count} users to stdout");
    }
}
