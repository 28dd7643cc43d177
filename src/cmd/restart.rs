//! `crew restart NAME...`: restart agents in place with their recorded
//! command, cwd and env, back in their conversation where the profile knows
//! how (`resume_args`). One snapshot under the lock, one chain.

use super::Ctx;
use crate::cli::RestartArgs;
use crate::error::CrewError;
use crate::launch;
use crate::names;
use crate::tags;
use crate::tmux::{Chain, Cmd};
use anyhow::{Context, Result};
use std::io::Write;

pub fn run(ctx: &Ctx, a: RestartArgs) -> Result<()> {
    let sels = match &a.team {
        Some(t) => crate::team::selectors(ctx, t)?,
        None => names::parse(&a.names)?,
    };
    let _lock = crate::lock::take(&ctx.tmux)?;
    let snap = ctx.snapshot()?;
    let agents = names::select(&snap.agents, &sels, a.all || a.team.is_some(), false)?;
    if let Some(d) = agents.iter().find(|ag| ag.damage.is_some()) {
        return Err(CrewError::failure(format!(
            "{}'s tags are damaged, so its command is not known; nothing was restarted",
            d.name
        ))
        .hint(format!("`crew ls --json {}` shows the damage", d.name))
        .into());
    }
    // The environment of this command's caller, as for spawn.
    let caller = crate::environ::caller_env(&ctx.tmux)?;
    let mut chain = Chain::new();
    let mut lines = Vec::new();
    for ag in &agents {
        let (record, argv, how) = launch::restart_plan(&ctx.config, ag, a.fresh)?;
        chain.extend(crate::parking::respawn_cmds_argv(
            ag, &argv, &record, None, &caller,
        ));
        // The old process's report is not the new one's.
        chain.push(Cmd::new("set-option").args(["-pu", "-t", ag.pane_id(), tags::REPORT]));
        if !record.log.is_empty() {
            chain.push(launch::log_cmd(ag.pane_id(), &record.log));
        }
        lines.push(format!("restarted {} ({}){how}", ag.name, ag.pane_id()));
    }
    ctx.tmux.run(&chain).context("could not restart")?;
    let mut out = std::io::stdout().lock();
    for l in lines {
        writeln!(out, "{l}")?;
    }
    Ok(())
}
