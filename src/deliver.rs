//! Delivering text and keys to agents: the one path that `send`, `approve`,
//! `deny`, `answer` (and anything else that types into an agent) share.
//!
//! A message is typed only into an agent that is ready for it: never into a
//! dialog (a stray Enter would answer it), never into a tool still drawing
//! its first screen, and `send` returns once the agent has taken it.

use crate::ctx::Ctx;
use crate::error::{CrewError, EXIT_TIMEOUT};
use crate::screen;
use crate::snapshot::Agent;
use crate::status::Status;
use crate::tmux::{Chain, Cmd};
use anyhow::{Context, Result};
use std::time::{Duration, Instant};

/// Longest message typed as literal keys; longer or multi-line text goes by
/// a bracketed paste, which TUIs take as one input.
const LITERAL_MAX: usize = 512;
/// How long a just-started agent must read idle before it is typed into.
const READY_HOLD: Duration = Duration::from_millis(1200);
/// Between two looks at the screens while waiting.
pub(crate) const POLL: Duration = Duration::from_millis(150);

pub use crate::note::Note;
pub use crate::snapshot::how_exited;

/// What a dialog waits for, and how a person answers it.
pub fn dialog_refusal(a: &Agent, st: Status) -> CrewError {
    let what = if st == Status::Permission {
        "waits for permission (its screen asks to approve a tool or command)"
    } else {
        "asks a question (its screen shows a menu of answers)"
    };
    CrewError::failure(format!("{} {what}; nothing was sent", a.name)).hint(format!(
        "answer it first: `crew approve {n}`, `crew deny {n} [-m TEXT]`, `crew answer {n} N`, or keys with `crew send {n} -k KEY`; `crew read {n}` shows the dialog",
        n = a.name
    ))
}

/// Whether the agent's process started less than `secs` ago: a tool that
/// young may still be drawing its first screen.
fn young(a: &Agent, secs: u64) -> bool {
    crate::procs::age_secs(a.pane.pid).is_some_and(|age| age < secs as f64)
}

/// Wait until every agent that was just started (its process is younger
/// than its profile's `start_timeout_secs`) is ready: idle for READY_HOLD,
/// or working (a busy tool takes typing as a queued message). A tool
/// still drawing its first screen reads `unknown`; older agents are taken
/// as they are. Bounded by the largest
/// `start_timeout_secs`: exit 124 with nothing typed when it passes. A
/// dialog that comes up meanwhile (a trust prompt) refuses the send.
pub fn wait_until_ready(ctx: &Ctx, agents: &[&Agent]) -> Result<()> {
    let profile = |a: &Agent| screen::profile_for(&ctx.config, a);
    let mut waiting: Vec<&Agent> = agents
        .iter()
        .copied()
        .filter(|a| young(a, profile(a).start_timeout_secs))
        .collect();
    if waiting.is_empty() {
        return Ok(());
    }
    let limit = waiting
        .iter()
        .map(|a| profile(a).start_timeout_secs)
        .max()
        .unwrap_or(60);
    let deadline = Instant::now() + Duration::from_secs(limit);
    // When each was first seen idle: a tool can call itself ready (its title,
    // a start-up hook) a moment before its input takes an Enter (measured on
    // Gemini CLI: 0.5-1 s), so idle must hold for READY_HOLD.
    let mut idle_since: Vec<(String, Instant)> = Vec::new();
    let mut note = Note::new();
    loop {
        let snap = ctx.snapshot()?;
        let now: Vec<&Agent> = waiting
            .iter()
            .filter_map(|w| snap.agents.iter().find(|a| a.pane_id() == w.pane_id()))
            .collect();
        let sts = crate::observe::statuses(&ctx.tmux, &ctx.config, &now)?;
        let mut still = Vec::new();
        for (a, st) in now.iter().zip(&sts) {
            match st {
                Status::Exited => {
                    return Err(CrewError::failure(format!(
                        "{} {} while starting; nothing was sent",
                        a.name,
                        how_exited(a)
                    ))
                    .hint(format!("`crew read {}` shows its last screen", a.name))
                    .into())
                }
                s if s.is_attention() => return Err(dialog_refusal(a, *s).into()),
                Status::Working => {}
                Status::Idle => {
                    let since = match idle_since.iter().find(|(n, _)| n == &a.name) {
                        Some((_, t)) => *t,
                        None => {
                            idle_since.push((a.name.clone(), Instant::now()));
                            Instant::now()
                        }
                    };
                    if since.elapsed() < READY_HOLD {
                        still.push(a.pane_id().to_string());
                    }
                }
                _ => {
                    idle_since.retain(|(n, _)| n != &a.name);
                    still.push(a.pane_id().to_string());
                }
            }
        }
        waiting.retain(|w| still.iter().any(|p| p == w.pane_id()));
        if waiting.is_empty() {
            return Ok(());
        }
        if Instant::now() >= deadline {
            let names: Vec<&str> = waiting.iter().map(|a| a.name.as_str()).collect();
            return Err(CrewError::new(
                EXIT_TIMEOUT,
                format!(
                    "{} did not become ready within {limit} s of starting; nothing was sent",
                    names.join(", ")
                ),
            )
            .hint("`crew read NAME` shows what it is showing; `start_timeout_secs` in its profile sets the bound")
            .into());
        }
        let names: Vec<&str> = waiting.iter().map(|a| a.name.as_str()).collect();
        note.show(&format!("waiting for {} to be ready", names.join(", ")));
        std::thread::sleep(POLL);
    }
}

fn is_literal(bytes: &[u8]) -> bool {
    bytes.len() <= LITERAL_MAX
        && std::str::from_utf8(bytes).is_ok_and(|s| !s.chars().any(char::is_control))
}

fn now_nanos() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0)
}

/// Commands that take panes out of copy mode, which would eat the keys.
fn leave_copy_mode(agents: &[&Agent]) -> Chain {
    let mut chain = Chain::new();
    for a in agents.iter().filter(|a| a.pane.in_mode) {
        chain.push(Cmd::new("copy-mode").arg("-q").target(a.pane_id()));
    }
    chain
}

/// Type the text into every agent with one tmux invocation (two for a
/// paste: the load, then the paste). `version`: the server's, from the
/// snapshot (a paste's flags differ between releases).
pub fn type_text(ctx: &Ctx, version: &str, agents: &[&Agent], bytes: &[u8]) -> Result<()> {
    let mut chain = leave_copy_mode(agents);
    if is_literal(bytes) {
        let text = String::from_utf8_lossy(bytes).into_owned();
        for a in agents {
            chain.push(
                Cmd::new("send-keys")
                    .target(a.pane_id())
                    .args(["-l", "--", &text]),
            );
        }
        ctx.tmux.run(&chain).context("could not type the message")?;
        return Ok(());
    }
    // One named buffer, loaded from stdin (no argv limit) by a tmux call of
    // its own: if crew dies while feeding it, tmux loads a truncated buffer,
    // and nothing pastes it, because the paste is a later call that crew
    // makes only once the load has returned. Pasted raw (-r keeps LF as LF)
    // and bracketed (-p) where the program asked for it.
    let buffer = format!("crew-send-{}-{:x}", std::process::id(), now_nanos());
    let mut load = Chain::new();
    load.push(Cmd::new("load-buffer").args(["-b", &buffer, "-"]));
    ctx.tmux
        .run_with_stdin(&load, bytes)
        .context("could not load the message into a tmux buffer")?;
    for a in agents {
        chain.push(
            Cmd::new("paste-buffer")
                .args(["-p", "-r", "-b", &buffer])
                .args(crate::tmux::paste_verbatim_flags(version).iter().copied())
                .target(a.pane_id()),
        );
    }
    chain.push(Cmd::new("delete-buffer").args(["-b", &buffer]));
    let res = ctx.tmux.run(&chain);
    if res.is_err() {
        let mut del = Chain::new();
        del.push(Cmd::new("delete-buffer").args(["-b", &buffer]));
        let _ = ctx.tmux.run(&del);
    }
    res.context("could not paste the message")?;
    Ok(())
}

/// Press tmux keys in each agent (its own list each), in one invocation.
/// Every key, text or command crew types goes through here or `type_text`:
/// after `--`, a key that looks like a flag (`-t %0`) is a key, never an
/// option that would send it to another pane.
pub fn press(ctx: &Ctx, keys: &[(&Agent, Vec<String>)]) -> Result<()> {
    press_then(ctx, keys, Chain::new())
}

/// `press`, with `after` run by tmux in the same call, right after the keys.
pub fn press_then(ctx: &Ctx, keys: &[(&Agent, Vec<String>)], after: Chain) -> Result<()> {
    let agents: Vec<&Agent> = keys.iter().map(|(a, _)| *a).collect();
    let mut chain = leave_copy_mode(&agents);
    for (a, k) in keys {
        if !k.is_empty() {
            chain.push(
                Cmd::new("send-keys")
                    .target(a.pane_id())
                    .arg("--")
                    .args(k.iter().cloned()),
            );
        }
    }
    chain.extend(after.cmds().iter().cloned());
    if !chain.is_empty() {
        ctx.tmux.run(&chain).context("could not send keys")?;
    }
    Ok(())
}

/// The agents at `open` (indexes into the caller's list, whose pane ids
/// `pane` gives) as a fresh snapshot sees them; those gone are left out.
pub(crate) fn again<'s, 'p>(
    snap: &'s crate::snapshot::Snapshot,
    open: &[usize],
    pane: impl Fn(usize) -> &'p str,
) -> Vec<(usize, &'s Agent)> {
    open.iter()
        .filter_map(|&i| {
            let id = pane(i);
            snap.agents
                .iter()
                .find(|a| a.pane_id() == id)
                .map(|a| (i, a))
        })
        .collect()
}

/// A message from its words, or from stdin when they are `-` or none and
/// stdin is not a terminal (`send`, `ask`). Never empty.
pub fn message(words: &[String]) -> Result<Vec<u8>> {
    use std::io::{IsTerminal, Read};
    let from_stdin = words == ["-"] || (words.is_empty() && !std::io::stdin().is_terminal());
    let mut bytes = if from_stdin {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("could not read the message from stdin")?;
        // `echo msg | crew send a`: the newline that ends the input is not
        // part of the message (it would be submitted as a second Enter).
        while buf.last() == Some(&b'\n') {
            buf.pop();
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
        }
        buf
    } else if words.is_empty() {
        return Err(
            CrewError::usage("no message: give TEXT, or pipe it on stdin")
                .hint("crew send NAME \"your message\"")
                .into(),
        );
    } else {
        words.join(" ").into_bytes()
    };
    if bytes.is_empty() {
        return Err(CrewError::usage("the message is empty; nothing was sent")
            .hint("to press Enter alone: crew send NAME -k Enter")
            .into());
    }
    bytes.shrink_to_fit();
    Ok(bytes)
}
