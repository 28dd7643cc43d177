//! Delivering text and keys to agents: the one path that `send`, `approve`,
//! `deny`, `answer` (and anything else that types into an agent) share.
//!
//! A message is typed only into an agent that is ready for it: never into a
//! dialog (a stray Enter would answer it), never into a tool still drawing
//! its first screen, and `send` returns once the agent has taken it.

use crate::ctx::Ctx;
use crate::error::{CrewError, EXIT_TIMEOUT};
use crate::screen;
use crate::snapshot::Agent;
use crate::status::{self, Status};
use crate::tmux::{Chain, Cmd};
use anyhow::{Context, Result};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// Longest message typed as literal keys; longer or multi-line text goes by
/// a bracketed paste, which TUIs take as one input.
const LITERAL_MAX: usize = 512;
/// How long a just-started agent must read idle before it is typed into.
const READY_HOLD: Duration = Duration::from_millis(1200);
/// Between two looks at the screens while waiting.
const POLL: Duration = Duration::from_millis(150);

/// How an agent exited, for messages: "exited with status 3".
pub fn how_exited(a: &Agent) -> String {
    match (a.pane.dead_signal, a.pane.dead_status) {
        (Some(s), _) => format!("was killed by signal {s}"),
        (_, Some(c)) => format!("exited with status {c}"),
        _ => "exited".to_string(),
    }
}

/// What a dialog waits for, and how a person answers it.
pub fn dialog_refusal(a: &Agent, st: Status) -> CrewError {
    let what = if st == Status::Permission {
        "waits for permission (its screen asks to approve a tool or command)"
    } else {
        "asks a question (its screen shows a menu of answers)"
    };
    CrewError::failure(format!("{} {what}; nothing was sent", a.name)).hint(format!(
        "answer it first: `crew approve {n}`, `crew deny {n} [-m TEXT]`, `crew answer {n} N`, or keys with `crew send {n} -k KEY`; `crew read {n}` shows the dialog",
        n = a.name
    ))
}

/// Whether the agent's process started less than `secs` ago: a tool that
/// young may still be drawing its first screen.
fn young(a: &Agent, secs: u64) -> bool {
    crate::procs::age_secs(a.pane.pid).is_some_and(|age| age < secs as f64)
}

/// A one-line live note on stderr while crew waits, when stderr is a
/// terminal; cleared when done.
pub struct Note {
    on: bool,
    shown: bool,
    start: Instant,
}

impl Note {
    pub fn new() -> Note {
        Note {
            on: std::io::stderr().is_terminal(),
            shown: false,
            start: Instant::now(),
        }
    }

    /// After a second, show `text` with the time waited.
    pub fn show(&mut self, text: &str) {
        let waited = self.start.elapsed();
        if !self.on || waited < Duration::from_secs(1) {
            return;
        }
        // One row: cut to the terminal's width, or clearing it would leave
        // the wrapped rows behind.
        let cols = rustix::termios::tcgetwinsize(rustix::stdio::stderr())
            .map(|w| w.ws_col as usize)
            .unwrap_or(80)
            .max(20);
        let full = format!(
            "crew: {} ({}s)",
            crate::text::escape_controls(text),
            waited.as_secs()
        );
        let line: String = if full.chars().count() < cols {
            full
        } else {
            let mut cut: String = full.chars().take(cols - 2).collect();
            cut.push('…');
            cut
        };
        eprint!("\r\x1b[2K{line}");
        self.shown = true;
    }

    pub fn clear(&mut self) {
        if self.shown {
            eprint!("\r\x1b[2K");
            self.shown = false;
        }
    }
}

impl Default for Note {
    fn default() -> Self {
        Note::new()
    }
}

impl Drop for Note {
    fn drop(&mut self) {
        self.clear();
    }
}

/// Wait until every agent that was just started (its process is younger
/// than its profile's `start_timeout_secs`) is ready: idle for READY_HOLD,
/// or working (a busy tool takes typing as a queued message). A tool
/// still drawing its first screen reads `unknown`; older agents are taken
/// as they are. Bounded by the largest
/// `start_timeout_secs`: exit 124 with nothing typed when it passes. A
/// dialog that comes up meanwhile (a trust prompt) refuses the send.
pub fn wait_until_ready(ctx: &Ctx, agents: &[&Agent]) -> Result<()> {
    let profile = |a: &Agent| screen::profile_for(&ctx.config, a);
    let mut waiting: Vec<&Agent> = agents
        .iter()
        .copied()
        .filter(|a| young(a, profile(a).start_timeout_secs))
        .collect();
    if waiting.is_empty() {
        return Ok(());
    }
    let limit = waiting
        .iter()
        .map(|a| profile(a).start_timeout_secs)
        .max()
        .unwrap_or(60);
    let deadline = Instant::now() + Duration::from_secs(limit);
    // When each was first seen idle: a tool can call itself ready (its title,
    // a start-up hook) a moment before its input takes an Enter (measured on
    // Gemini CLI: 0.5-1 s), so idle must hold for READY_HOLD.
    let mut idle_since: Vec<(String, Instant)> = Vec::new();
    let mut note = Note::new();
    loop {
        let snap = ctx.snapshot()?;
        let now: Vec<&Agent> = waiting
            .iter()
            .filter_map(|w| snap.agents.iter().find(|a| a.pane_id() == w.pane_id()))
            .collect();
        let sts = screen::statuses(&ctx.tmux, &ctx.config, &now)?;
        let mut still = Vec::new();
        for (a, st) in now.iter().zip(&sts) {
            match st {
                Status::Exited => {
                    return Err(CrewError::failure(format!(
                        "{} {} while starting; nothing was sent",
                        a.name,
                        how_exited(a)
                    ))
                    .hint(format!("`crew read {}` shows its last screen", a.name))
                    .into())
                }
                s if s.is_attention() => return Err(dialog_refusal(a, *s).into()),
                Status::Working => {}
                Status::Idle => {
                    let since = match idle_since.iter().find(|(n, _)| n == &a.name) {
                        Some((_, t)) => *t,
                        None => {
                            idle_since.push((a.name.clone(), Instant::now()));
                            Instant::now()
                        }
                    };
                    if since.elapsed() < READY_HOLD {
                        still.push(a.pane_id().to_string());
                    }
                }
                _ => {
                    idle_since.retain(|(n, _)| n != &a.name);
                    still.push(a.pane_id().to_string());
                }
            }
        }
        waiting.retain(|w| still.iter().any(|p| p == w.pane_id()));
        if waiting.is_empty() {
            return Ok(());
        }
        if Instant::now() >= deadline {
            let names: Vec<&str> = waiting.iter().map(|a| a.name.as_str()).collect();
            return Err(CrewError::new(
                EXIT_TIMEOUT,
                format!(
                    "{} did not become ready within {limit} s of starting; nothing was sent",
                    names.join(", ")
                ),
            )
            .hint("`crew read NAME` shows what it is showing; `start_timeout_secs` in its profile sets the bound")
            .into());
        }
        let names: Vec<&str> = waiting.iter().map(|a| a.name.as_str()).collect();
        note.show(&format!("waiting for {} to be ready", names.join(", ")));
        std::thread::sleep(POLL);
    }
}

fn is_literal(bytes: &[u8]) -> bool {
    bytes.len() <= LITERAL_MAX
        && std::str::from_utf8(bytes).is_ok_and(|s| !s.chars().any(char::is_control))
}

fn now_nanos() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0)
}

/// Commands that take panes out of copy mode, which would eat the keys.
fn leave_copy_mode(agents: &[&Agent]) -> Chain {
    let mut chain = Chain::new();
    for a in agents.iter().filter(|a| a.pane.in_mode) {
        chain.push(Cmd::new("copy-mode").arg("-q").target(a.pane_id()));
    }
    chain
}

/// Type the text into every agent with one tmux invocation (two for a
/// paste: the load, then the paste).
pub fn type_text(ctx: &Ctx, agents: &[&Agent], bytes: &[u8]) -> Result<()> {
    let mut chain = leave_copy_mode(agents);
    if is_literal(bytes) {
        let text = String::from_utf8_lossy(bytes).into_owned();
        for a in agents {
            chain.push(
                Cmd::new("send-keys")
                    .target(a.pane_id())
                    .args(["-l", "--", &text]),
            );
        }
        ctx.tmux.run(&chain).context("could not type the message")?;
        return Ok(());
    }
    // One named buffer, loaded from stdin (no argv limit) by a tmux call of
    // its own: if crew dies while feeding it, tmux loads a truncated buffer,
    // and nothing pastes it, because the paste is a later call that crew
    // makes only once the load has returned. Pasted raw (-r keeps LF as LF)
    // and bracketed (-p) where the program asked for it.
    let buffer = format!("crew-send-{}-{:x}", std::process::id(), now_nanos());
    let mut load = Chain::new();
    load.push(Cmd::new("load-buffer").args(["-b", &buffer, "-"]));
    ctx.tmux
        .run_with_stdin(&load, bytes)
        .context("could not load the message into a tmux buffer")?;
    for a in agents {
        chain.push(
            Cmd::new("paste-buffer")
                .args(["-p", "-r", "-b", &buffer])
                .target(a.pane_id()),
        );
    }
    chain.push(Cmd::new("delete-buffer").args(["-b", &buffer]));
    let res = ctx.tmux.run(&chain);
    if res.is_err() {
        let mut del = Chain::new();
        del.push(Cmd::new("delete-buffer").args(["-b", &buffer]));
        let _ = ctx.tmux.run(&del);
    }
    res.context("could not paste the message")?;
    Ok(())
}

/// Press tmux keys in each agent (its own list each), in one invocation.
pub fn press(ctx: &Ctx, keys: &[(&Agent, Vec<String>)]) -> Result<()> {
    let agents: Vec<&Agent> = keys.iter().map(|(a, _)| *a).collect();
    let mut chain = leave_copy_mode(&agents);
    for (a, k) in keys {
        if !k.is_empty() {
            chain.push(
                Cmd::new("send-keys")
                    .target(a.pane_id())
                    .args(k.iter().cloned()),
            );
        }
    }
    if !chain.is_empty() {
        ctx.tmux.run(&chain).context("could not send keys")?;
    }
    Ok(())
}

/// What became of a submitted message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Receipt {
    /// The status left idle, or the input box emptied.
    Taken,
    /// The agent exited (a message such as `/exit`); how.
    Exited(String),
    /// No sign either way within the profile's bound (a plain command, or a
    /// tool that shows nothing).
    Unconfirmed,
}

/// Press the submit key after the profile's settle delay (TUIs take an
/// Enter that arrives with a paste as part of it), then wait for each agent
/// to take the message. A message still in the input box at the end gets
/// the profile's recovery keys once (never into a dead pane); if it is
/// still there, that is an error.
pub fn submit(ctx: &Ctx, agents: &[&Agent], message: &[u8]) -> Result<Vec<Receipt>> {
    let profile = |a: &Agent| screen::profile_for(&ctx.config, a);
    let delay = agents
        .iter()
        .map(|a| profile(a).submit_delay_ms)
        .max()
        .unwrap_or(150);
    std::thread::sleep(Duration::from_millis(delay));
    let enter: Vec<(&Agent, Vec<String>)> = agents
        .iter()
        .map(|a| (*a, vec!["Enter".to_string()]))
        .collect();
    press(ctx, &enter).context("could not submit the message")?;

    let text = String::from_utf8_lossy(message).into_owned();
    let mut receipts = vec![Receipt::Unconfirmed; agents.len()];
    let bound = |a: &Agent| Duration::from_millis(profile(a).receipt_timeout_ms);
    let mut pending = watch(ctx, agents, &text, &mut receipts, &bound)?;
    if !pending.is_empty() {
        // One recovery try per profile (e.g. Enter again when an
        // autocomplete picker swallowed the first).
        let again: Vec<(&Agent, Vec<String>)> = pending
            .iter()
            .map(|&i| (agents[i], profile(agents[i]).recovery_keys.clone()))
            .filter(|(_, k)| !k.is_empty())
            .collect();
        if !again.is_empty() {
            press(ctx, &again)?;
            let retry: Vec<&Agent> = pending.iter().map(|&i| agents[i]).collect();
            let mut sub = vec![Receipt::Unconfirmed; retry.len()];
            let short = |_: &Agent| Duration::from_millis(delay.max(100) * 8);
            let left = watch(ctx, &retry, &text, &mut sub, &short)?;
            for (k, &i) in pending.iter().enumerate() {
                receipts[i] = sub[k].clone();
            }
            pending = left.into_iter().map(|k| pending[k]).collect();
        }
    }
    if pending.is_empty() {
        return Ok(receipts);
    }
    let names: Vec<&str> = pending.iter().map(|&i| agents[i].name.as_str()).collect();
    Err(CrewError::failure(format!(
        "the message was typed but not submitted to {}",
        names.join(", ")
    ))
    .hint(format!(
        "`crew read {}` shows its input box; `crew send {} -k Enter` submits it",
        names[0], names[0]
    ))
    .into())
}

/// Poll until every agent shows a receipt or its bound passes. Returns the
/// indices whose message visibly still sits in the input box.
fn watch(
    ctx: &Ctx,
    agents: &[&Agent],
    message: &str,
    receipts: &mut [Receipt],
    bound: &dyn Fn(&Agent) -> Duration,
) -> Result<Vec<usize>> {
    let start = Instant::now();
    let mut open: Vec<usize> = (0..agents.len())
        .filter(|&i| !bound(agents[i]).is_zero())
        .collect();
    let mut stuck: Vec<usize> = Vec::new();
    while !open.is_empty() {
        std::thread::sleep(POLL);
        let snap = ctx.snapshot()?;
        let now = again(&snap, &open, |i| agents[i].pane_id());
        // A pane gone altogether (killed meanwhile) took the message with it.
        for &i in &open {
            if !now.iter().any(|(j, _)| *j == i) {
                receipts[i] = Receipt::Exited("was removed".into());
            }
        }
        let refs: Vec<&Agent> = now.iter().map(|(_, a)| *a).collect();
        let (sts, screens) = screen::statuses_and_screens(&ctx.tmux, &ctx.config, &refs, true)?;
        let mut next = Vec::new();
        stuck.clear();
        for ((i, a), st) in now.iter().zip(sts) {
            let p = screen::profile_for(&ctx.config, a);
            let boxed = screens
                .get(a.pane_id())
                .and_then(|s| status::input_pending(s, p, message));
            match st {
                Status::Exited => receipts[*i] = Receipt::Exited(how_exited(a)),
                Status::Working | Status::Permission | Status::Question => {
                    receipts[*i] = Receipt::Taken
                }
                _ if boxed == Some(false) => receipts[*i] = Receipt::Taken,
                _ => {
                    if boxed == Some(true) {
                        stuck.push(*i);
                    }
                    if start.elapsed() < bound(agents[*i]) {
                        next.push(*i);
                    }
                }
            }
        }
        open = next;
    }
    Ok(stuck
        .into_iter()
        .filter(|&i| receipts[i] == Receipt::Unconfirmed)
        .collect())
}

/// The agents at `open` (indexes into the caller's list, whose pane ids
/// `pane` gives) as a fresh snapshot sees them; those gone are left out.
fn again<'s, 'p>(
    snap: &'s crate::snapshot::Snapshot,
    open: &[usize],
    pane: impl Fn(usize) -> &'p str,
) -> Vec<(usize, &'s Agent)> {
    open.iter()
        .filter_map(|&i| {
            let id = pane(i);
            snap.agents
                .iter()
                .find(|a| a.pane_id() == id)
                .map(|a| (i, a))
        })
        .collect()
}

/// What `approve`, `deny` and `answer` press.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Approve,
    Deny,
    Choice(u8),
}

impl Answer {
    fn verb(self) -> &'static str {
        match self {
            Answer::Approve => "approved",
            Answer::Deny => "denied",
            Answer::Choice(_) => "answered",
        }
    }

    fn keys(self, p: &crate::profile::Profile) -> Vec<String> {
        match self {
            Answer::Approve => p.approve_keys.clone(),
            Answer::Deny => p.deny_keys.clone(),
            Answer::Choice(n) => p
                .answer_keys
                .iter()
                .map(|k| k.replace("{n}", &n.to_string()))
                .collect(),
        }
    }

    fn field(self) -> &'static str {
        match self {
            Answer::Approve => "approve_keys",
            Answer::Deny => "deny_keys",
            Answer::Choice(_) => "answer_keys",
        }
    }
}

/// Answer the dialog of each agent with its profile's keys, then check that
/// the dialog went away (or moved on to the next question). `explicit`:
/// the agents were named one by one, so one that shows no dialog refuses the
/// whole command before any key is pressed; otherwise (`--all`, globs) such
/// agents are left out. Returns the outcome per agent answered, or an error
/// naming the agents whose dialog is still up.
pub fn answer_dialogs(
    ctx: &Ctx,
    agents: &[&Agent],
    explicit: bool,
    answer: Answer,
) -> Result<Vec<crate::render::Done>> {
    let (sts, before) = screen::statuses_and_screens(&ctx.tmux, &ctx.config, agents, true)?;
    let mut chosen: Vec<(&Agent, Vec<String>)> = Vec::new();
    for (a, st) in agents.iter().zip(&sts) {
        if !st.is_attention() {
            if explicit {
                return Err(CrewError::failure(format!(
                    "{} shows no dialog to answer (it is {st}); nothing was pressed",
                    a.name
                ))
                .hint(format!(
                    "`crew send {} TEXT` types a message; `crew read {}` shows its screen",
                    a.name, a.name
                ))
                .into());
            }
            continue;
        }
        let p = screen::profile_for(&ctx.config, a);
        let keys = answer.keys(p);
        if keys.is_empty() {
            return Err(CrewError::failure(format!(
                "profile {} names no keys to press ({} is empty); nothing was pressed",
                p.name,
                answer.field()
            ))
            .hint(format!(
                "set `{}` in its profile, or press keys with `crew send {} -k KEY`",
                answer.field(),
                a.name
            ))
            .into());
        }
        chosen.push((a, keys));
    }
    if chosen.is_empty() {
        return Ok(vec![]);
    }
    press(ctx, &chosen)?;

    // Check: the dialog is gone, or its screen moved on (the next question).
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut open: Vec<usize> = (0..chosen.len()).collect();
    let mut done: Vec<crate::render::Done> = Vec::new();
    while !open.is_empty() {
        std::thread::sleep(POLL);
        let snap = ctx.snapshot()?;
        let now = again(&snap, &open, |i| chosen[i].0.pane_id());
        let refs: Vec<&Agent> = now.iter().map(|(_, a)| *a).collect();
        let (sts, screens) = screen::statuses_and_screens(&ctx.tmux, &ctx.config, &refs, true)?;
        let mut next = Vec::new();
        for &i in &open {
            let a = chosen[i].0;
            let pos = now.iter().position(|(j, _)| *j == i);
            let moved = match pos {
                None => true,
                Some(k) => {
                    !sts[k].is_attention() || screens.get(a.pane_id()) != before.get(a.pane_id())
                }
            };
            if moved {
                let detail = match (answer, pos.map(|k| sts[k])) {
                    (_, None) => "its pane is gone".to_string(),
                    (Answer::Choice(n), Some(st)) => format!("option {n}; now {st}"),
                    (_, Some(st)) => format!("now {st}"),
                };
                done.push(crate::render::Done {
                    action: answer.verb(),
                    name: a.name.clone(),
                    pane_id: a.pane_id().to_string(),
                    detail: Some(detail),
                });
            } else {
                next.push(i);
            }
        }
        open = next;
        if !open.is_empty() && Instant::now() >= deadline {
            crate::render::print_done(&done, false, "")?;
            let names: Vec<String> = open.iter().map(|&i| chosen[i].0.name.clone()).collect();
            return Err(CrewError::failure(format!(
                "pressed {} in {}, but the dialog is still there",
                chosen[open[0]].1.join(" "),
                names.join(", ")
            ))
            .hint(format!(
                "`crew read {}` shows it; the keys come from the profile's `{}`",
                names[0],
                answer.field()
            ))
            .into());
        }
    }
    Ok(done)
}
