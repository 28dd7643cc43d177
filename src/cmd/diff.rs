//! `crew diff NAME`: what an agent changed in its worktree against the
//! branch it started from, committed or not, new files included; git's own
//! output, colour and pager.

use super::Ctx;
use crate::cli::{ColorChoice, DiffArgs};
use crate::names;
use crate::review::{self, Show, Work};
use anyhow::Result;

pub fn run(ctx: &Ctx, a: DiffArgs) -> Result<()> {
    names::check(&a.name)?;
    let snap = ctx.snapshot()?;
    let agent = names::one(&snap.agents, &a.name)?;
    let work = Work::of(agent, "diff")?;
    // `--color auto` is git's own choice (a terminal or its pager, and its
    // config), except where crew's rules say no colour (NO_COLOR, dumb).
    let color = match ctx.color {
        ColorChoice::Always => Some(true),
        ColorChoice::Never => Some(false),
        ColorChoice::Auto if !ctx.colored(true) => Some(false),
        ColorChoice::Auto => None,
    };
    review::diff(
        &work,
        Show {
            stat: a.stat,
            color,
            pager: !a.no_pager,
        },
    )
}
