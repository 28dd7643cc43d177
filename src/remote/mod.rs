//! The one door to other hosts: crew on another machine is run over OpenSSH
//! (`ssh -o BatchMode=yes HOST crew ARGS…`), with connection sharing so a
//! command costs one round trip. Nothing else in crew starts ssh.
//!
//! The remote side is plain crew: a command for another host is this
//! command line, forwarded (see `route`). Its stdout, stderr and exit code
//! come back as they are; `send`'s message travels on ssh's stdin.

mod base;
mod hosts;
mod route;
mod viewer;

pub use route::route;
pub use viewer::close_viewers;

use crate::config::{Config, HostConfig};
use crate::error::CrewError;
use crate::tmux::shell_quote;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Set by the calling crew for the remote one, which refuses to run when its
/// own version differs (the command lines and JSON are only known to match
/// between equal versions).
pub const PEER_VERSION_ENV: &str = "CREW_PEER_VERSION";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// ssh's own exit status for a failure of ssh itself (cannot connect, auth).
const SSH_FAILED: i32 = 255;
/// The remote shell's "command not found" / "not executable".
const NOT_FOUND: i32 = 127;
const NOT_EXECUTABLE: i32 = 126;

/// Another host, as `--host`, `NAME@HOST` or `[hosts.NAME]` names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Host {
    /// As the user wrote it: shown in the HOST column and in messages.
    pub name: String,
    /// `[USER@]HOST` for ssh.
    destination: String,
    port: Option<u16>,
    /// crew on that host: a path or a name looked up on its PATH.
    crew: String,
    ssh_options: Vec<String>,
}

/// POSIX quoting for the remote user's shell (sh, bash, zsh, ksh); a word
/// starting with `=` is quoted too, as zsh would expand it to a path.
fn quote(s: &str) -> String {
    if s.starts_with('=') {
        format!("'{}'", s.replace('\'', r"'\''"))
    } else {
        shell_quote(s)
    }
}

/// A host name or user that ssh could take for an option, or that holds
/// blanks or control characters, is refused before ssh is started.
fn plain(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\'' || c == '"')
}

impl Host {
    /// A `[hosts.NAME]` of the config, else `[USER@]HOST[:PORT]`.
    pub fn resolve(spec: &str, config: &Config) -> Result<Host, CrewError> {
        if let Some(h) = config.hosts.get(spec) {
            return Ok(Host::from_config(spec, h));
        }
        let bad = || {
            CrewError::usage(format!(
                "invalid host {spec:?}: expected [USER@]HOST[:PORT] or a host named in the config"
            ))
            .hint("name hosts under [hosts.NAME] in the config file (see `crew config`)")
        };
        let (user, rest) = match spec.rsplit_once('@') {
            Some((u, r)) => (Some(u), r),
            None => (None, spec),
        };
        let (host, port) = if let Some(inner) = rest.strip_prefix('[') {
            // [v6]:port
            let (h, after) = inner.split_once(']').ok_or_else(bad)?;
            let port = match after.strip_prefix(':') {
                Some(p) => Some(p.parse::<u16>().map_err(|_| bad())?),
                None if after.is_empty() => None,
                None => return Err(bad()),
            };
            (h, port)
        } else {
            match rest.rsplit_once(':') {
                Some((h, p)) if !h.contains(':') => (h, Some(p.parse::<u16>().map_err(|_| bad())?)),
                _ => (rest, None),
            }
        };
        if !plain(host) || user.is_some_and(|u| !plain(u)) {
            return Err(bad());
        }
        Ok(Host {
            name: spec.to_string(),
            destination: match user {
                Some(u) => format!("{u}@{host}"),
                None => host.to_string(),
            },
            port,
            crew: "crew".into(),
            ssh_options: vec![],
        })
    }

    fn from_config(name: &str, h: &HostConfig) -> Host {
        let host = h.host.clone().unwrap_or_else(|| name.to_string());
        Host {
            name: name.to_string(),
            destination: match &h.user {
                Some(u) => format!("{u}@{host}"),
                None => host,
            },
            port: h.port,
            crew: h.crew.clone().unwrap_or_else(|| "crew".into()),
            ssh_options: h.ssh_options.clone(),
        }
    }

    /// The command line the remote user's shell runs: every word quoted,
    /// `~/` kept as the remote home. `env -u CREW_HOST` so the remote crew
    /// never forwards again.
    pub fn remote_command(&self, args: &[String]) -> String {
        let crew = match self.crew.strip_prefix("~/") {
            Some(rest) => format!("\"$HOME\"/{}", quote(rest)),
            None => quote(&self.crew),
        };
        let mut line = format!("env -u CREW_HOST {PEER_VERSION_ENV}={VERSION} {crew}");
        for a in args {
            line.push(' ');
            line.push_str(&quote(a));
        }
        line
    }

    /// `ssh … HOST 'crew' ARGS…`; `tty` asks for a terminal (`ssh -t`).
    pub fn ssh_argv(&self, args: &[String], tty: bool) -> Vec<String> {
        let mut v: Vec<String> = vec!["ssh".into()];
        // ssh takes the first value given for an option: the config's own
        // options come first so they can override crew's defaults.
        v.extend(self.ssh_options.iter().cloned());
        for o in ["BatchMode=yes", "ConnectTimeout=10"] {
            v.extend(["-o".into(), o.into()]);
        }
        if let Some(dir) = control_dir() {
            v.extend([
                "-o".into(),
                "ControlMaster=auto".into(),
                "-o".into(),
                format!("ControlPath={}/%C", dir.display()),
                "-o".into(),
                "ControlPersist=60".into(),
            ]);
        }
        if let Some(p) = self.port {
            v.extend(["-p".into(), p.to_string()]);
        }
        v.push(if tty { "-t".into() } else { "-T".into() });
        v.push("--".into());
        v.push(self.destination.clone());
        v.push(self.remote_command(args));
        v
    }

    pub fn command(&self, args: &[String], tty: bool) -> Command {
        let argv = self.ssh_argv(args, tty);
        let mut c = Command::new(&argv[0]);
        c.args(&argv[1..]);
        c
    }

    /// Run crew there with this terminal's stdout and stderr; the remote
    /// exit code is ours. `stdin`: what the command needs of this stdin.
    pub fn forward(&self, args: &[String], stdin: Input, verbose: bool) -> anyhow::Result<i32> {
        use std::io::IsTerminal;
        let tty = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
        let wants_tty = stdin == Input::Terminal && tty;
        let mut cmd = self.command(args, wants_tty);
        if stdin == Input::None {
            // As `ssh -n`: a loop reading this stdin keeps its lines.
            cmd.stdin(Stdio::null());
        }
        if verbose {
            eprintln!("{}", self.trace(args, wants_tty));
        }
        // stderr passes through as it comes, and its tail is kept to tell
        // ssh's own failures from the remote crew's.
        let mut child = cmd
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| self.spawn_error(e))?;
        let pipe = child.stderr.take().expect("piped stderr");
        let tee = std::thread::spawn(move || {
            use std::io::{BufRead, Write};
            let mut tail: Vec<String> = vec![];
            for line in std::io::BufReader::new(pipe)
                .split(b'\n')
                .map_while(Result::ok)
            {
                let mut err = std::io::stderr().lock();
                let _ = err.write_all(&line);
                let _ = err.write_all(b"\n");
                tail.push(String::from_utf8_lossy(&line).into_owned());
                if tail.len() > 20 {
                    tail.remove(0);
                }
            }
            tail.join("\n")
        });
        let st = child.wait()?;
        let tail = tee.join().unwrap_or_default();
        let code = exit_code(st);
        self.explain(code, &tail)?;
        Ok(code)
    }

    /// Run crew there and collect its output; `input` goes to its stdin.
    pub fn capture(&self, args: &[String], input: Option<&[u8]>) -> anyhow::Result<Captured> {
        let mut cmd = self.command(args, false);
        cmd.stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| self.spawn_error(e))?;
        if let Some(data) = input {
            let mut stdin = child.stdin.take().expect("piped stdin");
            let data = data.to_vec();
            std::thread::spawn(move || {
                use std::io::Write;
                let _ = stdin.write_all(&data);
            });
        }
        let out = child.wait_with_output()?;
        let code = exit_code(out.status);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        self.explain(code, &stderr)?;
        Ok(Captured {
            code,
            stdout: out.stdout,
            stderr,
        })
    }

    fn trace(&self, args: &[String], tty: bool) -> String {
        self.ssh_argv(args, tty)
            .iter()
            .map(|a| shell_quote(a))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn spawn_error(&self, e: std::io::Error) -> anyhow::Error {
        if e.kind() == std::io::ErrorKind::NotFound {
            CrewError::failure("ssh not found in PATH")
                .hint("install OpenSSH's client (Debian/Ubuntu: `sudo apt install openssh-client`)")
                .into()
        } else {
            anyhow::anyhow!("could not start ssh for {}: {e}", self.name)
        }
    }

    /// Turn ssh's and the remote shell's failures into crew's messages.
    /// `stderr`: what ssh and the remote side printed (its last lines).
    fn explain(&self, code: i32, stderr: &str) -> Result<(), CrewError> {
        let host = &self.name;
        let said = |what: &str| stderr.contains(what);
        // crew's own statuses can be 126/127/255 only when `wait --until
        // exited` passes an agent's through; then nothing like this is said.
        let missing = code == NOT_FOUND && (said("not found") || said("No such file"));
        if missing || (code == NOT_EXECUTABLE && said("ermission denied")) {
            let what = if missing {
                "is not installed there (or not on the PATH ssh gives it)"
            } else {
                "is there but cannot be run"
            };
            return Err(CrewError::failure(format!(
                "crew {what}: {host} has no usable `{}`",
                self.crew
            ))
            .hint(format!(
                "install crew {VERSION} on {host} (`cargo install --path .` from crew's source there, or copy the binary)"
            ))
            .hint(format!(
                "or give its path in the config: [hosts.{host}] crew = \"/path/to/crew\""
            )));
        }
        const SSH_SAYS: [&str; 8] = [
            "ssh: ",
            "Permission denied (",
            "Host key verification failed",
            "Connection closed",
            "Connection reset",
            "Connection timed out",
            "kex_exchange_identification",
            "banner exchange",
        ];
        if code == SSH_FAILED && SSH_SAYS.iter().any(|s| said(s)) {
            let reason = stderr
                .lines()
                .rev()
                .find(|l| SSH_SAYS.iter().any(|s| l.contains(s)))
                .map(|l| format!(": {}", l.trim()))
                .unwrap_or_default();
            return Err(
                CrewError::failure(format!("could not reach {host} over ssh{reason}")).hint(
                    format!(
                        "check that `ssh -o BatchMode=yes {}` logs in without a password prompt",
                        self.destination
                    ),
                ),
            );
        }
        Ok(())
    }
}

/// What a forwarded command takes from this process's stdin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// Nothing: ssh gets /dev/null.
    None,
    /// The data (`send`'s message): passed through ssh, byte-exact.
    Data,
    /// The terminal itself (`show` attaches there): `ssh -t` when there is one.
    Terminal,
}

pub struct Captured {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

fn exit_code(st: std::process::ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    st.code().unwrap_or_else(|| 128 + st.signal().unwrap_or(0))
}

/// Where the shared ssh connections live: a private directory, so another
/// user cannot plant a socket there. None: no sharing.
fn control_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("XDG_RUNTIME_DIR").filter(|v| !v.is_empty()) {
        Some(d) => PathBuf::from(d).join("crew-ssh"),
        None => PathBuf::from(format!(
            "/tmp/crew-ssh-{}",
            rustix::process::getuid().as_raw()
        )),
    };
    if !dir.is_dir() {
        std::fs::create_dir_all(&dir).ok()?;
        rustix::fs::chmod(&dir, rustix::fs::Mode::from_raw_mode(0o700)).ok()?;
    }
    let meta = rustix::fs::stat(&dir).ok()?;
    let mine = meta.st_uid == rustix::process::getuid().as_raw();
    (mine && meta.st_mode & 0o077 == 0).then_some(dir)
}

/// The remote side: refuse to run for a caller of another version. Called
/// first thing; removes the variable so agents never inherit it.
pub fn check_peer() -> Result<(), CrewError> {
    let Some(peer) = std::env::var_os(PEER_VERSION_ENV) else {
        return Ok(());
    };
    std::env::remove_var(PEER_VERSION_ENV);
    let peer = peer.to_string_lossy();
    if peer == VERSION {
        return Ok(());
    }
    let here = rustix::system::uname()
        .nodename()
        .to_string_lossy()
        .into_owned();
    Err(CrewError::failure(format!(
        "crew on {here} is version {VERSION}, the calling crew is {peer}: both ends must be the same version"
    ))
    .hint(format!("install crew {peer} on {here} (or the same version on both)")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_specs() {
        let c = Config::default();
        let h = Host::resolve("ann@gpu1:2222", &c).unwrap();
        assert_eq!((h.destination.as_str(), h.port), ("ann@gpu1", Some(2222)));
        let h = Host::resolve("gpu1", &c).unwrap();
        assert_eq!((h.destination.as_str(), h.port), ("gpu1", None));
        let h = Host::resolve("[::1]:22", &c).unwrap();
        assert_eq!((h.destination.as_str(), h.port), ("::1", Some(22)));
        for bad in [
            "",
            "-oProxyCommand=x",
            "a b",
            "x:port",
            "@h",
            "u@",
            "h\n",
            "[::1",
        ] {
            assert!(Host::resolve(bad, &c).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn config_hosts_and_quoting() {
        let c = Config::from_toml(
            "[hosts.box]\nhost = \"10.0.0.9\"\nuser = \"me\"\nport = 2200\ncrew = \"~/bin/my crew\"\nssh_options = [\"-o\", \"BatchMode=no\"]\n",
            None,
        )
        .unwrap();
        let h = Host::resolve("box", &c).unwrap();
        let argv = h.ssh_argv(
            &["send".into(), "a".into(), "$(rm -rf ~); `x` 'q'".into()],
            false,
        );
        assert_eq!(quote("=ls"), "'=ls'");
        // The config's options come before crew's defaults (ssh takes the first).
        assert_eq!(&argv[1..3], ["-o", "BatchMode=no"]);
        let dest = argv.iter().position(|a| a == "me@10.0.0.9").unwrap();
        assert_eq!(argv[dest - 1], "--");
        assert!(argv.windows(2).any(|w| w == ["-p", "2200"]));
        let line = &argv[dest + 1];
        assert_eq!(
            line,
            &format!(
                "env -u CREW_HOST {PEER_VERSION_ENV}={VERSION} \"$HOME\"/'bin/my crew' send a '$(rm -rf ~); `x` '\\''q'\\'''"
            )
        );
    }
}
