//! The acting side of `usage`: from inside an agent's pane, `crew report
//! usage` (Claude Code's status-line command) and `crew report idle --usage
//! codex` (Codex's `notify`) put the tool's figures on the pane's
//! `@crew-usage`: one tmux call to read it, a second only when it changed.

use crate::ctx::Ctx;
use crate::error::CrewError;
use crate::tags;
use crate::tmux::{Chain, Cmd};
use crate::usage::{claude, codex, Record};
use anyhow::{Context, Result};
use std::io::{IsTerminal, Read, Write};

/// Claude Code's status line: record its figures, then print the status
/// line the person set in their own settings, if any (crew's `--settings`
/// takes the place of theirs), so Claude Code shows what it showed before.
pub fn claude_status_line(ctx: &Ctx, pane: Result<String>) -> Result<()> {
    let mut text = String::new();
    if !std::io::stdin().is_terminal() {
        // A status line's JSON is small; a bound keeps a runaway writer harmless.
        let _ = std::io::stdin().take(1 << 20).read_to_string(&mut text);
    }
    let tagged = match (pane, claude::status_line(&text)) {
        (Err(e), _) => Err(e),
        (Ok(pane), Some(sl)) => record(ctx, &pane, |old| {
            Some(claude::update(old, &sl, |off| {
                claude::read_transcript(&sl.transcript, off)
            }))
        }),
        (Ok(_), None) => Ok(()),
    };
    if let Some(cmd) = own_status_line() {
        let out = run_status_line(&cmd, &text);
        let mut o = std::io::stdout().lock();
        o.write_all(&out)?;
        o.flush()?;
    }
    tagged
}

/// Codex's turn ended (`notify`'s JSON, `session` the conversation crew
/// took it for): record the thread's figures from its rollout file.
pub fn codex_turn(ctx: &Ctx, pane: &str, json: &str, session: &str) -> Result<()> {
    let Some((thread, turn)) = codex::notify(json) else {
        return Ok(());
    };
    // A side thread's (a session's title) is not the conversation's.
    if thread != session {
        return Ok(());
    }
    let Some(path) = codex::home().and_then(|h| codex::rollout(&h, &thread)) else {
        return Ok(());
    };
    // Codex writes its rollout on a task of its own: give the turn's end a
    // moment to reach the file, else take the counts as they are.
    let mut tail = codex::Tail::default();
    for _ in 0..20 {
        tail = codex::tail(&codex::read_tail(&path).unwrap_or_default(), &turn);
        if tail.turn_done {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let Some(usage) = tail.usage else {
        return Ok(());
    };
    record(ctx, pane, |_| {
        Some(Record {
            usage,
            session: thread,
            ..Record::default()
        })
    })
}

/// Read the pane's tag, compute the next one from it, write it if it
/// changed. Only an agent's pane is tagged.
fn record(
    ctx: &Ctx,
    pane: &str,
    next: impl FnOnce(Option<&Record>) -> Option<Record>,
) -> Result<()> {
    let mut ch = Chain::new();
    ch.push(Cmd::new("display-message").args([
        "-p",
        "-t",
        pane,
        &format!("#{{?#{{{}}},1,0}}:#{{{}}}", tags::NAME, tags::USAGE),
    ]));
    let out = ctx.tmux.run(&ch).context("could not read this pane")?;
    let (agent, old) = out
        .trim_end_matches('\n')
        .split_once(':')
        .unwrap_or(("0", ""));
    if agent != "1" {
        return Err(CrewError::failure(format!("pane {pane} is not a crew agent")).into());
    }
    let Some(rec) = next(Record::parse(old).as_ref()) else {
        return Ok(());
    };
    let value = rec.value();
    if value == old {
        return Ok(());
    }
    let mut ch = Chain::new();
    ch.push(tags::set_pane(pane, tags::USAGE, &value));
    ctx.tmux.run(&ch).context("could not tag this pane")?;
    Ok(())
}

/// Set for the person's own status line that crew runs: it does not run
/// it again, should that command be crew's too.
const NESTED: &str = "CREW_STATUS_LINE";

/// The `statusLine` command of the person's user settings
/// (`$CLAUDE_CONFIG_DIR/settings.json`, else `~/.claude/settings.json`).
/// A project's settings are not looked at: Claude Code trusts a folder's
/// files only once asked, and crew would run them unasked.
fn own_status_line() -> Option<String> {
    if std::env::var_os(NESTED).is_some() {
        return None;
    }
    let nonempty = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    let dir = match nonempty("CLAUDE_CONFIG_DIR") {
        Some(d) => std::path::PathBuf::from(d),
        None => std::path::Path::new(&nonempty("HOME")?).join(".claude"),
    };
    let mut text = String::new();
    std::fs::File::open(dir.join("settings.json"))
        .ok()?
        .take(1 << 20)
        .read_to_string(&mut text)
        .ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let sl = v.get("statusLine")?;
    if sl.get("type").and_then(|t| t.as_str()) != Some("command") {
        return None;
    }
    sl.get("command")
        .and_then(|c| c.as_str())
        .filter(|c| !c.trim().is_empty())
        .map(str::to_string)
}

/// Run a status-line command as Claude Code does (a shell, the JSON on
/// stdin) and return what it printed, at most 64 KiB.
fn run_status_line(cmd: &str, input: &str) -> Vec<u8> {
    use std::process::{Command, Stdio};
    let Ok(mut child) = Command::new("sh")
        .args(["-c", cmd])
        .env(NESTED, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        return vec![];
    };
    // Written on a thread: a command that prints before it reads (or never
    // reads) must not block crew.
    let feeder = child.stdin.take().map(|mut w| {
        let input = input.to_string();
        std::thread::spawn(move || {
            let _ = w.write_all(input.as_bytes());
        })
    });
    let mut out = Vec::new();
    if let Some(r) = child.stdout.take() {
        let _ = r.take(64 << 10).read_to_end(&mut out);
    }
    let _ = child.wait();
    if let Some(f) = feeder {
        let _ = f.join();
    }
    out
}
