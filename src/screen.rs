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
        chain.push(Cmd::new("display-message").args(["-p", "-t", p, &marker(i)]));
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

/// How many lines before the last one the mark remembers.
const MARK_CONTEXT: usize = 3;

fn line_hash(l: &str) -> u64 {
    fnv(&[l.to_string()])
}

/// A `read --new` mark: how many lines there were, a hash of the last one
/// (often a prompt still being typed into, so it may change in place), and
/// hashes of the few lines before it, each on its own so the mark still
/// matches after the top of the history was trimmed.
pub fn mark(lines: &[String]) -> String {
    let n = lines.len();
    let mut parts = vec![n.to_string()];
    if n > 0 {
        parts.push(format!("{:x}", line_hash(&lines[n - 1])));
        for k in 1..=MARK_CONTEXT.min(n - 1) {
            parts.push(format!("{:x}", line_hash(&lines[n - 1 - k])));
        }
    }
    parts.join(":")
}

/// Index of the first line not yet seen, given the previous mark.
pub fn since_mark(lines: &[String], mark: &str) -> usize {
    let mut it = mark.split(':');
    let Some(Ok(n)) = it.next().map(str::parse::<usize>) else {
        return 0;
    };
    let hashes: Option<Vec<u64>> = it.map(|h| u64::from_str_radix(h, 16).ok()).collect();
    let Some(hashes) = hashes else { return 0 };
    if n == 0 || hashes.is_empty() {
        return 0;
    }
    let (last, before) = (hashes[0], &hashes[1..]);
    // The lines before position j agree with the mark's context, as far as
    // they still exist.
    let context_ok = |j: usize| {
        before
            .iter()
            .enumerate()
            .all(|(i, h)| j < i + 1 || line_hash(&lines[j - i - 1]) == *h)
    };
    let last_ok = |j: usize| line_hash(&lines[j]) == last;
    // Where the last seen line is if only lines were appended; else the
    // latest place that matches (the history was trimmed at the top).
    let j = if n - 1 < lines.len() && context_ok(n - 1) && (n == 1 || !before.is_empty()) {
        Some(n - 1)
    } else {
        (0..lines.len())
            .rev()
            .find(|&j| context_ok(j) && (last_ok(j) || (j >= 1 && !before.is_empty())))
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
    Ok(statuses_and_screens(tmux, config, agents, false)?.0)
}

/// `statuses`, also returning the cleaned screens it captured; with `all`,
/// every agent's screen is captured (in the same single chain).
pub fn statuses_and_screens(
    tmux: &Tmux,
    config: &Config,
    agents: &[&Agent],
    all: bool,
) -> Result<(Vec<Status>, HashMap<String, String>)> {
    let now = crate::ctx::now();
    let starts: Vec<String> = agents.iter().map(|a| start_command(a)).collect();
    // Only worth a look in /proc when a shell is in front of a live pane.
    let scripts: Vec<bool> = agents
        .iter()
        .map(|a| {
            !a.pane.dead
                && status::is_shell_name(&a.pane.current_command)
                && crate::procs::script_in_front(a.pane.pid, status::is_shell_name)
        })
        .collect();
    // For plain commands, what the operating system says the foreground
    // does (one look per pane, /proc scanned at most once).
    let plain: Vec<u32> = agents
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            !a.pane.dead
                && profile_for(config, a).idle_at_shell
                && (!status::is_shell_name(&a.pane.current_command) || scripts[*i])
        })
        .map(|(_, a)| a.pane.pid)
        .collect();
    let fgs = crate::procs::foreground(&plain);
    let facts = |i: usize, quiet: Option<u64>| {
        let a = agents[i];
        PaneFacts {
            dead: a.pane.dead,
            dead_status: a.pane.dead_status,
            dead_signal: a.pane.dead_signal,
            title: &a.pane.title,
            current_command: &a.pane.current_command,
            start_command: &starts[i],
            quiet_for: quiet,
            script_in_front: scripts[i],
            fg: fgs.get(&a.pane.pid).copied(),
        }
    };
    let previous: Vec<Option<(u64, u64)>> = agents
        .iter()
        .map(|a| parse_screen_tag(&a.tags.screen))
        .collect();
    let need: Vec<usize> = (0..agents.len())
        .filter(|&i| {
            let quiet = previous[i].map(|(_, t)| now.saturating_sub(t));
            (all && !agents[i].pane.dead)
                || status::needs_screen(&facts(i, quiet), profile_for(config, agents[i]))
        })
        .collect();
    let ids: Vec<&str> = need.iter().map(|&i| agents[i].pane_id()).collect();
    let screens = capture_many(tmux, &ids, Capture::default())?;
    let screens: HashMap<String, String> = screens
        .into_iter()
        .map(|(k, v)| (k, clean(&v).join("\n")))
        .collect();
    let mut updates = Chain::new();
    let mut out = Vec::with_capacity(agents.len());
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
        let st = if a.damage.is_some() && !a.pane.dead {
            Status::Unknown
        } else {
            status::status(&facts(i, quiet), screen.as_deref(), profile)
        };
        // Shown agents carry their status in the pane border.
        if a.place == crate::snapshot::Where::Shown && a.tags.status != st.as_str() {
            updates.push(tags::set_pane(a.pane_id(), tags::STATUS, st.as_str()));
        }
        out.push(st);
    }
    if !updates.is_empty() {
        // A pane gone since the snapshot only loses its hash update.
        match tmux.run(&updates) {
            Ok(_) | Err(TmuxError::Gone(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok((out, screens))
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
        let m = mark(&a);
        assert_eq!(since_mark(&a, &m), 3, "nothing new");
        let b = v(&["one", "two", "$ ls", "file", "$ "]);
        assert_eq!(&b[since_mark(&b, &m)..], &v(&["$ ls", "file", "$ "])[..]);
        let m2 = mark(&b);
        assert_eq!(since_mark(&b, &m2), 5);
    }

    #[test]
    fn marks_survive_trimmed_history() {
        let a = v(&["a", "b", "c", "d", "e"]);
        let m = mark(&a);
        // The top two lines scrolled out of the history.
        let b = v(&["c", "d", "e", "f"]);
        assert_eq!(&b[since_mark(&b, &m)..], &v(&["f"])[..]);
    }

    #[test]
    fn unknown_mark_prints_all() {
        let a = v(&["x", "y"]);
        assert_eq!(since_mark(&a, ""), 0);
        assert_eq!(since_mark(&a, "garbage"), 0);
        assert_eq!(since_mark(&a, &mark(&v(&["p", "q", "r", "s"]))), 0);
        assert_eq!(since_mark(&a, &mark(&[])), 0);
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
        if sts.iter().all(|st| goal.reached(*st))
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
