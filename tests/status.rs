//! Status end to end: the fake agent (Claude-Code-like screens on command)
//! and plain shells, `wait`, `send --wait-idle`, the submission check, and
//! the config file.

mod common;
use common::*;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

struct Fake {
    control: PathBuf,
    log: PathBuf,
}

impl Fake {
    fn start(s: &Server, name: &str) -> Fake {
        let control = s.path().join(format!("{name}.ctl"));
        let log = s.path().join(format!("{name}.log"));
        std::fs::write(&control, "idle").unwrap();
        s.ok(&[
            "spawn",
            name,
            "--profile",
            "claude",
            "--",
            example("fake_agent").to_str().unwrap(),
            control.to_str().unwrap(),
            log.to_str().unwrap(),
        ]);
        let f = Fake { control, log };
        s.eventually("fake agent idle", 10, || {
            s.agent(name).unwrap()["status"] == "idle"
        });
        f
    }

    fn set(&self, state: &str) {
        std::fs::write(&self.control, state).unwrap();
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

#[test]
fn ls_tells_every_state_apart() {
    let s = Server::new();
    let f = Fake::start(&s, "fa");
    for st in ["working", "permission", "question", "idle", "working"] {
        f.set(st);
        s.eventually(&format!("status {st}"), 10, || s.status("fa") == st);
    }
    let table = s.ok(&["--color", "always", "ls"]);
    assert!(
        table.contains("working") && table.contains('\x1b'),
        "{table}"
    );
    f.set("exit 3");
    s.eventually("exited", 10, || s.status("fa") == "exited");
    assert_eq!(s.agent("fa").unwrap()["exit_status"], 3);
}

#[test]
fn shell_idle_at_prompt_working_while_a_command_runs() {
    let s = Server::new();
    s.ok(&["spawn", "sh1", "--", "sh"]);
    s.eventually("idle", 10, || s.status("sh1") == "idle");
    s.ok(&["send", "sh1", "sleep 3"]);
    s.eventually("working", 10, || s.status("sh1") == "working");
    s.eventually("idle again", 10, || s.status("sh1") == "idle");
}

#[test]
fn wait_until_idle_attention_exited_and_timeout() {
    let s = Server::new();
    let f = Fake::start(&s, "fw");
    f.set("working");
    s.eventually("working", 10, || s.status("fw") == "working");

    let o = s.crew(&["wait", "fw", "--timeout", "1"]);
    assert_eq!(o.status.code(), Some(124));
    assert!(stderr(&o).contains("fw is working"), "{}", stderr(&o));

    let mut waiter = s
        .cmd(&["wait", "fw", "--until", "idle", "--timeout", "30"])
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    assert!(
        waiter.try_wait().unwrap().is_none(),
        "still waiting while working"
    );
    f.set("idle");
    let st = waiter.wait().unwrap();
    assert!(st.success());
    assert_eq!(s.status("fw"), "idle");

    let waiter = s
        .cmd(&["wait", "fw", "--until", "attention", "--timeout", "30"])
        .spawn()
        .unwrap();
    f.set("permission");
    assert!(waiter.wait_with_output().unwrap().status.success());

    let waiter = s
        .cmd(&["wait", "fw", "--until", "exited", "--timeout", "30"])
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    f.set("exit 5");
    let o = waiter.wait_with_output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(5),
        "the agent's status passes through"
    );
}

#[test]
fn send_wait_idle_types_only_after_idle() {
    let s = Server::new();
    let f = Fake::start(&s, "fs");
    f.set("working");
    s.eventually("working", 10, || s.status("fs") == "working");
    let o = s.crew(&["send", "fs", "--wait-idle=1", "too early"]);
    assert_eq!(o.status.code(), Some(124));
    assert!(stderr(&o).contains("nothing was sent"));

    let sender = s
        .cmd(&["send", "fs", "--wait-idle=30", "hello after idle"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(f.log(), "", "nothing typed while working");
    f.set("idle");
    let o = sender.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    s.eventually("logged", 10, || f.log().contains("hello after idle"));
    assert_eq!(f.log(), "idle\thello after idle\n");
    assert!(!f.log().contains("too early"));
}

#[test]
fn multi_line_send_is_submitted_to_the_tui() {
    let s = Server::new();
    let f = Fake::start(&s, "fm");
    s.ok(&["send", "fm", "first line\nsecond; line"]);
    s.eventually("logged", 10, || f.log().contains("second; line"));
    assert_eq!(f.log(), "idle\tfirst line\nsecond; line\n");
}

#[test]
fn text_left_in_the_input_box_is_reported() {
    let s = Server::new();
    let f = Fake::start(&s, "fk");
    f.set("stuck");
    std::thread::sleep(Duration::from_millis(200));
    let o = s.crew(&["send", "fk", "this stays in the box"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("typed but not submitted to fk"),
        "{}",
        stderr(&o)
    );
    assert!(s.ok(&["read", "fk"]).contains("this stays in the box"));
    assert_eq!(f.log(), "");
}

#[test]
fn pane_border_carries_status() {
    let s = Server::new();
    let leader = s.user_session("work", 200, 50);
    let f = Fake::start(&s, "fb");
    let o = s.crew_in(&leader, &["show", "fb"]);
    assert!(o.status.success());
    f.set("permission");
    let pane = s.pane_of("fb");
    s.eventually("border says permission", 10, || {
        s.ok(&["ls"]);
        s.tmux(&["display", "-p", "-t", &pane, "#{@crew-status}"])
            .trim()
            == "permission"
    });
}

#[test]
fn config_errors_and_custom_profiles() {
    let s = Server::new();
    let cfg = s.path().join("crew.toml");
    std::fs::write(&cfg, "session = \"crew\"\n[profiles.x\nidle = []\n").unwrap();
    let o = s.crew(&["--config", cfg.to_str().unwrap(), "ls"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!("{}:2:", cfg.display())),
        "{}",
        stderr(&o)
    );

    std::fs::write(
        &cfg,
        "session = \"crew\"\n\n[profiles.claude]\nsubmit_dealy_ms = 5\n",
    )
    .unwrap();
    let o = s.crew(&["--config", cfg.to_str().unwrap(), "ls"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("submit_dealy_ms") && e.contains(":4:"), "{e}");

    std::fs::write(&cfg, "this is not toml at all").unwrap();
    let o = s.crew(&["--config", cfg.to_str().unwrap(), "ls"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains(":1:"), "{}", stderr(&o));

    // A custom profile, from CREW_CONFIG, used by spawn --profile.
    std::fs::write(
        &cfg,
        "default_profile = \"mine\"\n[profiles.mine]\nextends = \"shell\"\ncommand = [\"sh\", \"-c\", \"echo custom-profile-ran; exec sleep 600\"]\n",
    )
    .unwrap();
    let run = |args: &[&str]| s.cmd(args).env("CREW_CONFIG", &cfg).output().unwrap();
    let o = run(&["spawn", "cp", "--profile", "mine"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["spawn", "dp"]);
    assert!(o.status.success(), "{}", stderr(&o));
    s.eventually("custom command ran", 10, || {
        s.ok(&["read", "cp"]).contains("custom-profile-ran")
            && s.ok(&["read", "dp"]).contains("custom-profile-ran")
    });
    let a = s.agent("cp").unwrap();
    assert_eq!(a["profile"], "mine");
    assert_eq!(
        s.agent("dp").unwrap()["profile"],
        "mine",
        "the default profile without a command"
    );
    // A command that names no profile is a plain command, whatever the default.
    let o = run(&["spawn", "mk", "--", "sleep", "600"]);
    assert!(o.status.success());
    assert_eq!(s.agent("mk").unwrap()["profile"], "shell");
    // One that names a profile gets it (a stand-in `claude` on PATH: spawn
    // checks the command exists).
    let bin = s.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(
        bin.join("claude"),
        "#!/bin/sh
exec sleep 600
",
    )
    .unwrap();
    std::fs::set_permissions(
        bin.join("claude"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let o = s
        .cmd(&["spawn", "cl", "--", "claude", "--help"])
        .env("CREW_CONFIG", &cfg)
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(s.agent("cl").unwrap()["profile"], "claude");
    let shown = stdout(&run(&["config"]));
    assert!(
        shown.contains("[profiles.mine]") && shown.contains("custom-profile-ran"),
        "{shown}"
    );
    let o = run(&["spawn", "np", "--profile", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no profile named nope"));
}

#[test]
fn quiet_time_without_a_daemon() {
    let s = Server::new();
    let cfg = s.path().join("quiet.toml");
    std::fs::write(
        &cfg,
        "[profiles.quiet]\nquiet_idle_secs = 2\nscan_lines = 3\n",
    )
    .unwrap();
    let crew = |args: &[&str]| s.cmd(args).env("CREW_CONFIG", &cfg).output().unwrap();
    let o = crew(&[
        "spawn",
        "q",
        "--profile",
        "quiet",
        "--",
        "sh",
        "-c",
        "i=0; while [ $i -lt 12 ]; do i=$((i+1)); echo tick $i; sleep 0.3; done; exec sleep 600",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let st = || {
        let rows: serde_json::Value =
            serde_json::from_slice(&crew(&["ls", "--json"]).stdout).unwrap();
        rows[0]["status"].as_str().unwrap().to_string()
    };
    // The screen keeps changing: each look sees a new hash, so working.
    s.eventually("working while it prints", 10, || st() == "working");
    let pane = s.pane_of("q");
    let tag = s.tmux(&["display", "-p", "-t", &pane, "#{@crew-screen}"]);
    assert!(
        tag.trim().contains(':'),
        "hash and time kept as a pane tag: {tag:?}"
    );
    // Quiet for longer than quiet_idle_secs: idle.
    s.eventually("idle once quiet", 20, || {
        std::thread::sleep(Duration::from_millis(300));
        st() == "idle"
    });
    assert!(s.ok(&["read", "q"]).contains("tick 12"));
}

#[test]
fn waiting_for_idle_on_an_agent_that_exits_fails_at_once() {
    let s = Server::new();
    let f = Fake::start(&s, "fx");
    f.set("working");
    s.eventually("working", 10, || s.status("fx") == "working");
    let waiter = s
        .cmd(&["wait", "fx"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    f.set("exit 2");
    let o = waiter.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("fx exited with status 2 while waiting for it to be idle"),
        "{}",
        stderr(&o)
    );
    // And a send that waits for idle sends nothing to it.
    let o = s.crew(&["send", "fx", "--wait-idle=5", "hello"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_shell_script_is_working_until_it_reaches_a_prompt() {
    let s = Server::new();
    s.ok(&[
        "spawn",
        "script",
        "--",
        "sh",
        "-c",
        "echo start; sleep 2; echo done; exec sh",
    ]);
    s.eventually("working while the script runs", 10, || {
        s.status("script") == "working"
    });
    s.eventually("idle at the prompt it ends in", 10, || {
        s.status("script") == "idle" && s.ok(&["read", "script"]).contains("done")
    });
}

/// Screens captured from the real tools by `tests/agents/run` (plain text,
/// the pane title, the foreground command): each file is named
/// `<tool>-<status>[-<what>].txt`, and the built-in profile must read that
/// status from the screen and the title, as `crew ls` does.
#[test]
fn real_captures_read_their_status() {
    use crew::profile::builtin_named;
    use crew::status::{status, PaneFacts};
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/screens/real");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut seen = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    for path in &files {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let mut words = stem.splitn(3, '-');
        let tool = words.next().unwrap();
        let want = words.next().unwrap();
        let profile = builtin_named(tool).unwrap_or_else(|| panic!("{stem}: no profile {tool}"));
        let screen = std::fs::read_to_string(path).unwrap();
        let side = |ext: &str| {
            std::fs::read_to_string(path.with_extension(ext))
                .unwrap_or_else(|_| panic!("{stem}.{ext} missing"))
                .trim_end_matches('\n')
                .to_string()
        };
        let (title, command) = (side("title"), side("cmd"));
        assert!(path.with_extension("ansi").exists(), "{stem}.ansi missing");
        let facts = PaneFacts {
            dead: false,
            dead_status: None,
            dead_signal: None,
            title: &title,
            current_command: &command,
            start_command: tool,
            // As if the screen had just changed: a state must be read from
            // the screen, never from quiet time (aider's streaming reply
            // has no indicator, and was changing when captured).
            quiet_for: Some(0),
            script_in_front: false,
            fg: None,
        };
        let got = status(&facts, Some(&screen), &profile);
        if got.as_str() != want {
            failures.push(format!("{stem}: want {want}, got {got}"));
        }
        seen.insert(format!("{tool}-{want}"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every tool has a real capture of every state it shows (Codex asks the
    // user only in Plan mode, which the harness does not enter; pi runs
    // every tool call without asking and has no ask-the-user tool: both
    // exist only as extensions).
    let tools = [
        "claude", "codex", "gemini", "opencode", "aider", "pi", "qwen", "vibe", "copilot",
    ];
    for tool in tools {
        for state in ["idle", "working", "permission", "question"] {
            if (tool == "codex" && state == "question")
                || (tool == "pi" && matches!(state, "permission" | "question"))
            {
                continue;
            }
            assert!(
                seen.contains(&format!("{tool}-{state}")),
                "no real capture of {tool} in {state}"
            );
        }
    }
}
