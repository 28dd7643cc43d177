//! `crew wait NAME... [--until STATE] [--first] [--timeout SECS]`: block
//! until agents reach a state (`--first`: until one does, printed), polling
//! with one snapshot per round.

use super::Ctx;
use crate::cli::{Until, WaitArgs};
use crate::error::{CrewError, EXIT_TIMEOUT};
use crate::names;
use crate::observe::{Goal, Waited};
use anyhow::Result;
use std::io::Write;
use std::time::Duration;

pub fn run(ctx: &Ctx, a: WaitArgs) -> Result<()> {
    crate::attention::allow_deliveries();
    let sels = match &a.team {
        Some(t) => crate::team::selectors(ctx, t)?,
        None => names::parse(&a.names)?,
    };
    let goal = match a.until {
        Until::Idle => Goal::Idle,
        Until::Exited => Goal::Exited,
        Until::Attention => Goal::Attention,
        Until::Any => Goal::Any,
    };
    let timeout = a.timeout.map(|s| Duration::from_secs_f64(s.max(0.0)));
    match crate::observe::wait_for(&ctx.tmux, &ctx.config, &sels, a.all, goal, a.first, timeout)? {
        Waited::TimedOut(left) => {
            let pending: Vec<String> = left
                .iter()
                .filter(|(_, s)| !goal.reached(*s))
                .map(|(n, s)| format!("{n} is {}", s.as_str()))
                .collect();
            Err(CrewError::new(EXIT_TIMEOUT, format!("timed out: {}", pending.join(", "))).into())
        }
        Waited::Reached(done) if a.first => {
            let mut out = std::io::stdout().lock();
            for (agent, st) in &done {
                writeln!(out, "{} {}", agent.name, st.as_str())?;
            }
            Ok(())
        }
        Waited::Reached(done) => {
            // One agent waited to exit: its status is ours.
            if goal == Goal::Exited && done.len() == 1 {
                let p = &done[0].0.pane;
                let code = match (p.dead_signal, p.dead_status) {
                    (Some(sig), _) => 128 + sig,
                    (_, Some(c)) => c,
                    _ => 0,
                };
                if code != 0 {
                    return Err(CrewError::exit(code).into());
                }
            }
            Ok(())
        }
    }
}
