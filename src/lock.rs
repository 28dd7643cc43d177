//! The advisory lock that serialises crew's mutating commands on one tmux
//! server: a file beside the server's socket, locked with flock, so a killed
//! crew never leaves it held. crew's, not tmux's: the tmux client knows
//! nothing of it.

use crate::error::CrewError;
use crate::tmux::Tmux;
use anyhow::{Context, Result};
use std::fs::File;
use std::path::{Path, PathBuf};

/// Take the advisory lock that serialises mutating crew commands on this
/// server. It is released when the returned file is dropped or the
/// process dies, so a killed crew never leaves it held. Waiting says who
/// holds it after a second and gives up after `lock_wait()`.
pub fn take(tmux: &Tmux) -> Result<File> {
    tmux.check_socket()?;
    let path = path(tmux);
    if let Some(dir) = path.parent() {
        if !dir.exists() {
            // Private from the start, as tmux makes it: a directory made
            // open and closed a moment later is refused meanwhile (by
            // crew and tmux alike) and could be entered by others.
            use std::os::unix::fs::DirBuilderExt;
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .with_context(|| format!("could not create {}", dir.display()))?;
        }
    }
    let f = open_lock_file(&path)?;
    let start = std::time::Instant::now();
    let limit = lock_wait();
    let mut told = false;
    loop {
        match f.try_lock() {
            Ok(()) => return Ok(f),
            Err(std::fs::TryLockError::WouldBlock) => {}
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("could not lock {}", path.display()))
            }
        }
        let waited = start.elapsed();
        if waited >= limit {
            return Err(CrewError::failure(format!(
                "gave up after {} s waiting for the lock {}, held by {}",
                limit.as_secs_f64(),
                path.display(),
                lock_holder(&f)
            ))
            .hint("another crew command is still running on this server; if it hangs, stop it")
            .into());
        }
        if !told && waited >= std::time::Duration::from_secs(1) {
            eprintln!(
                "crew: waiting for the lock {}, held by {}",
                path.display(),
                lock_holder(&f)
            );
            told = true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The lock if it is free now, else None (for work any later crew
/// command can do as well, so it never waits behind a long command or
/// its own caller).
pub fn try_take(tmux: &Tmux) -> Result<Option<File>> {
    tmux.check_socket()?;
    let path = path(tmux);
    let f = match File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
    {
        Ok(f) => f,
        // No socket directory yet: no server, nothing to do.
        Err(_) => return Ok(None),
    };
    match f.try_lock() {
        Ok(()) => Ok(Some(f)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(anyhow::Error::new(e).context(format!("could not lock {}", path.display())))
        }
    }
}

/// Beside the socket, but not `<socket>.lock`, which tmux itself uses.
pub fn path(tmux: &Tmux) -> PathBuf {
    let mut p = tmux.socket_path().to_path_buf().into_os_string();
    p.push(".crew-lock");
    PathBuf::from(p)
}

/// How long a mutating command waits for another one to finish:
/// `$CREW_LOCK_WAIT` seconds, else a minute.
fn lock_wait() -> std::time::Duration {
    let secs = std::env::var("CREW_LOCK_WAIT")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| v.is_finite() && (0.0..=crate::text::MAX_SECS).contains(v))
        .unwrap_or(60.0);
    std::time::Duration::from_secs_f64(secs)
}

/// Open (creating) the lock file, refusing anything but a regular file: a
/// FIFO there would block the open forever, a device or a link is not ours.
fn open_lock_file(path: &Path) -> Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let f = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .custom_flags((rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOFOLLOW).bits() as i32)
        .open(path)
        .map_err(|e| {
            CrewError::failure(format!(
                "could not open the lock file {}: {e}",
                path.display()
            ))
            .hint("it must be a regular file beside the tmux socket; remove whatever is there")
        })?;
    let meta = f
        .metadata()
        .with_context(|| format!("could not read {}", path.display()))?;
    if !meta.is_file() {
        return Err(CrewError::failure(format!(
            "the lock file {} is not a regular file",
            path.display()
        ))
        .hint("remove it; crew creates it again")
        .into());
    }
    Ok(f)
}

/// "pid N (COMMAND)" of the process holding a flock on `f`, from /proc/locks.
fn lock_holder(f: &File) -> String {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = f.metadata() else {
        return "another process".into();
    };
    let (dev, ino) = (meta.dev(), meta.ino());
    let id = format!(
        "{:02x}:{:02x}:{ino}",
        rustix::fs::major(dev),
        rustix::fs::minor(dev)
    );
    let holder = std::fs::read_to_string("/proc/locks").ok().and_then(|t| {
        t.lines().find_map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            // "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF"
            let i = w.iter().position(|x| *x == "FLOCK")?;
            (w.get(i + 4) == Some(&id.as_str())).then(|| w.get(i + 3).map(|p| p.to_string()))?
        })
    });
    match holder {
        Some(pid) => {
            let cmd = std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|raw| {
                    raw.split(|b| *b == 0)
                        .filter(|a| !a.is_empty())
                        .map(|a| String::from_utf8_lossy(a).into_owned())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default();
            format!("pid {pid} ({})", crate::text::escape_controls(&cmd))
        }
        None => "another process".into(),
    }
}
