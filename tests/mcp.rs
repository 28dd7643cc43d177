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
fn python_with_mcp() -> Option<PathBuf> {
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

fn skip_loudly() {
    eprintln!(
        "\n\n!!!!! SKIPPED: the Python `mcp` package could not be installed \
         (python3 -m venv + pip install mcp); crew mcp was NOT tested !!!!!\n\n"
    );
}

/// Run tests/mcp_client.py against `crew [extra] -L SOCK mcp` with the
/// agents' server in `s`, and judge every step.
fn drive(py: &Path, s: &Server, extra: &[&str], env: &[(&str, &Path)]) {
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
        .env_remove("TMUX")
        .env_remove("TMUX_PANE")
        .env_remove("CREW_HOST");
    for (k, v) in env {
        c.env(k, v);
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
        serde_json::json!(["ls", "spawn", "send", "read", "wait", "approve", "deny", "kill"])
    );
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
    let answered = std::fs::read_to_string(&fake_log).unwrap();
    assert!(answered.contains("permission\tapproved"), "{answered}");
    assert!(answered.contains("denied"), "{answered}");
    let killed = ok("kill");
    for n in ["sh1", "echo", "boss"] {
        assert!(killed.contains(&format!("killed {n} (%")), "{killed}");
    }
    assert_eq!(ok("ls_after").trim(), "[]");
    assert!(s.ls().is_empty(), "{}", s.dump());
}

#[test]
fn an_mcp_client_runs_a_team() {
    let Some(py) = python_with_mcp() else {
        return skip_loudly();
    };
    let s = Server::new();
    drive(&py, &s, &[], &[]);
}

/// `crew --host box mcp`: every tool call goes to the other host over ssh.
#[test]
fn an_mcp_client_runs_a_team_on_another_host() {
    let Some(py) = python_with_mcp() else {
        return skip_loudly();
    };
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
