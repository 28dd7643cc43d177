//! Tokens, cost and context per agent on real tmux: `crew report usage` fed
//! the status-line JSON Claude Code 2.1.332 sent, `crew report idle --usage
//! codex` fed the `notify` JSON and rollout file of Codex 0.171.0 (real
//! captures in tests/usage/), then `ls --json`, `ls --wide` and the
//! dashboard reading them back.

mod common;
use common::*;
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/usage")
            .join(name),
    )
    .unwrap()
}

fn still(s: &Server, name: &str) -> String {
    s.ok(&["spawn", name, "--", "exec sleep 600"]);
    s.pane_of(name)
}

/// `crew -v ARGS` as a tool in `pane` runs it, `input` on stdin, `env` added.
fn in_pane(s: &Server, pane: &str, args: &[&str], input: &str, env: &[(&str, &Path)]) -> Output {
    let mut c: Command = s.cmd(&[&["-v"], args].concat());
    c.env("TMUX", format!("{},1,0", s.socket_path().display()))
        .env("TMUX_PANE", pane)
        .env_remove("CLAUDE_CONFIG_DIR")
        .env_remove("CODEX_HOME");
    for (k, v) in env {
        c.env(k, v);
    }
    feed(c, input)
}

/// Run `c` with `input` on its stdin and its output captured.
fn feed(mut c: Command, input: &str) -> Output {
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// tmux calls a crew command made, from `-v`.
fn calls(o: &Output) -> usize {
    stderr(o)
        .lines()
        .filter(|l| l.starts_with("tmux -u "))
        .count()
}

fn usage(s: &Server, name: &str) -> Value {
    s.agent(name).unwrap()["usage"].clone()
}

#[test]
fn claude_status_line_counts_its_transcript_once_and_writes_only_changes() {
    let s = Server::new();
    let pane = still(&s, "cc");
    assert_eq!(usage(&s, "cc"), Value::Null);
    // The status line as Claude Code sent it, its transcript moved here.
    let transcript = s.path().join("transcript.jsonl");
    std::fs::write(&transcript, fixture("claude-transcript.jsonl")).unwrap();
    let mut json: Value = serde_json::from_str(&fixture("claude-status-line.json")).unwrap();
    json["transcript_path"] = Value::String(transcript.display().to_string());
    let input = json.to_string();
    let home = s.path().join("home");
    let env = [("HOME", home.as_path())];
    let o = in_pane(&s, &pane, &["report", "usage"], &input, &env);
    assert!(o.status.success(), "{}", stderr(&o));
    // Nothing of its own on Claude Code's status line; read, then write.
    assert_eq!((stdout(&o).as_str(), calls(&o)), ("", 2), "{}", stderr(&o));
    let u = usage(&s, "cc");
    assert_eq!(
        u,
        serde_json::json!({
            "input_tokens": 200, "output_tokens": 40, "cache_read_tokens": 0,
            "cache_write_tokens": 0, "cost_usd": 0.0016, "context_used": 100,
            "context_window": 1000000
        })
    );
    // The same again: one read, no write.
    let o = in_pane(&s, &pane, &["report", "usage"], &input, &env);
    assert_eq!(calls(&o), 1, "{}", stderr(&o));
    assert_eq!(usage(&s, "cc"), u);
    // Another reply: only the new line is read and counted.
    let last = fixture("claude-transcript.jsonl")
        .lines()
        .rfind(|l| l.contains("\"type\":\"assistant\""))
        .unwrap()
        .replace("msg_ee8136b92625", "msg_another");
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&transcript)
        .unwrap();
    writeln!(f, "{last}").unwrap();
    json["cost"]["total_cost_usd"] = serde_json::json!(0.0024);
    let o = in_pane(&s, &pane, &["report", "usage"], &json.to_string(), &env);
    assert_eq!(calls(&o), 2, "{}", stderr(&o));
    let u = usage(&s, "cc");
    assert_eq!(
        (u["input_tokens"].as_u64(), u["output_tokens"].as_u64()),
        (Some(300), Some(60))
    );
    assert_eq!(u["cost_usd"], 0.0024);
}

#[test]
fn the_persons_own_status_line_still_shows() {
    let s = Server::new();
    let pane = still(&s, "cc");
    let input = fixture("claude-status-line-start.json");
    // Their user settings name a status line: crew runs it as Claude Code
    // would (a shell, the JSON on stdin) and prints what it prints.
    let cfg = s.path().join("claude-config");
    std::fs::create_dir_all(&cfg).unwrap();
    let got = s.path().join("got.json");
    let cmd = format!(
        "cat > '{}'; echo \"mine: $CREW_STATUS_LINE\"",
        got.display()
    );
    std::fs::write(
        cfg.join("settings.json"),
        serde_json::json!({"statusLine": {"type": "command", "command": cmd}}).to_string(),
    )
    .unwrap();
    let o = in_pane(
        &s,
        &pane,
        &["report", "usage"],
        &input,
        &[("CLAUDE_CONFIG_DIR", &cfg)],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "mine: 1\n");
    assert_eq!(std::fs::read_to_string(&got).unwrap(), input);
    // Before any reply: the cost (0) and the window, no context figure yet.
    let u = usage(&s, "cc");
    assert_eq!(
        (u["cost_usd"].as_f64(), u["context_used"].clone()),
        (Some(0.0), Value::Null)
    );
    assert_eq!(u["context_window"], 1000000);
    // Garbage on stdin tags nothing and still shows their line.
    let o = in_pane(
        &s,
        &pane,
        &["report", "usage"],
        "\x1b]52;c;x\x07 not json",
        &[("CLAUDE_CONFIG_DIR", &cfg)],
    );
    assert_eq!(
        (o.status.code(), stdout(&o).as_str()),
        (Some(0), "mine: 1\n")
    );
    // Outside an agent's pane: refused, as every report is.
    let user = s.user_session("work", 80, 24);
    let o = in_pane(&s, &user, &["report", "usage"], &input, &[("HOME", &cfg)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a crew agent"), "{}", stderr(&o));
    // Outside tmux altogether: their line still shows.
    let mut c = s.cmd(&["report", "usage"]);
    c.env("CLAUDE_CONFIG_DIR", &cfg);
    let o = feed(c, &input);
    assert_eq!(
        (o.status.code(), stdout(&o).as_str()),
        (Some(1), "mine: 1\n"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn codex_notify_reads_the_threads_rollout() {
    let s = Server::new();
    let pane = still(&s, "cx");
    let home = s.path().join("codex-home");
    let thread = "01a23fed-a4d7-7e91-9231-155da9cc25e7";
    let day = home.join("sessions/2026/12/04");
    std::fs::create_dir_all(&day).unwrap();
    std::fs::write(
        day.join(format!("rollout-2026-12-04T07-21-08-{thread}.jsonl")),
        fixture("codex-rollout.jsonl"),
    )
    .unwrap();
    let env = [("CODEX_HOME", home.as_path())];
    let run = |json: &str| {
        let o = in_pane(
            &s,
            &pane,
            &["report", "idle", "--usage", "codex", json],
            "",
            &env,
        );
        assert!(o.status.success(), "{}", stderr(&o));
        o
    };
    // As on 0.171.0: the side thread that titles the session ends first;
    // it has no rollout, so nothing is counted for it.
    run(&fixture("codex-notify-title.json"));
    assert_eq!(usage(&s, "cx"), Value::Null);
    let notify = fixture("codex-notify.json");
    run(&notify);
    let a = s.agent("cx").unwrap();
    assert_eq!(a["conversation_id"], thread);
    assert_eq!(
        a["usage"],
        serde_json::json!({
            "input_tokens": 200, "output_tokens": 40, "cache_read_tokens": 0,
            "cache_write_tokens": 0, "cost_usd": null, "context_used": 120,
            "context_window": 258400
        })
    );
    // The same turn again: the report is written, the usage is not.
    let o = run(&notify);
    assert_eq!(calls(&o), 3, "{}", stderr(&o));
}

#[test]
fn ls_wide_totals_and_strangers_tags() {
    let s = Server::new();
    for (name, tag) in [
        (
            "a-claude",
            "v=1&in=200&out=40&cr=0&cw=0&usd=0.0016&ctx=100&win=1000000",
        ),
        (
            "b-codex",
            "v=1&in=12000&out=345&cr=0&cw=0&ctx=120&win=258400",
        ),
        ("c-none", ""),
        // Set by some other process: not believed, never printed.
        ("d-junk", "v=1&in=5&usd=\x1b[2J&sess=$(reboot)"),
    ] {
        let pane = still(&s, name);
        if !tag.is_empty() {
            s.tmux(&["set-option", "-p", "-t", &pane, "@crew-usage", tag]);
        }
    }
    let rows = s.ls();
    let by = |n: &str| rows.iter().find(|r| r["name"] == n).unwrap()["usage"].clone();
    assert_eq!(by("a-claude")["cost_usd"], 0.0016);
    assert_eq!(by("b-codex")["cost_usd"], Value::Null);
    assert_eq!((by("c-none"), by("d-junk")), (Value::Null, Value::Null));
    let wide = s.ok(&["ls", "--wide"]);
    let head = wide.lines().next().unwrap();
    assert!(
        head.contains("TOKENS") && head.contains("COST") && head.contains("CTX%"),
        "{wide}"
    );
    let line = |n: &str| wide.lines().find(|l| l.starts_with(n)).unwrap().to_string();
    assert!(
        line("a-claude").contains(" 240 ") && line("a-claude").contains("$0.0016"),
        "{wide}"
    );
    assert!(
        line("b-codex").contains("12.3k") && line("b-codex").contains(" 0% "),
        "{wide}"
    );
    assert!(!wide.contains('\x1b') && !wide.contains("reboot"), "{wide}");
    assert_eq!(
        wide.lines().last().unwrap(),
        "total of 2 agents: 12.6k tokens (12.2k in, 385 out), $0.0016 (the 1 of 2 that report a cost)"
    );
    // Not wide: the table as before, no total.
    let plain = s.ok(&["ls"]);
    assert!(
        !plain.contains("TOKENS") && !plain.contains("total of"),
        "{plain}"
    );
}

#[test]
fn the_dashboard_shows_each_agents_figures_and_the_total() {
    let s = Server::terminals();
    let pane = still(&s, "api");
    s.tmux(&[
        "set-option",
        "-p",
        "-t",
        &pane,
        "@crew-usage",
        "v=1&in=200&out=40&cr=0&cw=0&usd=0.0016&ctx=100&win=1000",
    ]);
    still(&s, "web");
    let dash = s.session_running(
        "work",
        160,
        20,
        &[&format!("{} -L {} dash", crew_bin().display(), s.name)],
    );
    let mut screen = String::new();
    s.eventually("the dashboard's usage columns", 30, || {
        screen = s.tmux(&["capture-pane", "-p", "-t", &dash]);
        screen.contains("TOKENS")
    });
    let head = screen.lines().next().unwrap();
    assert!(head.contains("240 tokens  $0.0016"), "{screen}");
    let row = screen.lines().find(|l| l.contains("api")).unwrap();
    assert!(
        row.contains("240") && row.contains("$0.0016") && row.contains("10%"),
        "{screen}"
    );
    let row = screen.lines().find(|l| l.contains("web")).unwrap();
    assert!(row.contains(" - "), "{screen}");
}
