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
    crate::attention::allow_deliveries();
    let sels = names::parse(&a.names)?;
    // Turn events only for --json: kilobytes an agent the table never shows.
    let snap = crate::snapshot::Snapshot::take_with(&ctx.tmux, &ctx.config.session, a.json)?;
    // An exact name that does not exist is exit 3, as everywhere; a glob
    // that matches nothing is an empty list.
    let exact: Vec<names::Selector> = sels
        .iter()
        .filter(|s| matches!(s, names::Selector::Name(_)))
        .cloned()
        .collect();
    if !exact.is_empty() {
        names::select(&snap.agents, &exact, false, false)?;
    }
    let mut agents = names::select(&snap.agents, &sels, false, true)?;
    if let Some(t) = &a.team {
        agents.retain(|ag| &ag.tags.team == t);
    }
    // Rows by name: stable whatever show and park did to the panes.
    agents.sort_by(|x, y| x.name.cmp(&y.name).then(x.pane_id().cmp(y.pane_id())));
    let mut out = std::io::stdout().lock();
    if a.quiet {
        for ag in &agents {
            writeln!(out, "{}", crate::text::escape_controls(&ag.name))?;
        }
        return Ok(());
    }
    // A profile this config does not know (given by another config when the
    // agent was spawned): its agents are judged as plain commands. Say so.
    let mut missing: Vec<&str> = agents
        .iter()
        .map(|ag| ag.tags.profile.as_str())
        .filter(|p| !p.is_empty() && ctx.config.profile(p).is_none())
        .collect();
    missing.sort_unstable();
    missing.dedup();
    for p in missing {
        eprintln!(
            "crew: warning: profile {} is not in this configuration; its agents are judged as plain commands",
            crate::text::escape_controls(p)
        );
        eprintln!("hint: run with the --config (or CREW_CONFIG) they were spawned with");
    }
    let judged = crate::observe::judge(&ctx.tmux, &ctx.config, &agents, a.wide)?;
    let screens = &judged.screens;
    let rows: Vec<Row> = agents
        .iter()
        .enumerate()
        .map(|(i, ag)| {
            let screen = screens.get(ag.pane_id()).map(String::as_str);
            let p = screen::profile_for(&ctx.config, ag);
            let mut r = Row::new(ag, judged.statuses[i]).with_mode(ag, p, screen);
            r.status_source = judged.sources[i];
            r.turns = crate::turns::parse(&ag.tags.turns);
            if a.wide {
                r.last_line = Some(
                    screens
                        .get(ag.pane_id())
                        .map(|s| screen::last_line(s))
                        .unwrap_or_default(),
                );
            }
            r
        })
        .collect();
    if a.json {
        // Serialise first so a closed stdout surfaces as an io::Error.
        let mut text = serde_json::to_string_pretty(&rows)?;
        text.push('\n');
        out.write_all(text.as_bytes())?;
    } else {
        // No agents: the header on a terminal, nothing for a pipe.
        let width = render::terminal_width();
        if !rows.is_empty() || width.is_some() {
            let t = render::table(&rows, super::now(), ctx.stdout_colored(), width);
            out.write_all(t.as_bytes())?;
        }
        if let Some(total) = render::totals_line(&rows).filter(|_| a.wide) {
            writeln!(out, "{total}")?;
        }
    }
    out.flush()?;
    Ok(())
}
