//! `crew park [NAME...|--all]`: agents back to their own parking windows.

use super::Ctx;
use crate::cli::ParkArgs;
use crate::error::CrewError;
use crate::names;
use crate::snapshot::Agent;
use anyhow::Result;

pub fn run(ctx: &Ctx, a: ParkArgs) -> Result<()> {
    let sels = names::parse(&a.names)?;
    let _lock = ctx.tmux.lock()?;
    let snap = ctx.snapshot()?;
    let agents: Vec<&Agent> = if sels.is_empty() && !a.all {
        // No names: what is on view in this window.
        let Some(leader) = crate::view::leader(ctx, &snap)? else {
            return Err(CrewError::usage("outside tmux, park needs agent names or --all").into());
        };
        snap.agents
            .iter()
            .filter(|ag| ag.pane.window_id == leader.window_id)
            .collect()
    } else {
        names::select(&snap.agents, &sels, a.all, false)?
    };
    let parked = crate::view::park(ctx, &snap, &agents)?;
    crate::render::print_done(&parked, a.json, "nothing to park")
}
