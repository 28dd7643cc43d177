//! `crew attach NAME`: this client (inside tmux) or this terminal (outside)
//! on the agent's own window.

use super::Ctx;
use crate::cli::AttachArgs;
use crate::names;
use anyhow::Result;

pub fn run(ctx: &Ctx, a: AttachArgs) -> Result<()> {
    names::check(&a.name)?;
    let sels = [names::Selector::Name(a.name.clone())];
    let snap = ctx.snapshot()?;
    let targets = names::select(&snap.agents, &sels, false, false)?;
    crate::view::attach(ctx, &targets, true)
}
