//! The only code that talks to tmux, over its socket (`wire`) or through a
//! `tmux` client: server choice, running chains, errors, the version check
//! and the advisory lock beside the socket.

mod chain;
mod error;
mod wire;

pub use chain::{format_literal, shell_quote, Chain, Cmd, ARGV_BUDGET};
pub use error::TmuxError;

use anyhow::{Context, Result};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Between the chains of `run_paced`: long enough for a waiting client's
/// messages to be read, short against a chain's 100 ms.
const PACE_GAP: std::time::Duration = std::time::Duration::from_millis(10);

/// The oldest tmux crew supports: pane options (`set -p`), `new-window -e`,
/// `display-menu`, `#{pane_dead_signal}`-era formats.
pub const MIN_VERSION: (u32, u32) = (3, 2);
pub const MIN_VERSION_TEXT: &str = "3.2";

/// Which server to talk to, as tmux's own `-L` / `-S` choose it.
#[derive(Debug, Clone)]
pub enum Socket {
    /// `$TMUX`'s server inside tmux, else tmux's default socket.
    Default,
    Name(String),
    Path(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Tmux {
    flags: Vec<String>,
    socket_path: PathBuf,
    /// True when crew targets the server of `$TMUX` (so `$TMUX_PANE` is ours).
    same_server: bool,
    verbose: bool,
    /// Start a `tmux` client process for every call instead of speaking the
    /// protocol on the socket (`CREW_TMUX_CLIENT=1`; for comparison and as a
    /// way out should a tmux speak it differently).
    client_process: bool,
}

fn socket_dir() -> PathBuf {
    let base = std::env::var_os("TMUX_TMPDIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp"));
    base.join(format!("tmux-{}", rustix::process::getuid().as_raw()))
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    }
}

/// The socket path in `$TMUX` ("path,pid,session"), if set.
fn env_socket() -> Option<PathBuf> {
    let v = std::env::var("TMUX").ok()?;
    let path = v.split(',').next()?;
    (!path.is_empty()).then(|| PathBuf::from(path))
}

impl Tmux {
    pub fn new(socket: Socket, verbose: bool) -> Tmux {
        let env = env_socket();
        let (flags, socket_path) = match socket {
            Socket::Default => match &env {
                Some(p) => (vec![], p.clone()),
                None => (vec![], socket_dir().join("default")),
            },
            Socket::Name(n) => (vec!["-L".into(), n.clone()], socket_dir().join(n)),
            Socket::Path(p) => {
                let abs = absolute(&p);
                (vec!["-S".into(), abs.display().to_string()], abs)
            }
        };
        let same_server = env.as_deref().is_some_and(|e| e == socket_path);
        Tmux {
            flags,
            socket_path,
            same_server,
            verbose,
            client_process: std::env::var_os("CREW_TMUX_CLIENT").is_some_and(|v| !v.is_empty()),
        }
    }

    /// This server, always through a `tmux` client process (or never).
    pub fn with_client_process(mut self, on: bool) -> Tmux {
        self.client_process = on;
        self
    }

    pub fn socket_path(&self) -> &Path {
        &self.socket_path
    }

    /// The pane crew was started from, when it lives on the server we target.
    pub fn leader_pane(&self) -> Option<String> {
        if !self.same_server {
            return None;
        }
        std::env::var("TMUX_PANE")
            .ok()
            .filter(|p| p.starts_with('%'))
    }

    /// Whether crew runs inside tmux on the server it targets.
    pub fn inside_same_server(&self) -> bool {
        self.same_server
    }

    /// Global flags that select this server, for command lines crew hands to
    /// tmux to run later (menus, hooks).
    pub fn server_flags(&self) -> &[String] {
        &self.flags
    }

    fn command(&self) -> Command {
        let mut c = Command::new("tmux");
        c.arg("-u").args(&self.flags);
        if !self.same_server {
            // The child must not take $TMUX's server (or pane) for ours.
            c.env_remove("TMUX").env_remove("TMUX_PANE");
        }
        c
    }

    /// The environment a `tmux` client started by crew would have.
    fn client_env(&self) -> Vec<(std::ffi::OsString, std::ffi::OsString)> {
        std::env::vars_os()
            .filter(|(k, _)| self.same_server || (k != "TMUX" && k != "TMUX_PANE"))
            .collect()
    }

    fn trace(&self, argv: &[String]) {
        if self.verbose {
            let mut line = String::from("tmux -u");
            for a in self.flags.iter().chain(argv) {
                line.push(' ');
                line.push_str(&shell_quote(a));
            }
            eprintln!("{line}");
        }
    }

    /// Run a chain with one tmux call and return its stdout. A chain too
    /// long for one message (~16 KB) goes on stdin as `source-file -`, so
    /// the number of calls does not grow with the number of agents.
    pub fn run(&self, chain: &Chain) -> Result<String, TmuxError> {
        if chain.wire_len() <= ARGV_BUDGET {
            return self.exec(&chain.argv(), None);
        }
        let argv = vec!["source-file".to_string(), "-".to_string()];
        let script = chain.script();
        if self.verbose {
            eprint!("  (stdin) {script}");
        }
        self.exec(&argv, Some(script.as_bytes()))
    }

    /// Run groups of commands (each group stays in one chain, in order) in
    /// chains paced so that each keeps the server busy for about `budget`:
    /// tmux answers no other client while it runs a chain, and some commands
    /// (creating or destroying windows in a session of thousands) cost tens
    /// of milliseconds each (the cost grows with the session's size). Up to
    /// 64 groups run as one chain, as any chain would; more are paced as
    /// they go: a handful first, then as many as the last chain's time per
    /// group allows, at most twice the last chain (the cost per group grows
    /// as the session fills, and a call costs so little that nothing else
    /// hides the growth).
    pub fn run_paced(
        &self,
        groups: &[Vec<Cmd>],
        budget: std::time::Duration,
    ) -> Result<String, TmuxError> {
        let mut out = String::new();
        let mut at = 0;
        let mut batch = if groups.len() <= 64 { 64 } else { 8 };
        while at < groups.len() {
            let end = (at + batch).min(groups.len());
            let mut chain = Chain::new();
            for g in &groups[at..end] {
                chain.extend(g.iter().cloned());
            }
            let t = std::time::Instant::now();
            out.push_str(&self.run(&chain)?);
            let per = t.elapsed().as_secs_f64() / (end - at) as f64;
            // Aim under the budget: the next groups cost more than the last.
            let fits = (0.75 * budget.as_secs_f64() / per.max(1e-6)) as usize;
            batch = fits.min(2 * (end - at)).clamp(1, 512);
            at = end;
            if at < groups.len() {
                // Leave the server a moment between chains: a client that
                // connected meanwhile sends its identity and its command in
                // separate writes, and a call over the socket is so quick
                // that the next chain would otherwise be read first, again
                // and again (measured: 0.3 s without an answer).
                std::thread::sleep(PACE_GAP);
            }
        }
        Ok(out)
    }

    /// Run a chain whose first command reads the client's stdin
    /// (`load-buffer -`), feeding it `input`. stdin is taken, so a chain too
    /// long for argv is split (the loaded buffer outlives the first part).
    pub fn run_with_stdin(&self, chain: &Chain, input: &[u8]) -> Result<String, TmuxError> {
        let mut parts = chain.split(ARGV_BUDGET).into_iter();
        let mut out = match parts.next() {
            Some(first) => self.exec(&first.argv(), Some(input))?,
            None => return Ok(String::new()),
        };
        for part in parts {
            out.push_str(&self.run(&part)?);
        }
        Ok(out)
    }

    /// `exec_once`, riding out a server that is shutting down: `tmux
    /// kill-server` returns before the server is gone, and a client that
    /// connects meanwhile is dropped with "server exited unexpectedly". Such
    /// a server is treated like no server: try again until it has gone (then
    /// tmux says "no server", or starts a fresh one). Retrying is safe: what
    /// a chain did on a server that exited went with it.
    fn exec(&self, argv: &[String], input: Option<&[u8]>) -> Result<String, TmuxError> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            match self.exec_once(argv, input) {
                Err(TmuxError::ServerExited) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                other => return other,
            }
        }
    }

    fn exec_once(&self, argv: &[String], input: Option<&[u8]>) -> Result<String, TmuxError> {
        self.trace(argv);
        if !self.client_process {
            if let wire::Outcome::Done(r) =
                wire::run(&self.socket_path, argv, &self.client_env(), input)?
            {
                return if r.code == 0 {
                    Ok(String::from_utf8_lossy(&r.stdout).into_owned())
                } else {
                    let err = String::from_utf8_lossy(&r.stderr);
                    Err(TmuxError::classify_code(&err, r.code))
                };
            }
        }
        let mut cmd = self.command();
        cmd.args(argv)
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => TmuxError::Missing,
            _ => TmuxError::Other(format!("could not start tmux: {e}")),
        })?;
        if let Some(data) = input {
            let mut stdin = child.stdin.take().expect("piped stdin");
            let data = data.to_vec();
            // Write from a thread so a large input cannot deadlock against
            // tmux filling its stdout pipe.
            std::thread::spawn(move || {
                let _ = stdin.write_all(&data);
            });
        }
        let out = child
            .wait_with_output()
            .map_err(|e| TmuxError::Other(format!("could not run tmux: {e}")))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            let err = String::from_utf8_lossy(&out.stderr);
            Err(TmuxError::classify_status(&err, out.status))
        }
    }

    /// Show `text` in the status line of the current client for a few
    /// seconds: for runs from key bindings and hooks, where stdout would
    /// cover the pane. The text is data: `#` is doubled (display-message
    /// expands formats) and control characters are shown escaped. Best
    /// effort: with no client to show it on there is nowhere to report to.
    pub fn message(&self, text: &str) {
        let mut chain = Chain::new();
        chain.push(Cmd::new("display-message").args(["-d", "8000", &message_text(text)]));
        let _ = self.run(&chain);
    }

    /// `attach-session` with this terminal; returns whether tmux succeeded.
    pub fn attach(&self, session: &str) -> Result<bool, TmuxError> {
        let argv = vec![
            "attach-session".to_string(),
            "-t".to_string(),
            session.to_string(),
        ];
        self.trace(&argv);
        let st = self
            .command()
            .args(&argv)
            .status()
            .map_err(|e| TmuxError::Other(format!("could not run tmux: {e}")))?;
        Ok(st.success())
    }

    /// `tmux -V` of the client binary, checked against the minimum.
    pub fn check_client_version(&self) -> Result<String, TmuxError> {
        let argv = vec!["-V".to_string()];
        self.trace(&argv);
        let out = Command::new("tmux")
            .arg("-V")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => TmuxError::Missing,
                _ => TmuxError::Other(format!("could not start tmux: {e}")),
            })?;
        let text = String::from_utf8_lossy(&out.stdout);
        let v = text.trim().trim_start_matches("tmux ").to_string();
        check_version(&v)?;
        Ok(v)
    }

    /// Take the advisory lock that serialises mutating crew commands on this
    /// server. It is released when the returned file is dropped or the
    /// process dies, so a killed crew never leaves it held. Waiting says who
    /// holds it after a second and gives up after `lock_wait()`.
    pub fn lock(&self) -> Result<File> {
        let path = self.lock_path();
        if let Some(dir) = path.parent() {
            if !dir.exists() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("could not create {}", dir.display()))?;
                // tmux insists on a private socket directory.
                let _ = rustix::fs::chmod(dir, rustix::fs::Mode::from_raw_mode(0o700));
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
                return Err(crate::error::CrewError::failure(format!(
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
    pub fn try_lock(&self) -> Result<Option<File>> {
        let path = self.lock_path();
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
    pub fn lock_path(&self) -> PathBuf {
        let mut p = self.socket_path.clone().into_os_string();
        p.push(".crew-lock");
        PathBuf::from(p)
    }
}

/// Quote a string as one word for tmux's command parser (for commands that
/// tmux parses later: hooks, menu items). Single quotes take everything
/// literally; a string holding one uses double quotes, where `"`, `\\`, `$`
/// and `~` are escaped.
pub fn tmux_quote(s: &str) -> String {
    if !s.contains('\'') {
        return format!("'{s}'");
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        if matches!(c, '"' | '\\' | '$' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Text for display-message: one line, `#` doubled, controls escaped.
pub fn message_text(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '#' => out.push_str("##"),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

/// How long a mutating command waits for another one to finish:
/// `$CREW_LOCK_WAIT` seconds, else a minute.
fn lock_wait() -> std::time::Duration {
    let secs = std::env::var("CREW_LOCK_WAIT")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| v.is_finite() && (0.0..=crate::cli::MAX_SECS).contains(v))
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
            crate::error::CrewError::failure(format!(
                "could not open the lock file {}: {e}",
                path.display()
            ))
            .hint("it must be a regular file beside the tmux socket; remove whatever is there")
        })?;
    let meta = f
        .metadata()
        .with_context(|| format!("could not read {}", path.display()))?;
    if !meta.is_file() {
        return Err(crate::error::CrewError::failure(format!(
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

/// Parse "3.3a", "next-3.4", "3.2-rc" into (major, minor).
pub fn parse_version(v: &str) -> Option<(u32, u32)> {
    let v = v.trim().trim_start_matches("tmux ");
    let v = v.strip_prefix("next-").unwrap_or(v);
    let mut parts = v.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor_txt: String = parts
        .next()
        .unwrap_or("0")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    Some((major, minor_txt.parse().unwrap_or(0)))
}

pub fn check_version(v: &str) -> Result<(), TmuxError> {
    // Development builds ("master", "openbsd-…") are taken as new enough.
    match parse_version(v) {
        Some(found) if found < MIN_VERSION => Err(TmuxError::TooOld {
            found: v.to_string(),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_for_tmux() {
        assert_eq!(tmux_quote("crew show a"), "'crew show a'");
        assert_eq!(tmux_quote("it's $HOME"), "\"it's \\$HOME\"");
        assert_eq!(message_text("a#{b}\n"), "a##{b}\\n");
    }

    #[test]
    fn versions() {
        assert_eq!(parse_version("3.3a"), Some((3, 3)));
        assert_eq!(parse_version("tmux 3.2"), Some((3, 2)));
        assert_eq!(parse_version("next-3.5"), Some((3, 5)));
        assert_eq!(parse_version("3.10"), Some((3, 10)));
        assert_eq!(parse_version("master"), None);
        assert!(check_version("3.3a").is_ok());
        assert!(check_version("3.1c").is_err());
        assert!(check_version("2.9").is_err());
        assert!(check_version("master").is_ok());
    }
}
