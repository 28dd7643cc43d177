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

/// Agents signalled at once at first, how long a wave may take to leave
/// before the next is signalled, and how long the server may take to handle
/// a wave's deaths (it answers no one meanwhile).
const KILL_WAVE: usize = 32;
const WAVE_PACE: Duration = Duration::from_millis(300);
const WAVE_BUDGET: Duration = Duration::from_millis(50);

/// An agent chosen for killing, as the first snapshot saw it.
struct Target {
    name: String,
    pane: String,
    /// Its process group, if it was alive when `kill` began; only then is
    /// the group known to be the agent's (a dead pane's id may be reused).
    group: Option<Pid>,
}

pub fn run(ctx: &Ctx, a: KillArgs) -> Result<()> {
    // `--all` with no agents: cleanup scripts are idempotent, and quiet.
    let Some(ended) = end(ctx, &a)? else {
        return Ok(());
    };
    crate::render::print_done(&ended.done, a.json, "nothing to kill")?;
    ended.finish(ctx)
}

/// What `end` did, and what is left to do once that has been printed:
/// the agent crew runs in goes last, and work found at shutdown is an
/// error after the report.
pub(super) struct Ended {
    pub done: Vec<Done>,
    me: Option<Target>,
    grace: f64,
    kept: Vec<String>,
}

impl Ended {
    pub(super) fn finish(self, ctx: &Ctx) -> Result<()> {
        if let Some(m) = self.me {
            // Saved first: this process ends with its agent.
            crate::saved::save(ctx, std::slice::from_ref(&m.name));
            end_own_agent(ctx, &m, self.grace);
        }
        if !self.kept.is_empty() {
            return Err(CrewError::failure(format!(
                "kept the worktree: work was added while the agent shut down:\n{}",
                self.kept.join("\n")
            ))
            .hint("commit and merge or push it, then `git worktree remove` it; or kill again with --force to discard it")
            .into());
        }
        Ok(())
    }
}

/// Kill what `a` names (and remove their worktrees with --rm-worktree);
/// None when `--all` found no agent. `crew merge --kill` ends its agent here.
pub(super) fn end(ctx: &Ctx, a: &KillArgs) -> Result<Option<Ended>> {
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
    let mut chosen: Vec<Target> = picked
        .iter()
        .map(|ag| Target {
            name: ag.name.clone(),
            pane: ag.pane_id().to_string(),
            group: group(ag.pane.pid).filter(|_| !ag.pane.dead),
        })
        .collect();
    // Run from inside an agent it ends (a lead agent, or its MCP call):
    // that agent goes last, once the others are ended and reported, and
    // crew leaves its session first so the agent's signals do not end crew
    // before it has done its job.
    let me = own_agent(&chosen).map(|i| chosen.remove(i));
    if me.is_some() {
        let _ = rustix::process::setsid();
    }
    let worktrees: Vec<_> = worktrees
        .into_iter()
        .filter(|t| me.as_ref().is_none_or(|m| m.name != t.name))
        .collect();

    if !a.force {
        let groups: Vec<Pid> = chosen.iter().filter_map(|t| t.group).collect();
        let deadline = term_in_waves(ctx, &groups, a.grace);
        // One pass over /proc per round, whatever the number of agents.
        while !crate::procs::alive_groups(&groups).is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    // Remove the panes under the lock, re-checked against a fresh snapshot so
    // a pane that changed hands meanwhile is never touched.
    let _lock = crate::lock::take(&ctx.tmux)?;
    let snap = ctx.snapshot()?;
    let mut chain = Chain::new();
    let mut done: Vec<(Done, Option<Pid>)> = Vec::new();
    // By pane and name: two panes may claim one name, and each is killed.
    let still = |t: &Target| {
        snap.agents
            .iter()
            .find(|ag| ag.pane_id() == t.pane && ag.name == t.name)
    };
    let verified: Vec<&str> = chosen
        .iter()
        .filter(|t| still(t).is_some())
        .map(|t| t.pane.as_str())
        .collect();
    let mut emptied = emptied_sessions(&snap, &verified);
    if !emptied.is_empty() {
        let watched = attached_sessions(ctx);
        emptied.retain(|id| !watched.contains(id));
    }
    for t in &chosen {
        let Some(now) = still(t) else {
            continue;
        };
        if !emptied.contains(&now.pane.session_id) {
            chain.push(Cmd::new("kill-pane").target(&t.pane));
        }
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
    if chosen.is_empty() && me.is_none() {
        return Ok(None);
    }
    if verified.is_empty() && me.is_none() {
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
    let ended = ended_teams(&snap, &chosen);
    let mut sessions: Vec<&str> = emptied.iter().map(String::as_str).collect();
    sessions.extend(ended.iter().map(|(_, s)| s.as_str()));
    sessions.sort();
    sessions.dedup();
    let mut last: Vec<Cmd> = Vec::new();
    for session in sessions {
        last.push(Cmd::new("kill-session").target(session));
        // The parking session is made again at once, in the same chain (the
        // server would exit were it the last session): as after a
        // `kill-pane` per agent, it stays with its placeholder.
        if snap
            .panes
            .iter()
            .any(|p| p.session_id == session && p.session_name == snap.parking_name)
        {
            last.extend(crate::parking::session_cmds(&snap.parking_name));
        }
    }
    groups.push(last);
    ctx.tmux
        .run_paced(&groups, crate::tmux::CHAIN_BUDGET)
        .context("could not remove the panes")?;
    // What is left of each group that was live (children that ignored TERM
    // and the hang-up), even if its leader has exited meanwhile.
    let live: Vec<Pid> = done.iter().filter_map(|(_, pg)| *pg).collect();
    for pg in crate::procs::alive_groups(&live) {
        let _ = kill_process_group(pg, Signal::KILL);
    }
    let mut done: Vec<Done> = done.into_iter().map(|(d, _)| d).collect();
    // Checked again now that the agents have exited: a commit made while
    // shutting down (some tools commit on TERM) is work like any other.
    let mut kept = Vec::new();
    for t in &worktrees {
        let pane_id = picked
            .iter()
            .find(|ag| ag.name == t.name)
            .map(|ag| ag.pane_id().to_string())
            .unwrap_or_default();
        match crate::worktree::losses(t)? {
            Some(lost) if !lost.is_empty() && !a.force => {
                kept.push(crate::worktree::loss_text(&t.name, &t.worktree, &lost));
                continue;
            }
            _ => {}
        }
        let line = crate::worktree::remove(t, a.force)?;
        done.push(Done {
            action: "removed worktree of",
            name: t.name.clone(),
            pane_id,
            detail: Some(line),
        });
    }
    for (team, _) in &ended {
        done.push(Done {
            action: "ended team",
            name: team.clone(),
            pane_id: String::new(),
            detail: Some(format!(
                "session {} removed",
                crate::team::session_name(team)
            )),
        });
    }
    if let Some(m) = &me {
        done.push(Done {
            action: "killed",
            name: m.name.clone(),
            pane_id: m.pane.clone(),
            detail: Some(if a.rm_worktree {
                "crew ran inside it: ended last, its worktree kept".into()
            } else {
                "crew ran inside it: ended last".into()
            }),
        });
    }
    Ok(Some(Ended {
        done,
        me,
        grace: if a.force { 0.0 } else { a.grace },
        kept,
    }))
}

/// Graceful: TERM, plus the hang-up a closing terminal would send
/// (interactive shells ignore TERM but leave on HUP), to each process group,
/// in waves: tmux handles every pane whose process died in one turn of its
/// loop, so a thousand deaths at once kept it from answering anyone for
/// seconds. A wave grows while it is over well within `WAVE_BUDGET` and
/// shrinks back past it: a death costs tmux 3.3a some 50 times what it
/// costs 3.2a or 3.7, and a tool may take its time to leave. Returns when
/// the grace ends.
fn term_in_waves(ctx: &Ctx, groups: &[Pid], grace: f64) -> Instant {
    let mut deadline = Instant::now();
    let mut size = KILL_WAVE;
    let mut at = 0;
    while at < groups.len() {
        let wave = &groups[at..(at + size).min(groups.len())];
        at += wave.len();
        let signalled = Instant::now();
        for pg in wave {
            let _ = kill_process_group(*pg, Signal::TERM);
            let _ = kill_process_group(*pg, Signal::HUP);
        }
        deadline = Instant::now() + Duration::from_secs_f64(grace);
        if groups.len() <= KILL_WAVE {
            continue;
        }
        // Most agents leave at once: let tmux reap and handle this wave's
        // deaths before the next (a stubborn one keeps its grace all the
        // same). Reaped is not handled: the closing terminals are, in a
        // later turn of the server's loop, and one answer from the server
        // says that turn has passed. A busy server reaps late too, so the
        // wave's cost is the whole time from the signals to that answer.
        let pace = Instant::now() + WAVE_PACE;
        while !crate::procs::unreaped_leaders(wave).is_empty() && Instant::now() < pace {
            std::thread::sleep(Duration::from_millis(2));
        }
        let mut turn = Chain::new();
        turn.push(Cmd::new("display-message").args(["-p", ""]));
        let _ = ctx.tmux.run(&turn);
        let took = signalled.elapsed();
        if took < WAVE_BUDGET / 2 {
            size = (size * 2).min(1024);
        } else if took > WAVE_BUDGET {
            size = (size / 2).max(KILL_WAVE);
        }
    }
    deadline
}

/// The agent whose pane crew runs in, among `chosen`: tmux starts a pane's
/// process in a session of its own, so crew's session is that pane's.
fn own_agent(chosen: &[Target]) -> Option<usize> {
    let sid = crate::procs::own_session()?;
    chosen.iter().position(|t| t.group == Some(sid))
}

/// End the agent crew ran in, from outside its session: TERM and HUP, the
/// grace, its pane, then whatever is left of its group. Nothing is left to
/// report (it was reported before), so failures are quiet.
fn end_own_agent(ctx: &Ctx, me: &Target, grace: f64) {
    if let Some(pg) = me.group {
        let _ = kill_process_group(pg, Signal::TERM);
        let _ = kill_process_group(pg, Signal::HUP);
        let deadline = Instant::now() + Duration::from_secs_f64(grace);
        while !crate::procs::alive_groups(&[pg]).is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let mut chain = Chain::new();
    chain.push(Cmd::new("kill-pane").target(&me.pane));
    let _ = ctx.tmux.run(&chain);
    if let Some(pg) = me.group {
        if !crate::procs::alive_groups(&[pg]).is_empty() {
            let _ = kill_process_group(pg, Signal::KILL);
        }
    }
}

/// Sessions crew made (the parking session, a team's) that hold nothing but
/// crew's placeholder and panes in `going`: each goes as one
/// `kill-session`, which tmux does in one pass where a `kill-pane` per
/// window costs a pass over every window (1,000 parked agents: 15 ms
/// against 200). crew makes the parking session again when it next needs it.
fn emptied_sessions(snap: &crate::snapshot::Snapshot, going: &[&str]) -> Vec<String> {
    let mut ids: Vec<&str> = snap
        .panes
        .iter()
        .filter(|p| going.contains(&p.pane_id.as_str()))
        .map(|p| p.session_id.as_str())
        .collect();
    ids.sort();
    ids.dedup();
    ids.into_iter()
        .filter(|id| {
            let team_session = |p: &crate::snapshot::Pane| {
                snap.agents.iter().any(|a| {
                    a.pane.session_id == p.session_id
                        && !a.tags.team.is_empty()
                        && crate::team::session_name(&a.tags.team) == p.session_name
                })
            };
            let mut panes = snap.panes.iter().filter(|p| p.session_id == *id).peekable();
            let crews = panes
                .peek()
                .is_some_and(|p| p.session_name == snap.parking_name || team_session(p));
            // A window linked into another session too (a grouped session)
            // would outlive the session: those go pane by pane.
            let elsewhere = |p: &crate::snapshot::Pane| {
                snap.panes
                    .iter()
                    .any(|q| q.pane_id == p.pane_id && q.session_id != p.session_id)
            };
            crews
                && panes.all(|p| {
                    (p.role == crate::tags::ROLE_PLACEHOLDER || going.contains(&p.pane_id.as_str()))
                        && !elsewhere(p)
                })
        })
        .map(str::to_string)
        .collect()
}

/// Sessions someone is looking at: those keep their session and lose the
/// agents' windows one by one, as they watch.
fn attached_sessions(ctx: &Ctx) -> Vec<String> {
    let mut chain = Chain::new();
    chain.push(Cmd::new("list-clients").args(["-F", "#{session_id}"]));
    ctx.tmux
        .run(&chain)
        .map(|o| o.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Teams whose last agent is among `chosen`, with their session's id when
/// that session holds nothing else than crew's placeholder and those
/// agents (a window the user put there keeps it).
fn ended_teams(snap: &crate::snapshot::Snapshot, chosen: &[Target]) -> Vec<(String, String)> {
    let going = |pane: &str| chosen.iter().any(|t| t.pane == pane);
    let mut teams: Vec<&str> = snap
        .agents
        .iter()
        .filter(|a| going(a.pane_id()) && !a.tags.team.is_empty())
        .map(|a| a.tags.team.as_str())
        .collect();
    teams.sort();
    teams.dedup();
    teams
        .into_iter()
        .filter(|team| {
            !snap
                .agents
                .iter()
                .any(|a| a.tags.team == *team && !going(a.pane_id()))
        })
        .filter_map(|team| {
            let name = crate::team::session_name(team);
            let panes: Vec<_> = snap
                .panes
                .iter()
                .filter(|p| p.session_name == name)
                .collect();
            let first = panes.first()?;
            let only_ours = panes
                .iter()
                .all(|p| p.role == crate::tags::ROLE_PLACEHOLDER || going(&p.pane_id));
            let has_placeholder = panes
                .iter()
                .any(|p| p.role == crate::tags::ROLE_PLACEHOLDER);
            (only_ours && has_placeholder).then(|| (team.to_string(), first.session_id.clone()))
        })
        .collect()
}
