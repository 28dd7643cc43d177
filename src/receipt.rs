//! A submitted message's receipt: the submit key, crew's input mark (see
//! `report::Said::Input`), and the watch for a sign that the agent took the
//! message and began a turn with it.

use crate::ctx::Ctx;
use crate::deliver::{again, how_exited, press, press_then, POLL};
use crate::error::CrewError;
use crate::screen;
use crate::snapshot::Agent;
use crate::status::{self, Status};
use crate::tags;
use crate::tmux::Chain;
use anyhow::{Context, Result};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// What became of a submitted message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Receipt {
    /// The agent took it: its status left idle, its tool reported, its
    /// input box emptied, or its screen moved on from the typed message.
    Taken,
    /// The agent exited (a message such as `/exit`); how.
    Exited(String),
    /// Not watched: the profile's `receipt_timeout_ms` is 0.
    Unwatched,
}

/// What one look saw of an agent after the submit key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Sign {
    /// It took the message.
    taken: bool,
    /// Its turn visibly began: busy or asking on screen, or its tool
    /// reported after crew's mark.
    began: bool,
    /// The message sits in its input box still.
    stuck: bool,
    /// A dialog came up where the tool's hooks would have said a turn
    /// began (a start-up offer over the first prompt takes the message).
    dialog: Option<Status>,
}

/// Press the submit key after the profile's settle delay (TUIs take an
/// Enter that arrives with a paste as part of it), with crew's input mark
/// in the same tmux call, then wait for each agent to take the message. A
/// message still in the input box at the end gets the profile's recovery
/// keys once (never into a dead pane); if it is still there, or an agent
/// showed no sign at all of taking it, that is an error: a message is
/// taken or the command fails, never silence.
pub fn submit(ctx: &Ctx, agents: &[&Agent], message: &[u8]) -> Result<Vec<Receipt>> {
    let profile = |a: &Agent| screen::profile_for(&ctx.config, a);
    let delay = agents
        .iter()
        .map(|a| profile(a).submit_delay_ms)
        .max()
        .unwrap_or(150);
    std::thread::sleep(Duration::from_millis(delay));
    // The screens as typed: a screen that moves on from these took the Enter.
    let ids: Vec<&str> = agents.iter().map(|a| a.pane_id()).collect();
    let typed: HashMap<String, String> =
        screen::capture_many(&ctx.tmux, &ids, screen::Capture::default())?
            .into_iter()
            .map(|(k, v)| (k, screen::clean(&v).join("\n")))
            .collect();
    // Whose hooks speak (a report since crew's last input), for profiles
    // whose hooks report a turn's start: there a dialog with no such report
    // is not the message's turn.
    let hooks: Vec<String> = agents
        .iter()
        .filter(|a| {
            profile(a).reports_turn_start
                && crate::report::current(a).is_some_and(|r| r.state().is_some())
        })
        .map(|a| a.pane_id().to_string())
        .collect();
    let ms = crate::ctx::now_ms();
    let enter: Vec<(&Agent, Vec<String>)> = agents
        .iter()
        .map(|a| (*a, vec!["Enter".to_string()]))
        .collect();
    let mut marks = Chain::new();
    for a in agents {
        let mark = crate::report::input_mark(a, ms, false);
        marks.push(tags::set_pane(a.pane_id(), tags::REPORT, &mark));
    }
    press_then(ctx, &enter, marks).context("could not submit the message")?;

    let text = String::from_utf8_lossy(message).into_owned();
    let mut signs = vec![Sign::default(); agents.len()];
    let mut receipts: Vec<Option<Receipt>> = agents
        .iter()
        .map(|a| (profile(a).receipt_timeout_ms == 0).then_some(Receipt::Unwatched))
        .collect();
    let look = Look {
        message: &text,
        typed: &typed,
        mark_ms: ms,
        hooks,
    };
    let bound = |a: &Agent| Duration::from_millis(profile(a).receipt_timeout_ms);
    watch(ctx, agents, &look, &mut signs, &mut receipts, &bound)?;
    let stuck: Vec<usize> = (0..agents.len())
        .filter(|&i| receipts[i].is_none() && signs[i].stuck)
        .collect();
    if !stuck.is_empty() {
        // One recovery try per profile (e.g. Enter again when an
        // autocomplete picker swallowed the first).
        let again: Vec<(&Agent, Vec<String>)> = stuck
            .iter()
            .map(|&i| (agents[i], profile(agents[i]).recovery_keys.clone()))
            .filter(|(_, k)| !k.is_empty())
            .collect();
        if !again.is_empty() {
            press(ctx, &again)?;
            let short = |_: &Agent| Duration::from_millis(delay.max(100) * 8);
            let retry: Vec<&Agent> = stuck.iter().map(|&i| agents[i]).collect();
            let mut sub_signs: Vec<Sign> = stuck.iter().map(|&i| signs[i]).collect();
            let mut sub: Vec<Option<Receipt>> = vec![None; retry.len()];
            watch(ctx, &retry, &look, &mut sub_signs, &mut sub, &short)?;
            for (k, &i) in stuck.iter().enumerate() {
                receipts[i] = sub[k].clone();
                signs[i] = sub_signs[k];
            }
        }
    }
    mark_began(ctx, agents, &signs, ms)?;
    let left: Vec<usize> = (0..agents.len())
        .filter(|&i| receipts[i].is_none())
        .collect();
    if left.is_empty() {
        return Ok(receipts
            .into_iter()
            .map(|r| r.unwrap_or(Receipt::Unwatched))
            .collect());
    }
    let names: Vec<&str> = left.iter().map(|&i| agents[i].name.as_str()).collect();
    let n = names[0];
    let err = if let Some(&i) = left.iter().find(|&&i| signs[i].dialog.is_some()) {
        let st = signs[i].dialog.unwrap_or(Status::Question);
        CrewError::failure(format!(
            "{} showed a dialog ({st}) instead of starting a turn with the message; it was not taken",
            agents[i].name
        ))
        .hint(format!(
            "`crew read {n}` shows the dialog; answer it (`crew answer {n} N`, `crew approve {n}`), then send again"
        ))
    } else if left.iter().any(|&i| signs[i].stuck) {
        CrewError::failure(format!(
            "the message was typed but not submitted to {}",
            names.join(", ")
        ))
        .hint(format!(
            "`crew read {n}` shows its input box; `crew send {n} -k Enter` submits it"
        ))
    } else {
        CrewError::failure(format!(
            "the message was typed and submitted, but {} showed no sign of taking it (no turn began, its screen did not move)",
            names.join(", ")
        ))
        .hint(format!(
            "`crew read {n}` shows what it shows; `receipt_timeout_ms` in its profile sets how long crew looks"
        ))
    };
    Err(err.into())
}

/// What a look compares against.
struct Look<'a> {
    message: &'a str,
    /// Cleaned screens just before the submit key, by pane id.
    typed: &'a HashMap<String, String>,
    mark_ms: u64,
    /// Panes whose hooks report a turn's start (`reports_turn_start`).
    hooks: Vec<String>,
}

/// Poll until every open agent (no receipt yet) shows one or its bound
/// passes, keeping what each look saw in `signs`.
fn watch(
    ctx: &Ctx,
    agents: &[&Agent],
    look: &Look,
    signs: &mut [Sign],
    receipts: &mut [Option<Receipt>],
    bound: &dyn Fn(&Agent) -> Duration,
) -> Result<()> {
    let start = Instant::now();
    let mut open: Vec<usize> = (0..agents.len())
        .filter(|&i| receipts[i].is_none())
        .collect();
    while !open.is_empty() {
        std::thread::sleep(POLL);
        let snap = ctx.snapshot()?;
        let now = again(&snap, &open, |i| agents[i].pane_id());
        // A pane gone altogether (killed meanwhile) took the message with it.
        for &i in &open {
            if !now.iter().any(|(j, _)| *j == i) {
                receipts[i] = Some(Receipt::Exited("was removed".into()));
            }
        }
        let refs: Vec<&Agent> = now.iter().map(|(_, a)| *a).collect();
        let j = crate::observe::judge(&ctx.tmux, &ctx.config, &refs, true)?;
        let mut next = Vec::new();
        for (k, (i, a)) in now.iter().enumerate() {
            let st = j.statuses[k];
            if st == Status::Exited {
                receipts[*i] = Some(Receipt::Exited(how_exited(a)));
                continue;
            }
            let sign = sign_of(ctx, a, st, j.sources[k], j.screens.get(a.pane_id()), look);
            signs[*i].began |= sign.began;
            signs[*i].stuck = sign.stuck;
            signs[*i].dialog = sign.dialog;
            if sign.taken {
                signs[*i].taken = true;
                receipts[*i] = Some(Receipt::Taken);
            } else if start.elapsed() < bound(agents[*i]) {
                next.push(*i);
            }
        }
        open = next;
    }
    Ok(())
}

/// One look at one agent after the submit key.
fn sign_of(
    ctx: &Ctx,
    a: &Agent,
    st: Status,
    source: &str,
    screen: Option<&String>,
    look: &Look,
) -> Sign {
    let p = screen::profile_for(&ctx.config, a);
    // Its tool's own word, given after crew's mark replaced the last one.
    let reported = crate::report::current(a)
        .is_some_and(|r| r.state().is_some() && r.ms >= look.mark_ms.saturating_sub(1000));
    // Crew's own mark reads "working" for a moment: no evidence. A dialog
    // where the hooks stayed silent is no turn either.
    let hooks = look.hooks.iter().any(|p| p == a.pane_id());
    let dialog = (st.is_attention() && hooks && !reported).then_some(st);
    let busy = source != "sent"
        && dialog.is_none()
        && matches!(st, Status::Working | Status::Permission | Status::Question);
    let typed = look.typed.get(a.pane_id());
    let boxed = screen.and_then(|s| status::input_pending(s, p, look.message));
    // The box emptied of the message it showed: a box that never showed it
    // (a tool not listening) tells nothing by being empty.
    let was_boxed = typed.and_then(|t| status::input_pending(t, p, look.message)) == Some(true);
    let moved = screen.is_some_and(|s| typed.is_some_and(|t| t != s));
    let began = busy || reported;
    let emptied = if was_boxed {
        boxed == Some(false)
    } else {
        moved
    };
    Sign {
        began,
        stuck: boxed == Some(true),
        taken: began || (dialog.is_none() && emptied),
        dialog,
    }
}

/// Crew's mark says the turn began where a look saw it, so that `wait`
/// and `ls` need not hold an idle screen back for it. Only on panes whose
/// report is still crew's own mark: a hook's word since is newer.
fn mark_began(ctx: &Ctx, agents: &[&Agent], signs: &[Sign], ms: u64) -> Result<()> {
    if !signs.iter().any(|s| s.began) {
        return Ok(());
    }
    let snap = ctx.snapshot()?;
    let mut ch = Chain::new();
    for (a, _) in agents.iter().zip(signs).filter(|(_, s)| s.began) {
        let Some(now) = snap.agents.iter().find(|x| x.pane_id() == a.pane_id()) else {
            continue;
        };
        let ours = crate::report::current(now)
            .is_some_and(|r| r.ms == ms && matches!(r.said, crate::report::Said::Input { .. }));
        if ours {
            let mark = crate::report::input_mark(now, ms, true);
            ch.push(tags::set_pane(a.pane_id(), tags::REPORT, &mark));
        }
    }
    if !ch.is_empty() {
        // A pane gone since loses nothing that matters.
        match ctx.tmux.run(&ch) {
            Ok(_) | Err(crate::tmux::TmuxError::Gone(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
