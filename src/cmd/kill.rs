//! `crew kill NAME...|--all`: TERM the agent's process group, wait up to the
//! grace period, then remove the pane and kill what is left.

use super::Ctx;
use crate::cli::KillArgs;
use crate::error::CrewError;
use crate::names;
use crate::render::Done;
use crate::tmux::{Chain, Cmd};
use anyhow::{Context, Result};
use rustix::process::{kill_process_group, Pid, Signal};
use std::time::{Duration, Instant};

/// The process group tmux made for the pane (its child calls setsid), never
/// 0 or 1: kill(-1) would signal every process we may signal.
fn group(pid: u32) -> Option<Pid> {
    (pid > 1).then(|| Pid::from_raw(pid as i32)).flatten()
}

/// Agents signalled at once, and how long a wave may take to leave before
/// the next is signalled.
const KILL_WAVE: usize = 32;
const WAVE_PACE: Duration = Duration::from_millis(300);

/// An agent chosen for killing, as the first snapshot saw it.
struct Target {
    name: String,
    pane: String,
    /// Its process group, if it was alive when `kill` began; only then is
    /// the group known to be the agent's (a dead pane's id may be reused).
    group: Option<Pid>,
}

pub fn run(ctx: &Ctx, a: KillArgs) -> Result<()> {
    let sels = match &a.team {
        Some(t) => crate::team::selectors(ctx, t)?,
        None => names::parse(&a.names)?,
    };
    let snap = ctx.snapshot()?;
    let picked = names::select(&snap.agents, &sels, a.all, false)?;
    // Worktrees are checked before anything is stopped: a refusal leaves
    // every agent running.
    let worktrees = if a.rm_worktree {
        crate::worktree::check_all(&picked, a.force)?
    } else {
        vec![]
    };
    let chosen: Vec<Target> = picked
        .iter()
        .map(|ag| Target {
            name: ag.name.clone(),
            pane: ag.pane_id().to_string(),
            group: group(ag.pane.pid).filter(|_| !ag.pane.dead),
        })
        .collect();

    // Graceful: TERM, plus the hang-up a closing terminal would send
    // (interactive shells ignore TERM but leave on HUP), then wait. In waves:
    // tmux handles every pane whose process died in one turn of its loop, so
    // a thousand deaths at once kept it from answering anyone for seconds.
    if !a.force {
        let groups: Vec<Pid> = chosen.iter().filter_map(|t| t.group).collect();
        let mut deadline = Instant::now();
        for wave in groups.chunks(KILL_WAVE) {
            for pg in wave {
                let _ = kill_process_group(*pg, Signal::TERM);
                let _ = kill_process_group(*pg, Signal::HUP);
            }
            deadline = Instant::now() + Duration::from_secs_f64(a.grace);
            if groups.len() > KILL_WAVE {
                // Most agents leave at once: let tmux reap (and handle) this
                // wave's deaths before the next; a stubborn one keeps its
                // grace all the same.
                let pace = Instant::now() + WAVE_PACE;
                while !crate::procs::unreaped_groups(wave).is_empty() && Instant::now() < pace {
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
        }
        // One pass over /proc per round, whatever the number of agents.
        while !crate::procs::alive_groups(&groups).is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    // Remove the panes under the lock, re-checked against a fresh snapshot so
    // a pane that changed hands meanwhile is never touched.
    let _lock = ctx.tmux.lock()?;
    let snap = ctx.snapshot()?;
    let mut chain = Chain::new();
    let mut done: Vec<(Done, Option<Pid>)> = Vec::new();
    for t in &chosen {
        // By pane and name: two panes may claim one name, and each is killed.
        let Some(now) = snap
            .agents
            .iter()
            .find(|ag| ag.pane_id() == t.pane && ag.name == t.name)
        else {
            continue;
        };
        chain.push(Cmd::new("kill-pane").target(&t.pane));
        let (action, detail) = if t.group.is_some() {
            ("killed", None)
        } else {
            match (now.pane.dead_signal, now.pane.dead_status) {
                (Some(s), _) => ("removed", Some(format!("killed by signal {s}"))),
                (_, Some(c)) => ("removed", Some(format!("exited {c}"))),
                _ => ("removed", None),
            }
        };
        let line = Done {
            action,
            name: t.name.clone(),
            pane_id: t.pane.clone(),
            detail,
        };
        done.push((line, t.group));
    }
    if chosen.is_empty() {
        // `--all` with no agents: cleanup scripts are idempotent.
        return Ok(());
    }
    if chain.is_empty() {
        return Err(CrewError::no_agent("the agents to kill are already gone").into());
    }
    // Removing thousands of windows as one chain would keep the server from
    // answering anyone for seconds: paced chains, the view's repair last.
    let mut groups: Vec<Vec<Cmd>> = chain.cmds().iter().map(|c| vec![c.clone()]).collect();
    groups.push(crate::view::after_leaving(
        &snap,
        chosen.iter().map(|t| t.pane.as_str()),
        None,
    ));
    ctx.tmux
        .run_paced(&groups, std::time::Duration::from_millis(100))
        .context("could not remove the panes")?;
    // What is left of each group that was live (children that ignored TERM
    // and the hang-up), even if its leader has exited meanwhile.
    let live: Vec<Pid> = done.iter().filter_map(|(_, pg)| *pg).collect();
    for pg in crate::procs::alive_groups(&live) {
        let _ = kill_process_group(pg, Signal::KILL);
    }
    let mut done: Vec<Done> = done.into_iter().map(|(d, _)| d).collect();
    for t in &worktrees {
        let line = crate::worktree::remove(t, a.force)?;
        done.push(Done {
            action: "removed worktree of",
            name: t.name.clone(),
            pane_id: String::new(),
            detail: Some(line),
        });
    }
    crate::render::print_done(&done, a.json, "nothing to kill")
}
