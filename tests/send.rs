//! `send` delivers byte for byte: each message read back from the echoer's log.

mod common;
use common::*;
use std::io::Write;
use std::path::PathBuf;
use std::process::Stdio;

const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";

struct Echo {
    name: String,
    log: PathBuf,
    seen: usize,
}

impl Echo {
    fn start(s: &Server, name: &str) -> Echo {
        let log = s.path().join(format!("{name}.log"));
        std::fs::write(&log, b"").unwrap();
        s.ok(&[
            "spawn",
            name,
            "--",
            example("echoer").to_str().unwrap(),
            log.to_str().unwrap(),
        ]);
        s.eventually("echoer ready", 10, || {
            s.ok(&["read", name]).contains("echoer ready")
        });
        Echo {
            name: name.into(),
            log,
            seen: 0,
        }
    }

    fn bytes(&self) -> Vec<u8> {
        std::fs::read(&self.log).unwrap()
    }

    /// Wait for `n` new bytes and return them.
    fn take(&mut self, n: usize) -> Vec<u8> {
        eventually(&format!("{n} bytes in {}", self.name), 30, || {
            self.bytes().len() >= self.seen + n
        });
        // Give a straggler a moment to show up (it would fail the equality).
        std::thread::sleep(std::time::Duration::from_millis(100));
        let all = self.bytes();
        let new = all[self.seen..].to_vec();
        self.seen = all.len();
        new
    }

    /// The message as received: literal keys or one bracketed paste, then
    /// the submit key (CR) when `enter`.
    fn expect(&mut self, msg: &[u8], enter: bool) {
        let tail = usize::from(enter);
        let literal_len = msg.len() + tail;
        let pasted_len = msg.len() + PASTE_START.len() + PASTE_END.len() + tail;
        // Wait for the shorter form first, then see which form arrived.
        let mut got = self.take(literal_len);
        if got.starts_with(PASTE_START) && got.len() < pasted_len {
            got.extend(self.take(pasted_len - got.len()));
        }
        let body = if got.starts_with(PASTE_START) {
            let inner = &got[PASTE_START.len()..];
            let end = inner.len() - tail - PASTE_END.len();
            assert_eq!(&inner[end..inner.len() - tail], PASTE_END, "paste closed");
            inner[..end].to_vec()
        } else {
            got[..got.len() - tail].to_vec()
        };
        assert!(
            body == msg,
            "message differs: sent {} bytes, got {} ({:?}…)",
            msg.len(),
            body.len(),
            String::from_utf8_lossy(&body[..body.len().min(80)])
        );
        if enter {
            assert_eq!(got.last(), Some(&b'\r'), "submitted with Enter");
        }
    }
}

#[test]
fn awkward_strings_arrive_exactly() {
    let s = Server::new();
    let mut e = Echo::start(&s, "echo");
    let marker = s.path().join("x");
    let subst = format!("$(touch {})", marker.display());
    let cases: Vec<String> = vec![
        "a;b".into(),
        "ends with;".into(),
        "ends with \\;".into(),
        ";".into(),
        "#{pane_id} #[fg=red] ##".into(),
        subst.clone(),
        "`id` 'single' \"double\" \\back".into(),
        "-leading dash".into(),
        "--".into(),
        "Enter".into(),
        "C-c".into(),
        "tab\there".into(),
        "emoji 🦀 and 漢字".into(),
        "  spaces  ".into(),
    ];
    // After `--` every word is message, even "--" or "-x".
    for msg in &cases {
        s.ok(&["send", "echo", "--", msg]);
        e.expect(msg.as_bytes(), true);
    }
    // Without `--`: the first word names the agent, the rest is the message.
    for msg in [
        "a;b",
        "ends with;",
        "#{pane_id}",
        "Enter",
        "C-c",
        "tab\there",
    ] {
        s.ok(&["send", "echo", msg]);
        e.expect(msg.as_bytes(), true);
    }
    assert!(!marker.exists(), "nothing was run by a shell");
}

#[test]
fn multi_line_and_words_joined() {
    let s = Server::new();
    let mut e = Echo::start(&s, "echo");
    let msg: String = (1..=200)
        .map(|i| format!("line {i}; with #{{x}} and\ttab\n"))
        .collect();
    s.ok(&["send", "echo", &msg]);
    e.expect(msg.as_bytes(), true);
    s.ok(&["send", "echo", "several", "words", "joined"]);
    e.expect(b"several words joined", true);
}

#[test]
fn one_megabyte_from_stdin() {
    let s = Server::new();
    let mut e = Echo::start(&s, "echo");
    let mut msg = Vec::with_capacity(1 << 20);
    let mut i = 0u64;
    while msg.len() < (1 << 20) {
        msg.extend(format!("{i:08} ;#{{}}$(x) 'q' \"d\" \t漢\n").as_bytes());
        i += 1;
    }
    msg.truncate(1 << 20);
    let mut child = s
        .cmd(&["send", "echo", "-"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let data = msg.clone();
    let w = std::thread::spawn(move || stdin.write_all(&data).unwrap());
    let out = child.wait_with_output().unwrap();
    w.join().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    e.expect(&msg, true);
}

#[test]
fn stdin_without_text() {
    let s = Server::new();
    let mut e = Echo::start(&s, "echo");
    let mut child = s
        .cmd(&["send", "echo"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"piped in\n")
        .unwrap();
    assert!(child.wait().unwrap().success());
    // The newline that ends piped input is not a second submit.
    e.expect(b"piped in", true);
    // Empty stdin is no message: refused, nothing typed (not a bare Enter).
    let o = s
        .cmd(&["send", "echo"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("empty"), "{}", stderr(&o));
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(e.bytes().len(), e.seen, "nothing typed");
}

#[test]
fn no_enter_keys_and_copy_mode() {
    let s = Server::new();
    let mut e = Echo::start(&s, "echo");
    s.ok(&["send", "echo", "--no-enter", "typed only"]);
    e.expect(b"typed only", false);
    s.ok(&["send", "echo", "-k", "C-c", "Escape", "Enter"]);
    assert_eq!(e.take(3), b"\x03\x1b\r");
    let pane = s.pane_of("echo");
    s.tmux(&["copy-mode", "-t", &pane]);
    assert_eq!(
        s.tmux(&["display", "-p", "-t", &pane, "#{pane_in_mode}"])
            .trim(),
        "1"
    );
    s.ok(&["send", "echo", "after copy mode"]);
    e.expect(b"after copy mode", true);
}

#[test]
fn broadcast_and_refusal_on_exited() {
    let s = Server::new();
    let mut a = Echo::start(&s, "ea");
    let mut b = Echo::start(&s, "eb");
    s.ok(&["send", "ea", "eb", "--", "to both"]);
    a.expect(b"to both", true);
    b.expect(b"to both", true);
    s.ok(&["send", "e*", "--", "by glob"]);
    a.expect(b"by glob", true);
    b.expect(b"by glob", true);
    s.ok(&["send", "--all", "to all"]);
    a.expect(b"to all", true);
    b.expect(b"to all", true);

    s.ok(&["spawn", "dead", "--", "sh", "-c", "exit 4"]);
    let end = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while s.agent("dead").unwrap()["status"] != "exited" {
        assert!(
            std::time::Instant::now() < end,
            "dead never exited: {}\n{}",
            s.agent("dead").unwrap(),
            s.tmux(&["list-panes", "-a", "-F", "#{pane_id} dead=#{pane_dead} st=#{pane_dead_status} sig=#{pane_dead_signal} pid=#{pane_pid} #{@crew-name}"])
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // --all and globs skip an exited agent, say so, and reach the others.
    let o = s.crew(&["send", "--all", "the live ones"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("skipped dead: it exited with status 4"),
        "{}",
        stderr(&o)
    );
    assert_eq!(stdout(&o).lines().count(), 2, "{}", stdout(&o));
    a.expect(b"the live ones", true);
    b.expect(b"the live ones", true);
    // Named, it refuses the whole send: nothing typed anywhere.
    let o = s.crew(&["send", "ea", "dead", "--", "never typed"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("dead exited with status 4"),
        "{}",
        stderr(&o)
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(a.bytes().len(), a.seen, "nothing typed into ea");
    assert_eq!(b.bytes().len(), b.seen, "nothing typed into eb");
    assert_eq!(s.crew(&["send", "nobody", "x"]).status.code(), Some(3));
    assert_eq!(s.crew(&["send", "bad.name", "x"]).status.code(), Some(2));
}

#[test]
fn invalid_utf8_and_nul_from_stdin_arrive_exactly() {
    let s = Server::new();
    let mut e = Echo::start(&s, "echo");
    let msg: &[u8] = b"bad \xff\xfe utf-8, a NUL \x00 here, \x80\x81 and a tail";
    let mut child = s
        .cmd(&["send", "echo", "-"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(msg).unwrap();
    assert!(child.wait().unwrap().success());
    e.expect(msg, true);
}

#[test]
fn keys_that_look_like_flags_stay_keys_in_the_agent() {
    let s = Server::new();
    // The user's own shell, no agent: nothing crew sends may reach it.
    let mine = s.user_session("mine", 100, 30);
    let mut e = Echo::start(&s, "echo");
    let o = s.crew(&["send", "echo", "-k", "--", "-t", &mine, "INJECTED", "Enter"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The agent got them all, as keys (a name tmux does not know is typed
    // as its text); the user's pane got nothing.
    let want = format!("-t{mine}INJECTED\r");
    assert_eq!(e.take(want.len()), want.as_bytes());
    std::thread::sleep(std::time::Duration::from_millis(300));
    let theirs = s.tmux(&["capture-pane", "-p", "-t", &mine]);
    assert!(!theirs.contains("INJECTED"), "{theirs}");
}
