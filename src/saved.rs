//! The one file crew keeps: the list of agents, one file per tmux server
//! under the XDG state directory, so that plain `crew recover` can bring
//! them back after a reboot (tmux does not survive one), as tmux-resurrect
//! does for tmux itself. The panes stay the state: the file is only a copy,
//! written after every command that changes the set of agents (spawn, kill,
//! rename, restart, adopt, recover) from a snapshot taken then, replaced
//! atomically (never partial), mode 0600. `save = false` in the config
//! turns it off.
//!
//! It holds one list per server (its pid and start time tell them apart):
//! the current server's list is replaced on each write; the lists of
//! servers that are gone stay until their agents are back (a name present
//! again leaves them) or killed on purpose.

use crate::ctx::Ctx;
use crate::render::Row;
use crate::snapshot::Snapshot;
use crate::status::Status;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};

const VERSION: u32 = 1;

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct File {
    pub version: u32,
    /// The tmux socket it belongs to.
    pub socket: String,
    pub servers: Vec<Server>,
}

/// One server's agents as they were last saved.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Server {
    pub pid: u32,
    /// The server's start, unix seconds.
    pub start: u64,
    /// When this list was written, unix seconds.
    pub saved_at: u64,
    /// Rows as `crew ls --json` gives them (what `recover --from` reads).
    pub agents: Vec<Value>,
}

/// Where the file of the server crew talks to lives: one per socket path.
pub fn path(socket: &Path) -> Option<PathBuf> {
    let dir = match std::env::var_os("XDG_STATE_HOME").map(PathBuf::from) {
        // The XDG spec ignores a relative path.
        Some(d) if d.is_absolute() => d,
        _ => PathBuf::from(std::env::var_os("HOME")?).join(".local/state"),
    };
    let name = socket
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "server".into());
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    let hash = crate::screen::fnv(&[socket.to_string_lossy().into_owned()]);
    Some(
        dir.join("crew")
            .join(format!("{name}-{:08x}.json", hash as u32)),
    )
}

/// Save the agents of the server as they are now, less `ending` (being
/// ended on purpose: `kill` run from inside an agent saves before it ends
/// its own). Never fails the command it follows: a file that cannot be
/// written is a warning.
pub fn save(ctx: &Ctx, ending: &[String]) {
    if !ctx.config.save {
        return;
    }
    if let Err(e) = try_save(ctx, ending) {
        eprintln!("crew: warning: could not save the list of agents: {e:#}");
    }
}

fn try_save(ctx: &Ctx, ending: &[String]) -> Result<()> {
    let Some(file) = path(ctx.tmux.socket_path()) else {
        return Ok(());
    };
    let snap = ctx.snapshot()?;
    if !snap.server {
        return Ok(());
    }
    let old = load(&file).unwrap_or_default();
    if old.servers.is_empty() && snap.agents.is_empty() {
        return Ok(());
    }
    let new = merge(old, &snap, ending, crate::ctx::now_ms() / 1000);
    let mut text = serde_json::to_string_pretty(&File {
        socket: ctx.tmux.socket_path().display().to_string(),
        ..new
    })?;
    text.push('\n');
    write_atomic(&file, text.as_bytes())
}

/// The file as it is; None when there is none. One that cannot be read is
/// an error naming it.
pub fn load(file: &Path) -> Result<File> {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(File::default()),
        Err(e) => return Err(e).with_context(|| format!("could not read {}", file.display())),
    };
    let f: File = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a list crew saved", file.display()))?;
    if f.version != VERSION {
        anyhow::bail!("{} is of another version ({})", file.display(), f.version);
    }
    Ok(f)
}

/// The lists of gone servers, less what is back or ending, then this
/// server's list as the snapshot has it, less what is ending.
fn merge(old: File, snap: &Snapshot, ending: &[String], now: u64) -> File {
    let ends = |n: &str| ending.iter().any(|k| k == n);
    let present = |n: &str| snap.agent(n).is_some();
    let mut servers: Vec<Server> = old
        .servers
        .into_iter()
        .filter(|s| !(s.pid == snap.server_pid && s.start == snap.server_start))
        .map(|mut s| {
            s.agents.retain(|a| {
                let n = a["name"].as_str().unwrap_or("");
                !present(n) && !ends(n)
            });
            s
        })
        .filter(|s| !s.agents.is_empty())
        .collect();
    let agents = snap
        .agents
        .iter()
        .filter(|a| a.damage.is_none() && !ends(&a.name))
        .filter_map(|a| {
            let st = if a.pane.dead {
                Status::Exited
            } else {
                Status::Unknown
            };
            serde_json::to_value(Row::new(a, st)).ok()
        })
        .collect();
    servers.push(Server {
        pid: snap.server_pid,
        start: snap.server_start,
        saved_at: now,
        agents,
    });
    File {
        version: VERSION,
        socket: old.socket,
        servers,
    }
}

/// Agents saved from servers that are gone and not here now, newest list
/// first for a name saved twice: what plain `recover` brings back.
pub fn lost(file: &File, snap: &Snapshot) -> Vec<(Value, u64)> {
    let mut gone: Vec<&Server> = file
        .servers
        .iter()
        .filter(|s| !(s.pid == snap.server_pid && s.start == snap.server_start))
        .collect();
    gone.sort_by_key(|s| std::cmp::Reverse(s.saved_at));
    let mut out: Vec<(Value, u64)> = Vec::new();
    for s in gone {
        for a in &s.agents {
            let n = a["name"].as_str().unwrap_or("");
            if snap.agent(n).is_none() && !out.iter().any(|(o, _)| o["name"] == n) {
                out.push((a.clone(), s.saved_at));
            }
        }
    }
    out
}

/// Write beside the file, then rename over it: a reader sees the old file
/// or the new one, never part of one. Owner-only, like the socket's folder.
fn write_atomic(file: &Path, data: &[u8]) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    let dir = file.parent().context("the state file has no folder")?;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("could not create {}", dir.display()))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        file.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    // A leftover of a crew that died mid-write would keep its old mode.
    let _ = std::fs::remove_file(&tmp);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .with_context(|| format!("could not write {}", tmp.display()))?;
    let done = f.write_all(data).and_then(|_| f.sync_all());
    drop(f);
    if let Err(e) = done.and_then(|_| std::fs::rename(&tmp, file)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("could not write {}", file.display()));
    }
    Ok(())
}
