//! `crew park [NAME...|--all]`: agents back to their own parking windows.

use super::Ctx;
use crate::cli::ParkArgs;
use crate::error::CrewError;
use crate::names;
use crate::snapshot::Agent;
use anyhow::Result;

pub fn run(ctx: &Ctx, a: ParkArgs) -> Result<()> {
    let sels = names::parse(&a.names)?;
    let _lock = crate::lock::take(&ctx.tmux)?;
    let snap = ctx.snapshot()?;
    // Viewers of agents on other hosts close with the view they are in.
    let mut viewers_in: Option<Option<String>> = a.all.then_some(None);
    let agents: Vec<&Agent> = if sels.is_empty() && !a.all {
        // No names: what is on view in this window.
        let Some(leader) = crate::view::leader(ctx, &snap)? else {
            return Err(CrewError::usage("outside tmux, park needs agent names or --all").into());
        };
        viewers_in = Some(Some(leader.window_id.clone()));
        snap.agents
            .iter()
            .filter(|ag| ag.pane.window_id == leader.window_id)
            .collect()
    } else {
        names::select(&snap.agents, &sels, a.all, false)?
    };
    let parked = crate::view::park(ctx, &snap, &agents)?;
    let mut parked = parked;
    if let Some(window) = viewers_in {
        for v in crate::remote::close_viewers(&ctx.tmux, window.as_deref())? {
            parked.push(crate::render::Done {
                action: "closed the viewer of",
                name: v,
                pane_id: String::new(),
                detail: None,
            });
        }
    }
    crate::render::print_done(&parked, a.json, "nothing to park")
}
