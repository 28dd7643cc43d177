//! `crew approve NAME...`: answer a permission dialog "yes", on purpose,
//! with the keys the agent's profile names for its tool.

use super::Ctx;
use crate::cli::ApproveArgs;
use crate::dialog::{self, Answer};
use crate::names;
use anyhow::Result;

pub fn run(ctx: &Ctx, a: ApproveArgs) -> Result<()> {
    let sels = names::parse(&a.names)?;
    let snap = ctx.snapshot()?;
    let agents = names::select(&snap.agents, &sels, a.all, false)?;
    let explicit = names::all_exact(&sels) && !a.all;
    let done = dialog::answer_dialogs(ctx, &agents, explicit, Answer::Approve)?;
    crate::render::print_done(&done, a.json, "no dialog to answer")
}
