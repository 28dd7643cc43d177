//! `crew mcp` driven by a real MCP client: the Python `mcp` package from
//! PyPI (installed into a venv under target/ on first use), over stdio.

mod common;
#[path = "common/sshd.rs"]
mod sshd;

use common::*;
use serde_json::Value;
use sshd::{Local, Sshd};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A python with `mcp` importable, installing it when needed. None only if
/// it cannot be installed here (then the test says so loudly and skips).
/// Once per test binary: the tests run in parallel, and two making one venv
/// at once trip over each other.
fn python_with_mcp() -> Option<PathBuf> {
    static PY: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    PY.get_or_init(make_python_with_mcp).clone()
}

fn make_python_with_mcp() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/mcp-venv");
    let py = venv.join("bin/python");
    let has = |py: &Path| {
        Command::new(py)
            .args(["-c", "import mcp.client.stdio"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if has(&py) {
        return Some(py);
    }
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .is_ok_and(|s| s.success());
    let installed = made
        && Command::new(&py)
            .args(["-m", "pip", "install", "-q", "mcp"])
            .status()
            .is_ok_and(|s| s.success());
    if installed && has(&py) {
        Some(py)
    } else {
        None
    }
}

/// The Python `mcp` package, or a loud skip (a failure under CI=true).
fn need_mcp() -> Option<PathBuf> {
    let py = python_with_mcp();
    need(
        "the Python `mcp` package (python3 -m venv + pip install mcp failed)",
        py.is_some(),
    )
    .then(|| py.unwrap())
}

/// Run tests/mcp_client.py against `crew [extra] -L SOCK mcp` with the
/// agents' server in `s`, and judge every step.
fn drive(py: &Path, s: &Server, extra: &[&str], env: &[(&str, &Path)]) {
    // Here (not over ssh): the tools that need this server's panes or a
    // repository: adopt, show/park from a leader pane, spawn's worktree.
    let extras = extra.is_empty();
    let log = s.path().join("echo.log");
    std::fs::write(&log, b"").unwrap();
    let control = s.path().join("boss.ctl");
    std::fs::write(&control, b"").unwrap();
    let fake_log = s.path().join("boss.log");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mcp_client.py");
    let mut c = Command::new(py);
    c.arg(&script)
        .arg(crew_bin())
        .arg(&s.name)
        .arg(example("echoer"))
        .arg(&log)
        .arg(example("fake_agent"))
        .arg(&control)
        .arg(&fake_log)
        .env("MCP_EXTRA_ARGS", serde_json::to_string(extra).unwrap())
        .env("TMUX_TMPDIR", s.path())
        .env("XDG_CONFIG_HOME", s.path().join("config"))
        .env("XDG_STATE_HOME", s.path().join("state"))
        .env_remove("TMUX")
        .env_remove("TMUX_PANE")
        .env_remove("CREW_HOST");
    for (k, v) in env {
        c.env(k, v);
    }
    if extras {
        let repo = s.path().join("app");
        std::fs::create_dir_all(&repo).unwrap();
        std::fs::write(repo.join("README"), "hi\n").unwrap();
        for args in [
            &["init", "-q", "-b", "main"][..],
            &["add", "README"],
            &["commit", "-q", "-m", "init"],
        ] {
            git(&repo, args);
        }
        let leader = s.user_session("lead", 200, 50);
        let byhand = s
            .tmux(&[
                "new-window",
                "-d",
                "-t",
                "lead:",
                "-P",
                "-F",
                "#{pane_id}",
                "sleep 600",
            ])
            .trim()
            .to_string();
        let tmux_env = format!("{},1,0", s.socket_path().display());
        c.env("MCP_LOCAL_EXTRAS", "1")
            .env("MCP_REPO", &repo)
            .env("MCP_BYHAND", byhand)
            .env("MCP_TMUX", tmux_env)
            .env("MCP_TMUX_PANE", leader);
    }
    let out = c.output().unwrap();
    let steps: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        out.status.success(),
        "client failed: {}\n{:#?}",
        stderr(&out),
        steps
    );
    let step = |name: &str| -> &Value {
        steps
            .iter()
            .find(|s| s["step"] == name)
            .unwrap_or_else(|| panic!("no step {name}: {steps:#?}"))
    };
    let ok = |name: &str| -> String {
        let st = step(name);
        assert_eq!(st["is_error"], false, "{name}: {st:#}");
        st["text"].as_str().unwrap().to_string()
    };
    let err = |name: &str| -> String {
        let st = step(name);
        assert_eq!(st["is_error"], true, "{name} must fail: {st:#}");
        st["text"].as_str().unwrap().to_string()
    };

    assert_eq!(step("initialize")["server"], "crew");
    assert_eq!(
        step("list_tools")["names"],
        serde_json::json!([
            "ls", "spawn", "send", "ask", "read", "wait", "approve", "deny", "kill", "answer",
            "restart", "adopt", "queue", "show", "park", "rename", "recover", "diff", "merge"
        ])
    );
    // The lead's calls: the first of two, one call for a reply, turns.
    // The first of three: the two that wait at their prompts, not the one
    // that works.
    let first = ok("wait_first");
    let mut got: Vec<&str> = first.lines().collect();
    got.sort_unstable();
    assert_eq!(got, ["echo idle", "sh1 idle"], "{first}");
    let asked: Value = serde_json::from_str(&ok("ask")).unwrap();
    assert_eq!(asked["status"], "idle", "{asked:#}");
    assert_eq!(asked["timed_out"], false);
    let reply = asked["reply"].as_str().unwrap();
    assert!(
        reply.contains("asked-12") && !reply.contains("$((3*4))"),
        "{reply:?}"
    );
    assert!(err("ask_dialogless_missing").contains("exit status 3"));
    ok("boss_done");
    let rows: Vec<Value> = serde_json::from_str(&ok("ls_turns")).unwrap();
    let turns = rows[0]["turns"].as_array().unwrap();
    let last = turns
        .last()
        .unwrap_or_else(|| panic!("no turns: {rows:#?}"));
    assert_eq!(last["status"], "idle", "{turns:#?}");
    assert!(last["ended_ms"].as_u64().unwrap() > 1_600_000_000_000);
    let spawn_props = &step("list_tools")["schemas"]["spawn"]["properties"];
    assert!(spawn_props["team"].is_object() && spawn_props["worktree"].is_object());
    assert_eq!(
        step("list_tools")["schemas"]["spawn"]["required"],
        serde_json::json!(["name"])
    );
    assert!(ok("spawn_shell").contains("sh1"));
    assert!(ok("spawn_echoer").contains("echo"));
    let rows: Vec<Value> = serde_json::from_str(&ok("ls")).unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    // ls lists by name.
    assert_eq!(names, ["echo", "sh1"]);
    ok("wait_idle");
    // send, approve and deny answer with the commands' --json outcomes.
    let sent: Vec<Value> = serde_json::from_str(&ok("send_shell")).unwrap();
    assert_eq!(sent[0]["name"], "sh1");
    assert_eq!(sent[0]["action"], "sent");
    ok("wait_after");
    assert!(ok("read").contains("hello-42"), "{}", ok("read"));
    assert!(ok("read_new").contains("hello-42"));
    assert!(!ok("read_new_again").contains("hello-42"));
    // The message arrived byte for byte (typed, or one bracketed paste).
    let msg = b"a;b $(x) 'q' \"d\" #{pane_id} -k Enter";
    let got = std::fs::read(&log).unwrap();
    let body: Vec<u8> = got
        .strip_prefix(b"\x1b[200~".as_slice())
        .map(|g| g.strip_suffix(b"\x1b[201~\r".as_slice()).unwrap().to_vec())
        .unwrap_or_else(|| got.strip_suffix(b"\r").unwrap().to_vec());
    assert_eq!(body, msg, "{:?}", String::from_utf8_lossy(&got));

    // Errors are crew's own, with their exit status.
    let e = err("send_missing");
    assert!(
        e.contains("crew: no agent named nope") && e.contains("exit status 3"),
        "{e}"
    );
    let e = err("kill_flaglike");
    assert!(e.contains("invalid agent name"), "{e}");
    let e = err("wait_timeout");
    assert!(
        e.contains("timed out") && e.contains("exit status 124"),
        "{e}"
    );
    // A shell asks no permission: refused.
    let e = err("approve_shell");
    assert!(e.contains("crew:") && e.contains("no dialog"), "{e}");
    // Text is never typed into a dialog; approve and deny answer it.
    ok("fake_idle");
    for (tool, result) in [("approve", "approved"), ("deny", "denied")] {
        ok(&format!("fake_asks_{tool}"));
        let e = err(&format!("send_to_dialog_{tool}"));
        assert!(
            e.contains("permission") && e.contains("exit status 1"),
            "{e}"
        );
        let done: Vec<Value> = serde_json::from_str(&ok(tool)).unwrap();
        assert_eq!(done[0]["name"], "boss");
        assert_eq!(done[0]["action"], result, "{done:?}");
        ok(&format!("fake_idle_{tool}"));
    }
    // answer: option 2 of the menu, with the rules of `crew answer`.
    ok("fake_asks_question");
    let e = err("answer_bad");
    assert!(e.contains("from 1 to 9"), "{e}");
    let done: Vec<Value> = serde_json::from_str(&ok("answer")).unwrap();
    assert_eq!(done[0]["name"], "boss", "{done:?}");
    ok("fake_idle_answer");
    let answered = std::fs::read_to_string(&fake_log).unwrap();
    assert!(answered.contains("permission\tapproved"), "{answered}");
    assert!(answered.contains("denied"), "{answered}");
    assert!(answered.contains("answered 2"), "{answered}");
    if extras {
        let q = ok("send_queue");
        let sent: Vec<Value> = serde_json::from_str(&q).unwrap_or_else(|e| panic!("{e}: {q}"));
        assert_eq!(sent[0]["name"], "sh1", "{sent:?}");
        assert_eq!(sent[0]["action"], "queued", "{sent:?}");
        let e = err("queue_missing");
        assert!(
            e.contains("no agent named nope") && e.contains("exit status 3"),
            "{e}"
        );
        assert!(
            steps
                .iter()
                .any(|s| s["step"] == "read_queue"
                    && s["text"].as_str().unwrap().contains("queued-6")),
            "the queued message was never typed: {steps:#?}"
        );
        assert_eq!(ok("queue_after").trim(), "[]");
        let spawned = ok("spawn_team");
        assert!(spawned.contains("spawned w1"), "{spawned}");
        let rows: Vec<Value> = serde_json::from_str(&ok("ls_team")).unwrap();
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0]["team"], "tm");
        assert_eq!(rows[0]["branch"], "crew/w1");
        assert!(ok("restart").contains("restarted sh1 (%"));
        assert!(ok("adopt").starts_with("adopted byhand (%"));
        ok("rename");
        let shown: Vec<Value> = serde_json::from_str(&ok("show")).unwrap();
        assert_eq!(shown[0]["action"], "shown", "{shown:?}");
        let parked: Vec<Value> = serde_json::from_str(&ok("park")).unwrap();
        assert_eq!(parked[0]["action"], "parked", "{parked:?}");
        let _: Vec<Value> = serde_json::from_str(&ok("recover_dry")).unwrap();
        let killed = ok("kill_team");
        assert!(killed.contains("ended team tm"), "{killed}");
        assert!(killed.contains("removed worktree of w1"), "{killed}");
        ok("kill_hand");
    }
    let killed = ok("kill");
    for n in ["sh1", "echo", "boss"] {
        assert!(killed.contains(&format!("killed {n} (%")), "{killed}");
    }
    assert_eq!(ok("ls_after").trim(), "[]");
    assert!(s.ls().is_empty(), "{}", s.dump());
}

#[test]
fn an_mcp_client_runs_a_team() {
    let Some(py) = need_mcp() else {
        return;
    };
    let s = Server::new();
    drive(&py, &s, &[], &[]);
}

/// `crew --host box mcp`: every tool call goes to the other host over ssh.
#[test]
fn an_mcp_client_runs_a_team_on_another_host() {
    let Some(py) = need_mcp() else {
        return;
    };
    if !need("OpenSSH (ssh, ssh-keygen, sshd)", sshd::openssh_present()) {
        return;
    }
    let r = Server::new();
    let sshd = Sshd::start(r.path(), true);
    let local = Local::new(&sshd.host_table("box", None));
    let cfg = local.dir.path().join("config.toml");
    let run = local.dir.path().join("run");
    drive(
        &py,
        &r,
        &["--host", "box"],
        // This machine's tmux dir is elsewhere: agents reach `r` only by ssh.
        &[
            ("CREW_CONFIG", &cfg),
            ("XDG_RUNTIME_DIR", &run),
            ("TMUX_TMPDIR", local.dir.path()),
        ],
    );
}

/// Lines an MCP client could send that rmcp itself would drop without a
/// word: every one gets its JSON-RPC error, and the server goes on.
#[test]
fn every_request_is_answered_even_garbage_and_giants() {
    use std::io::{BufRead, Write};
    let s = Server::new();
    let mut child = s
        .cmd(&["mcp"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for l in std::io::BufReader::new(stdout).lines() {
            let Ok(l) = l else { return };
            if tx.send(l).is_err() {
                return;
            }
        }
    });
    let answer = |what: &str| -> serde_json::Value {
        let l = rx
            .recv_timeout(std::time::Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("no answer to {what}"));
        serde_json::from_str(&l).unwrap()
    };
    stdin.write_all(b"this is not JSON\n").unwrap();
    let a = answer("garbage");
    assert_eq!(a["error"]["code"], -32700, "{a}");
    assert_eq!(a["id"], serde_json::Value::Null);
    stdin
        .write_all(b"{\"jsonrpc\": \"2.0\", \"id\": 3, \"method\"\n")
        .unwrap();
    assert_eq!(answer("a cut request")["error"]["code"], -32700);
    // 17 MB of tools/call (rmcp drops anything over 16 MiB without a word).
    let text = "x".repeat(17 * 1024 * 1024);
    let big = serde_json::json!({"jsonrpc": "2.0", "id": 7, "method": "tools/call",
        "params": {"name": "send", "arguments": {"names": ["a"], "text": text}}});
    let mut line = serde_json::to_vec(&big).unwrap();
    line.push(b'\n');
    stdin.write_all(&line).unwrap();
    let a = answer("a 17 MB request");
    assert_eq!(
        (a["id"].clone(), a["error"]["code"].clone()),
        (7.into(), (-32600).into()),
        "{a}"
    );
    assert!(
        a["error"]["message"]
            .as_str()
            .unwrap()
            .contains("over crew's limit"),
        "{a}"
    );
    // And the server is still there for a proper client.
    let init = serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {},
        "clientInfo": {"name": "raw", "version": "0"}}});
    stdin.write_all(format!("{init}\n").as_bytes()).unwrap();
    let a = answer("initialize");
    assert_eq!(a["id"], 1, "{a}");
    assert_eq!(a["result"]["serverInfo"]["name"], "crew", "{a}");
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

/// A lead agent reviews a worker's worktree over MCP: diff as plain text
/// (no colour, no pager, even where git's config asks for them), merge
/// refused while work is uncommitted and changing nothing, then merged
/// and the worker ended, with `merge`'s JSON.
#[test]
fn an_mcp_client_reviews_and_merges_a_worker() {
    let Some(py) = need_mcp() else {
        return;
    };
    let s = Server::new();
    let repo = s.path().join("app");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    std::fs::write(repo.join("a.txt"), "one\n").unwrap();
    git(&repo, &["add", "a.txt"]);
    git(&repo, &["commit", "-q", "-m", "init"]);
    // Colour and a pager always, as some people configure git.
    git(&repo, &["config", "color.ui", "always"]);
    git(&repo, &["config", "core.pager", "sed s/^/PAGED:/"]);
    s.ok(&[
        "spawn",
        "worker",
        "-c",
        repo.to_str().unwrap(),
        "--worktree",
        "--",
        "sleep",
        "600",
    ]);
    let wt = s.path().join("app.worktrees").join("worker");
    std::fs::write(wt.join("a.txt"), "one\ncommitted\n").unwrap();
    git(&wt, &["commit", "-q", "-am", "work"]);
    std::fs::write(wt.join("draft.txt"), "not yet\n").unwrap();
    let head = git(&repo, &["rev-parse", "HEAD"]);

    let calls = serde_json::json!([
        ["diff", "diff", {"name": "worker"}],
        ["stat", "diff", {"name": "worker", "stat": true}],
        ["merge_dirty", "merge", {"name": "worker", "kill": true}],
        ["diff_none", "diff", {"name": "nope"}],
    ]);
    let run = |calls: &Value| -> Vec<Value> {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mcp_calls.py");
        let out = git_env(&mut Command::new(&py))
            .arg(&script)
            .arg(crew_bin())
            .arg(&s.name)
            .arg(calls.to_string())
            .env("TMUX_TMPDIR", s.path())
            .env("XDG_CONFIG_HOME", s.path().join("config"))
            .env("XDG_STATE_HOME", s.path().join("state"))
            .env_remove("TMUX")
            .env_remove("TMUX_PANE")
            .env_remove("CREW_HOST")
            .output()
            .unwrap();
        assert!(out.status.success(), "client failed: {}", stderr(&out));
        stdout(&out)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let steps = run(&calls);
    let step = |name: &str| -> (bool, String) {
        let st = steps.iter().find(|s| s["step"] == name).unwrap();
        (
            st["is_error"] == true,
            st["text"].as_str().unwrap().to_string(),
        )
    };
    let (err, diff) = step("diff");
    assert!(!err, "{diff}");
    assert!(
        diff.contains("+committed") && diff.contains("+++ b/draft.txt"),
        "{diff}"
    );
    assert!(
        !diff.contains('\x1b') && !diff.contains("PAGED:"),
        "{diff:?}"
    );
    let (err, stat) = step("stat");
    assert!(
        !err && stat.contains("2 files changed, 2 insertions(+)"),
        "{stat}"
    );
    let (err, text) = step("merge_dirty");
    assert!(err, "{text}");
    assert!(
        text.contains("uncommitted work")
            && text.contains("draft.txt")
            && text.contains("exit status 1"),
        "{text}"
    );
    assert_eq!(git(&repo, &["rev-parse", "HEAD"]), head);
    assert!(s.agent("worker").is_some());
    let (err, text) = step("diff_none");
    assert!(
        err && text.contains("no agent named nope") && text.contains("exit status 3"),
        "{text}"
    );

    // Committed: merged, and the worker ended with its worktree.
    git(&wt, &["add", "draft.txt"]);
    git(&wt, &["commit", "-q", "-m", "draft"]);
    let steps = run(&serde_json::json!([["merge", "merge", {"name": "worker", "kill": true}]]));
    assert_eq!(steps[0]["is_error"], false, "{}", steps[0]);
    let done: Vec<Value> = serde_json::from_str(steps[0]["text"].as_str().unwrap()).unwrap();
    assert_eq!(done[0]["action"], "merged");
    assert_eq!(
        done[0]["detail"],
        "crew/worker into main, 2 commits, fast-forward"
    );
    assert!(
        done.iter().any(|d| d["action"] == "removed worktree of"),
        "{done:?}"
    );
    assert!(repo.join("draft.txt").exists() && !wt.exists());
    assert!(s.agent("worker").is_none());
}
