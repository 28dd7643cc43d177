//! The acting side of a status read: `screen` judges and writes nothing;
//! here the commands that act (ls, wait, status-line, the dashboard, send,
//! the view's border) also write what the read found due: the screen hashes
//! of quiet-time profiles, the statuses seen (announced once by `notify`),
//! and queued mail for idle agents where the command allows deliveries
//! (`attention::allow_deliveries`). ARCHITECTURE.md lists which commands.

use crate::config::Config;
use crate::screen::{self, Judged};
use crate::snapshot::Agent;
use crate::status::Status;
use crate::tmux::{Tmux, TmuxError};
use anyhow::Result;
use std::collections::HashMap;

/// `screen::judge`, then what it found due.
pub fn judge(tmux: &Tmux, config: &Config, agents: &[&Agent], all: bool) -> Result<Judged> {
    let j = screen::judge(tmux, config, agents, all)?;
    if !j.due.is_empty() {
        // A pane gone since the snapshot only loses its hash update.
        match tmux.run(&j.due) {
            Ok(_) | Err(TmuxError::Gone(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    crate::attention::observe(tmux, config, agents, &j.statuses)?;
    Ok(j)
}

/// `judge`'s statuses.
pub fn statuses(tmux: &Tmux, config: &Config, agents: &[&Agent]) -> Result<Vec<Status>> {
    Ok(judge(tmux, config, agents, false)?.statuses)
}

/// `judge`'s statuses and screens (`all`: every agent's screen captured).
pub fn statuses_and_screens(
    tmux: &Tmux,
    config: &Config,
    agents: &[&Agent],
    all: bool,
) -> Result<(Vec<Status>, HashMap<String, String>)> {
    let j = judge(tmux, config, agents, all)?;
    Ok((j.statuses, j.screens))
}

/// What `wait` (and `send --wait-idle`) wait for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    Idle,
    Exited,
    Attention,
    Any,
}

impl Goal {
    pub fn reached(self, s: Status) -> bool {
        match self {
            Goal::Idle => s == Status::Idle,
            Goal::Exited => s == Status::Exited,
            Goal::Attention => s.is_attention(),
            Goal::Any => s == Status::Idle || s == Status::Exited || s.is_attention(),
        }
    }
}

pub enum Waited {
    /// Every agent reached the goal (with `first`: the ones that had when
    /// the first did); the final snapshot's agents and statuses.
    Reached(Vec<(Agent, Status)>),
    TimedOut(Vec<(String, Status)>),
}

/// Poll with one snapshot (and at most one capture chain) per round until
/// every selected agent reaches `goal` (`first`: until any one does). An
/// agent that disappears ends the wait as gone; one that exits while the
/// goal is idle or attention ends it with an error, since that goal can no
/// longer be reached (with `first` too: a lead waiting for the first of its
/// workers must hear of one that died).
pub fn wait_for(
    tmux: &Tmux,
    config: &Config,
    sels: &[crate::names::Selector],
    all: bool,
    goal: Goal,
    first: bool,
    timeout: Option<std::time::Duration>,
) -> Result<Waited> {
    let start = std::time::Instant::now();
    let snap = crate::snapshot::Snapshot::take(tmux, &config.session)?;
    let explicit = crate::names::all_exact(sels) && !all;
    let mut wanted: Vec<String> = Vec::new();
    for a in crate::names::select(&snap.agents, sels, all, false)? {
        // `--all` and globs: an agent that has already exited can never be
        // idle or ask for attention; leave it out and say so.
        if !explicit && a.pane.dead && matches!(goal, Goal::Idle | Goal::Attention) {
            eprintln!(
                "crew: skipped {}: it {}",
                a.name,
                crate::snapshot::how_exited(a)
            );
            continue;
        }
        wanted.push(a.name.clone());
    }
    let mut snap = Some(snap);
    let mut note = crate::note::Note::new();
    loop {
        let s = match snap.take() {
            Some(s) => s,
            None => crate::snapshot::Snapshot::take(tmux, &config.session)?,
        };
        if !s.server {
            return Err(TmuxError::ServerExited.into());
        }
        let agents: Vec<&Agent> = wanted.iter().filter_map(|n| s.agent(n)).collect();
        let sts = statuses(tmux, config, &agents)?;
        // An agent removed while waited for is gone, whatever the goal: its
        // pane (and with it how it ended) is no more, so "exited" would be a
        // guess, and waiting for idle or attention would never end.
        if let Some(n) = wanted
            .iter()
            .find(|n| !agents.iter().any(|a| &a.name == *n))
        {
            return Err(crate::error::CrewError::no_agent(format!(
                "{n} is gone (killed or removed) while waiting for it"
            ))
            .into());
        }
        // Waiting for idle or attention from an agent that has exited would
        // never end: say so now.
        if matches!(goal, Goal::Idle | Goal::Attention) {
            if let Some((a, _)) = agents
                .iter()
                .zip(&sts)
                .find(|(_, st)| **st == Status::Exited)
            {
                let how = match (a.pane.dead_signal, a.pane.dead_status) {
                    (Some(sig), _) => format!("killed by signal {sig}"),
                    (_, Some(c)) => format!("exited with status {c}"),
                    _ => "exited".into(),
                };
                return Err(crate::error::CrewError::failure(format!(
                    "{} {how} while waiting for it to be {}",
                    a.name,
                    if goal == Goal::Idle {
                        "idle"
                    } else {
                        "asking for attention"
                    }
                ))
                .hint(format!("`crew read {}` shows its last screen", a.name))
                .into());
            }
        }
        // `crew wait` types queued messages itself: idle with mail waiting
        // is not done yet.
        let mail = mail_waits(goal) && agents.iter().any(|a| has_mail(a));
        if first {
            let done: Vec<(Agent, Status)> = agents
                .iter()
                .zip(&sts)
                .filter(|(a, st)| goal.reached(**st) && !(mail_waits(goal) && has_mail(a)))
                .map(|(a, st)| ((*a).clone(), *st))
                .collect();
            if !done.is_empty() {
                return Ok(Waited::Reached(done));
            }
        } else if sts.iter().all(|st| goal.reached(*st)) && !mail {
            return Ok(Waited::Reached(
                agents.into_iter().cloned().zip(sts).collect(),
            ));
        }
        let left: Vec<String> = agents
            .iter()
            .zip(&sts)
            .filter(|(_, st)| !goal.reached(**st))
            .map(|(a, st)| format!("{} {}", a.name, st))
            .collect();
        note.show(&format!("waiting for {}", left.join(", ")));
        if timeout.is_some_and(|t| start.elapsed() >= t) {
            return Ok(Waited::TimedOut(
                agents.iter().map(|a| a.name.clone()).zip(sts).collect(),
            ));
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// Whether queued mail keeps an idle agent from counting as done: only when
/// this command types the mail itself.
fn mail_waits(goal: Goal) -> bool {
    goal == Goal::Idle && crate::attention::delivering_allowed()
}

fn has_mail(a: &Agent) -> bool {
    crate::mailbox::count(&a.tags.queue) > 0
}
