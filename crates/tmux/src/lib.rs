//! The only code that talks to tmux, over its socket (`wire`) or through a
//! `tmux` client: server choice, running chains, errors, the version check
//! and the advisory lock beside the socket.

mod chain;
mod error;
mod paced;
mod socket;
mod wire;

pub use chain::{format_literal, shell_quote, Chain, Cmd, ARGS_MAX, ARGV_BUDGET};
pub use error::TmuxError;
pub use paced::CHAIN_BUDGET;

use anyhow::Result;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

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
    /// crew chose the socket's directory (`-L`, or the default outside
    /// tmux), so it is checked as tmux checks it.
    derived_dir: bool,
    /// The socket check, made once before the first byte goes out.
    checked: Arc<OnceLock<Result<(), TmuxError>>>,
    /// A call has been answered: the server was up during this command, so
    /// if it goes away now it died under crew, and nothing may start a
    /// fresh one in its place as if nothing had happened.
    alive: Arc<AtomicBool>,
}

use socket::socket_dir;

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
        let (flags, socket_path, derived_dir) = match socket {
            Socket::Default => match &env {
                Some(p) => (vec![], p.clone(), false),
                None => (vec![], socket_dir().join("default"), true),
            },
            Socket::Name(n) => (vec!["-L".into(), n.clone()], socket_dir().join(n), true),
            Socket::Path(p) => {
                let abs = absolute(&p);
                (vec!["-S".into(), abs.display().to_string()], abs, false)
            }
        };
        let same_server = env.as_deref().is_some_and(|e| e == socket_path);
        Tmux {
            flags,
            socket_path,
            same_server,
            verbose,
            client_process: std::env::var_os("CREW_TMUX_CLIENT").is_some_and(|v| !v.is_empty()),
            derived_dir,
            checked: Arc::new(OnceLock::new()),
            alive: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The socket and its directory checked as tmux checks them (once).
    pub fn check_socket(&self) -> Result<(), TmuxError> {
        self.checked
            .get_or_init(|| socket::check(&self.socket_path, self.derived_dir))
            .clone()
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
    /// long for one message (~16 KB, or from tmux 3.7 over 1000 arguments)
    /// goes on stdin as `source-file -`, one command list as the argv would
    /// be, so the number of calls does not grow with the number of agents.
    pub fn run(&self, chain: &Chain) -> Result<String, TmuxError> {
        self.run_keeping_output(chain).map_err(|(e, _)| e)
    }

    /// `run`, keeping on failure what the commands before the failing one
    /// printed.
    fn run_keeping_output(&self, chain: &Chain) -> Result<String, (TmuxError, String)> {
        if chain.fits_one_message() {
            return self.exec_full(&chain.argv(), None);
        }
        let argv = vec!["source-file".to_string(), "-".to_string()];
        let script = chain.script();
        if self.verbose {
            eprint!("  (stdin) {script}");
        }
        self.exec_full(&argv, Some(script.as_bytes()))
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

    /// `exec_once`, riding out a server that was shutting down when this
    /// command began: `tmux kill-server` returns before the server is gone,
    /// and a client that connects meanwhile is dropped with "server exited
    /// unexpectedly". Such a server is treated like no server: try again
    /// until it has gone (then tmux says "no server", or starts a fresh
    /// one). Retrying is safe: what a chain did on a server that exited
    /// went with it. A server that had answered this command before is not
    /// ridden out: it died under crew, and that is reported.
    fn exec(&self, argv: &[String], input: Option<&[u8]>) -> Result<String, TmuxError> {
        self.exec_full(argv, input).map_err(|(e, _)| e)
    }

    /// `exec`, keeping on failure what the server printed before it.
    fn exec_full(
        &self,
        argv: &[String],
        input: Option<&[u8]>,
    ) -> Result<String, (TmuxError, String)> {
        self.check_socket().map_err(|e| (e, String::new()))?;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            let res = self.exec_once(argv, input);
            if matches!(res, Err((TmuxError::ServerExited, _)))
                && !self.alive.load(Ordering::Relaxed)
                && std::time::Instant::now() < deadline
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
                continue;
            }
            // Any answer, even a refusal, says the server is up.
            if !matches!(
                res,
                Err((
                    TmuxError::NoServer
                        | TmuxError::ServerExited
                        | TmuxError::Missing
                        | TmuxError::Unsafe(_),
                    _
                ))
            ) {
                self.alive.store(true, Ordering::Relaxed);
            }
            return res;
        }
    }

    fn exec_once(
        &self,
        argv: &[String],
        input: Option<&[u8]>,
    ) -> Result<String, (TmuxError, String)> {
        let none = |e: TmuxError| (e, String::new());
        self.trace(argv);
        // Once the server has answered, one that no longer listens died
        // under this command: the real client would start a fresh, empty
        // server for `new-session` and crew would carry on as if nothing
        // had happened.
        let vanished = || {
            self.alive.load(Ordering::Relaxed)
                && std::os::unix::net::UnixStream::connect(&self.socket_path).is_err()
        };
        if !self.client_process {
            match wire::run(&self.socket_path, argv, &self.client_env(), input).map_err(none)? {
                wire::Outcome::Done(r) => {
                    let stdout = String::from_utf8_lossy(&r.stdout).into_owned();
                    return if r.code == 0 {
                        Ok(stdout)
                    } else {
                        let err = String::from_utf8_lossy(&r.stderr);
                        Err((TmuxError::classify_code(&err, r.code), stdout))
                    };
                }
                wire::Outcome::NoListener if self.alive.load(Ordering::Relaxed) => {
                    return Err(none(TmuxError::ServerExited));
                }
                _ => {}
            }
        } else if vanished() {
            return Err(none(TmuxError::ServerExited));
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
        let mut child = cmd.spawn().map_err(|e| {
            none(match e.kind() {
                std::io::ErrorKind::NotFound => TmuxError::Missing,
                _ => TmuxError::Other(format!("could not start tmux: {e}")),
            })
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
            .map_err(|e| none(TmuxError::Other(format!("could not run tmux: {e}"))))?;
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        if out.status.success() {
            Ok(stdout)
        } else {
            let err = String::from_utf8_lossy(&out.stderr);
            Err((TmuxError::classify_status(&err, out.status), stdout))
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

/// `paste-buffer`'s flags for bytes exactly as loaded, on a server of
/// version `v`: from 3.7 tmux escapes control characters and invalid UTF-8
/// in a paste (as `vis(3)`: a NUL arrives as `^@`) unless given `-S`, a flag
/// older releases refuse. Development builds are taken as the newest.
pub fn paste_verbatim_flags(v: &str) -> &'static [&'static str] {
    match parse_version(v) {
        Some(found) if found < (3, 7) => &[],
        _ => &["-S"],
    }
}

/// Whether `display-popup` takes a title (`-T`) on a server of version `v`:
/// from 3.3 (3.2 refuses the flag).
pub fn popup_takes_title(v: &str) -> bool {
    parse_version(v).is_none_or(|found| found >= (3, 3))
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
        assert!(paste_verbatim_flags("3.6b").is_empty());
        assert!(!popup_takes_title("3.2a") && popup_takes_title("3.3a"));
        assert_eq!(paste_verbatim_flags("3.7c"), ["-S"]);
        assert_eq!(paste_verbatim_flags("next-3.8"), ["-S"]);
    }
}
