//! `crew ls`: one row per agent, from one snapshot and at most one chained
//! capture of the screens whose status needs one.

use super::Ctx;
use crate::cli::LsArgs;
use crate::names;
use crate::render::{self, Row};
use crate::screen;
use anyhow::Result;
use std::io::Write;

pub fn run(ctx: &Ctx, a: LsArgs) -> Result<()> {
    let sels = names::parse(&a.names)?;
    let snap = ctx.snapshot()?;
    let agents = names::select(&snap.agents, &sels, false, true)?;
    let mut out = std::io::stdout().lock();
    if a.quiet {
        for ag in &agents {
            writeln!(out, "{}", crate::text::escape_controls(&ag.name))?;
        }
        return Ok(());
    }
    let statuses = screen::statuses(&ctx.tmux, &ctx.config, &agents)?;
    let rows: Vec<Row> = agents
        .iter()
        .zip(statuses)
        .map(|(ag, st)| Row::new(ag, st))
        .collect();
    if a.json {
        // Serialise first so a closed stdout surfaces as an io::Error.
        let mut text = serde_json::to_string_pretty(&rows)?;
        text.push('\n');
        out.write_all(text.as_bytes())?;
    } else if !rows.is_empty() {
        out.write_all(render::table(&rows, super::now(), ctx.stdout_colored()).as_bytes())?;
    }
    out.flush()?;
    Ok(())
}
