//! Statuses for many agents from one snapshot and at most one capture
//! chain (captures and text cleanup in `capture`). A read: it writes
//! nothing; `observe` acts on what it finds.

use crate::config::Config;
use crate::profile::Profile;
use crate::snapshot::Agent;
use crate::status::{self, PaneFacts, Status};
use crate::tags;
use crate::tmux::{Chain, Tmux};
use anyhow::Result;
use std::collections::HashMap;

mod capture;
pub mod reply;
pub use capture::*;

/// The profile an agent's status is judged by.
pub fn profile_for<'a>(config: &'a Config, agent: &Agent) -> &'a Profile {
    config.profile_or_shell(&agent.tags.profile)
}

fn start_command(agent: &Agent) -> String {
    let first = agent
        .tags
        .argv
        .first()
        .and_then(|a| a.split_whitespace().next())
        .unwrap_or("");
    first.rsplit('/').next().unwrap_or(first).to_string()
}

/// `@crew-screen` is "HASH:SINCE" (unix seconds the screen last changed).
fn parse_screen_tag(v: &str) -> Option<(u64, u64)> {
    let (h, t) = v.split_once(':')?;
    Some((u64::from_str_radix(h, 16).ok()?, t.parse().ok()?))
}

/// Status of each agent, capturing in one chain the screens of those whose
/// cheap signals do not decide. A read: what is due (`Judged::due`) is left
/// to `observe`, for the commands that act.
pub fn statuses(tmux: &Tmux, config: &Config, agents: &[&Agent]) -> Result<Vec<Status>> {
    Ok(judge(tmux, config, agents, false)?.statuses)
}

/// What `ls` shows: statuses, what decided each ("report", "screen",
/// "pane"), and the cleaned screens captured, keyed by pane id.
pub struct Judged {
    pub statuses: Vec<Status>,
    pub sources: Vec<&'static str>,
    pub screens: HashMap<String, String>,
    /// Tag writes due: the screen hash of profiles that judge by quiet
    /// time, where it changed. `observe::judge` runs them.
    pub due: Chain,
}

/// Statuses with their sources and screens, and the tag updates due (see
/// `Judged::due`): a read, which writes nothing; `observe::judge` is the
/// same read for the commands that act on it.
pub fn judge(tmux: &Tmux, config: &Config, agents: &[&Agent], all: bool) -> Result<Judged> {
    compute(tmux, config, agents, all, true)
}

/// What each agent's screen shows now, captured fresh, whatever its tool
/// last reported or crew last typed: what a key pressed into a dialog
/// meets (`approve`, `deny`, `answer`).
pub fn on_screen(tmux: &Tmux, config: &Config, agents: &[&Agent]) -> Result<Judged> {
    compute(tmux, config, agents, true, false)
}

/// `reports`: a tool's reports and crew's input marks count (else the
/// screen alone decides).
fn compute(
    tmux: &Tmux,
    config: &Config,
    agents: &[&Agent],
    all: bool,
    reports: bool,
) -> Result<Judged> {
    let now_ms = crate::clock::now_ms();
    let now = now_ms / 1000;
    // A fresh report from the agent's own tool decides; see report::checked
    // for when the screen is still looked at.
    let reported: Vec<Option<(Status, u64)>> = agents
        .iter()
        .map(|a| {
            reports
                .then(|| crate::report::fresh_aged(a, config, now))
                .flatten()
        })
        .collect();
    let checked = |i: usize| {
        reported[i].is_some_and(|(st, age)| {
            let idle_checked = profile_for(config, agents[i]).report_idle_checked;
            crate::report::checked(st, age, idle_checked)
        })
    };
    let starts: Vec<String> = agents.iter().map(|a| start_command(a)).collect();
    let previous: Vec<Option<(u64, u64)>> = agents
        .iter()
        .map(|a| parse_screen_tag(&a.tags.screen))
        .collect();
    let quiet_of = |i: usize| previous[i].map(|(_, t)| now.saturating_sub(t));
    let wanted = |i: usize| reported[i].is_none() || checked(i);
    // Tool profiles decide from the title and the screen alone, so their
    // screens are captured while /proc is read and their patterns compile,
    // all at once: tmux works on the captures meanwhile. Plain commands
    // (`idle_at_shell`) need /proc first; their screens follow in a second
    // chain, only when one of them is at a question or a prompt.
    let first: Vec<usize> = (0..agents.len())
        .filter(|&i| {
            let a = agents[i];
            let profile = profile_for(config, a);
            !a.pane.dead
                && (all
                    || (!profile.idle_at_shell
                        && wanted(i)
                        && status::needs_screen(
                            &PaneFacts::cheap(&a.pane.title, quiet_of(i)),
                            profile,
                        )))
        })
        .collect();
    // /proc for plain commands (`idle_at_shell`), the only profiles whose
    // status depends on the foreground: its command (tmux would read the
    // same file for `#{pane_current_command}`, for every pane, on its one
    // thread) and what it does.
    let asks: Vec<(usize, crate::procs::Ask)> = agents
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            !a.pane.dead && crate::procs::available() && profile_for(config, a).idle_at_shell
        })
        .map(|(i, a)| {
            let ask = crate::procs::Ask {
                pid: a.pane.pid,
                want_fg: true,
            };
            (i, ask)
        })
        .collect();
    let ids: Vec<&str> = first.iter().map(|&i| agents[i].pane_id()).collect();
    // One worker beside the call: the tmux server needs a processor of its
    // own for the captures, which are the longest part.
    let (looked, screens) = std::thread::scope(|sc| {
        let worker = sc.spawn(|| {
            let mut compiled: Vec<&str> = Vec::new();
            for &i in &first {
                let p = profile_for(config, agents[i]);
                if !compiled.contains(&p.name.as_str()) {
                    compiled.push(&p.name);
                    p.patterns().compile();
                }
            }
            crate::procs::look_many(
                &asks.iter().map(|(_, q)| *q).collect::<Vec<_>>(),
                &status::is_shell_name,
            )
        });
        let screens = capture_many(tmux, &ids, Capture::default());
        (worker.join().unwrap_or_default(), screens)
    });
    let mut screens = screens?;
    let mut looks = vec![crate::procs::Look::default(); agents.len()];
    for ((i, _), l) in asks.iter().zip(looked) {
        looks[*i] = l;
    }
    // As tmux falls back: the pane's own command when /proc cannot name
    // the foreground (or tmux's own answer where there is no /proc).
    let commands: Vec<String> = (0..agents.len())
        .map(|i| {
            looks[i]
                .command
                .clone()
                .or_else(|| {
                    let c = &agents[i].pane.current_command;
                    (!c.is_empty()).then(|| c.clone())
                })
                .unwrap_or_else(|| starts[i].clone())
        })
        .collect();
    let facts = |i: usize, quiet: Option<u64>| {
        let a = agents[i];
        PaneFacts {
            dead: a.pane.dead,
            dead_status: a.pane.dead_status,
            dead_signal: a.pane.dead_signal,
            title: &a.pane.title,
            current_command: &commands[i],
            start_command: &starts[i],
            quiet_for: quiet,
            script_in_front: looks[i].script_in_front,
            fg: looks[i].fg,
        }
    };
    let later: Vec<&str> = (0..agents.len())
        .filter(|&i| {
            !all && profile_for(config, agents[i]).idle_at_shell
                && wanted(i)
                && status::needs_screen(&facts(i, quiet_of(i)), profile_for(config, agents[i]))
        })
        .map(|i| agents[i].pane_id())
        .collect();
    screens.extend(capture_many(tmux, &later, Capture::default())?);
    let screens: HashMap<String, String> = screens
        .into_iter()
        .map(|(k, v)| (k, clean(&v).join("\n")))
        .collect();
    let mut updates = Chain::new();
    let mut out = Vec::with_capacity(agents.len());
    let mut sources = Vec::with_capacity(agents.len());
    for i in 0..agents.len() {
        let a = agents[i];
        let profile = profile_for(config, a);
        let screen = screens.get(a.pane_id()).cloned();
        let mut quiet = previous[i].map(|(_, t)| now.saturating_sub(t));
        if let (Some(text), Some(_)) = (&screen, profile.quiet_idle_secs) {
            let h = fnv(std::slice::from_ref(text));
            match previous[i] {
                Some((old, _)) if old == h => {}
                _ => {
                    quiet = Some(0);
                    updates.push(tags::set_pane(
                        a.pane_id(),
                        tags::SCREEN,
                        &format!("{h:x}:{now}"),
                    ));
                }
            }
        }
        let judged = || {
            if a.damage.is_some() && !a.pane.dead {
                Status::Unknown
            } else {
                status::status(&facts(i, quiet), screen.as_deref(), profile)
            }
        };
        // A turn interrupted by the person ends with no hook at all: an
        // idle screen then outlives a busy report (report::checked). The
        // border's status is written by attention::observe, for all agents.
        let (st, source) = match reported[i] {
            Some((r, _))
                if checked(i)
                    && crate::report::screen_wins(r, judged(), !profile.idle_at_shell) =>
            {
                (judged(), "screen")
            }
            Some((r, _)) => (r, "report"),
            None if a.pane.dead => (judged(), "pane"),
            // Crew just gave it input and has not seen the turn begin: an
            // idle screen is the moment before the tool draws its busy
            // state, or a reply too quick to see (report::SETTLE_MS).
            None => match judged() {
                Status::Idle if reports && crate::report::unsettled_input(a, now_ms) => {
                    (Status::Working, "sent")
                }
                st => (st, "screen"),
            },
        };
        out.push(st);
        sources.push(source);
    }
    Ok(Judged {
        statuses: out,
        sources,
        screens,
        due: updates,
    })
}
