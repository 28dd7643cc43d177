//! What a lead agent needs: `wait --first`, `ask` (a message and its reply in
//! one call) and turn events on the panes, on real tmux with the fake agent.

mod common;
#[path = "common/fake.rs"]
mod fake;
use common::*;
use fake::Fake;

#[test]
fn wait_first_returns_the_first_and_names_it() {
    let s = Server::new();
    let a = Fake::start(&s, "a");
    let b = Fake::start(&s, "b");
    let c = Fake::start(&s, "c");
    a.set(&s, "working");
    c.set(&s, "working");
    // b is idle, a and c work: waiting for all times out, --first does not.
    let o = s.crew(&["wait", "a", "b", "c", "--timeout", "0.5"]);
    assert_eq!(o.status.code(), Some(124), "{}", stderr(&o));
    assert_eq!(s.ok(&["wait", "--first", "a", "b", "c"]), "b idle\n");
    // The first to need attention, by glob.
    b.set(&s, "working");
    let o = s.crew(&[
        "wait",
        "--first",
        "--until",
        "attention",
        "*",
        "--timeout",
        "0.5",
    ]);
    assert_eq!(o.status.code(), Some(124), "{}", stderr(&o));
    assert!(stderr(&o).contains("timed out"), "{}", stderr(&o));
    c.set(&s, "permission");
    assert_eq!(
        s.ok(&["wait", "--first", "--until", "attention", "*"]),
        "c permission\n"
    );
    // One that exits while waited for is an error, not a winner.
    std::fs::write(&a.control, "exit 3").unwrap();
    let o = s.crew(&["wait", "--first", "a", "b", "--timeout", "10"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("a exited with status 3"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn ask_prints_the_reply_of_the_turn_it_began() {
    let s = Server::new();
    let f = Fake::spawn(
        &s,
        "w",
        &[
            "FAKE_WORK_MS=1200",
            "FAKE_REPLY=⏺ Ran the tests for {msg}.|  2 failed: a, b.",
        ],
    );
    f.until(&s, "idle");
    let reply = s.ok(&["ask", "w", "run the tests"]);
    assert_eq!(
        reply,
        "⏺ On it.\n\n⏺ Ran the tests for run the tests.\n  2 failed: a, b.\n\n✻ Brewed for 3s\n"
    );
    assert_eq!(f.log(), ["idle\trun the tests", "done\trun the tests"]);
    // The same reply twice is still the whole reply; JSON for programs.
    let v: serde_json::Value =
        serde_json::from_str(&s.ok(&["ask", "--json", "w", "and", "again"])).unwrap();
    assert_eq!(v["status"], "idle");
    assert_eq!(v["timed_out"], false);
    assert_eq!(
        v["reply"],
        "⏺ On it.\n\n⏺ Ran the tests for and again.\n  2 failed: a, b.\n\n✻ Brewed for 3s"
    );
    // From stdin, and with a timeout shorter than the turn: exit 124.
    let mut c = s.cmd(&["ask", "w", "--timeout", "0.3", "-"]);
    c.stdin(std::process::Stdio::piped());
    let mut child = c
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"slow one\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(124), "{}", stderr(&o));
    assert!(stderr(&o).contains("w is still working"), "{}", stderr(&o));
    f.until(&s, "idle");
    assert_eq!(f.log().last().unwrap(), "done\tslow one");
}

#[test]
fn ask_refuses_a_dialog_and_reports_one_that_comes() {
    let s = Server::new();
    let f = Fake::start(&s, "d");
    f.set(&s, "permission");
    let o = s.crew(&["ask", "d", "hello"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("waits for permission"),
        "{}",
        stderr(&o)
    );
    assert!(f.log().is_empty(), "typed into a dialog: {:?}", f.log());
    let o = s.crew(&["ask", "nope", "hello"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    f.set(&s, "idle");
    // The turn ends in a dialog: the dialog is the reply, and how to answer.
    let g = Fake::spawn(&s, "g", &["FAKE_OFFER=1"]);
    g.until(&s, "idle");
    let o = s.crew(&["ask", "g", "start"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("Enter to select"), "{}", stdout(&o));
    assert!(stderr(&o).contains("crew answer g N"), "{}", stderr(&o));
}

#[test]
fn turn_events_are_kept_on_the_pane_bounded() {
    let s = Server::new();
    // Reported by the tool's hook (as Claude Code's Stop hook does) ...
    let crew = crew_bin();
    let report = format!("FAKE_REPORT={}", crew.display());
    let h = Fake::spawn(
        &s,
        "h",
        &[
            &report,
            "FAKE_HOOKS=all",
            "FAKE_WORK_MS=300",
            "FAKE_REPLY=⏺ Hooked: {msg}.",
        ],
    );
    h.until(&s, "idle");
    // Its start-up hook first, as Claude Code's SessionStart comes before
    // anyone can type (a loaded machine can delay the fake's past `until`).
    s.eventually("the start-up report", 15, || {
        s.tmux(&[
            "display-message",
            "-p",
            "-t",
            &s.pane_of("h"),
            "#{@crew-report}",
        ])
        .starts_with("idle&")
    });
    s.ok(&["send", "h", "first task"]);
    // ... with no crew command looking meanwhile.
    s.eventually("the hook's turn event", 15, || {
        let v = s.tmux(&[
            "display-message",
            "-p",
            "-t",
            &s.pane_of("h"),
            "#{@crew-turns}",
        ]);
        v.contains("idle")
    });
    let turns = &s.agent("h").unwrap()["turns"];
    let t = turns.as_array().unwrap();
    assert_eq!(t.len(), 1, "{turns:#}");
    assert_eq!(t[0]["status"], "idle");
    assert!(
        t[0]["said"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l == "⏺ Hooked: first task."),
        "{turns:#}"
    );
    // ... or seen by a command that reads statuses (no hook): a dialog.
    let f = Fake::start(&s, "f");
    f.set(&s, "working");
    f.set(&s, "permission");
    let turns = s.agent("f").unwrap()["turns"].clone();
    let last = turns.as_array().unwrap().last().cloned().unwrap();
    assert_eq!(last["status"], "permission", "{turns:#}");
    assert_eq!(
        last["said"].as_array().unwrap().last().unwrap(),
        " Do you want to proceed?"
    );
    // Many turns: the last 8 stay, and a stranger's garbage is skipped.
    for _ in 0..6 {
        f.set(&s, "working");
        f.set(&s, "idle");
    }
    let pane = s.pane_of("f");
    s.tmux(&[
        "set-option",
        "-p",
        "-a",
        "-t",
        &pane,
        "@crew-turns",
        " #(touch /tmp/crew-pwned) ;x",
    ]);
    for _ in 0..3 {
        f.set(&s, "working");
        f.set(&s, "idle");
    }
    let turns = s.agent("f").unwrap()["turns"].clone();
    let t = turns.as_array().unwrap();
    assert_eq!(t.len(), 8, "{turns:#}");
    assert!(t
        .iter()
        .all(|e| e["status"] == "idle" || e["status"] == "permission"));
    let ms: Vec<u64> = t.iter().map(|e| e["ended_ms"].as_u64().unwrap()).collect();
    assert!(ms.windows(2).all(|w| w[0] <= w[1]), "{ms:?}");
    let raw = s.tmux(&["show-options", "-p", "-t", &pane, "-v", "@crew-turns"]);
    assert!(raw.len() < 8 * 1024, "{} bytes", raw.len());
    assert!(!std::path::Path::new("/tmp/crew-pwned").exists());
}
