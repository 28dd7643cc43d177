//! `crew border PANE` (hidden): the status word tmux shows in a shown
//! agent's pane border, run by tmux itself as a `#()` job of the border
//! format, so the border stays right without anyone running `ls`.

use super::Ctx;
use crate::cli::BorderArgs;
use anyhow::Result;
use std::io::Write;

pub fn run(ctx: &Ctx, a: BorderArgs) -> Result<()> {
    let snap = ctx.snapshot()?;
    // Not an agent (any more): an empty word, never an error in a border.
    let Some(agent) = snap.agents.iter().find(|ag| ag.pane_id() == a.pane) else {
        return Ok(());
    };
    // Also records the status in the agent's tag, as `ls` does.
    let st = crate::observe::statuses(&ctx.tmux, &ctx.config, &[agent])?;
    writeln!(std::io::stdout(), "{}", st[0].as_str())?;
    Ok(())
}
