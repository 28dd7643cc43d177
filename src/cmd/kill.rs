//! `crew kill NAME...|--all`: TERM the agent's process group, wait up to the
//! grace period, then remove the pane and kill what is left.

use super::Ctx;
use crate::cli::KillArgs;
use crate::error::CrewError;
use crate::names;
use crate::tmux::{Chain, Cmd};
use anyhow::{Context, Result};
use rustix::process::{kill_process_group, Pid, Signal};
use std::io::Write;
use std::time::{Duration, Instant};

/// The process group tmux made for the pane (its child calls setsid), never
/// 0 or 1: kill(-1) would signal every process we may signal.
fn group(pid: u32) -> Option<Pid> {
    (pid > 1).then(|| Pid::from_raw(pid as i32)).flatten()
}

fn alive(pg: Pid) -> bool {
    crate::procs::group_alive(pg)
}

pub fn run(ctx: &Ctx, a: KillArgs) -> Result<()> {
    let sels = names::parse(&a.names)?;
    let snap = ctx.snapshot()?;
    let chosen: Vec<(String, String, Option<Pid>, bool)> =
        names::select(&snap.agents, &sels, a.all, false)?
            .iter()
            .map(|ag| {
                (
                    ag.name.clone(),
                    ag.pane_id().to_string(),
                    group(ag.pane.pid),
                    ag.pane.dead,
                )
            })
            .collect();

    // Graceful: signal every live group at once, then wait for them together.
    if !a.force {
        let groups: Vec<Pid> = chosen.iter().filter(|c| !c.3).filter_map(|c| c.2).collect();
        // TERM, plus the hang-up a closing terminal would send: interactive
        // shells ignore TERM but leave on HUP.
        for pg in &groups {
            let _ = kill_process_group(*pg, Signal::TERM);
            let _ = kill_process_group(*pg, Signal::HUP);
        }
        let deadline = Instant::now() + Duration::from_secs_f64(a.grace.max(0.0));
        while groups.iter().any(|pg| alive(*pg)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    // Remove the panes under the lock, re-checked against a fresh snapshot so
    // a pane that changed hands meanwhile is never touched.
    let _lock = ctx.tmux.lock()?;
    let snap = ctx.snapshot()?;
    let mut chain = Chain::new();
    let mut done = Vec::new();
    for (name, pane, pg, was_dead) in &chosen {
        let Some(now) = snap.agent(name).filter(|ag| ag.pane_id() == pane) else {
            continue;
        };
        chain.push(Cmd::new("kill-pane").target(pane));
        let how = if *was_dead {
            match (now.pane.dead_signal, now.pane.dead_status) {
                (Some(s), _) => format!("removed {name} ({pane}, killed by signal {s})"),
                (_, Some(c)) => format!("removed {name} ({pane}, exited {c})"),
                _ => format!("removed {name} ({pane})"),
            }
        } else {
            format!("killed {name} ({pane})")
        };
        let live = !(*was_dead || now.pane.dead);
        done.push((how, pg.filter(|_| live)));
    }
    if chain.is_empty() {
        return Err(CrewError::no_agent("the agents to kill are already gone").into());
    }
    chain.extend(crate::view::after_leaving(
        &snap,
        chosen.iter().map(|c| c.1.as_str()),
        None,
    ));
    ctx.tmux.run(&chain).context("could not remove the panes")?;
    // What is left of a live agent's group (children that ignored TERM and
    // the hang-up). Never for panes that were already dead: their group id
    // may since belong to someone else.
    for (_, pg) in &done {
        if let Some(pg) = pg {
            if alive(*pg) {
                let _ = kill_process_group(*pg, Signal::KILL);
            }
        }
    }
    let mut out = std::io::stdout().lock();
    for (line, _) in done {
        writeln!(out, "{line}")?;
    }
    Ok(())
}
