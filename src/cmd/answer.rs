//! `crew answer NAME N`: pick option N of the menu an agent shows.

use super::Ctx;
use crate::cli::AnswerArgs;
use crate::dialog::{self, Answer};
use crate::names;
use anyhow::Result;

pub fn run(ctx: &Ctx, a: AnswerArgs) -> Result<()> {
    let sels = names::parse(std::slice::from_ref(&a.name))?;
    let snap = ctx.snapshot()?;
    let agents = names::select(&snap.agents, &sels, false, false)?;
    let done = dialog::answer_dialogs(ctx, &agents, true, Answer::Choice(a.choice))?;
    crate::render::print_done(&done, a.json, "no dialog to answer")
}
