//! `send` never answers a dialog by accident, `approve`/`deny`/`answer`
//! answer it on purpose, a starting agent is waited for, and `send` returns
//! once the agent has taken the message: all on real tmux with the fake agent.

mod common;
use common::*;
use std::time::Duration;

#[path = "common/fake.rs"]
mod fake;
use fake::Fake;

#[test]
fn text_never_answers_a_dialog() {
    let s = Server::new();
    let f = Fake::start(&s, "api");
    f.set(&s, "permission");
    let before = f.raw().len();
    for args in [
        &["send", "api", "no, do not run it"][..],
        &["send", "api", "--no-enter", "draft"],
        &["send", "api", "--", "multi\nline"],
    ] {
        let o = s.crew(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("waits for permission"),
            "{}",
            stderr(&o)
        );
        assert!(stderr(&o).contains("crew approve api"), "{}", stderr(&o));
    }
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(f.raw().len(), before, "the agent received nothing");
    assert_eq!(s.agent("api").unwrap()["status"], "permission");
    // Keys go through: that is how a person answers.
    s.ok(&["send", "api", "-k", "Escape"]);
    f.until(&s, "idle");
    assert_eq!(f.log(), vec!["permission\tdenied"]);
    assert!(f.raw().ends_with(b"\x1b"));

    // A glob skips the agent in a dialog, names it, and reaches the others.
    let g = Fake::start(&s, "api2");
    f.set(&s, "question");
    let o = s.crew(&["send", "api*", "--", "hello"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("skipped api asks a question"),
        "{}",
        stderr(&o)
    );
    s.eventually("api2 got it", 10, || g.log() == vec!["idle\thello"]);
    assert_eq!(f.log(), vec!["permission\tdenied"]);
}

#[test]
fn approve_deny_and_answer_on_purpose() {
    let s = Server::new();
    let f = Fake::start(&s, "api");
    // Nothing to answer: refused, nothing pressed.
    for args in [
        &["approve", "api"][..],
        &["deny", "api"],
        &["answer", "api", "1"],
    ] {
        let o = s.crew(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(stderr(&o).contains("no dialog"), "{}", stderr(&o));
    }
    assert!(f.raw().is_empty(), "nothing pressed: {:?}", f.raw());

    f.set(&s, "permission");
    let o = s.crew(&["approve", "api"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("approved api (%"), "{}", stdout(&o));
    assert_eq!(f.log(), vec!["permission\tapproved"]);
    assert_eq!(f.raw(), b"1", "the claude profile's approve key");

    f.set(&s, "permission");
    let o = s.crew(&["deny", "api", "-m", "move it to trash/ instead", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j[0]["action"], "denied");
    s.eventually("told what to do", 10, || f.log().len() == 3);
    assert_eq!(
        f.log()[1..],
        ["permission\tdenied", "idle\tmove it to trash/ instead"]
    );

    f.set(&s, "question");
    let o = s.crew(&["answer", "api", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(f.log()[3], "question\tanswered 2");
    let o = s.crew(&["answer", "api", "12"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_dialog_that_stays_is_reported() {
    let s = Server::new();
    let f = Fake::start(&s, "api");
    f.set(&s, "permission");
    // A profile whose approve key does nothing in this tool.
    let cfg = s.path().join("crew.toml");
    std::fs::write(&cfg, "[profiles.claude]\napprove_keys = [\"F12\"]\n").unwrap();
    let o = s
        .cmd(&["approve", "api"])
        .env("CREW_CONFIG", &cfg)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("still there"), "{}", stderr(&o));
}

#[test]
fn send_returns_once_the_agent_took_the_message() {
    let s = Server::new();
    // Keeps a message in its box for a second, then works for two.
    let f = Fake::spawn(&s, "slow", &["FAKE_TAKE_MS=1000", "FAKE_WORK_MS=2000"]);
    f.until(&s, "idle");
    let o = s.crew(&["send", "slow", "run the tests"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The message was taken before send returned.
    assert_eq!(f.log(), vec!["idle\trun the tests"]);
    let o = s.crew(&["wait", "slow", "--until", "idle", "--timeout", "20"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        f.log(),
        vec!["idle\trun the tests", "done\trun the tests"],
        "wait returned only after the work"
    );
}

#[test]
fn send_exit_to_an_agent_that_exits() {
    let s = Server::new();
    let f = Fake::start(&s, "api");
    let o = s.crew(&["send", "api", "/exit"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("exited with status 0"),
        "{}",
        stdout(&o)
    );
    assert_eq!(f.log(), vec!["idle\t/exit"]);
    assert_eq!(s.agent("api").unwrap()["status"], "exited");
    // Nothing but the message and its Enter reached it: no recovery key.
    assert_eq!(f.raw(), b"/exit\r");
}

#[test]
fn spawn_then_send_waits_for_the_first_prompt() {
    let s = Server::new();
    let f = Fake::spawn(&s, "fresh", &["FAKE_START_MS=3000"]);
    // Right away, as `crew spawn a -- claude && crew send a task` does.
    let o = s.crew(&["send", "fresh", "the task"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        f.log(),
        vec!["idle\tthe task"],
        "delivered once, after the prompt"
    );
    // Nothing was typed during the loading screen (it would have been lost).
    assert_eq!(f.raw(), b"the task\r");

    // A start that never finishes: exit 124, nothing typed.
    let cfg = s.path().join("crew.toml");
    std::fs::write(&cfg, "[profiles.claude]\nstart_timeout_secs = 2\n").unwrap();
    let g = Fake::spawn(&s, "stuck", &["FAKE_START_MS=60000"]);
    let o = s
        .cmd(&["send", "stuck", "hello"])
        .env("CREW_CONFIG", &cfg)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(124), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("did not become ready"),
        "{}",
        stderr(&o)
    );
    assert!(g.raw().is_empty());
}

/// Tag the agent's pane with a report, as a hook (or a stranger) could.
fn plant_report(s: &Server, name: &str, state: &str, secs: u64) {
    let pane = s.pane_of(name);
    let pid = s.tmux(&["display-message", "-p", "-t", &pane, "#{pane_pid}"]);
    let value = format!("{state}&{secs}&{}&", pid.trim());
    s.tmux(&["set-option", "-p", "-t", &pane, "@crew-report", &value]);
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[test]
fn send_then_wait_follows_the_turn_the_message_began() {
    let s = Server::new();
    // Like Codex: the box clears at once, the busy state shows 1.5 s later,
    // and the tool reports only the end of a turn (idle).
    let crew = crew_bin();
    let report = format!("FAKE_REPORT={}", crew.display());
    let f = Fake::spawn(
        &s,
        "lag",
        &["FAKE_LAG_MS=1500", "FAKE_WORK_MS=1000", &report],
    );
    f.until(&s, "idle");
    for n in 1..=3 {
        let msg = format!("turn {n}");
        let o = s.crew(&["send", "lag", &msg]);
        assert!(o.status.success(), "{}", stderr(&o));
        // Right after the send the last turn's idle report no longer speaks
        // for this one.
        let a = s.agent("lag").unwrap();
        assert_eq!(a["status"], "working", "{a}");
        let o = s.crew(&["wait", "lag", "--until", "idle", "--timeout", "20"]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(
            f.log().last().map(String::as_str),
            Some(format!("done\t{msg}").as_str()),
            "wait returned only once the turn of {msg:?} ended"
        );
    }

    // A reply quicker than any look: wait still returns, after it.
    let q = Fake::spawn(&s, "quick", &["FAKE_WORK_MS=100"]);
    q.until(&s, "idle");
    for _ in 0..3 {
        let o = s.crew(&["send", "quick", "fast one"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let o = s.crew(&["wait", "quick", "--until", "idle", "--timeout", "20"]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(q.log().last().map(String::as_str), Some("done\tfast one"));
    }
}

#[test]
fn a_message_nothing_took_is_an_error() {
    let s = Server::new();
    let cfg = s.path().join("crew.toml");
    std::fs::write(&cfg, "[profiles.claude]\nreceipt_timeout_ms = 1500\n").unwrap();
    let f = Fake::start(&s, "deaf");
    std::fs::write(&f.control, "deaf").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let o = s
        .cmd(&["send", "deaf", "hello?"])
        .env("CREW_CONFIG", &cfg)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("showed no sign of taking it"),
        "{}",
        stderr(&o)
    );
    assert!(f.log().is_empty());
}

#[test]
fn dialog_keys_go_only_to_a_dialog_on_screen_now() {
    let s = Server::new();
    let f = Fake::start(&s, "api");
    // The tool's last word was a question, but the screen has moved on (a
    // person answered it by hand: no hook follows).
    plant_report(&s, "api", "question", unix_now());
    assert_eq!(s.status("api"), "question");
    for verb in [
        &["answer", "api", "1"][..],
        &["approve", "api"],
        &["deny", "api"],
    ] {
        let o = s.crew(verb);
        assert_eq!(o.status.code(), Some(1), "{verb:?}: {}", stdout(&o));
        assert!(
            stderr(&o).contains("shows no dialog to answer"),
            "{}",
            stderr(&o)
        );
    }
    assert!(f.raw().is_empty(), "nothing pressed: {:?}", f.raw());

    // A real menu of four: option 9 is refused, option 2 is picked, and the
    // question's report does not outlive the answer.
    f.set(&s, "question");
    plant_report(&s, "api", "question", unix_now());
    let o = s.crew(&["answer", "api", "9"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("no option 9"), "{}", stderr(&o));
    assert!(f.raw().is_empty(), "nothing pressed: {:?}", f.raw());
    s.ok(&["answer", "api", "2"]);
    assert_eq!(
        f.log().last().map(String::as_str),
        Some("question\tanswered 2")
    );
    assert_ne!(s.status("api"), "question");
}

#[test]
fn a_report_dated_in_the_future_is_not_believed() {
    let s = Server::new();
    let _f = Fake::start(&s, "api");
    plant_report(&s, "api", "permission", 99_999_999_999);
    let a = s.agent("api").unwrap();
    assert_eq!(a["status"], "idle", "{a}");
    assert_eq!(a["status_source"], "screen", "{a}");
    // A report a moment old still counts.
    plant_report(&s, "api", "working", unix_now());
    assert_eq!(s.agent("api").unwrap()["status_source"], "report");
}

#[test]
fn a_mode_that_runs_tools_unasked_is_shown() {
    let s = Server::new();
    let _f = Fake::start(&s, "api");
    // No hook yet, nothing on the command line: its footer says "⏵⏵ bypass
    // permissions on".
    let a = s.agent("api").unwrap();
    assert_eq!(
        (a["mode"].clone(), a["unasked"].clone()),
        ("bypass".into(), true.into()),
        "{a}"
    );
    let wide = s.ok(&["ls", "--wide"]);
    let head = wide.lines().next().unwrap();
    assert!(head.contains("MODE"), "{wide}");
    assert!(wide.contains("bypass!"), "{wide}");
    // Where no footer is on screen, the mode the tool's hook named at its
    // last event (Claude Code's `permission_mode`), through `crew report`.
    let control = s.path().join("rep.ctl");
    std::fs::write(&control, "").unwrap();
    let (bin, crew) = (example("reporter"), crew_bin());
    s.ok(&[
        "spawn",
        "rep",
        "--profile",
        "claude",
        "--",
        bin.to_str().unwrap(),
        crew.to_str().unwrap(),
        control.to_str().unwrap(),
    ]);
    let said = r#"report idle {"session_id":"s-1","permission_mode":"acceptEdits"}"#;
    std::fs::write(&control, said).unwrap();
    s.eventually("the report", 10, || {
        s.agent("rep").unwrap()["status_source"] == "report"
    });
    let a = s.agent("rep").unwrap();
    assert_eq!(
        (a["mode"].clone(), a["unasked"].clone()),
        ("accept-edits".into(), true.into()),
        "{a}"
    );
    // A send keeps the mode the tool named (crew's mark carries it).
    // (The reporter draws nothing, so `send` rightly finds no sign that it
    // took the message and fails; the mark is written all the same.)
    let o = s.crew(&["send", "rep", "hello"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert_eq!(s.agent("rep").unwrap()["mode"], "accept-edits");
    // The tool's default: its word names no mode crew knows.
    std::fs::write(&control, r#"report idle {"permission_mode":"default"}"#).unwrap();
    s.eventually("the default", 10, || {
        s.agent("rep").unwrap()["mode"].is_null()
    });
}

#[test]
fn a_dialog_instead_of_a_turn_is_an_error() {
    let s = Server::new();
    // Hooks like Claude Code's (a report when it is up and when a message
    // starts a turn), and an offer that pops up over the first prompt.
    let report = format!("FAKE_REPORT={}", crew_bin().display());
    let f = Fake::spawn(
        &s,
        "cc",
        &[
            &report,
            "FAKE_HOOKS=all",
            "FAKE_OFFER=1",
            "FAKE_WORK_MS=500",
        ],
    );
    f.until(&s, "idle");
    s.eventually("the start-up report", 10, || {
        s.agent("cc").unwrap()["status_source"] == "report"
    });
    let o = s.crew(&["send", "cc", "the task"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("showed a dialog (question) instead of starting a turn"),
        "{}",
        stderr(&o)
    );
    assert!(f.log().is_empty(), "{:?}", f.log());
    // Answered, the same message goes through.
    s.ok(&["answer", "cc", "1"]);
    f.until(&s, "idle");
    s.ok(&["send", "cc", "the task"]);
    assert_eq!(f.log().last().map(String::as_str), Some("idle\tthe task"));
}
