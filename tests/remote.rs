//! Other hosts over a real OpenSSH server (tests/common/sshd.rs): the
//! commands on a host, `NAME@HOST`, `ls --hosts` with a host down, the
//! missing-crew and other-version errors, and a remote agent's viewer pane.

mod common;
#[path = "common/sshd.rs"]
mod sshd;

use common::*;
use serde_json::Value;
use sshd::*;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";

/// The echoer's log (the "remote" host is this machine, so it is a file
/// here), read as `tests/send.rs` does.
struct Log {
    path: PathBuf,
    seen: usize,
}

impl Log {
    fn take(&mut self, n: usize) -> Vec<u8> {
        eventually(&format!("{n} bytes in the echoer's log"), 30, || {
            std::fs::read(&self.path).unwrap().len() >= self.seen + n
        });
        std::thread::sleep(Duration::from_millis(100));
        let all = std::fs::read(&self.path).unwrap();
        let new = all[self.seen..].to_vec();
        self.seen = all.len();
        new
    }

    /// The message as typed (literal keys or one bracketed paste) and Enter.
    fn expect(&mut self, msg: &[u8]) {
        let pasted = msg.len() + PASTE_START.len() + PASTE_END.len() + 1;
        let mut got = self.take(msg.len() + 1);
        if got.starts_with(PASTE_START) && got.len() < pasted {
            got.extend(self.take(pasted - got.len()));
        }
        let body = if got.starts_with(PASTE_START) {
            assert!(got.ends_with(b"\x1b[201~\r"), "paste closed, then Enter");
            got[PASTE_START.len()..got.len() - PASTE_END.len() - 1].to_vec()
        } else {
            assert_eq!(got.last(), Some(&b'\r'), "submitted with Enter");
            got[..got.len() - 1].to_vec()
        };
        assert!(
            body == msg,
            "message differs: sent {} bytes, got {} ({:?}…)",
            msg.len(),
            body.len(),
            String::from_utf8_lossy(&body[..body.len().min(80)])
        );
    }
}

fn spawn_echoer(local: &Local, r: &Server, addr: &str) -> Log {
    let name = addr.split('@').next().unwrap();
    let path = r.path().join(format!("{name}.log"));
    std::fs::write(&path, b"").unwrap();
    let out = local.ok(
        &r.name,
        &[
            "spawn",
            addr,
            "--",
            example("echoer").to_str().unwrap(),
            path.to_str().unwrap(),
        ],
    );
    assert!(out.contains(name), "{out}");
    r.eventually("echoer ready", 20, || {
        r.ok(&["read", name]).contains("echoer ready")
    });
    Log { path, seen: 0 }
}

fn rows(json: &str) -> Vec<Value> {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

#[test]
fn commands_on_another_host() {
    if !need("OpenSSH (ssh, ssh-keygen, sshd)", openssh_present()) {
        return;
    }
    let r = Server::new();
    let sshd = Sshd::start(r.path(), true);
    let local = Local::new(&sshd.host_table("box", None));

    // spawn with --host; the agent is on the remote server.
    let mut log = spawn_echoer(&local, &r, "e@box");
    assert!(r.agent("e").is_some(), "{}", r.dump());

    // ls over ssh is the remote ls.
    let got = rows(&local.ok(&r.name, &["--host", "box", "ls", "--json"]));
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["name"], "e");
    assert_eq!(got[0]["pane_id"], r.agent("e").unwrap()["pane_id"]);
    // CREW_HOST does the same.
    let o = local
        .crew(&r.name, &["ls", "-q"])
        .env("CREW_HOST", "box")
        .output()
        .unwrap();
    assert_eq!(stdout(&o), "e\n", "{}", stderr(&o));

    // A command that reads no stdin leaves it alone (as `ssh -n`).
    let proto = local.crew(&r.name, &["--host", "box", "ls", "-q"]);
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg("printf 'kept\\n' | { \"$@\" >/dev/null; cat; }")
        .arg("sh")
        .arg(proto.get_program())
        .args(proto.get_args());
    for (k, v) in proto.get_envs() {
        match v {
            Some(v) => c.env(k, v),
            None => c.env_remove(k),
        };
    }
    assert_eq!(stdout(&c.output().unwrap()), "kept\n");

    // send: every word quoted for the remote shell, byte-exact.
    let marker = r.path().join("ran");
    let cases = [
        format!("$(touch {})", marker.display()),
        format!("`touch {}`; touch {} #", marker.display(), marker.display()),
        "'single' \"double\" \\back ~ * ?".into(),
        "=ls".into(),
        "-leading dash".into(),
        "#{pane_id} ##".into(),
        "tab\there emoji 🦀 漢字".into(),
        "Enter".into(),
    ];
    for msg in &cases {
        local.ok(&r.name, &["send", "e@box", "--", msg]);
        log.expect(msg.as_bytes());
    }
    local.ok(&r.name, &["--host", "box", "send", "e", "several", "words"]);
    log.expect(b"several words");
    assert!(!marker.exists(), "nothing ran in a shell on the host");

    // 1 MB on ssh's stdin.
    let mut msg = Vec::with_capacity(1 << 20);
    let mut i = 0u64;
    while msg.len() < (1 << 20) {
        msg.extend(format!("{i:08} ;#{{}}$(x) 'q' \"d\" \t漢\n").as_bytes());
        i += 1;
    }
    msg.truncate(1 << 20);
    let mut child = local
        .crew(&r.name, &["send", "e@box", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let data = msg.clone();
    let w = std::thread::spawn(move || stdin.write_all(&data).unwrap());
    let out = child.wait_with_output().unwrap();
    w.join().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    log.expect(&msg);

    // read and read --new (its mark is a tag on the remote pane).
    local.ok(&r.name, &["send", "e@box", "first line"]);
    log.expect(b"first line");
    r.eventually("first line on screen", 10, || {
        r.ok(&["read", "e"]).contains("first line")
    });
    let screen = local.ok(&r.name, &["read", "e@box"]);
    assert_eq!(
        screen,
        r.ok(&["read", "e"]),
        "the remote read is the host's screen"
    );
    assert!(screen.contains("first line"), "{screen}");
    local.ok(&r.name, &["read", "e@box", "--new"]);
    local.ok(&r.name, &["send", "e@box", "later"]);
    log.expect(b"later");
    r.eventually("later on screen", 10, || {
        r.ok(&["read", "e"]).contains("later")
    });
    let new = local.ok(&r.name, &["read", "--new", "e@box"]);
    assert!(
        new.contains("later") && !new.contains("first line"),
        "{new}"
    );

    // wait, and the agent's own errors with their exit codes.
    // An agent with no command runs the host's $SHELL, idle at its prompt.
    local.ok(&r.name, &["spawn", "sh@box"]);
    local.ok(
        &r.name,
        &["wait", "sh@box", "--until", "idle", "--timeout", "20"],
    );
    let o = local.run(&r.name, &["send", "nope@box", "hi"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("no agent named nope"), "{}", stderr(&o));
    let o = local.run(&r.name, &["read", "e@"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = local.run(&r.name, &["--host", "box", "read", "bad.name"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = local.run(
        &r.name,
        &[
            "--host",
            "box",
            "wait",
            "e",
            "--until",
            "exited",
            "--timeout",
            "0.5",
        ],
    );
    assert_eq!(o.status.code(), Some(124), "{}", stderr(&o));

    // wait --until exited passes the agent's status through ssh.
    local.ok(
        &r.name,
        &["spawn", "x@box", "--", "sh", "-c", "sleep 1; exit 7"],
    );
    let o = local.run(
        &r.name,
        &["wait", "x@box", "--until", "exited", "--timeout", "20"],
    );
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    // ssh's own failure status, passed through from an agent, is no
    // failure of ssh.
    local.ok(
        &r.name,
        &["spawn", "y@box", "--", "sh", "-c", "sleep 1; exit 255"],
    );
    let o = local.run(
        &r.name,
        &["wait", "y@box", "--until", "exited", "--timeout", "20"],
    );
    assert_eq!(o.status.code(), Some(255), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");

    // kill over ssh, with an agent of this machine in the same command.
    local.ok(&r.name, &["spawn", "here", "--", "sh"]);
    let mine = || rows(&local.ok(&r.name, &["ls", "--json"]));
    assert_eq!(mine().len(), 1);
    let out = local.ok(
        &r.name,
        &["kill", "e@box", "x@box", "here", "y@box", "sh@box"],
    );
    assert!(
        out.contains("killed e") && out.contains("removed x"),
        "{out}"
    );
    assert!(out.contains("killed here"), "{out}");
    assert!(r.ls().is_empty(), "{}", r.dump());
    assert!(mine().is_empty());
}

#[test]
fn ls_merges_hosts_with_one_down() {
    if !need("OpenSSH (ssh, ssh-keygen, sshd)", openssh_present()) {
        return;
    }
    let a = Server::new();
    // The second host's server: same socket name (crew passes one -L to
    // every host), its own TMUX_TMPDIR.
    let b = Server {
        name: a.name.clone(),
        dir: tempfile::Builder::new()
            .prefix("crew-test")
            .tempdir()
            .unwrap(),
        conf: None,
    };
    std::fs::create_dir_all(b.path().join("config")).unwrap();
    let sa = Sshd::start(a.path(), true);
    let sb = Sshd::start(b.path(), true);
    // A host that does not answer: a port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let down_port = closed.local_addr().unwrap().port();
    drop(closed);
    let config = format!(
        "{}{}[hosts.down]\nhost = \"127.0.0.1\"\nport = {down_port}\nssh_options = [\"-F\", \"/dev/null\"]\n",
        sa.host_table("a", None),
        sb.host_table("b", None)
    );
    let local = Local::new(&config);
    local.ok(&a.name, &["spawn", "x@a"]);
    local.ok(&a.name, &["spawn", "y@b"]);
    assert!(a.agent("x").is_some() && a.agent("y").is_none());
    assert!(b.agent("y").is_some() && b.agent("x").is_none());

    let o = local.run(&a.name, &["ls", "--hosts", "a,b,down", "--json"]);
    assert_eq!(o.status.code(), Some(1), "a host down is exit 1 at the end");
    let got = rows(&stdout(&o));
    let pairs: Vec<(String, String)> = got
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_string(),
                r["host"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(pairs, [("x".into(), "a".into()), ("y".into(), "b".into())]);
    assert_eq!(got[0]["pane_id"], a.agent("x").unwrap()["pane_id"]);
    let err = stderr(&o);
    assert!(
        err.contains("down") && err.contains("could not reach"),
        "{err}"
    );

    // The table has a HOST column; -q prints NAME@HOST; --all-hosts asks
    // every configured host.
    let o = local.run(&a.name, &["ls", "--all-hosts"]);
    assert_eq!(o.status.code(), Some(1));
    let table = stdout(&o);
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].starts_with("HOST") && lines[0].contains("NAME"),
        "{table}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("a ") && l.contains(" x ")),
        "{table}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("b ") && l.contains(" y ")),
        "{table}"
    );
    let o = local.run(&a.name, &["ls", "-q", "--hosts", "b,a"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "y@b\nx@a\n");

    // Names on several hosts: one ssh per host, in parallel.
    local.ok(
        &a.name,
        &["wait", "x@a", "y@b", "--until", "idle", "--timeout", "20"],
    );
    // A host glob: every configured host; the one down fails the command
    // (exit 1) but the others still act.
    let o = local.run(&a.name, &["kill", "--force", "*@*"]);
    assert_eq!(o.status.code(), Some(1), "host down: {}", stderr(&o));
    assert!(
        stderr(&o).contains("could not reach down"),
        "{}",
        stderr(&o)
    );
    let out = stdout(&o);
    assert!(
        out.contains("killed x") && out.contains("killed y"),
        "{out}"
    );
    assert!(a.ls().is_empty() && b.ls().is_empty());
}

#[test]
fn missing_or_other_crew_on_the_host() {
    if !need("OpenSSH (ssh, ssh-keygen, sshd)", openssh_present()) {
        return;
    }
    let r = Server::new();
    let sshd = Sshd::start(r.path(), false);
    // A wrapper that claims another caller version: the remote crew must
    // refuse it.
    let wrapper = sshd.dir.path().join("old-crew");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nCREW_PEER_VERSION=0.0.1-other exec {} \"$@\"\n",
            crew_bin().display()
        ),
    )
    .unwrap();
    rustix::fs::chmod(&wrapper, rustix::fs::Mode::from_raw_mode(0o755)).unwrap();
    let config = format!(
        "{}{}{}",
        sshd.host_table("bare", None),
        sshd.host_table("nowhere", Some("/nonexistent/crew")),
        sshd.host_table("pinned", Some(crew_bin().to_str().unwrap())),
    ) + &sshd
        .host_table("old", Some(wrapper.to_str().unwrap()))
        .to_string();
    let local = Local::new(&config);

    for host in ["bare", "nowhere"] {
        let o = local.run(&r.name, &["--host", host, "ls"]);
        assert_eq!(o.status.code(), Some(1), "{host}");
        let err = stderr(&o);
        assert!(err.contains("crew is not installed there"), "{host}: {err}");
        assert!(err.contains("hint: install crew"), "{host}: {err}");
        assert!(
            err.contains(&format!("[hosts.{host}] crew =")),
            "{host}: {err}"
        );
    }
    // ls --hosts reports it per host, like a host that is down.
    let o = local.run(&r.name, &["ls", "--hosts", "bare,pinned"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("bare: crew is not installed"),
        "{}",
        stderr(&o)
    );

    // A configured path works where PATH has no crew.
    local.ok(
        &r.name,
        &["spawn", "p@pinned", "--", "sh", "-c", "sleep 300"],
    );
    assert!(r.agent("p").is_some());

    let o = local.run(&r.name, &["--host", "old", "ls"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("the calling crew is 0.0.1-other") && err.contains("same version"),
        "{err}"
    );
}

#[test]
fn showing_a_remote_agent_opens_a_viewer_that_park_closes() {
    if !need("OpenSSH (ssh, ssh-keygen, sshd)", openssh_present()) {
        return;
    }
    let r = Server::new();
    let sshd = Sshd::start(r.path(), true);
    let local = Local::new(&sshd.host_table("box", None));
    spawn_echoer(&local, &r, "e@box");

    // The person's own tmux, with a pane that leads the view.
    let me = Server::new();
    let leader = me.user_session("work", 200, 50);
    let inside = |args: &[&str]| {
        let mut c = local.crew(&r.name, args);
        c.env("TMUX", format!("{},1,0", me.socket_path().display()))
            .env("TMUX_PANE", &leader);
        c.output().unwrap()
    };
    let viewers = || -> Vec<(String, String)> {
        me.tmux(&["list-panes", "-a", "-F", "#{pane_id}\t#{@crew-viewer}"])
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .filter(|(_, t)| !t.is_empty())
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect()
    };

    let o = inside(&["show", "e@box"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = viewers();
    assert_eq!(v.len(), 1, "{}", me.dump());
    assert_eq!(v[0].1, "e@box");
    let pane = v[0].0.clone();
    // Beside the leader, in its window; the leader keeps the focus.
    let win = |p: &str| me.tmux(&["display", "-p", "-t", p, "#{window_id}"]);
    assert_eq!(win(&pane), win(&leader));
    assert_eq!(
        me.tmux(&["display", "-p", "-t", &leader, "#{pane_active}"])
            .trim(),
        "1"
    );
    // It is attached to the agent's screen on the host.
    me.eventually("the agent's screen in the viewer", 20, || {
        me.tmux(&["capture-pane", "-p", "-t", &pane])
            .contains("echoer ready")
    });
    // The agent stayed on its host, parked.
    assert_eq!(r.agent("e").unwrap()["where"], "parked");
    // Showing it again is a no-op.
    assert!(inside(&["show", "e@box"]).status.success());
    assert_eq!(viewers().len(), 1);
    // Showing another agent of that host replaces the viewer (one remote
    // session, one current window).
    local.ok(&r.name, &["spawn", "f@box"]);
    assert!(inside(&["show", "f@box"]).status.success());
    let v = viewers();
    assert_eq!(v.len(), 1, "{}", me.dump());
    assert_eq!(v[0].1, "f@box");
    assert!(inside(&["show", "e@box"]).status.success());
    assert_eq!(viewers()[0].1, "e@box");
    me.eventually("e's screen in the new viewer", 20, || {
        let p = viewers()[0].0.clone();
        me.tmux(&["capture-pane", "-p", "-t", &p])
            .contains("echoer ready")
    });

    let o = inside(&["park", "e@box"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("closed the viewer of e@box"),
        "{}",
        stdout(&o)
    );
    assert!(viewers().is_empty(), "{}", me.dump());

    // `park` with no names closes the viewers in this window too.
    assert!(inside(&["show", "e@box"]).status.success());
    assert_eq!(viewers().len(), 1);
    let mut c = Command::new(crew_bin());
    c.env("TMUX", format!("{},1,0", me.socket_path().display()))
        .env("TMUX_PANE", &leader)
        .env("TMUX_TMPDIR", me.path())
        .env("XDG_CONFIG_HOME", me.path().join("config"))
        .env("XDG_STATE_HOME", me.path().join("state"))
        .arg("park")
        .stdin(Stdio::null());
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(viewers().is_empty(), "{}", me.dump());

    // Outside tmux, in a terminal: this terminal attaches over ssh -t.
    let crew = crew_bin();
    let cfg = local.dir.path().join("config.toml");
    let run = local.dir.path().join("run");
    let term = me.session_running(
        "term",
        120,
        40,
        &[
            "env",
            "-u",
            "TMUX",
            "-u",
            "TMUX_PANE",
            &format!("CREW_CONFIG={}", cfg.display()),
            &format!("XDG_RUNTIME_DIR={}", run.display()),
            crew.to_str().unwrap(),
            "-L",
            &r.name,
            "show",
            "e@box",
        ],
    );
    me.eventually("the agent's screen in a plain terminal", 20, || {
        me.tmux(&["capture-pane", "-p", "-t", &term])
            .contains("echoer ready")
    });

    // No such agent there: nothing opens.
    let o = inside(&["show", "nope@box"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(viewers().is_empty());
}

#[test]
fn ls_hosts_escapes_what_other_hosts_say() {
    if !need("OpenSSH (ssh, ssh-keygen, sshd)", openssh_present()) {
        return;
    }
    let a = Server::new();
    let sa = Sshd::start(a.path(), true);
    // Two "hosts" whose crew is a stranger: one answers rows with escapes
    // in every field, the other fails with escapes in its message.
    let dir = tempfile::tempdir().unwrap();
    let rows_crew = dir.path().join("rows-crew");
    let fail_crew = dir.path().join("fail-crew");
    let esc = r"\u001b]52;c;cHduZWQ=\u0007\u001b[2J";
    std::fs::write(
        &rows_crew,
        format!(
            "#!/bin/sh\nprintf '%s' '[{{\"name\":\"n{esc}\",\"status\":\"idle{esc}\",\"where\":\"parked{esc}\",\"pane_id\":\"%1{esc}\",\"pid\":\"9{esc}\",\"command\":\"c{esc}\",\"created\":0}}]'\n"
        ),
    )
    .unwrap();
    std::fs::write(
        &fail_crew,
        "#!/bin/sh\nprintf 'crew: boom \\033]52;c;cHduZWQ=\\007\\033[2J\\n' >&2; exit 1\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    for f in [&rows_crew, &fail_crew] {
        std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let config = format!(
        "{}{}",
        sa.host_table("rows", Some(rows_crew.to_str().unwrap())),
        sa.host_table("fail", Some(fail_crew.to_str().unwrap()))
    );
    let local = Local::new(&config);
    for args in [
        &["ls", "--hosts", "rows,fail"][..],
        &["ls", "-q", "--hosts", "rows,fail"],
    ] {
        let o = local.run(&a.name, args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let (out, err) = (stdout(&o), stderr(&o));
        assert!(
            out.contains("n\\e]52") || out.contains("n\\u{1b}]52"),
            "{out:?}"
        );
        for text in [&out, &err] {
            assert!(
                !text.contains('\x1b') && !text.contains('\x07'),
                "{args:?}: raw escapes: {text:?}"
            );
        }
        assert!(err.contains("boom"), "{err}");
    }
}
