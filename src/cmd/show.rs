//! `crew show NAME...`: agents beside the leader pane, in the order given, or
//! this terminal attached to one when run outside tmux.

use super::Ctx;
use crate::cli::ShowArgs;
use crate::view::ShowOpts;
use anyhow::Result;

pub fn run(ctx: &Ctx, a: ShowArgs) -> Result<()> {
    let opts = ShowOpts {
        focus: a.focus,
        zoom: a.zoom,
        layout: a.layout,
    };
    match crate::view::show_names(ctx, &a.names, opts)? {
        Some(done) => crate::render::print_done(&done, a.json, "nothing to show: already on view"),
        None => Ok(()),
    }
}
