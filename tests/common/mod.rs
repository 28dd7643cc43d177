//! A private tmux server per test: its own socket name under its own
//! TMUX_TMPDIR, killed (by that socket only) when the test ends, pass or fail.

#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

mod need;
#[allow(unused_imports)]
pub use need::*;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

pub struct Server {
    pub name: String,
    pub dir: tempfile::TempDir,
    /// A config file the server starts with (`-f`), if any.
    pub conf: Option<PathBuf>,
}

pub fn crew_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_crew"))
}

/// A fixture program from `examples/` (cargo builds them for `cargo test`).
pub fn example(name: &str) -> PathBuf {
    let p = crew_bin().parent().unwrap().join("examples").join(name);
    assert!(
        p.exists(),
        "{} missing: run `cargo build --examples`",
        p.display()
    );
    p
}

/// The tmux under test, chosen by `CREW_TEST_TMUX`: a release of
/// `../shared/tmux` (`3.7c`; its `build` script builds it once per machine),
/// a `bin/` folder, or a tmux binary; unset or `system`, the tmux on PATH.
/// Its folder goes first on this process's PATH, once, before any test
/// starts a process, so crew, the tests' own tmux calls and in-process
/// clients all run the same tmux. Returns what `tmux -V` says.
pub fn tmux_under_test() -> &'static str {
    static V: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    V.get_or_init(|| {
        let want = std::env::var("CREW_TEST_TMUX").unwrap_or_default();
        if !want.is_empty() && want != "system" {
            let bin = resolve_tmux(&want);
            let path = std::env::var_os("PATH").unwrap_or_default();
            let mut dirs = vec![bin];
            dirs.extend(std::env::split_paths(&path));
            // Safe here: set once, before this process reads PATH for any
            // child (the OnceLock holds every other test until it is done).
            std::env::set_var("PATH", std::env::join_paths(dirs).unwrap());
        }
        let o = Command::new("tmux").arg("-V").output().expect("tmux -V");
        let v = String::from_utf8_lossy(&o.stdout).trim().to_string();
        if !want.is_empty() && want != "system" && !want.contains('/') {
            assert!(
                v.ends_with(&want),
                "CREW_TEST_TMUX={want} but `tmux -V` says {v}"
            );
        }
        v
    })
}

fn resolve_tmux(want: &str) -> PathBuf {
    let p = Path::new(want);
    if want.contains('/') {
        return match p.is_dir() {
            true => p.to_path_buf(),
            false => p.parent().unwrap().to_path_buf(),
        };
    }
    let build = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tmux/build");
    assert!(
        build.exists(),
        "CREW_TEST_TMUX={want}: {} is missing (it builds the tmux releases)",
        build.display()
    );
    let o = Command::new(&build).arg(want).output().unwrap();
    assert!(
        o.status.success(),
        "{} {want} failed: {}",
        build.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    PathBuf::from(String::from_utf8_lossy(&o.stdout).trim())
}

impl Server {
    pub fn new() -> Server {
        tmux_under_test();
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let name = format!("crew-test-{}-{n}", std::process::id());
        let dir = tempfile::Builder::new()
            .prefix("crew-test")
            .tempdir()
            .unwrap();
        std::fs::create_dir_all(dir.path().join("config")).unwrap();
        Server {
            name,
            dir,
            conf: None,
        }
    }

    /// A server whose panes are terminals for other servers' clients (no
    /// client of its own). tmux 3.2 gives a detached session's window the
    /// size of the client that made it (80x23 for one without a terminal)
    /// whatever `-x`/`-y` said: there its windows keep the size asked
    /// (`window-size manual`, which later releases do not need, and which
    /// crashes `new-session` on 3.3a to 3.6b).
    pub fn terminals() -> Server {
        let mut s = Server::new();
        if tmux_under_test().starts_with("tmux 3.2") {
            let conf = s.dir.path().join("terminals.conf");
            std::fs::write(&conf, "set -g window-size manual\n").unwrap();
            s.conf = Some(conf);
        }
        s
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn socket_path(&self) -> PathBuf {
        let uid = rustix::process::getuid().as_raw();
        self.dir.path().join(format!("tmux-{uid}")).join(&self.name)
    }

    fn env(&self, c: &mut Command) {
        c.env("TMUX_TMPDIR", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_STATE_HOME", self.dir.path().join("state"))
            .env_remove("CREW_CONFIG")
            .env_remove("TMUX")
            .env_remove("TMUX_PANE")
            .env_remove("NO_COLOR")
            .env("SHELL", "/bin/sh");
    }

    /// A `crew -L <ours> ARGS` command, outside tmux.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(crew_bin());
        self.env(&mut c);
        c.arg("-L").arg(&self.name).args(args).stdin(Stdio::null());
        c
    }

    pub fn crew(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    /// crew as run from inside `pane` of our server (the pane is the leader).
    pub fn crew_in(&self, pane: &str, args: &[&str]) -> Output {
        let mut c = Command::new(crew_bin());
        self.env(&mut c);
        let tmux_env = format!("{},1,0", self.socket_path().display());
        c.env("TMUX", tmux_env)
            .env("TMUX_PANE", pane)
            .args(args)
            .stdin(Stdio::null());
        c.output().unwrap()
    }

    /// crew succeeding, its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let o = self.crew(args);
        assert!(
            o.status.success(),
            "crew {args:?} failed ({:?}): {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    }

    pub fn tmux_cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new("tmux");
        self.env(&mut c);
        if let Some(conf) = &self.conf {
            c.arg("-f").arg(conf);
        }
        c.arg("-L").arg(&self.name).args(args).stdin(Stdio::null());
        c
    }

    pub fn tmux(&self, args: &[&str]) -> String {
        let o = self.tmux_cmd(args).output().unwrap();
        assert!(
            o.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    }

    pub fn ls(&self) -> Vec<Value> {
        serde_json::from_str(&self.ok(&["ls", "--json"])).unwrap()
    }

    pub fn agent(&self, name: &str) -> Option<Value> {
        self.ls().into_iter().find(|a| a["name"] == name)
    }

    /// The status `crew ls` gives an agent that must exist.
    pub fn status(&self, name: &str) -> String {
        self.agent(name)
            .unwrap_or_else(|| panic!("no agent {name}"))["status"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// The pane id of an agent that must exist.
    pub fn pane_of(&self, name: &str) -> String {
        let a = self
            .agent(name)
            .unwrap_or_else(|| panic!("no agent {name}"));
        a["pane_id"].as_str().unwrap().to_string()
    }

    /// Every pane on the server: (pane id, window id, session name, @crew-name).
    pub fn panes(&self) -> Vec<(String, String, String, String)> {
        self.tmux(&[
            "list-panes",
            "-a",
            "-F",
            "#{pane_id}\t#{window_id}\t#{session_name}\t#{@crew-name}",
        ])
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0].into(), f[1].into(), f[2].into(), f[3].into())
        })
        .collect()
    }

    /// A user's own session with one untagged pane running a shell; returns
    /// the pane id.
    pub fn user_session(&self, name: &str, w: u32, h: u32) -> String {
        self.session_running(name, w, h, &["sh"])
    }

    /// A session of `w`×`h` whose one pane runs `argv` (a terminal for the
    /// program under test); returns the pane id.
    pub fn session_running(&self, name: &str, w: u32, h: u32, argv: &[&str]) -> String {
        let (w_, h_) = (w.to_string(), h.to_string());
        let mut args = vec![
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            &w_,
            "-y",
            &h_,
            "-P",
            "-F",
            "#{pane_id}",
        ];
        args.extend_from_slice(argv);
        let pane = self.tmux(&args).trim().to_string();
        self.keep_size(name, w, h);
        pane
    }

    /// Agents `tough`, whose process ignores the hang-up and TERM (a tool
    /// that outlives its tmux server), and `meek`, which does not.
    pub fn spawn_tough_and_meek(&self) {
        self.ok(&[
            "spawn",
            "tough",
            "--",
            "sh",
            "-c",
            "trap '' HUP TERM; exec sleep 600",
        ]);
        self.ok(&["spawn", "meek", "--", "sleep 600"]);
    }

    /// An executable shell script `name` in the test's folder.
    pub fn script(&self, name: &str, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = self.path().join(name);
        std::fs::write(&path, body).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    /// tmux 3.2 gives a detached session's window 80x23 (the size of the
    /// client that made it, which has no terminal), whatever `-x`/`-y`
    /// said; later releases keep `-x`/`-y`. An attached client would size
    /// it in real use; here `resize-window` does, on 3.2 only.
    pub fn keep_size(&self, target: &str, w: u32, h: u32) {
        if tmux_under_test().starts_with("tmux 3.2") {
            self.tmux(&[
                "resize-window",
                "-t",
                target,
                "-x",
                &w.to_string(),
                "-y",
                &h.to_string(),
            ]);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Only ever our own socket.
        let _ = self
            .tmux_cmd(&["kill-server"])
            .stderr(Stdio::null())
            .status();
    }
}

impl Server {
    /// Raw pane facts, for failure messages.
    pub fn dump(&self) -> String {
        self.tmux_cmd(&[
            "list-panes", "-a", "-F",
            "#{pane_id} #{window_id} #{session_name} dead=#{pane_dead} st=#{pane_dead_status} sig=#{pane_dead_signal} pid=#{pane_pid} cmd=#{pane_current_command} #{@crew-name}",
        ])
        .output()
        .map(|o| stdout(&o))
        .unwrap_or_default()
    }

    /// Poll `f` until true; on timeout fail with every pane's facts.
    pub fn eventually(&self, what: &str, secs: u64, mut f: impl FnMut() -> bool) {
        let end = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < end {
            if f() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("timed out waiting for: {what}\n{}", self.dump());
    }
}

/// Poll `f` until it returns true or the deadline passes.
pub fn eventually(what: &str, secs: u64, mut f: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < end {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for: {what}");
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The pid crew names in "its process from before still runs (pid N: …)".
pub fn old_pid(stderr: &str) -> i32 {
    stderr
        .split("(pid ")
        .nth(1)
        .and_then(|r| r.split(':').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no old process named in: {stderr}"))
}

/// SIGKILL a process this test started, by its pid.
pub fn kill_pid(pid: i32) {
    let _ = rustix::process::kill_process(
        rustix::process::Pid::from_raw(pid).unwrap(),
        rustix::process::Signal::KILL,
    );
}

/// git as the tests run it, and as crew runs it under test: no system or
/// global config of whoever runs the tests, a fixed identity, no pager.
pub fn git_env(c: &mut Command) -> &mut Command {
    c.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env_remove("GIT_PAGER")
        .env_remove("PAGER")
}

/// `git -C DIR ARGS…` that must succeed; its stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let o = git_env(Command::new("git").arg("-C").arg(dir).args(args))
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    stdout(&o)
}
