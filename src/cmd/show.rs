//! `crew show NAME...`: agents beside the leader pane, or this terminal
//! attached to one when run outside tmux.

use super::Ctx;
use crate::cli::ShowArgs;
use anyhow::Result;

pub fn run(ctx: &Ctx, a: ShowArgs) -> Result<()> {
    crate::view::show_names(ctx, &a.names, a.focus, a.layout)
}
