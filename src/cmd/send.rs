//! `crew send NAME TEXT`: type a message into agents, byte-exact, and submit.

use super::Ctx;
use crate::cli::SendArgs;
use crate::error::{CrewError, EXIT_TIMEOUT};
use crate::names;
use crate::screen::{self, Capture, Goal, Waited};
use crate::snapshot::Agent;
use crate::status;
use crate::tmux::{Chain, Cmd};
use anyhow::{Context, Result};
use std::io::{IsTerminal, Read};
use std::time::Duration;

/// Longest message typed as literal keys; longer or multi-line text goes by
/// a bracketed paste, which TUIs take as one input.
const LITERAL_MAX: usize = 512;

enum Payload {
    Keys(Vec<String>),
    Text(Vec<u8>),
}

pub fn run(ctx: &Ctx, a: SendArgs) -> Result<()> {
    let (targets, words) = split_args(&a);
    let sels = names::parse(&targets)?;
    if sels.is_empty() && !a.all {
        return Err(CrewError::usage("send needs an agent: crew send NAME TEXT").into());
    }
    let payload = payload(&a, &words)?;

    if let Some(secs) = a.wait_idle {
        let t = Some(Duration::from_secs_f64(secs.max(0.0)));
        if let Waited::TimedOut(left) =
            screen::wait_for(&ctx.tmux, &ctx.config, &sels, a.all, Goal::Idle, t)?
        {
            let busy: Vec<String> = left
                .iter()
                .map(|(n, s)| format!("{n} ({})", s.as_str()))
                .collect();
            return Err(CrewError::new(
                EXIT_TIMEOUT,
                format!(
                    "timed out waiting for idle: {}; nothing was sent",
                    busy.join(", ")
                ),
            )
            .into());
        }
    }

    let snap = ctx.snapshot()?;
    let agents = names::select(&snap.agents, &sels, a.all, false)?;
    if let Some(dead) = agents.iter().find(|ag| ag.pane.dead) {
        let how = match (dead.pane.dead_signal, dead.pane.dead_status) {
            (Some(s), _) => format!("was killed by signal {s}"),
            (_, Some(c)) => format!("exited with status {c}"),
            _ => "exited".to_string(),
        };
        return Err(CrewError::failure(format!("{} {how}; nothing was sent", dead.name))
            .hint(format!("`crew read {}` shows its last screen; `crew recover` restarts agents with a restart policy", dead.name))
            .into());
    }

    let mut chain = Chain::new();
    for ag in &agents {
        if ag.pane.in_mode {
            // A pane in copy mode would eat the keys.
            chain.push(Cmd::new("copy-mode").arg("-q").target(ag.pane_id()));
        }
    }
    match &payload {
        Payload::Keys(keys) => {
            for ag in &agents {
                chain.push(
                    Cmd::new("send-keys")
                        .target(ag.pane_id())
                        .args(keys.iter().cloned()),
                );
            }
            ctx.tmux.run(&chain).context("could not send keys")?;
            return Ok(());
        }
        Payload::Text(bytes) => type_text(ctx, &agents, chain, bytes)?,
    }
    if a.no_enter {
        return Ok(());
    }
    submit(ctx, &agents, &payload)
}

/// Words before `--` name agents; without `--`, the first word does (none
/// with `--all`) and the rest is the message.
fn split_args(a: &SendArgs) -> (Vec<String>, Vec<String>) {
    if !a.text.is_empty() {
        (a.args.clone(), a.text.clone())
    } else if a.all {
        (vec![], a.args.clone())
    } else if let Some((first, rest)) = a.args.split_first() {
        (vec![first.clone()], rest.to_vec())
    } else {
        (vec![], vec![])
    }
}

fn payload(a: &SendArgs, words: &[String]) -> Result<Payload> {
    if a.keys {
        if words.is_empty() {
            return Err(
                CrewError::usage("--keys needs key names, e.g. crew send api -k C-c").into(),
            );
        }
        return Ok(Payload::Keys(words.to_vec()));
    }
    let from_stdin = words == ["-"] || (words.is_empty() && !std::io::stdin().is_terminal());
    if from_stdin {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("could not read the message from stdin")?;
        return Ok(Payload::Text(buf));
    }
    if words.is_empty() {
        return Err(
            CrewError::usage("no message: give TEXT, or pipe it on stdin")
                .hint("crew send NAME \"your message\"")
                .into(),
        );
    }
    Ok(Payload::Text(words.join(" ").into_bytes()))
}

fn is_literal(bytes: &[u8]) -> bool {
    bytes.len() <= LITERAL_MAX
        && std::str::from_utf8(bytes).is_ok_and(|s| !s.chars().any(char::is_control))
}

/// Type the text into every agent with one tmux invocation.
fn type_text(ctx: &Ctx, agents: &[&Agent], mut chain: Chain, bytes: &[u8]) -> Result<()> {
    if bytes.is_empty() {
        if !chain.is_empty() {
            ctx.tmux.run(&chain)?;
        }
        return Ok(());
    }
    if is_literal(bytes) {
        let text = String::from_utf8_lossy(bytes).into_owned();
        for ag in agents {
            chain.push(
                Cmd::new("send-keys")
                    .target(ag.pane_id())
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
    for ag in agents {
        chain.push(
            Cmd::new("paste-buffer")
                .args(["-p", "-r", "-b", &buffer])
                .target(ag.pane_id()),
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

fn now_nanos() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0)
}

fn enter_chain(agents: &[&Agent], keys: &[&str]) -> Chain {
    let mut ch = Chain::new();
    for ag in agents {
        ch.push(
            Cmd::new("send-keys")
                .target(ag.pane_id())
                .args(keys.iter().copied()),
        );
    }
    ch
}

/// The submit key goes in a later call than the text, after the profile's
/// settle delay: TUIs take an Enter that arrives with a paste as part of it.
/// Then check that the message left the input box, where the profile can tell.
fn submit(ctx: &Ctx, agents: &[&Agent], payload: &Payload) -> Result<()> {
    let delay = agents
        .iter()
        .map(|a| screen::profile_for(&ctx.config, a).submit_delay_ms)
        .max()
        .unwrap_or(150);
    std::thread::sleep(Duration::from_millis(delay));
    ctx.tmux
        .run(&enter_chain(agents, &["Enter"]))
        .context("could not submit the message")?;

    let Payload::Text(bytes) = payload else {
        return Ok(());
    };
    let message = String::from_utf8_lossy(bytes).into_owned();
    let checkable: Vec<&Agent> = agents
        .iter()
        .copied()
        .filter(|a| screen::profile_for(&ctx.config, a).input_box.is_some())
        .collect();
    if checkable.is_empty() || message.trim().is_empty() {
        return Ok(());
    }
    let mut pending = still_pending(ctx, &checkable, &message, delay)?;
    if !pending.is_empty() {
        // One recovery try per profile (e.g. Escape closes an autocomplete
        // picker that swallowed the Enter).
        let mut ch = Chain::new();
        for ag in &pending {
            let keys = &screen::profile_for(&ctx.config, ag).recovery_keys;
            for k in keys {
                ch.push(Cmd::new("send-keys").target(ag.pane_id()).arg(k.as_str()));
            }
        }
        if !ch.is_empty() {
            ctx.tmux.run(&ch)?;
            pending = still_pending(ctx, &pending, &message, delay)?;
        }
    }
    if pending.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = pending.iter().map(|a| a.name.as_str()).collect();
    Err(CrewError::failure(format!(
        "the message was typed but not submitted to {}",
        names.join(", ")
    ))
    .hint(format!(
        "`crew read {}` shows its input box; `crew send {} -k Enter` submits it",
        names[0], names[0]
    ))
    .into())
}

/// Agents whose input box still holds the message, polled for a short while
/// (a busy TUI can take a moment to take the submit).
fn still_pending<'a>(
    ctx: &Ctx,
    agents: &[&'a Agent],
    message: &str,
    delay: u64,
) -> Result<Vec<&'a Agent>> {
    let deadline = std::time::Instant::now() + Duration::from_millis((delay * 4).max(1000));
    loop {
        std::thread::sleep(Duration::from_millis(delay.max(100)));
        let ids: Vec<&str> = agents.iter().map(|a| a.pane_id()).collect();
        let screens = screen::capture_many(&ctx.tmux, &ids, Capture::default())?;
        let pending: Vec<&Agent> = agents
            .iter()
            .copied()
            .filter(|a| {
                screens.get(a.pane_id()).is_some_and(|s| {
                    let text = screen::clean(s).join("\n");
                    status::input_pending(&text, screen::profile_for(&ctx.config, a), message)
                        == Some(true)
                })
            })
            .collect();
        if pending.is_empty() || std::time::Instant::now() >= deadline {
            return Ok(pending);
        }
    }
}
