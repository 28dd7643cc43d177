//! Outside text is data: directory names, hand-set tags and hostile values
//! never run as shell code or expand as tmux formats, and never reach the
//! terminal raw. Plus the reliability holes a hostile review found.

mod common;
use common::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// A directory name that runs `touch NAME` in $TMUX_TMPDIR if tmux ever
/// expands it as a format (no '/' allowed in a directory name).
fn trap(name: &str) -> String {
    format!("#(cd $TMUX_TMPDIR&&touch {name})")
}

/// No trap file appeared, even after tmux's job for it would have run.
fn no_trap_fired(s: &Server) {
    std::thread::sleep(Duration::from_millis(500));
    let fired: Vec<_> = std::fs::read_dir(s.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("pwned"))
        .collect();
    assert!(fired.is_empty(), "a trap ran: {fired:?}");
}

/// An agent that writes its working directory to `out` and stays up.
fn pwd_agent(out: &Path) -> Vec<String> {
    vec![
        "sh".into(),
        "-c".into(),
        "pwd > \"$0\"; exec sleep 600".into(),
        out.display().to_string(),
    ]
}

fn read_pwd(out: &Path) -> String {
    eventually("pwd written", 10, || {
        std::fs::read_to_string(out).is_ok_and(|t| t.ends_with('\n'))
    });
    std::fs::read_to_string(out).unwrap().trim_end().to_string()
}

fn spawn_args<'a>(base: &[&'a str], argv: &'a [String]) -> Vec<&'a str> {
    let mut v = base.to_vec();
    v.push("--");
    v.extend(argv.iter().map(String::as_str));
    v
}

#[test]
fn directories_are_never_formats() {
    let s = Server::new();
    let names = [
        trap("pwned-c"),
        "C#Sharp".to_string(),
        "x##y".to_string(),
        "semi;colon #{pane_id}".to_string(),
    ];
    for (i, n) in names.iter().enumerate() {
        let dir = s.path().join("repo").join(n);
        std::fs::create_dir_all(&dir).unwrap();
        let dir = dir.canonicalize().unwrap();
        // With -c …
        let out = s.path().join(format!("pwd-c-{i}"));
        let argv = pwd_agent(&out);
        let name = format!("c{i}");
        s.ok(&spawn_args(
            &["spawn", &name, "-c", dir.to_str().unwrap()],
            &argv,
        ));
        assert_eq!(read_pwd(&out), dir.display().to_string(), "{n}");
        // … and from inside the directory, without -c.
        let out = s.path().join(format!("pwd-here-{i}"));
        let argv = pwd_agent(&out);
        let name = format!("h{i}");
        let o = s
            .cmd(&spawn_args(&["spawn", &name], &argv))
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(read_pwd(&out), dir.display().to_string(), "{n}");
    }
    no_trap_fired(&s);
}

#[test]
fn restarts_and_saved_files_keep_directories_literal() {
    let s = Server::new();
    let dir = s.path().join(trap("pwned-r"));
    std::fs::create_dir_all(&dir).unwrap();
    let dir = dir.canonicalize().unwrap();
    let out = s.path().join("pwd-restart");
    // Writes its directory, then exits 1 the first time only.
    let script = vec![
        "sh".to_string(),
        "-c".to_string(),
        "pwd >> \"$0\"; [ -e \"$0.again\" ] && exec sleep 600; touch \"$0.again\"; exit 1"
            .to_string(),
        out.display().to_string(),
    ];
    s.ok(&spawn_args(
        &[
            "spawn",
            "r",
            "--restart",
            "on-failure",
            "-c",
            dir.to_str().unwrap(),
        ],
        &script,
    ));
    s.eventually("r exited", 10, || {
        s.agent("r").is_some_and(|a| a["status"] == "exited")
    });
    s.ok(&["recover"]);
    eventually("restarted in its directory", 10, || {
        std::fs::read_to_string(&out).is_ok_and(|t| t.lines().count() == 2)
    });
    let text = std::fs::read_to_string(&out).unwrap();
    for l in text.lines() {
        assert_eq!(l, dir.display().to_string());
    }

    // The same directory through a saved `ls --json` after a server restart.
    let saved = s.path().join("saved.json");
    std::fs::write(&saved, s.ok(&["ls", "--json"])).unwrap();
    s.tmux(&["kill-server"]);
    std::fs::remove_file(&out).unwrap();
    std::fs::remove_file(out.with_extension("again")).ok();
    let again = PathBuf::from(format!("{}.again", out.display()));
    std::fs::write(&again, "").unwrap();
    let o = s.crew(&["recover", "--from", saved.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read_pwd(&out), dir.display().to_string());
    no_trap_fired(&s);
}

/// A pane that is not crew's, tagged by hand with a hostile name.
fn stranger(s: &Server, session: &str, name: &str) -> String {
    let pane = s.user_session(session, 80, 24);
    s.tmux(&["set", "-p", "-t", &pane, "@crew-name", name]);
    pane
}

#[test]
fn hand_set_names_are_listed_never_run() {
    let s = Server::new();
    s.ok(&["spawn", "good", "--", "sleep 600"]);
    let hostile = [
        "x;touch $TMUX_TMPDIR/pwned-semi;#".to_string(),
        trap("pwned-name"),
        "esc\x1b]52;c;cHduZWQ=\x07\x1b[2J\rforged".to_string(),
    ];
    let mut panes = vec![];
    for (i, n) in hostile.iter().enumerate() {
        panes.push(stranger(&s, &format!("mine{i}"), n));
    }
    // A stranger also sits in a parking window of crew's, as if parked.
    let parked = s.pane_of("good");
    let parked_window = s.tmux(&["display", "-p", "-t", &parked, "#{window_id}"]);
    s.tmux(&[
        "set",
        "-p",
        "-t",
        &parked,
        "@crew-name",
        &format!("{};x", trap("pwned-park")),
    ]);

    for _ in 0..2 {
        let o = s.crew(&["recover"]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(!stdout(&o).contains('\x1b'), "{:?}", stdout(&o));
    }
    for args in [&["ls"][..], &["ls", "-q"], &["ls", "--json"]] {
        let o = s.crew(args);
        assert!(o.status.success());
        let out = stdout(&o);
        assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out:?}");
        assert!(!out.contains('\r'), "{out:?}");
    }
    let table = s.ok(&["ls"]);
    // Shown escaped: by crew, or already by tmux 3.4 and 3.5, which give option
    // values in formats with control characters as octal escapes.
    assert!(
        table.contains("esc\\e]52") || table.contains("esc\\033]52"),
        "{table}"
    );
    // Damaged agents are never picked by --all: not killed, not moved.
    let o = s.crew(&["kill", "--all", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("damaged"), "{}", stderr(&o));
    assert!(!stderr(&o).contains('\x1b'));
    let left: Vec<String> = s.panes().into_iter().map(|p| p.0).collect();
    for p in &panes {
        assert!(left.contains(p), "stranger {p} was removed");
    }
    assert!(left.contains(&parked));
    let name = s.tmux(&[
        "display",
        "-p",
        "-t",
        parked_window.trim(),
        "#{window_name}",
    ]);
    assert_eq!(name.trim(), "good", "the parking window was not renamed");
    no_trap_fired(&s);
}

#[test]
fn duplicate_names_are_all_killed() {
    let s = Server::new();
    s.ok(&["spawn", "a", "--", "sleep 600"]);
    s.ok(&["spawn", "b", "--", "sleep 600"]);
    let pb = s.pane_of("b");
    s.tmux(&["set", "-p", "-t", &pb, "@crew-name", "a"]);
    let out = s.ok(&["kill", "--all", "--force"]);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(s.ls().is_empty(), "{:?}", s.ls());
}

#[test]
fn durations_are_checked_and_closed_pipes_are_quiet() {
    let s = Server::new();
    s.ok(&["spawn", "a", "--", "sleep 600"]);
    for bad in [
        &["wait", "a", "--timeout", "inf"][..],
        &["wait", "a", "--timeout", "1e20"],
        &["wait", "a", "--timeout", "nan"],
        &["wait", "a", "--timeout", "-1"],
        &["send", "a", "--wait-idle=1e20", "--", "x"],
        &["send", "a", "--wait-idle=NaN", "--", "x"],
        &["kill", "a", "--grace", "inf"],
    ] {
        let o = s.crew(bad);
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    }
    assert_eq!(
        s.agent("a").unwrap()["status"],
        "working",
        "kill did nothing"
    );

    // stdout closed before crew writes: the work is done, exit 0, no panic.
    for args in [&["spawn", "p", "--", "sleep 600"][..], &["hook"], &["ls"]] {
        let mut c = s.cmd(args);
        let (rd, wr) = std::io::pipe().unwrap();
        drop(rd);
        c.stdout(wr);
        let o = c.stderr(Stdio::piped()).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    }
    assert!(s.agent("p").is_some());
}

#[test]
fn commands_right_after_kill_server() {
    let s = Server::new();
    let saved = s.path().join("saved.json");
    s.ok(&["spawn", "a", "--", "sleep 600"]);
    std::fs::write(&saved, s.ok(&["ls", "--json"])).unwrap();
    for i in 0..50 {
        s.tmux(&["kill-server"]);
        let o = if i % 2 == 0 {
            s.crew(&["spawn", "a", "--", "sleep 600"])
        } else {
            s.crew(&["recover", "--from", saved.to_str().unwrap()])
        };
        assert!(o.status.success(), "round {i}: {}", stderr(&o));
        assert_eq!(s.ls().len(), 1, "round {i}");
    }
}

#[test]
fn saved_file_with_bad_entries_restores_the_good_ones() {
    let s = Server::new();
    let tmp = s.path().display().to_string();
    let entries = serde_json::json!([
        {"name": "ok1", "argv": ["sleep", "600"], "shell": false, "cwd": tmp},
        {"name": "nocmd", "argv": [], "command": "", "cwd": tmp},
        {"name": "nocwd", "command": "sleep 600", "cwd": ""},
        {"name": "relcwd", "command": "sleep 600", "cwd": "some/dir"},
        {"name": "gonecwd", "command": "sleep 600", "cwd": "/nonexistent/crew"},
        {"name": "badenv", "command": "sleep 600", "cwd": tmp, "env": ["=x"]},
        {"name": "badenv2", "command": "sleep 600", "cwd": tmp, "env": ["NOEQ"]},
        {"name": "badenv3", "command": "sleep 600", "cwd": tmp, "env": ["1A=2"]},
        {"name": "badpolicy", "command": "sleep 600", "cwd": tmp, "restart": "sometimes"},
        {"name": "badprofile", "command": "sleep 600", "cwd": tmp, "profile": "nosuch"},
        {"name": "bad name", "command": "sleep 600", "cwd": tmp},
        {"name": "ok2", "command": "sleep 600", "cwd": tmp, "restart": "always",
         "restarts": 4294967295u32, "env": ["K=v"]},
        {"name": "ok1", "command": "sleep 600", "cwd": tmp},
    ]);
    let file = s.path().join("saved.json");
    std::fs::write(&file, entries.to_string()).unwrap();
    let o = s.crew(&["recover", "--from", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    for n in [
        "nocmd",
        "nocwd",
        "relcwd",
        "gonecwd",
        "badenv",
        "badenv2",
        "badenv3",
        "badpolicy",
        "badprofile",
        "bad name",
    ] {
        assert!(err.contains(&format!("skipped \"{n}\"")), "{n}: {err}");
    }
    assert!(err.contains("appears twice"), "{err}");
    let names: Vec<String> = s
        .ls()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, vec!["ok1", "ok2"]);
    assert_eq!(s.agent("ok2").unwrap()["restarts"], 4294967295u32);
}

#[test]
fn lock_file_that_is_a_fifo_or_held() {
    let s = Server::new();
    s.ok(&["spawn", "a", "--", "sleep 600"]);
    let lock = PathBuf::from(format!("{}.crew-lock", s.socket_path().display()));
    std::fs::remove_file(&lock).unwrap();
    rustix::fs::mknodat(
        rustix::fs::CWD,
        &lock,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
        0,
    )
    .unwrap();
    let start = Instant::now();
    let o = s.crew(&["spawn", "b", "--", "sleep 600"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a regular file") || stderr(&o).contains("lock file"));
    assert!(start.elapsed() < Duration::from_secs(10), "did not hang");
    std::fs::remove_file(&lock).unwrap();

    // Held by someone else: crew says who after a second, gives up at the bound.
    let f = std::fs::File::create(&lock).unwrap();
    f.lock().unwrap();
    let o = s
        .cmd(&["spawn", "b", "--", "sleep 600"])
        .env("CREW_LOCK_WAIT", "2")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let me = format!("pid {}", std::process::id());
    assert!(
        stderr(&o).contains("waiting for the lock"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains(&me), "{}", stderr(&o));
    assert!(stderr(&o).contains("gave up"), "{}", stderr(&o));
    assert!(s.agent("b").is_none());
    drop(f);
    s.ok(&["spawn", "b", "--", "sleep 600"]);
}

/// Kill crew itself (never a shell around it) at many points of a 1 MB send:
/// the echoer gets the whole message or nothing.
#[test]
fn killed_send_delivers_all_or_nothing() {
    let s = Server::new();
    let msg: Vec<u8> = (0..1_000_000u32)
        .map(|i| b"abcdefghijklmnopqrstuvwxyz0123456789 "[i as usize % 37])
        .collect();
    let mut whole = 0;
    let mut none = 0;
    for round in 0..24 {
        let name = format!("e{round}");
        let log = s.path().join(format!("{name}.log"));
        std::fs::write(&log, b"").unwrap();
        s.ok(&[
            "spawn",
            &name,
            "--",
            example("echoer").to_str().unwrap(),
            log.to_str().unwrap(),
        ]);
        s.eventually("echoer ready", 10, || {
            s.ok(&["read", &name]).contains("echoer ready")
        });
        let mut child = s
            .cmd(&["send", &name, "--no-enter", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let data = msg.clone();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&data);
        });
        // Spread the kill over the whole send: reading stdin, loading, pasting.
        std::thread::sleep(Duration::from_millis(2 + (round * 3) % 40));
        let _ = rustix::process::kill_process(
            rustix::process::Pid::from_child(&child),
            rustix::process::Signal::KILL,
        );
        let _ = child.wait();
        let _ = writer.join();
        // Let whatever tmux was going to paste arrive.
        std::thread::sleep(Duration::from_millis(700));
        let got = std::fs::read(&log).unwrap();
        if got.is_empty() {
            none += 1;
            continue;
        }
        eventually("the paste completes", 20, || {
            std::fs::read(&log).unwrap().len() >= msg.len()
        });
        std::thread::sleep(Duration::from_millis(200));
        let got = std::fs::read(&log).unwrap();
        let body = got
            .strip_prefix(b"\x1b[200~".as_slice())
            .and_then(|b| b.strip_suffix(b"\x1b[201~".as_slice()))
            .unwrap_or(&got);
        assert!(
            body == msg.as_slice(),
            "round {round}: a partial message arrived ({} of {} bytes)",
            body.len(),
            msg.len()
        );
        whole += 1;
    }
    println!("killed sends: {whole} arrived whole, {none} not at all");
}

/// `read --new` once the history is at its limit (tmux drops the oldest
/// lines in steps) and the newest lines repeat: every new line, once.
#[test]
fn read_new_across_a_full_history() {
    let s = Server::new();
    s.ok(&["spawn", "first", "--", "sleep 600"]); // the server exists
    s.tmux(&["set", "-g", "history-limit", "200"]);
    let go = s.path().join("go");
    let script = format!(
        "i=0; while [ $i -lt 250 ]; do echo \"first $i\"; i=$((i+1)); done; \
         i=0; while [ $i -lt 30 ]; do echo tick; i=$((i+1)); done; \
         while [ ! -e {go} ]; do sleep 0.05; done; \
         i=0; while [ $i -lt 50 ]; do echo \"second $i\"; i=$((i+1)); done; \
         i=0; while [ $i -lt 100 ]; do echo tick; i=$((i+1)); done; exec sleep 600",
        go = go.display()
    );
    s.ok(&["spawn", "log", "--", "sh", "-c", &script]);
    s.eventually("first batch", 10, || {
        s.ok(&["read", "log", "-n", "31"]).starts_with("first 249")
    });
    // Marked on a run of identical lines.
    let first = s.ok(&["read", "log", "--new"]);
    assert!(
        first.ends_with(&format!("first 249\n{}", "tick\n".repeat(30))),
        "{first}"
    );
    std::fs::write(&go, "").unwrap();
    s.eventually("second batch", 10, || {
        s.ok(&["read", "log", "-n", "1"]).trim() == "tick"
            && s.ok(&["read", "log", "-n", "101"]).starts_with("second 49")
    });
    let new = s.ok(&["read", "log", "--new"]);
    let mut want: Vec<String> = (0..50).map(|i| format!("second {i}")).collect();
    want.extend((0..100).map(|_| "tick".to_string()));
    let got: Vec<&str> = new.lines().collect();
    assert_eq!(got.len(), want.len(), "{new}");
    assert_eq!(got, want);
    assert_eq!(s.ok(&["read", "log", "--new"]), "", "nothing new");
}
