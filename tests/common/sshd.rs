//! A real OpenSSH server of the test's own: on 127.0.0.1 and a free port,
//! run as the current user with keys made here, `AuthorizedKeysFile` in its
//! temp dir; never ~/.ssh nor the system's sshd. The "remote" crew is this
//! build's binary, on the PATH sshd gives sessions (`SetEnv`), and its tmux
//! server is a private one (the TMUX_TMPDIR given, the `-L` crew is run
//! with). Self-contained: the benchmark uses it too.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn crew_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_crew"))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

pub struct Sshd {
    pub dir: tempfile::TempDir,
    pub port: u16,
    child: std::process::Child,
}

fn keygen(path: &Path) {
    let st = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(path)
        .stdin(Stdio::null())
        .status()
        .expect("ssh-keygen (openssh-client) must be installed: .ci/run installs it");
    assert!(st.success());
}

/// Whether OpenSSH's client, keygen and server are all here (tests take
/// this to `need`, which skips or, under CI=true, fails without them).
pub fn openssh_present() -> bool {
    let on_path = |bin: &str| {
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .any(|d| d.join(bin).is_file())
    };
    on_path("ssh")
        && on_path("ssh-keygen")
        && ["/usr/sbin/sshd", "/usr/local/sbin/sshd"]
            .iter()
            .any(|p| Path::new(p).exists())
}

pub fn sshd_bin() -> PathBuf {
    for p in ["/usr/sbin/sshd", "/usr/local/sbin/sshd"] {
        if Path::new(p).exists() {
            return p.into();
        }
    }
    panic!("sshd not found: install openssh-server (.ci/run does)");
}

impl Sshd {
    /// An sshd whose sessions see `tmpdir` as TMUX_TMPDIR and a PATH
    /// holding `crew` (unless `with_crew` is false).
    pub fn start(tmpdir: &Path, with_crew: bool) -> Sshd {
        // Short: ControlPath sockets live under it too.
        let dir = tempfile::Builder::new()
            .prefix("crsh")
            .tempdir_in("/tmp")
            .unwrap();
        let d = dir.path();
        keygen(&d.join("host_key"));
        keygen(&d.join("user_key"));
        std::fs::copy(d.join("user_key.pub"), d.join("authorized_keys")).unwrap();
        let bin = d.join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        if with_crew {
            std::os::unix::fs::symlink(crew_bin(), bin.join("crew")).unwrap();
        }
        // The tmux under test, first on the sessions' PATH as on ours.
        super::tmux_under_test();
        if let Some(tmux) = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .map(|d| d.join("tmux"))
            .find(|p| p.is_file())
        {
            std::os::unix::fs::symlink(tmux, bin.join("tmux")).unwrap();
        }
        if rustix::process::geteuid().is_root() {
            // sshd run by root wants its privilege-separation directory.
            let _ = std::fs::create_dir_all("/run/sshd");
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let config = format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host_key\nPidFile {d}/sshd.pid\n\
             AuthorizedKeysFile {d}/authorized_keys\nStrictModes no\nUsePAM no\n\
             PasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin yes\n\
             SetEnv PATH={b}:/usr/local/bin:/usr/bin:/bin TMUX_TMPDIR={t} XDG_CONFIG_HOME={t}/config XDG_STATE_HOME={t}/state SHELL=/bin/sh\n\
             LogLevel ERROR\n",
            d = d.display(),
            b = bin.display(),
            t = tmpdir.display(),
        );
        std::fs::write(d.join("sshd_config"), config).unwrap();
        let child = Command::new(sshd_bin())
            .arg("-D")
            .arg("-e")
            .arg("-f")
            .arg(d.join("sshd_config"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(d.join("sshd.log")).unwrap())
            .spawn()
            .unwrap();
        let s = Sshd { child, dir, port };
        // Ready when a plain ssh gets in (no connection sharing here).
        let end = Instant::now() + Duration::from_secs(20);
        loop {
            let mut c = Command::new("ssh");
            c.args(s.ssh_options())
                .args([
                    "-o",
                    "BatchMode=yes",
                    "-p",
                    &port.to_string(),
                    "127.0.0.1",
                    "true",
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            if c.status().unwrap().success() {
                break;
            }
            assert!(
                Instant::now() < end,
                "sshd did not come up: {}",
                std::fs::read_to_string(s.dir.path().join("sshd.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        s
    }

    /// Client options that keep ssh away from ~/.ssh.
    pub fn ssh_options(&self) -> Vec<String> {
        let d = self.dir.path().display();
        vec![
            "-F".into(),
            "/dev/null".into(),
            "-i".into(),
            format!("{d}/user_key"),
            "-o".into(),
            "IdentitiesOnly=yes".into(),
            "-o".into(),
            format!("UserKnownHostsFile={d}/known_hosts"),
            "-o".into(),
            "StrictHostKeyChecking=accept-new".into(),
        ]
    }

    /// A `[hosts.NAME]` table for this sshd.
    pub fn host_table(&self, name: &str, crew: Option<&str>) -> String {
        let opts: Vec<String> = self
            .ssh_options()
            .iter()
            .map(|o| format!("{o:?}"))
            .collect();
        let mut t = format!(
            "[hosts.{name}]\nhost = \"127.0.0.1\"\nport = {}\nssh_options = [{}]\n",
            self.port,
            opts.join(", ")
        );
        if let Some(c) = crew {
            t.push_str(&format!("crew = {c:?}\n"));
        }
        t
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        // Our sshd only, by its pid.
        if let Some(pid) = rustix::process::Pid::from_raw(self.child.id() as i32) {
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        }
        let _ = self.child.wait();
    }
}

/// The local side: a config naming the hosts, and a private directory for
/// ssh's shared connections (XDG_RUNTIME_DIR), whose masters are told to
/// exit at the end.
pub struct Local {
    pub dir: tempfile::TempDir,
}

impl Local {
    pub fn new(config: &str) -> Local {
        let dir = tempfile::Builder::new()
            .prefix("crlo")
            .tempdir_in("/tmp")
            .unwrap();
        std::fs::write(dir.path().join("config.toml"), config).unwrap();
        std::fs::create_dir_all(dir.path().join("run")).unwrap();
        rustix::fs::chmod(
            dir.path().join("run"),
            rustix::fs::Mode::from_raw_mode(0o700),
        )
        .unwrap();
        Local { dir }
    }

    /// crew run here with the config and `-L sock` (which the remote crew
    /// uses).
    pub fn crew(&self, sock: &str, args: &[&str]) -> Command {
        let mut c = Command::new(crew_bin());
        c.env("XDG_RUNTIME_DIR", self.dir.path().join("run"))
            .env("CREW_CONFIG", self.dir.path().join("config.toml"))
            .env("XDG_CONFIG_HOME", self.dir.path())
            .env("XDG_STATE_HOME", self.dir.path().join("state"))
            .env("TMUX_TMPDIR", self.dir.path())
            .env_remove("CREW_HOST")
            .env_remove("TMUX")
            .env_remove("TMUX_PANE")
            .env_remove("NO_COLOR")
            .arg("-L")
            .arg(sock)
            .args(args)
            .stdin(Stdio::null());
        c
    }

    pub fn run(&self, sock: &str, args: &[&str]) -> Output {
        self.crew(sock, args).output().unwrap()
    }

    pub fn ok(&self, sock: &str, args: &[&str]) -> String {
        let o = self.run(sock, args);
        assert!(
            o.status.success(),
            "crew {args:?} failed ({:?}): {}{}",
            o.status.code(),
            text(&o.stdout),
            text(&o.stderr)
        );
        text(&o.stdout)
    }
}

impl Drop for Local {
    fn drop(&mut self) {
        // This machine's tmux servers made by the test: by their sockets.
        let uid = rustix::process::getuid().as_raw();
        let socks = self.dir.path().join(format!("tmux-{uid}"));
        for e in std::fs::read_dir(&socks).into_iter().flatten().flatten() {
            if e.file_type().is_ok_and(|t| !t.is_file() && !t.is_dir()) {
                let _ = Command::new("tmux")
                    .arg("-S")
                    .arg(e.path())
                    .arg("kill-server")
                    .stdin(Stdio::null())
                    .stderr(Stdio::null())
                    .status();
            }
        }
        let dir = self.dir.path().join("run").join("crew-ssh");
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let _ = Command::new("ssh")
                .args(["-F", "/dev/null", "-o"])
                .arg(format!("ControlPath={}", e.path().display()))
                .args(["-O", "exit", "crew-test-host"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}
