//! `crew rename OLD NEW`: the name tag and, when parked, its window's name.

use super::Ctx;
use crate::cli::RenameArgs;
use crate::error::CrewError;
use crate::names;
use crate::snapshot::Where;
use crate::tags;
use crate::tmux::{format_literal, Chain, Cmd};
use anyhow::{Context, Result};

pub fn run(ctx: &Ctx, a: RenameArgs) -> Result<()> {
    names::check(&a.old)?;
    names::check(&a.new)?;
    let _lock = crate::lock::take(&ctx.tmux)?;
    let snap = ctx.snapshot()?;
    let sel = [names::Selector::Name(a.old.clone())];
    let ag = names::select(&snap.agents, &sel, false, false)?[0];
    if a.old == a.new {
        return Ok(());
    }
    if let Some(other) = snap.agent(&a.new) {
        return Err(CrewError::failure(format!(
            "an agent named {} already exists (pane {})",
            a.new,
            other.pane_id()
        ))
        .hint("pick another name")
        .into());
    }
    let mut ch = Chain::new();
    ch.push(tags::set_pane(ag.pane_id(), tags::NAME, &a.new));
    if ag.place == Where::Parked {
        ch.push(Cmd::new("rename-window").args([
            "-t",
            &ag.pane.window_id,
            &format_literal(&a.new),
        ]));
    }
    ctx.tmux.run(&ch).context("could not rename")?;
    println!("renamed {} to {} ({})", a.old, a.new, ag.pane_id());
    Ok(())
}
