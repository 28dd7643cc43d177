//! `crew adopt %N NAME`: tag a pane that crew did not start (a Claude Code
//! started by hand, say) as an agent. Its command and cwd are read from the
//! pane's process; it stays where it is.

use super::Ctx;
use crate::cli::AdoptArgs;
use crate::error::CrewError;
use crate::names;
use crate::tags::{self, Tags};
use crate::tmux::Chain;
use anyhow::{Context, Result};

pub fn run(ctx: &Ctx, a: AdoptArgs) -> Result<()> {
    names::check(&a.name)?;
    let digits = a.pane.strip_prefix('%').unwrap_or("");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CrewError::usage(format!(
            "invalid pane {:?}: expected a pane id such as %12",
            a.pane
        ))
        .hint("tmux display -p '#{pane_id}' prints the current pane's id")
        .into());
    }
    if let Some(t) = &a.team {
        crate::team::check(t)?;
    }
    if let Some(p) = &a.profile {
        if ctx.config.profile(p).is_none() {
            return Err(CrewError::usage(format!("no profile named {p}")).into());
        }
    }
    let _lock = crate::lock::take(&ctx.tmux)?;
    let snap = ctx.snapshot()?;
    let pane = snap
        .pane(&a.pane)
        .ok_or_else(|| CrewError::no_agent(format!("no pane {} on this server", a.pane)))?;
    if let Some(ag) = snap.agents.iter().find(|g| g.pane_id() == a.pane) {
        return Err(
            CrewError::failure(format!("pane {} is already agent {}", a.pane, ag.name))
                .hint("`crew rename` gives it another name")
                .into(),
        );
    }
    if let Some(other) = snap.agent(&a.name) {
        return Err(CrewError::failure(format!(
            "an agent named {} already exists (pane {})",
            a.name,
            other.pane_id()
        ))
        .into());
    }
    if pane.role == tags::ROLE_PLACEHOLDER {
        return Err(CrewError::failure(format!(
            "pane {} is the parking session's placeholder, not an agent",
            a.pane
        ))
        .into());
    }
    if pane.dead {
        return Err(CrewError::failure(format!("pane {} has exited", a.pane)).into());
    }
    let argv = crate::procs::cmdline(pane.pid).unwrap_or_default();
    let cwd = std::fs::read_link(format!("/proc/{}/cwd", pane.pid))
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "/".into());
    let current =
        crate::procs::current_command(pane.pid).unwrap_or_else(|| pane.current_command.clone());
    let profile = a.profile.clone().unwrap_or_else(|| {
        let cur = current.trim_start_matches('-');
        if ctx.config.profile(cur).is_some() && cur != "shell" {
            cur.to_string()
        } else {
            "shell".into()
        }
    });
    let t = Tags {
        name: a.name.clone(),
        shell: argv.len() <= 1,
        argv: if argv.is_empty() {
            vec![current.clone()]
        } else {
            argv
        },
        cwd,
        profile,
        created: super::now(),
        team: a.team.clone().unwrap_or_default(),
        ..Tags::default()
    };
    let mut ch = Chain::new();
    // As for spawned agents: an exit leaves the pane listed and readable.
    ch.push(tags::set_pane(&a.pane, "remain-on-exit", "on"));
    ch.extend(t.set_commands(&a.pane));
    ctx.tmux.run(&ch).context("could not tag the pane")?;
    if !crate::render::under_run_shell() {
        println!("adopted {} ({})", a.name, a.pane);
    }
    Ok(())
}
