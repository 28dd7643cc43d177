//! `crew deny NAME... [-m TEXT]`: decline a permission dialog on purpose,
//! then (with -m) tell the agent what to do instead.

use super::Ctx;
use crate::cli::DenyArgs;
use crate::deliver;
use crate::dialog::{self, Answer};
use crate::error::CrewError;
use crate::names;
use crate::status::Status;
use anyhow::Result;
use std::time::{Duration, Instant};

pub fn run(ctx: &Ctx, a: DenyArgs) -> Result<()> {
    let sels = names::parse(&a.names)?;
    if a.message.as_deref().is_some_and(|m| m.trim().is_empty()) {
        return Err(CrewError::usage("-m needs a message").into());
    }
    let snap = ctx.snapshot()?;
    let agents = names::select(&snap.agents, &sels, a.all, false)?;
    let explicit = names::all_exact(&sels) && !a.all;
    let mut done = dialog::answer_dialogs(ctx, &agents, explicit, Answer::Deny)?;
    if let Some(msg) = &a.message {
        let denied: Vec<String> = done.iter().map(|o| o.pane_id.clone()).collect();
        tell(ctx, &denied, msg.as_bytes())?;
        for o in &mut done {
            let told = format!("told it {msg:?}");
            o.detail = Some(match o.detail.take() {
                Some(d) => format!("{d}; {told}"),
                None => told,
            });
        }
    }
    crate::render::print_done(&done, a.json, "no dialog to answer")
}

/// Once each denied agent is back at its input (a few seconds at most),
/// send it the message through the same path as `crew send`.
fn tell(ctx: &Ctx, panes: &[String], msg: &[u8]) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let snap = ctx.snapshot()?;
        let agents: Vec<&crate::snapshot::Agent> = snap
            .agents
            .iter()
            .filter(|a| panes.contains(&a.pane.pane_id))
            .collect();
        let sts = crate::observe::statuses(&ctx.tmux, &ctx.config, &agents)?;
        if let Some((a, st)) = agents.iter().zip(&sts).find(|(_, s)| s.is_attention()) {
            if Instant::now() >= deadline {
                return Err(deliver::dialog_refusal(a, *st).into());
            }
        } else if sts.iter().all(|s| *s == Status::Idle) || Instant::now() >= deadline {
            let live: Vec<&crate::snapshot::Agent> = agents
                .iter()
                .zip(&sts)
                .filter(|(_, s)| **s != Status::Exited)
                .map(|(a, _)| *a)
                .collect();
            deliver::type_text(ctx, &snap.version, &live, msg)?;
            crate::receipt::submit(ctx, &live, msg)?;
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(150));
    }
}
