//! `crew attach NAME`: this client (inside tmux) or this terminal (outside)
//! on the agent's own window.

use super::Ctx;
use crate::cli::AttachArgs;
use crate::names;
use anyhow::Result;

pub fn run(ctx: &Ctx, a: AttachArgs) -> Result<()> {
    let sels = names::parse(std::slice::from_ref(&a.name))?;
    let snap = ctx.snapshot()?;
    let targets = names::select(&snap.agents, &sels, false, false)?;
    crate::view::attach(ctx, &targets, true)
}
