//! `send` never answers a dialog by accident, `approve`/`deny`/`answer`
//! answer it on purpose, a starting agent is waited for, and `send` returns
//! once the agent has taken the message: all on real tmux with the fake agent.

mod common;
use common::*;
use std::path::PathBuf;
use std::time::Duration;

struct Fake {
    name: String,
    control: PathBuf,
    log: PathBuf,
    raw: PathBuf,
}

impl Fake {
    /// A fake agent judged by the claude profile, with FAKE_* settings.
    fn spawn(s: &Server, name: &str, env: &[&str]) -> Fake {
        let control = s.path().join(format!("{name}.ctl"));
        let log = s.path().join(format!("{name}.log"));
        let raw = s.path().join(format!("{name}.raw"));
        std::fs::write(&control, "").unwrap();
        let raw_env = format!("FAKE_RAW_LOG={}", raw.display());
        let mut args = vec!["spawn", name, "--profile", "claude", "-e", &raw_env];
        for e in env {
            args.push("-e");
            args.push(e);
        }
        let bin = example("fake_agent");
        args.extend(["--", bin.to_str().unwrap(), control.to_str().unwrap()]);
        args.push(log.to_str().unwrap());
        s.ok(&args);
        Fake {
            name: name.into(),
            control,
            log,
            raw,
        }
    }

    fn start(s: &Server, name: &str) -> Fake {
        let f = Fake::spawn(s, name, &[]);
        f.until(s, "idle");
        f
    }

    fn set(&self, s: &Server, state: &str) {
        // A counter makes each command new, even for the same state.
        let n = std::fs::read_to_string(&self.control)
            .unwrap_or_default()
            .len();
        std::fs::write(&self.control, format!("{state} {n}")).unwrap();
        self.until(s, state);
    }

    fn until(&self, s: &Server, state: &str) {
        s.eventually(&format!("{} {state}", self.name), 15, || {
            s.agent(&self.name).is_some_and(|a| a["status"] == state)
        });
    }

    fn log(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(String::from)
            .collect()
    }

    fn raw(&self) -> Vec<u8> {
        std::fs::read(&self.raw).unwrap_or_default()
    }
}

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
