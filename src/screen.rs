//! Screens: every capture a command needs in one tmux chain, the text
//! cleanup `read` promises, the `--new` mark, and statuses for many agents.

use crate::config::Config;
use crate::profile::Profile;
use crate::snapshot::Agent;
use crate::status::{self, PaneFacts, Status};
use crate::tags;
use crate::tmux::{Chain, Cmd, Tmux, TmuxError};
use anyhow::Result;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, Default)]
pub struct Capture {
    /// Keep colours as ANSI escapes (`-e`).
    pub ansi: bool,
    /// Include the scrollback (`-S -`), not just the visible screen.
    pub history: bool,
    /// Include only this many lines of scrollback (`-S -N`); overrides
    /// `history`.
    pub back: Option<u64>,
}

pub fn capture_cmd(pane: &str, opts: Capture) -> Cmd {
    let mut c = Cmd::new("capture-pane").args(["-p", "-J"]);
    if opts.ansi {
        c = c.arg("-e");
    }
    if let Some(n) = opts.back {
        c = c.args(["-S".to_string(), format!("-{n}")]);
    } else if opts.history {
        c = c.args(["-S", "-"]);
    }
    c.target(pane)
}

/// Capture several panes with one tmux invocation (split only at tmux's argv
/// limit), with an unguessable marker line after each screen.
pub fn capture_many(
    tmux: &Tmux,
    panes: &[&str],
    opts: Capture,
) -> Result<HashMap<String, String>, TmuxError> {
    match capture_once(tmux, panes, opts) {
        // A pane vanished between the snapshot and now: retry with the
        // panes that still exist rather than failing everyone.
        Err(TmuxError::Gone(_)) => {
            let mut ch = Chain::new();
            ch.push(Cmd::new("list-panes").args(["-a", "-F", "#{pane_id}"]));
            let live = tmux.run(&ch)?;
            let live: Vec<&str> = live.lines().collect();
            let left: Vec<&str> = panes.iter().copied().filter(|p| live.contains(p)).collect();
            capture_once(tmux, &left, opts)
        }
        other => other,
    }
}

fn capture_once(
    tmux: &Tmux,
    panes: &[&str],
    opts: Capture,
) -> Result<HashMap<String, String>, TmuxError> {
    if panes.is_empty() {
        return Ok(HashMap::new());
    }
    let nonce = format!(
        "crew-{:x}-{:x}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    );
    // display-message runs its text through strftime too: no '%' (nor '#')
    // in the marker, so it names the capture by its index.
    let marker = |i: usize| format!("<{nonce}:{i}>");
    let mut chain = Chain::new();
    for (i, p) in panes.iter().enumerate() {
        chain.push(capture_cmd(p, opts));
        // No target: the marker costs tmux least that way.
        chain.push(Cmd::new("display-message").args(["-p", &marker(i)]));
    }
    let out = tmux.run(&chain)?;
    let mut map = HashMap::new();
    let mut rest = out.as_str();
    for (i, p) in panes.iter().enumerate() {
        let m = format!("{}\n", marker(i));
        match rest.find(&m) {
            Some(i) => {
                map.insert(p.to_string(), rest[..i].to_string());
                rest = &rest[i + m.len()..];
            }
            None => break,
        }
    }
    Ok(map)
}

/// Lines with trailing spaces removed and trailing blank lines dropped.
pub fn clean(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text
        .split('\n')
        .map(|l| l.trim_end_matches([' ', '\r']).to_string())
        .collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// The last non-blank line of a screen, tmux's "Pane is dead" note aside.
pub fn last_line(text: &str) -> String {
    clean(text)
        .into_iter()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.starts_with("Pane is dead"))
        .unwrap_or_default()
}

/// tmux prints "Pane is dead (…)" at the bottom of an exited pane's screen,
/// leaving blank rows between the last output and it: drop those rows.
pub fn close_dead_gap(mut lines: Vec<String>) -> Vec<String> {
    if lines.last().is_some_and(|l| l.starts_with("Pane is dead")) {
        let last = lines.pop().expect("checked");
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        lines.push(last);
    }
    lines
}

/// FNV-1a: stable across builds, unlike std's hasher, because marks and
/// screen hashes outlive the process that wrote them.
pub fn fnv(parts: &[String]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for p in parts {
        for b in p.bytes().chain([b'\n']) {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    h
}

/// How many lines before the last one the mark remembers: enough that a
/// run of repeated lines rarely matches the mark in the wrong place.
const MARK_CONTEXT: usize = 15;

fn line_hash(l: &str) -> u64 {
    fnv(&[l.to_string()])
}

/// A `read --new` mark: "2:N:STEP:TOPS:LAST:CTX…". N: how many lines there
/// were. STEP: the history's trim step (once the history is full, tmux drops
/// the oldest tenth of `history-limit` at a time). TOPS: hashes of the lines
/// at 0, STEP, 2·STEP, … (comma-separated), so the next read can tell how
/// many steps were dropped from the top by what is at the top now, even
/// when the newest lines all look alike. LAST: a hash of the last line
/// (often a prompt still being typed into, so it may change in place). CTX:
/// hashes of the lines before it.
pub fn mark(lines: &[String], history_limit: u64) -> String {
    let n = lines.len();
    let step = (history_limit / 10).max(1) as usize;
    let tops: Vec<String> = (0..n)
        .step_by(step)
        .map(|i| format!("{:x}", line_hash(&lines[i])))
        .collect();
    let mut parts = vec![
        "2".to_string(),
        n.to_string(),
        step.to_string(),
        tops.join(","),
    ];
    if n > 0 {
        parts.push(format!("{:x}", line_hash(&lines[n - 1])));
        for k in 1..=MARK_CONTEXT.min(n - 1) {
            parts.push(format!("{:x}", line_hash(&lines[n - 1 - k])));
        }
    }
    parts.join(":")
}

fn hex(h: &str) -> Option<u64> {
    u64::from_str_radix(h, 16).ok()
}

/// Index of the first line not yet seen, given the previous mark.
pub fn since_mark(lines: &[String], mark: &str) -> usize {
    let fields: Vec<&str> = mark.split(':').collect();
    // Older marks are "N:LAST:CTX…", without the trim step and the tops.
    let (n, step, tops, hashes) = match fields.as_slice() {
        ["2", n, step, tops, rest @ ..] => (
            n.parse::<usize>().ok(),
            step.parse::<usize>().ok().filter(|s| *s > 0),
            tops.split(',').filter_map(hex).collect::<Vec<u64>>(),
            rest,
        ),
        [n, rest @ ..] => (n.parse::<usize>().ok(), None, vec![], rest),
        [] => (None, None, vec![], &[][..]),
    };
    let Some(n) = n else { return 0 };
    let hashes: Option<Vec<u64>> = hashes.iter().map(|h| hex(h)).collect();
    let Some(hashes) = hashes else { return 0 };
    if n == 0 || hashes.is_empty() {
        return 0;
    }
    let (last, before) = (hashes[0], &hashes[1..]);
    // The lines before position j agree with the mark's context, as far as
    // they still exist.
    let context_ok = |j: usize| {
        j < lines.len()
            && before
                .iter()
                .enumerate()
                .all(|(i, h)| j < i + 1 || line_hash(&lines[j - i - 1]) == *h)
    };
    let last_ok = |j: usize| line_hash(&lines[j]) == last;
    // Dropped from the top since the mark: whole steps, found by which of the
    // old lines at 0, STEP, 2·STEP… is at the top now.
    let dropped = lines.first().and_then(|top| {
        let h = line_hash(top);
        let step = step?;
        (0..tops.len())
            .filter(|&m| tops[m] == h)
            .map(|m| m * step)
            .find(|&d| d < n && context_ok(n - 1 - d) && (d == 0 || last_ok(n - 1 - d)))
    });
    let j = match dropped {
        Some(d) => Some(n - 1 - d),
        // Only appended (an old mark, or the top unknown): where it was.
        None if context_ok(n - 1) && (n == 1 || !before.is_empty()) => Some(n - 1),
        // Else the latest place that matches.
        None => (0..lines.len())
            .rev()
            .find(|&j| context_ok(j) && (last_ok(j) || (j >= 1 && !before.is_empty()))),
    };
    match j {
        Some(j) if last_ok(j) => j + 1,
        Some(j) => j,
        None => 0,
    }
}

/// The profile an agent's status is judged by.
pub fn profile_for<'a>(config: &'a Config, agent: &Agent) -> &'a Profile {
    config
        .profile(&agent.tags.profile)
        .or_else(|| config.profile("shell"))
        .expect("the shell profile is built in")
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
/// cheap signals do not decide. Tags that changed (the screen hash of
/// profiles that judge by quiet time, the status shown in a view's pane
/// border) are written back in one more chain, only when there are any.
pub fn statuses(tmux: &Tmux, config: &Config, agents: &[&Agent]) -> Result<Vec<Status>> {
    Ok(judge(tmux, config, agents, false)?.statuses)
}

/// `statuses`, also returning the cleaned screens it captured; with `all`,
/// every agent's screen is captured (in the same single chain).
pub fn statuses_and_screens(
    tmux: &Tmux,
    config: &Config,
    agents: &[&Agent],
    all: bool,
) -> Result<(Vec<Status>, HashMap<String, String>)> {
    let j = judge(tmux, config, agents, all)?;
    Ok((j.statuses, j.screens))
}

/// What `ls` shows: statuses, what decided each ("report", "screen",
/// "pane"), and the cleaned screens captured, keyed by pane id.
pub struct Judged {
    pub statuses: Vec<Status>,
    pub sources: Vec<&'static str>,
    pub screens: HashMap<String, String>,
}

/// Statuses with their sources and screens; then the attention work: seen
/// statuses (the border's too), notify, and queued messages where the
/// command allows them (`attention::allow_deliveries`).
pub fn judge(tmux: &Tmux, config: &Config, agents: &[&Agent], all: bool) -> Result<Judged> {
    let j = compute(tmux, config, agents, all)?;
    crate::attention::observe(tmux, config, agents, &j.statuses)?;
    Ok(j)
}

/// `statuses` without the attention work.
pub fn statuses_only(tmux: &Tmux, config: &Config, agents: &[&Agent]) -> Result<Vec<Status>> {
    Ok(compute(tmux, config, agents, false)?.statuses)
}

fn compute(tmux: &Tmux, config: &Config, agents: &[&Agent], all: bool) -> Result<Judged> {
    let now = crate::ctx::now();
    // A fresh report from the agent's own tool decides; see report::checked
    // for when the screen is still looked at.
    let reported: Vec<Option<(Status, u64)>> = agents
        .iter()
        .map(|a| crate::report::fresh_aged(a, config, now))
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
            None => (judged(), "screen"),
        };
        out.push(st);
        sources.push(source);
    }
    if !updates.is_empty() {
        // A pane gone since the snapshot only loses its hash update.
        match tmux.run(&updates) {
            Ok(_) | Err(TmuxError::Gone(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Judged {
        statuses: out,
        sources,
        screens,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn cleaning() {
        assert_eq!(clean("a  \nb\r\n\n  \n"), v(&["a", "b"]));
        assert_eq!(clean(""), Vec::<String>::new());
        assert_eq!(clean("\n\nx"), v(&["", "", "x"]));
    }

    #[test]
    fn dead_gap_closed() {
        let l = v(&["out", "", "", "Pane is dead (status 7, now)"]);
        assert_eq!(
            close_dead_gap(l),
            v(&["out", "Pane is dead (status 7, now)"])
        );
        assert_eq!(close_dead_gap(v(&["a", "", "b"])), v(&["a", "", "b"]));
    }

    #[test]
    fn marks_follow_appends() {
        let a = v(&["one", "two", "$ "]);
        let m = mark(&a, 2000);
        assert_eq!(since_mark(&a, &m), 3, "nothing new");
        let b = v(&["one", "two", "$ ls", "file", "$ "]);
        assert_eq!(&b[since_mark(&b, &m)..], &v(&["$ ls", "file", "$ "])[..]);
        let m2 = mark(&b, 2000);
        assert_eq!(since_mark(&b, &m2), 5);
    }

    #[test]
    fn marks_survive_trimmed_history() {
        let a = v(&["a", "b", "c", "d", "e"]);
        let m = mark(&a, 2000);
        // The top two lines scrolled out of the history.
        let b = v(&["c", "d", "e", "f"]);
        assert_eq!(&b[since_mark(&b, &m)..], &v(&["f"])[..]);
    }

    #[test]
    fn full_history_trims_in_steps_and_repeats_do_not_mislead() {
        // history-limit 100: tmux drops 10 lines at a time once it is full.
        let mut all: Vec<String> = (0..100).map(|i| format!("line {i}")).collect();
        let m = mark(&all, 100);
        // 30 new lines, the last 25 identical: three trims of 10 happened.
        all.extend((100..105).map(|i| format!("line {i}")));
        all.extend((0..25).map(|_| "tick".to_string()));
        let now = all[30..].to_vec();
        assert_eq!(now.len(), 100);
        assert_eq!(&now[since_mark(&now, &m)..], &all[100..]);
        // Marked on repeated lines, more repeats follow after two trims.
        let mut all: Vec<String> = (0..80).map(|i| format!("l{i}")).collect();
        all.extend((0..20).map(|_| "tick".to_string()));
        let m = mark(&all, 100);
        all.extend((0..20).map(|_| "tick".to_string()));
        let now = all[20..].to_vec();
        assert_eq!(now.len() - since_mark(&now, &m), 20, "the 20 new ticks");
    }

    #[test]
    fn unknown_mark_prints_all() {
        let a = v(&["x", "y"]);
        assert_eq!(since_mark(&a, ""), 0);
        assert_eq!(since_mark(&a, "garbage"), 0);
        assert_eq!(since_mark(&a, &mark(&v(&["p", "q", "r", "s"]), 2000)), 0);
        assert_eq!(since_mark(&a, &mark(&[], 2000)), 0);
        // A mark written by an older crew still reads.
        assert_eq!(since_mark(&v(&["x", "y", "z"]), "2:0:1::"), 0);
        let old = "3:a7d59e3fd4b5ed3a:2a2f4e1a0c3e2f09";
        assert_eq!(since_mark(&v(&["x", "y", "z"]), old), 0);
    }
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
    /// Every agent reached the goal; the final snapshot's agents and statuses.
    Reached(Vec<(Agent, Status)>),
    TimedOut(Vec<(String, Status)>),
}

/// Poll with one snapshot (and at most one capture chain) per round until
/// every selected agent reaches `goal`. An agent that disappears counts as
/// exited; one that exits or disappears while the goal is idle or attention
/// ends the wait with an error, since that goal can no longer be reached.
pub fn wait_for(
    tmux: &Tmux,
    config: &Config,
    sels: &[crate::names::Selector],
    all: bool,
    goal: Goal,
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
                crate::deliver::how_exited(a)
            );
            continue;
        }
        wanted.push(a.name.clone());
    }
    let mut snap = Some(snap);
    let mut note = crate::deliver::Note::new();
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
        let gone = agents.len() < wanted.len();
        // Waiting for idle or attention from an agent that has exited or
        // was removed would never end: say so now.
        if matches!(goal, Goal::Idle | Goal::Attention) {
            if let Some(n) = wanted
                .iter()
                .find(|n| !agents.iter().any(|a| &a.name == *n))
            {
                return Err(crate::error::CrewError::no_agent(format!(
                    "{n} is gone (killed or removed) while waiting for it"
                ))
                .into());
            }
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
        let mail = goal == Goal::Idle
            && crate::attention::delivering_allowed()
            && agents
                .iter()
                .any(|a| crate::mailbox::count(&a.tags.queue) > 0);
        if sts.iter().all(|st| goal.reached(*st))
            && !mail
            && (!gone || goal == Goal::Exited || goal == Goal::Any)
        {
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
