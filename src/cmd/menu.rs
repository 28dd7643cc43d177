//! `crew menu`: a tmux menu of agents for a key binding; choosing one runs
//! `crew show` for it from the pane the key was pressed in.

use super::Ctx;
use crate::cli::MenuArgs;
use crate::error::CrewError;
use crate::screen;
use crate::tmux::{shell_quote, tmux_quote, Chain, Cmd};
use anyhow::{Context, Result};
use std::io::Write;

/// Menu keys, in order.
const KEYS: &str = "123456789abcdefghijklmnopqrstuvwxyz";

pub fn run(ctx: &Ctx, a: MenuArgs) -> Result<()> {
    let snap = ctx.snapshot()?;
    // Items show the chosen agent beside the pane the key was pressed in.
    let leader = crate::view::leader(ctx, &snap)?.map(|p| p.pane_id.clone());
    let agents: Vec<_> = snap.agents.iter().collect();
    let statuses = screen::statuses(&ctx.tmux, &ctx.config, &agents)?;
    let exe = std::env::current_exe().context("could not find the crew executable")?;
    let mut items: Vec<(String, String, String)> = Vec::new();
    for (i, (ag, st)) in agents.iter().zip(&statuses).enumerate() {
        let key = KEYS.chars().nth(i).map(String::from).unwrap_or_default();
        let label = format!("{:<20} {:<10} {}", ag.name, st.as_str(), ag.place.as_str());
        let mut shell = String::new();
        if let Some(l) = &leader {
            shell.push_str(&format!("TMUX_PANE={l} "));
        }
        shell.push_str(&shell_quote(&exe.display().to_string()));
        for f in ctx.tmux.server_flags() {
            shell.push(' ');
            shell.push_str(&shell_quote(f));
        }
        shell.push_str(&format!(" show {}", ag.name));
        items.push((key, label, format!("run-shell {}", tmux_quote(&shell))));
    }
    if a.print {
        let mut out = std::io::stdout().lock();
        for (k, l, c) in &items {
            writeln!(out, "{k}\t{}\t{c}", l.trim_end())?;
        }
        return Ok(());
    }
    if items.is_empty() {
        let mut ch = Chain::new();
        ch.push(Cmd::new("display-message").arg("crew: no agents (crew spawn NAME starts one)"));
        ctx.tmux.run(&ch)?;
        return Ok(());
    }
    let mut menu =
        Cmd::new("display-menu").args(["-T", "#[align=centre] crew ", "-x", "C", "-y", "C"]);
    for (k, l, c) in items {
        // Menu labels and commands are format-expanded by tmux.
        menu = menu
            .arg(l.replace('#', "##"))
            .arg(k)
            .arg(c.replace('#', "##"));
    }
    let mut ch = Chain::new();
    ch.push(menu);
    ctx.tmux.run(&ch).map_err(|e| {
        CrewError::failure(format!("could not open the menu: {e}"))
            .hint("crew menu is for a tmux key binding: bind G run-shell \"crew menu\"")
    })?;
    Ok(())
}
