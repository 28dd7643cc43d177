//! `crew ask NAME TEXT`: send a message and print the agent's reply when the
//! turn it began ends: `send`, `wait --until any` and `read` in one call, for
//! a lead agent (MCP's `ask`) or a script.

use super::Ctx;
use crate::cli::AskArgs;
use crate::deliver;
use crate::error::{CrewError, EXIT_TIMEOUT};
use crate::names::{self, Selector};
use crate::observe::{Goal, Waited};
use crate::receipt::{self, Receipt};
use crate::screen::{self, reply, Capture};
use crate::snapshot::Agent;
use crate::status::Status;
use anyhow::Result;
use std::io::Write;
use std::time::{Duration, Instant};

pub fn run(ctx: &Ctx, a: AskArgs) -> Result<()> {
    names::check(&a.name)?;
    let message = deliver::message(&a.text)?;
    let start = Instant::now();
    let left = |start: Instant| {
        a.timeout
            .map(|t| Duration::from_secs_f64(t).saturating_sub(start.elapsed()))
    };
    let sels = [Selector::Name(a.name.clone())];
    // Until it is idle, asks, or exits; within what is left of --timeout.
    let turn_ends = || {
        crate::observe::wait_for(
            &ctx.tmux,
            &ctx.config,
            &sels,
            false,
            Goal::Any,
            false,
            left(start),
        )
    };

    // Idle first: a busy agent would take the message as its next turn's,
    // and a dialog would take it as an answer.
    let (mut agent, mut st, mut version) = ready_agent(ctx, &a.name)?;
    if st != Status::Idle {
        if let Waited::TimedOut(_) = turn_ends()? {
            return Err(CrewError::new(
                EXIT_TIMEOUT,
                format!("timed out: {} is still {st}; nothing was sent", a.name),
            )
            .into());
        }
        (agent, st, version) = ready_agent(ctx, &a.name)?;
        if st != Status::Idle {
            return Err(CrewError::failure(format!("{} is {st}; nothing was sent", a.name)).into());
        }
    }

    let before = capture(ctx, &agent)?;
    deliver::wait_until_ready(ctx, &[&agent])?;
    deliver::type_text(ctx, &version, &[&agent], &message)?;
    let receipts = receipt::submit(ctx, &[&agent], &message)?;
    let ended = match receipts.first() {
        Some(Receipt::Exited(_)) => Some(Status::Exited),
        _ => None,
    };

    let (st, timed_out) = match ended {
        Some(st) => (st, false),
        None => match turn_ends()? {
            Waited::Reached(mut done) => (done.pop().map_or(Status::Unknown, |d| d.1), false),
            Waited::TimedOut(mut at) => (at.pop().map_or(Status::Unknown, |d| d.1), true),
        },
    };
    let after = capture(ctx, &agent)?;
    let profile = screen::profile_for(&ctx.config, &agent);
    let text = String::from_utf8_lossy(&message);
    let said = reply::added(profile, &before, &after, &text, st.is_attention());
    print(&a, st, timed_out, &said)?;

    if timed_out {
        return Err(CrewError::new(
            EXIT_TIMEOUT,
            format!(
                "timed out: {} is still {st}; what it said so far is above",
                a.name
            ),
        )
        .into());
    }
    let n = &a.name;
    match st {
        Status::Exited => {
            let gone = ctx.snapshot()?;
            let how = gone
                .agent(n)
                .map_or("exited".to_string(), deliver::how_exited);
            Err(CrewError::failure(format!("{n} {how} during the turn"))
                .hint(format!("`crew read {n}` shows its last screen"))
                .into())
        }
        s if s.is_attention() => {
            eprintln!(
                "crew: {n} {}: `crew approve {n}`, `crew deny {n} [-m TEXT]` or `crew answer {n} N`",
                if s == Status::Permission { "asks for permission" } else { "asks a question" }
            );
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The agent, its status now and the server's version (for typing);
/// refused when it cannot take a message.
fn ready_agent(ctx: &Ctx, name: &str) -> Result<(Agent, Status, String)> {
    let snap = ctx.snapshot()?;
    let agent = names::one(&snap.agents, name)?;
    if agent.pane.dead {
        return Err(CrewError::failure(format!(
            "{name} {}; nothing was sent",
            deliver::how_exited(agent)
        ))
        .hint(format!("`crew read {name}` shows its last screen"))
        .into());
    }
    let st = crate::observe::statuses(&ctx.tmux, &ctx.config, &[agent])?[0];
    if st.is_attention() {
        return Err(deliver::dialog_refusal(agent, st).into());
    }
    Ok((agent.clone(), st, snap.version.clone()))
}

/// The whole history and screen, cleaned as `read` cleans them.
fn capture(ctx: &Ctx, agent: &Agent) -> Result<Vec<String>> {
    let pane = agent.pane_id();
    let opts = Capture {
        ansi: false,
        history: true,
        back: None,
    };
    let mut got = screen::capture_many(&ctx.tmux, &[pane], opts)?;
    match got.remove(pane) {
        Some(text) => Ok(screen::clean(&text)),
        None => {
            Err(CrewError::no_agent(format!("{} is gone (killed or removed)", agent.name)).into())
        }
    }
}

fn print(a: &AskArgs, st: Status, timed_out: bool, said: &[String]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if a.json {
        let v = serde_json::json!({
            "name": a.name,
            "status": st.as_str(),
            "timed_out": timed_out,
            "reply": said.join("\n"),
        });
        writeln!(out, "{v}")?;
    } else {
        for l in said {
            writeln!(out, "{l}")?;
        }
    }
    out.flush()?;
    Ok(())
}
