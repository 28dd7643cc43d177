//! Issue 11 on real tmux and real git: hook-reported status, resumed
//! conversations, worktrees, notify, status-line, teams, the mailbox and the
//! small verbs (adopt, rename, restart, multi-name spawn, ls --wide, --log).

mod common;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn crew_path() -> String {
    crew_bin().display().to_string()
}

/// Write the config file the server's crew calls read.
fn config(s: &Server, text: &str) {
    let dir = s.path().join("config").join("crew");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), text).unwrap();
}

/// A reporter agent: draws nothing, reports what its control file says.
fn reporter(s: &Server, name: &str) -> PathBuf {
    let ctl = s.path().join(format!("{name}.ctl"));
    s.ok(&[
        "spawn",
        name,
        "--",
        example("reporter").to_str().unwrap(),
        &crew_path(),
        ctl.to_str().unwrap(),
    ]);
    ctl
}

/// Make the reporter report and wait until it has.
fn report(ctl: &Path, words: &str) {
    let done = PathBuf::from(format!("{}.done", ctl.display()));
    let before = std::fs::read_to_string(&done)
        .unwrap_or_default()
        .lines()
        .count();
    std::fs::write(ctl, words).unwrap();
    eventually(&format!("report {words}"), 20, || {
        std::fs::read_to_string(&done)
            .unwrap_or_default()
            .lines()
            .count()
            > before
    });
    let last = std::fs::read_to_string(&done).unwrap();
    assert!(
        last.lines().last().unwrap().starts_with("ok"),
        "crew report failed: {last}"
    );
}

fn field(s: &Server, name: &str, key: &str) -> Value {
    s.agent(name).unwrap_or_else(|| panic!("no agent {name}"))[key].clone()
}

#[test]
fn hook_report_beats_the_screen_and_goes_stale() {
    let s = Server::new();
    config(&s, "[profiles.shell]\nreport_fresh_secs = 2\n");
    let ctl = reporter(&s, "r");
    // Nothing reported: the process sleeps, so the OS says working.
    s.eventually("working from /proc", 10, || {
        field(&s, "r", "status") == "working"
    });
    assert_eq!(field(&s, "r", "status_source"), "screen");
    // The screen never changes; only the report says idle.
    report(&ctl, "report idle");
    let a = s.agent("r").unwrap();
    assert_eq!(
        (a["status"].as_str(), a["status_source"].as_str()),
        (Some("idle"), Some("report"))
    );
    report(&ctl, "report permission");
    assert_eq!(field(&s, "r", "status"), "permission");
    // wait sees the report too.
    report(&ctl, "report idle");
    s.ok(&["wait", "r", "--timeout", "5"]);
    // Stale after report_fresh_secs: back to what the OS says.
    s.eventually("stale report ignored", 10, || {
        let a = s.agent("r").unwrap();
        a["status"] == "working" && a["status_source"] == "screen"
    });
}

#[test]
fn report_learns_a_conversation_and_refuses_outside_agents() {
    let s = Server::new();
    let ctl = reporter(&s, "r");
    // As Codex's notify passes it: JSON as the last argument.
    report(
        &ctl,
        r#"report idle {"type":"agent-turn-complete","thread-id":"th-42"}"#,
    );
    assert_eq!(field(&s, "r", "conversation_id"), "th-42");
    // A later report without an id keeps it.
    report(&ctl, "report working");
    assert_eq!(field(&s, "r", "conversation_id"), "th-42");
    // Anything in the pane can report: an id that is not id-shaped (a flag
    // a tool would obey on restart) is dropped.
    report(
        &ctl,
        r#"report idle {"session_id":"--dangerously-skip-permissions"}"#,
    );
    assert_eq!(field(&s, "r", "conversation_id"), "th-42");
    // Outside tmux: a clear error.
    let o = s.crew(&["report", "idle"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("inside an agent's pane"),
        "{}",
        stderr(&o)
    );
    let o = s.crew(&["report", "sleepy"]);
    assert_eq!(o.status.code(), Some(2));
}

/// A profile whose tool is `sh` and that takes and resumes conversation ids,
/// so the command line shows what crew added.
const RESUMER: &str = r#"
[profiles.resumer]
extends = "shell"
command = ["sh"]
session_args = ["--session-id", "{session}"]
resume_args = ["--resume", "{session}"]
"#;

fn cmdline(s: &Server, name: &str) -> Vec<String> {
    let pid = field(s, name, "pid").as_u64().unwrap();
    let raw = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap();
    raw.split(|b| *b == 0)
        .filter(|x| !x.is_empty())
        .map(|x| String::from_utf8_lossy(x).into_owned())
        .collect()
}

#[test]
fn restart_and_recover_resume_the_conversation() {
    let s = Server::new();
    config(&s, RESUMER);
    let script = "while :; do sleep 1; done";
    s.ok(&[
        "spawn",
        "c",
        "--profile",
        "resumer",
        "--",
        "sh",
        "-c",
        script,
        "x",
    ]);
    let id = field(&s, "c", "conversation_id")
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    s.eventually("started with its id", 10, || {
        cmdline(&s, "c").ends_with(&["--session-id".to_string(), id.clone()])
    });
    // The recorded command stays the user's.
    assert_eq!(field(&s, "c", "argv").as_array().unwrap().len(), 4);

    let out = s.ok(&["restart", "c"]);
    assert!(
        out.contains(&format!("resuming conversation {id}")),
        "{out}"
    );
    s.eventually("restarted with --resume", 10, || {
        cmdline(&s, "c").ends_with(&["--resume".to_string(), id.clone()])
    });
    assert_eq!(field(&s, "c", "restarts"), 1);

    // After the server is gone: recover --from resumes it.
    let saved = s.path().join("agents.json");
    std::fs::write(&saved, s.ok(&["ls", "--json"])).unwrap();
    s.tmux(&["kill-server"]);
    let out = s.ok(&["recover", "--from", saved.to_str().unwrap()]);
    assert!(
        out.contains(&format!("resuming conversation {id}")),
        "{out}"
    );
    s.eventually("re-created with --resume", 10, || {
        s.agent("c").is_some() && cmdline(&s, "c").ends_with(&["--resume".to_string(), id.clone()])
    });
    assert_eq!(field(&s, "c", "conversation_id"), id.as_str());
}

fn repo(s: &Server) -> PathBuf {
    let r = s.path().join("app");
    std::fs::create_dir_all(&r).unwrap();
    git(&r, &["init", "-q", "-b", "main"]);
    std::fs::write(r.join("README"), "hi\n").unwrap();
    std::fs::write(r.join(".gitignore"), ".env\nlocal/\n.worktreeinclude\n").unwrap();
    std::fs::write(r.join(".env"), "SECRET=1\n").unwrap();
    std::fs::create_dir_all(r.join("local")).unwrap();
    std::fs::write(r.join("local").join("notes.txt"), "mine\n").unwrap();
    std::fs::write(
        r.join(".worktreeinclude"),
        "# copied into worktrees\nlocal/*.txt\n",
    )
    .unwrap();
    git(&r, &["add", "README", ".gitignore"]);
    git(&r, &["commit", "-q", "-m", "init"]);
    r.canonicalize().unwrap()
}

#[test]
fn worktree_create_list_refuse_and_remove() {
    let s = Server::new();
    config(&s, "worktree_copy = [\".env\"]\n");
    let r = repo(&s);
    let sleep = ["--", "sh", "-c", "while :; do sleep 1; done"];
    let mut args = vec!["spawn", "wt", "-c", r.to_str().unwrap(), "--worktree"];
    args.extend(sleep);
    s.ok(&args);
    let wt = r.with_file_name("app.worktrees").join("wt");
    let a = s.agent("wt").unwrap();
    assert_eq!(a["branch"], "crew/wt");
    assert_eq!(a["worktree"], wt.to_str().unwrap());
    assert_eq!(a["cwd"], wt.to_str().unwrap());
    assert!(s.ok(&["ls"]).contains("crew/wt"), "ls shows the branch");
    assert_eq!(
        std::fs::read_to_string(wt.join(".env")).unwrap(),
        "SECRET=1\n"
    );
    assert_eq!(
        std::fs::read_to_string(wt.join("local").join("notes.txt")).unwrap(),
        "mine\n"
    );
    assert!(git(&r, &["worktree", "list"]).contains("app.worktrees/wt"));

    // Dirty: refused, and the agent still runs.
    std::fs::write(wt.join("new.txt"), "x").unwrap();
    let o = s.crew(&["kill", "wt", "--rm-worktree"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("uncommitted"), "{}", stderr(&o));
    assert!(s.agent("wt").is_some());
    // Committed but not merged: refused with the commit named.
    git(&wt, &["add", "new.txt"]);
    git(&wt, &["commit", "-q", "-m", "agent work"]);
    let o = s.crew(&["kill", "wt", "--rm-worktree"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("agent work"), "{}", stderr(&o));
    assert!(wt.exists());
    // Merged: removed with its branch.
    git(&r, &["merge", "-q", "--ff-only", "crew/wt"]);
    let out = s.ok(&["kill", "wt", "--rm-worktree", "--grace", "2"]);
    assert!(out.contains("removed worktree"), "{out}");
    assert!(!wt.exists());
    assert!(!git(&r, &["branch"]).contains("crew/wt"));

    // A given branch; --force discards work.
    let mut args = vec![
        "spawn",
        "w2",
        "-c",
        r.to_str().unwrap(),
        "--worktree=feat/x",
    ];
    args.extend(sleep);
    s.ok(&args);
    let wt2 = r.with_file_name("app.worktrees").join("w2");
    std::fs::write(wt2.join("junk"), "x").unwrap();
    s.ok(&["kill", "w2", "--rm-worktree", "--force"]);
    assert!(!wt2.exists());
    // Not a repository: refused before anything is made.
    let o = s.crew(&[
        "spawn",
        "nr",
        "-c",
        s.path().to_str().unwrap(),
        "--worktree",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(s.agent("nr").is_none());
}

#[test]
fn worktree_crew_did_not_make_is_left_alone() {
    let s = Server::new();
    let r = repo(&s);
    s.ok(&[
        "spawn",
        "plain",
        "-c",
        r.to_str().unwrap(),
        "--",
        "sh",
        "-c",
        "while :; do sleep 1; done",
    ]);
    s.ok(&["kill", "plain", "--rm-worktree", "--force"]);
    assert!(r.join("README").exists());
    assert!(git(&r, &["worktree", "list"]).lines().count() == 1);
}

#[test]
fn notify_once_per_transition_under_concurrent_ls() {
    let s = Server::new();
    let log = s.path().join("notes");
    config(
        &s,
        &format!(
            "notify = 'echo \"$CREW_AGENT $CREW_PREVIOUS>$CREW_STATUS $CREW_PANE\" >> {}'\n",
            log.display()
        ),
    );
    let ctl = reporter(&s, "n");
    let pane = s.pane_of("n");
    report(&ctl, "report working");
    s.ok(&["ls"]);
    let lines = || std::fs::read_to_string(&log).unwrap_or_default();
    let burst = || {
        let kids: Vec<_> = (0..10).map(|_| s.cmd(&["ls"]).spawn().unwrap()).collect();
        for mut k in kids {
            assert!(k.wait().unwrap().success());
        }
    };
    report(&ctl, "report idle");
    burst();
    eventually("idle announced", 10, || lines().contains("n working>idle"));
    burst();
    assert_eq!(lines().matches("working>idle").count(), 1, "{}", lines());
    assert!(lines().contains(&pane));
    report(&ctl, "report permission");
    burst();
    eventually("permission announced", 10, || {
        lines().contains("idle>permission")
    });
    burst();
    assert_eq!(lines().lines().count(), 2, "{}", lines());
}

#[test]
fn status_line_with_0_1_and_100_agents() {
    let s = Server::new();
    assert_eq!(s.ok(&["status-line"]), "\n");
    let ctl = reporter(&s, "one");
    report(&ctl, "report permission");
    assert_eq!(s.ok(&["status-line"]), "1 waiting: one\n");
    let tmux = s.ok(&["status-line", "--tmux"]);
    assert!(
        tmux.starts_with("#[fg=yellow]1 waiting: one#[default]"),
        "{tmux}"
    );
    s.ok(&["kill", "one", "--force"]);
    let names: Vec<String> = (0..100).map(|i| format!("a{i}")).collect();
    let mut args: Vec<&str> = vec!["spawn"];
    args.extend(names.iter().map(String::as_str));
    args.extend(["--", "sh", "-c", "while :; do sleep 1; done"]);
    let out = s.ok(&args);
    assert_eq!(out.lines().count(), 100);
    s.eventually("100 working", 30, || {
        s.ok(&["status-line"]) == "100 working\n"
    });
}

#[test]
fn teams_spawn_select_and_park_in_their_session() {
    let s = Server::new();
    let sleep = ["--", "sh", "-c", "while :; do sleep 1; done"];
    let mut args = vec!["spawn", "t1", "t2", "--team", "feat/auth-fix"];
    args.extend(sleep);
    s.ok(&args);
    let mut args = vec!["spawn", "solo"];
    args.extend(sleep);
    s.ok(&args);
    let a = s.agent("t1").unwrap();
    assert_eq!(a["team"], "feat/auth-fix");
    assert_eq!(a["session"], "feat-auth-fix");
    assert_eq!(a["where"], "parked");
    assert_eq!(s.agent("solo").unwrap()["session"], "crew");
    assert_eq!(s.ok(&["ls", "-q", "--team", "feat/auth-fix"]), "t1\nt2\n");
    assert!(s.ok(&["ls"]).contains("TEAM"));
    let out = s.ok(&["send", "--team", "feat/auth-fix", "--queue", "to the team"]);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert_eq!(s.ok(&["queue", "t2"]), "1\tto the team\n");
    assert_eq!(s.ok(&["queue", "solo"]), "");
    // recover leaves team agents where they are.
    assert_eq!(s.ok(&["recover"]), "nothing to recover\n");
    let o = s.crew(&["wait", "--team", "nope", "--timeout", "1"]);
    assert_eq!(o.status.code(), Some(3));
    let o = s.crew(&["spawn", "bad", "--team", "///"]);
    assert_eq!(o.status.code(), Some(2));
    let sessions = || s.tmux(&["list-sessions", "-F", "#{session_name}"]);
    assert!(sessions().contains("feat-auth-fix"), "{}", sessions());
    // Killing one of two leaves the team (and its session).
    let out = s.ok(&["kill", "t1", "--force"]);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(sessions().contains("feat-auth-fix"), "{}", sessions());
    // `kill --team` ends the team: its last agent goes, and its session
    // (nothing but the placeholder left) with it.
    let out = s.ok(&["kill", "--team", "feat/auth-fix", "--force"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with("killed t2 (%"), "{out}");
    assert_eq!(
        lines[1],
        "ended team feat/auth-fix (session feat-auth-fix removed)"
    );
    assert_eq!(s.ok(&["ls", "-q"]), "solo\n");
    assert!(!sessions().contains("feat-auth-fix"), "{}", sessions());
    // A team session the user put a window of their own in stays.
    let mut args = vec!["spawn", "u1", "--team", "kept"];
    args.extend(sleep);
    s.ok(&args);
    s.tmux(&["new-window", "-d", "-t", "=kept:", "sleep 600"]);
    let out = s.ok(&["kill", "u1", "--force"]);
    assert!(!out.contains("ended team"), "{out}");
    assert!(sessions().contains("kept"), "{}", sessions());
    // A team whose last agent was closed by hand: recover ends its session.
    let mut args = vec!["spawn", "v1", "--team", "gone"];
    args.extend(sleep);
    s.ok(&args);
    s.tmux(&["kill-pane", "-t", &s.pane_of("v1")]);
    assert!(sessions().lines().any(|l| l == "gone"), "{}", sessions());
    let plan = s.ok(&["recover", "--dry-run"]);
    assert_eq!(
        plan,
        "would remove team session gone: no agent of its team is left\n"
    );
    s.ok(&["recover"]);
    assert!(!sessions().lines().any(|l| l == "gone"), "{}", sessions());
    assert!(sessions().contains("kept"), "{}", sessions());
    assert_eq!(s.ok(&["recover"]), "nothing to recover\n");
}

#[test]
fn a_shown_team_agent_parks_back_in_its_team_session() {
    let s = Server::new();
    let leader = s.user_session("work", 200, 50);
    let sleep = ["--", "sh", "-c", "while :; do sleep 1; done"];
    let mut args = vec!["spawn", "t1", "t2", "--team", "api"];
    args.extend(sleep);
    s.ok(&args);
    let mut args = vec!["spawn", "solo"];
    args.extend(sleep);
    s.ok(&args);
    let session = |name: &str| {
        s.agent(name).unwrap()["session"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // show, then park: back to the team's session, not the main one.
    assert!(s.crew_in(&leader, &["show", "t1"]).status.success());
    assert_eq!(session("t1"), "work");
    assert!(s.crew_in(&leader, &["park", "t1"]).status.success());
    assert_eq!(session("t1"), "api");
    assert_eq!(s.agent("t1").unwrap()["where"], "parked");
    // A show that swaps agents of two teams parks each in its own.
    assert!(s.crew_in(&leader, &["show", "t2"]).status.success());
    assert!(s.crew_in(&leader, &["show", "solo"]).status.success());
    assert_eq!(session("t2"), "api");
    assert_eq!(s.agent("t2").unwrap()["where"], "parked");
    assert!(s.crew_in(&leader, &["show", "t1"]).status.success());
    assert_eq!(session("solo"), "crew");
    assert_eq!(s.agent("solo").unwrap()["where"], "parked");
}

#[test]
fn team_session_of_a_stranger_is_refused() {
    let s = Server::new();
    s.user_session("mine", 80, 24);
    let o = s.crew(&["spawn", "x", "--team", "mine", "--", "sh"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("crew did not make it"));
    assert!(s.agent("x").is_none());
}

/// `fa`, a Claude-like fake agent in `state`, logging what it is sent:
/// its control file and its log.
fn fake_agent(s: &Server, state: &str) -> (PathBuf, PathBuf) {
    let ctl = s.path().join("fa.ctl");
    let log = s.path().join("fa.log");
    std::fs::write(&ctl, state).unwrap();
    s.ok(&[
        "spawn",
        "fa",
        "--profile",
        "claude",
        "--",
        example("fake_agent").to_str().unwrap(),
        ctl.to_str().unwrap(),
        log.to_str().unwrap(),
    ]);
    s.eventually(state, 10, || field(s, "fa", "status") == state);
    (ctl, log)
}

#[test]
fn queued_messages_delivered_once_in_order_byte_exact() {
    let s = Server::new();
    let (ctl, log) = fake_agent(&s, "working");
    let msgs = [
        "first; echo $(id) `id` #{pane_id} 'q' \"d\"",
        "second 🦀 漢字 -k Enter C-c %41 &a=b",
        "third\nwith a second line",
    ];
    for m in msgs {
        let o = s.ok(&["send", "fa", "--queue", m]);
        assert!(o.starts_with("queued for fa"), "{o}");
    }
    let listed = s.ok(&["queue", "fa"]);
    assert_eq!(listed.lines().count(), 3, "{listed}");
    assert!(listed.contains("third\\nwith"), "escaped: {listed}");
    assert!(s.ok(&["ls"]).contains("QUEUED"));
    assert_eq!(field(&s, "fa", "queued"), 3);
    // Too big: refused with the limit.
    let big = "x".repeat(20_000);
    let o = s.crew(&["send", "fa", "--queue", &big]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("16384"), "{}", stderr(&o));

    std::fs::write(&ctl, "idle").unwrap();
    let got = || std::fs::read_to_string(&log).unwrap_or_default();
    let expected: String = msgs.iter().map(|m| format!("idle\t{m}\n")).collect();
    eventually("all three delivered", 60, || {
        let kids: Vec<_> = (0..10).map(|_| s.cmd(&["ls"]).spawn().unwrap()).collect();
        for mut k in kids {
            k.wait().unwrap();
        }
        got().len() >= expected.len()
    });
    // More readers find nothing left to deliver.
    for _ in 0..3 {
        s.ok(&["ls"]);
    }
    assert_eq!(got(), expected);
    assert_eq!(field(&s, "fa", "queued"), 0);
    s.ok(&["send", "fa", "--queue", "later"]);
    assert_eq!(
        s.ok(&["queue", "fa", "--clear"]),
        "dropped 1 queued message(s) for fa\n"
    );
    assert_eq!(s.ok(&["queue", "fa"]), "");
}

#[test]
fn adopt_rename_restart() {
    let s = Server::new();
    let pane = s.user_session("work", 120, 40);
    let out = s.ok(&["adopt", &pane, "mine"]);
    assert_eq!(out, format!("adopted mine ({pane})\n"));
    let a = s.agent("mine").unwrap();
    assert_eq!(a["pane_id"], pane.as_str());
    assert_eq!(a["argv"][0], "sh");
    let o = s.crew(&["adopt", &pane, "again"]);
    assert_eq!(o.status.code(), Some(1));
    let o = s.crew(&["adopt", "12", "x"]);
    assert_eq!(o.status.code(), Some(2));
    let o = s.crew(&["adopt", "%999", "x"]);
    assert_eq!(o.status.code(), Some(3));

    s.ok(&[
        "spawn",
        "other",
        "--",
        "sh",
        "-c",
        "while :; do sleep 1; done",
    ]);
    let o = s.crew(&["rename", "mine", "other"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already exists"));
    s.ok(&["rename", "other", "renamed"]);
    assert!(s.agent("other").is_none());
    let a = s.agent("renamed").unwrap();
    let win = s.tmux(&[
        "display",
        "-p",
        "-t",
        a["pane_id"].as_str().unwrap(),
        "#{window_name}",
    ]);
    assert_eq!(win.trim(), "renamed");
    let o = s.crew(&["rename", "nobody", "x"]);
    assert_eq!(o.status.code(), Some(3));

    let pid = a["pid"].as_u64().unwrap();
    let out = s.ok(&["restart", "renamed"]);
    assert!(out.starts_with("restarted renamed"), "{out}");
    s.eventually("new process", 10, || {
        let a = s.agent("renamed").unwrap();
        a["pid"].as_u64().unwrap() != pid && a["restarts"] == 1
    });
}

#[test]
fn multi_name_spawn_is_all_or_nothing() {
    let s = Server::new();
    let out = s.ok(&[
        "spawn",
        "a",
        "b",
        "c",
        "--",
        "sh",
        "-c",
        "while :; do sleep 1; done",
    ]);
    assert_eq!(out.lines().count(), 3);
    assert!(
        out.lines()
            .all(|l| l.starts_with("spawned ") && l.contains(" (%")),
        "{out}"
    );
    assert_eq!(s.ok(&["ls", "-q"]), "a\nb\nc\n");
    let o = s.crew(&["spawn", "d", "e.f", "g", "--", "sh"]);
    assert_eq!(o.status.code(), Some(2));
    let o = s.crew(&["spawn", "d", "a", "--", "sh"]);
    assert_eq!(o.status.code(), Some(1));
    let o = s.crew(&["spawn", "d", "d", "--", "sh"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(s.ok(&["ls", "-q"]), "a\nb\nc\n");
}

#[test]
fn ls_wide_and_spawn_log() {
    let s = Server::new();
    let log = s.path().join("t #1.log");
    s.ok(&[
        "spawn",
        "w",
        "--log",
        log.to_str().unwrap(),
        "--",
        "sh",
        "-c",
        "sleep 0.5; echo first-line; echo 'last\tline'; while :; do sleep 1; done",
    ]);
    s.eventually("last line", 10, || {
        s.agent("w").is_some()
            && serde_json::from_str::<Vec<Value>>(&s.ok(&["ls", "--json", "--wide"])).unwrap()[0]
                ["last_line"]
                == "last    line"
    });
    let table = s.ok(&["ls", "--wide"]);
    assert!(
        table.contains("LAST LINE") && table.contains("last    line"),
        "{table}"
    );
    assert!(s.agent("w").unwrap().get("last_line").is_none());
    eventually("transcript", 10, || {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .contains("first-line")
    });
    assert_eq!(field(&s, "w", "log"), log.to_str().unwrap());
}

#[test]
fn an_idle_screen_outlives_a_busy_report_left_by_an_interrupt() {
    let s = Server::new();
    let ctl = s.path().join("fa.ctl");
    std::fs::write(&ctl, "idle").unwrap();
    s.ok(&[
        "spawn",
        "fa",
        "--profile",
        "claude",
        "--",
        example("fake_agent").to_str().unwrap(),
        ctl.to_str().unwrap(),
    ]);
    s.eventually("idle on screen", 10, || field(&s, "fa", "status") == "idle");
    // What Claude Code's PermissionRequest hook leaves; the person then
    // presses Escape, which runs no hook, and the screen is idle again.
    let a = s.agent("fa").unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    // Stamped a second ahead, so a slow machine still reads it inside the
    // grace (report::CONFIRM_AFTER_SECS) on the first look.
    let value = format!("permission&{}&{}&", now + 1, a["pid"]);
    s.tmux(&[
        "set",
        "-p",
        "-t",
        a["pane_id"].as_str().unwrap(),
        "@crew-report",
        &value,
    ]);
    let a = s.agent("fa").unwrap();
    assert_eq!(
        (a["status"].as_str(), a["status_source"].as_str()),
        (Some("permission"), Some("report"))
    );
    s.eventually("the idle screen wins", 10, || {
        let a = s.agent("fa").unwrap();
        a["status"] == "idle" && a["status_source"] == "screen"
    });
}

#[test]
fn status_line_in_tmux_delivers_the_queue_with_nobody_typing() {
    let s = Server::new();
    let (ctl, log) = fake_agent(&s, "working");
    s.ok(&["send", "fa", "--queue", "from the mailbox"]);
    // README's tmux.conf line; tmux runs it only for an attached client, so
    // attach one on a pseudo-terminal (util-linux `script`).
    let line = format!("#({} status-line --tmux)", crew_path());
    s.tmux(&["set", "-g", "status-right", &line]);
    s.tmux(&["set", "-g", "status-interval", "1"]);
    let attach = format!("tmux -L {} attach -t crew", s.name);
    let mut client = Command::new("script");
    client
        .args(["-qfc", &attach, "/dev/null"])
        .env("TMUX_TMPDIR", s.path())
        .env_remove("TMUX")
        .env("TERM", "xterm-256color")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut client = client.spawn().expect("util-linux script");
    std::fs::write(&ctl, "idle").unwrap();
    // No crew command from here on: only tmux's status line runs crew.
    let got = || std::fs::read_to_string(&log).unwrap_or_default();
    eventually("delivered by the status line", 30, || {
        got() == "idle\tfrom the mailbox\n"
    });
    // Out of the queue once its `crew send` has seen it taken.
    eventually("the queue empty", 30, || field(&s, "fa", "queued") == 0);
    let _ = s.tmux_cmd(&["detach-client", "-s", "crew"]).status();
    let _ = client.kill();
    let _ = client.wait();
    assert_eq!(got(), "idle\tfrom the mailbox\n");
}

#[test]
fn wait_types_the_queue_before_it_returns() {
    let s = Server::new();
    let (ctl, log) = fake_agent(&s, "working");
    s.ok(&["send", "fa", "--queue", "one"]);
    s.ok(&["send", "fa", "--queue", "two"]);
    std::fs::write(&ctl, "idle").unwrap();
    s.ok(&["wait", "fa", "--timeout", "60"]);
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "idle\tone\nidle\ttwo\n"
    );
}

#[test]
fn recover_restart_policy_resumes_the_conversation() {
    let s = Server::new();
    config(&s, RESUMER);
    // Exits 3 when started fresh, stays when resumed.
    let script = r#"if [ "$1" = --resume ]; then while :; do sleep 1; done; fi; exit 3"#;
    s.ok(&[
        "spawn",
        "p",
        "--profile",
        "resumer",
        "--restart",
        "on-failure",
        "--",
        "sh",
        "-c",
        script,
        "x",
    ]);
    let id = field(&s, "p", "conversation_id")
        .as_str()
        .unwrap()
        .to_string();
    s.eventually("exited 3", 10, || field(&s, "p", "exit_status") == 3);
    let out = s.ok(&["recover"]);
    assert!(
        out.contains(&format!("resuming conversation {id}")),
        "{out}"
    );
    s.eventually("resumed and running", 10, || {
        field(&s, "p", "status") != "exited"
            && cmdline(&s, "p").ends_with(&["--resume".to_string(), id.clone()])
    });
    assert_eq!(field(&s, "p", "restarts"), 1);
}

#[test]
fn worktree_work_on_a_detached_head_or_made_at_shutdown_is_kept() {
    let s = Server::new();
    let r = repo(&s);
    let sleep = ["--", "sh", "-c", "while :; do sleep 1; done"];
    let mut args = vec!["spawn", "wa", "-c", r.to_str().unwrap(), "--worktree"];
    args.extend(sleep);
    s.ok(&args);
    let wt = r.with_file_name("app.worktrees").join("wa");
    // A commit on a detached HEAD: on no branch at all.
    git(&wt, &["checkout", "-q", "--detach"]);
    std::fs::write(wt.join("d.txt"), "x").unwrap();
    git(&wt, &["add", "d.txt"]);
    git(&wt, &["commit", "-q", "-m", "detached work"]);
    let o = s.crew(&["kill", "wa", "--rm-worktree"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("detached work"), "{}", stderr(&o));
    assert!(wt.exists() && s.agent("wa").is_some());
    // Once merged, removed; --json names the pane.
    git(
        &r,
        &[
            "merge",
            "-q",
            "--ff-only",
            git(&wt, &["rev-parse", "HEAD"]).trim(),
        ],
    );
    let pane = s.pane_of("wa");
    let out = s.ok(&["kill", "wa", "--rm-worktree", "--grace", "2", "--json"]);
    let v: Vec<Value> = serde_json::from_str(&out).unwrap();
    let wt_line = v
        .iter()
        .find(|d| d["action"] == "removed worktree of")
        .unwrap();
    assert_eq!(wt_line["pane_id"], pane.as_str(), "{out}");
    assert!(!wt.exists());

    // An agent that commits when told to stop: the commit made on TERM is
    // found after it exited, and the worktree kept.
    let on_term = "trap '' HUP; trap 'echo late > late.txt; git add late.txt; git commit -q -m \"made on TERM\"; exit 0' TERM; while :; do sleep 0.1; done";
    s.ok(&[
        "spawn",
        "wb",
        "-c",
        r.to_str().unwrap(),
        "--worktree",
        "--",
        "sh",
        "-c",
        on_term,
    ]);
    let wtb = r.with_file_name("app.worktrees").join("wb");
    let o = s.crew(&["kill", "wb", "--rm-worktree", "--grace", "5"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("killed wb"), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("kept the worktree") && err.contains("made on TERM"),
        "{err}"
    );
    assert!(wtb.exists());
    assert!(git(&r, &["branch"]).contains("crew/wb"));
    assert!(s.agent("wb").is_none());
}

#[test]
fn ctrl_c_during_a_delivery_loses_no_message_and_doubles_none() {
    use std::os::unix::process::CommandExt;
    let s = Server::new();
    let (_, log) = fake_agent(&s, "idle");
    let got = || std::fs::read_to_string(&log).unwrap_or_default();
    // Ctrl-C reaches the whole foreground group of `crew wait`, at several
    // points of its delivery.
    let mut expected = String::new();
    for (i, ms) in [0u64, 40, 120, 300, 700].into_iter().enumerate() {
        let m = format!("queued message {i}");
        s.ok(&["send", "fa", "--queue", &m]);
        expected.push_str(&format!("idle\t{m}\n"));
        let w = s
            .cmd(&["wait", "fa", "--until", "idle", "--timeout", "30"])
            .process_group(0)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(ms));
        let pg = rustix::process::Pid::from_raw(w.id() as i32).unwrap();
        let _ = rustix::process::kill_process_group(pg, rustix::process::Signal::INT);
        let _ = w.wait_with_output();
        // Whatever was cut, a later look delivers what is left, once.
        eventually(&format!("message {i} delivered"), 30, || {
            s.ok(&["ls"]);
            got().len() >= expected.len()
        });
    }
    for _ in 0..3 {
        s.ok(&["ls"]);
        std::thread::sleep(std::time::Duration::from_millis(400));
    }
    assert_eq!(got(), expected);
    assert_eq!(field(&s, "fa", "queued"), 0);
}
