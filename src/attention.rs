//! Attention without a daemon. Every command that acts on a status read
//! (`observe`) ends here: an agent whose status changed gets its new status
//! as `@crew-status` (the "last seen", also shown in a view's pane border),
//! read back and rewritten in one tmux chain so that of ten concurrent `ls`
//! exactly one sees the old value; that one runs the configured `notify`
//! for a transition into `permission`/`question` or from `working` to
//! `idle`. Commands that only look (`allow_deliveries`) also type the oldest
//! queued message of an idle agent, under the lock after re-reading the
//! queue; when another command holds the lock that round is skipped (the
//! next command to look does it).

use crate::config::Config;
use crate::mailbox::Queue;
use crate::snapshot::{Agent, Snapshot};
use crate::status::Status;
use crate::tags;
use crate::tmux::{Chain, Cmd, Tmux, TmuxError};
use anyhow::Result;
use std::process::{Command, Stdio};

/// Set in the `crew send` that delivers a queued message, so it does not
/// start deliveries of its own; its value is the agent's pane, whose queue
/// that `crew send` takes the message out of once it has typed it.
const NO_DELIVER: &str = "CREW_NO_DELIVER";

/// Whether a process runs (a delivery mark's owner).
fn alive(pid: u32) -> bool {
    rustix::process::Pid::from_raw(pid as i32)
        .is_some_and(|p| rustix::process::test_kill_process(p).is_ok())
}

/// Whether a change of status is announced.
pub fn announces(prev: &str, new: Status) -> bool {
    (new.is_attention() && prev != new.as_str()) || (prev == "working" && new == Status::Idle)
}

static DELIVERIES: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Called by the commands that only look (`ls`, `wait`, `status-line`, a
/// dashboard): they may type queued messages. Commands that type themselves
/// (`send`, `approve`, …) read statuses too, but must not interleave a
/// queued message with their own.
pub fn allow_deliveries() {
    DELIVERIES.store(true, std::sync::atomic::Ordering::Relaxed);
}

pub fn delivering_allowed() -> bool {
    DELIVERIES.load(std::sync::atomic::Ordering::Relaxed) && std::env::var_os(NO_DELIVER).is_none()
}

/// Record seen statuses, announce transitions, deliver queued messages.
pub fn observe(tmux: &Tmux, config: &Config, agents: &[&Agent], sts: &[Status]) -> Result<()> {
    let changed: Vec<usize> = (0..agents.len())
        .filter(|&i| agents[i].tags.status != sts[i].as_str())
        .collect();
    if !changed.is_empty() {
        let seen = record_seen(tmux, agents, sts, &changed)?;
        for (a, prev, st) in &seen {
            if announces(prev, *st) {
                notify(tmux, config, a, prev, *st);
            }
        }
        // The one process that saw a turn end records it (unless the tool's
        // hook did already).
        let now = crate::ctx::now_ms();
        let ends: Vec<crate::ended::Ending> = seen
            .iter()
            .filter(|(_, prev, st)| crate::turns::ends_turn(prev, *st))
            .map(|(a, _, st)| crate::ended::Ending {
                pane: a.pane_id(),
                status: *st,
                ms: now,
                report: crate::report::Report::parse(&a.tags.report)
                    .filter(|r| r.pid == a.pane.pid),
            })
            .collect();
        crate::ended::record(tmux, config, &ends)?;
    }
    if delivering_allowed() {
        let now = crate::ctx::now_ms();
        let mail: Vec<usize> = (0..agents.len())
            .filter(|&i| {
                sts[i] == Status::Idle
                    && !agents[i].tags.queue.is_empty()
                    && Queue::parse(&agents[i].tags.queue).ready(now, alive)
            })
            .collect();
        if !mail.is_empty() {
            deliver(tmux, config, agents, &mail, now)?;
        }
    }
    Ok(())
}

/// Write the new statuses, reading each old one in the same chain: tmux runs
/// a chain without letting another client in, so of several crew commands
/// that saw the same change exactly one reads the old value back, and only
/// that one announces it (and records the turn it ended). One tmux call, no
/// lock. Returns the changes this process saw, with the old value.
fn record_seen<'a>(
    tmux: &Tmux,
    agents: &[&'a Agent],
    sts: &[Status],
    changed: &[usize],
) -> Result<Vec<(&'a Agent, String, Status)>> {
    let nonce = format!(
        "crew-seen-{:x}",
        crate::ctx::now_ms() ^ u64::from(std::process::id())
    );
    let mut chain = Chain::new();
    for &i in changed {
        let pane = agents[i].pane_id();
        // No '%' in the text: display-message runs it through strftime.
        chain.push(Cmd::new("display-message").args([
            "-p",
            "-t",
            pane,
            &format!("{nonce}:{i}:#{{{}}}", tags::STATUS),
        ]));
        chain.push(tags::set_pane(pane, tags::STATUS, sts[i].as_str()));
    }
    let out = match tmux.run(&chain) {
        Ok(o) => o,
        // A pane gone since the snapshot: the next command records the rest.
        Err(TmuxError::Gone(_)) => return Ok(vec![]),
        Err(e) => return Err(e.into()),
    };
    let mut announce = Vec::new();
    for line in out.lines() {
        let Some(rest) = line.strip_prefix(&format!("{nonce}:")) else {
            continue;
        };
        let Some((i, prev)) = rest.split_once(':') else {
            continue;
        };
        let Ok(i) = i.parse::<usize>() else { continue };
        if i < agents.len() && prev != sts[i].as_str() {
            announce.push((agents[i], prev.to_string(), sts[i]));
        }
    }
    Ok(announce)
}

/// Take the oldest message of each idle agent under the lock, after
/// re-reading the queues and judging the agents again from evidence read
/// now, and type them through `crew send`.
fn deliver(
    tmux: &Tmux,
    config: &Config,
    agents: &[&Agent],
    mail: &[usize],
    now: u64,
) -> Result<()> {
    let Some(lock) = crate::lock::try_take(tmux)? else {
        return Ok(());
    };
    let snap = Snapshot::take(tmux, &config.session)?;
    let fresh: Vec<&Agent> = mail
        .iter()
        .filter_map(|&i| {
            snap.agents
                .iter()
                .find(|f| f.pane_id() == agents[i].pane_id() && f.name == agents[i].name)
        })
        .filter(|f| Queue::parse(&f.tags.queue).ready(now, alive))
        .collect();
    if fresh.is_empty() {
        return Ok(());
    }
    let again = crate::screen::statuses(tmux, config, &fresh)?;
    // Each message stays first in its queue, marked with the `crew send`
    // that types it: that process takes it out once typed. Started in a
    // process group of its own, so the Ctrl-C (or TERM) that ends this
    // command does not end a delivery half-way; if it dies all the same,
    // its mark dies with it and the message waits for the next delivery.
    let mut chain = Chain::new();
    let mut deliveries: Vec<(Agent, Vec<u8>, std::process::Child)> = Vec::new();
    for (f, st) in fresh.into_iter().zip(again) {
        if st != Status::Idle {
            continue;
        }
        let mut q = Queue::parse(&f.tags.queue);
        let msg = q.messages[0].clone();
        let Some(child) = start_send(tmux, config, f) else {
            continue;
        };
        q.busy = Some(now);
        q.owner = Some(child.id());
        chain.push(tags::set_pane(f.pane_id(), tags::QUEUE, &q.value()));
        deliveries.push((f.clone(), msg, child));
    }
    if !chain.is_empty() {
        match tmux.run(&chain) {
            Ok(_) | Err(TmuxError::Gone(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    drop(lock);
    for (a, msg, child) in deliveries {
        let pid = child.id();
        if !feed(child, &a, &msg) {
            finish(tmux, config, a.pane_id(), &a.name, pid, None)?;
        }
    }
    Ok(())
}

/// Run the user's `notify` command (by `sh -c`, the facts in its
/// environment, never in its text), or without one tmux's own message.
fn notify(tmux: &Tmux, config: &Config, a: &Agent, prev: &str, st: Status) {
    match &config.notify {
        Some(cmd) => {
            let _ = Command::new("sh")
                .arg("-c")
                .arg(cmd)
                .env("CREW_AGENT", &a.name)
                .env("CREW_STATUS", st.as_str())
                .env("CREW_PREVIOUS", prev)
                .env("CREW_PANE", a.pane_id())
                .env("CREW_TEAM", &a.tags.team)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .spawn();
        }
        None => {
            // Names are [A-Za-z0-9_-] and statuses fixed words: nothing in
            // the text tmux could expand.
            let what = if st.is_attention() {
                format!("crew: {} waits for you ({})", a.name, st.as_str())
            } else {
                format!("crew: {} is done (idle)", a.name)
            };
            let mut ch = Chain::new();
            ch.push(Cmd::new("display-message").args(["-d", "4000", &what]));
            let _ = tmux.run(&ch);
        }
    }
}

/// `crew send NAME -`, the same path as a sent one, waiting for the
/// message on its stdin.
fn start_send(tmux: &Tmux, config: &Config, a: &Agent) -> Option<std::process::Child> {
    use std::os::unix::process::CommandExt;
    let exe = std::env::current_exe().ok()?;
    let mut c = Command::new(exe);
    c.args(tmux.server_flags());
    if let Some(src) = &config.source {
        c.arg("--config").arg(src);
    }
    c.args(["send", &a.name, "-"])
        .env(NO_DELIVER, a.pane_id())
        .process_group(0)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c.spawn().ok()
}

/// Hand the message to its `crew send` and wait; whether it was typed.
fn feed(mut child: std::process::Child, a: &Agent, msg: &[u8]) -> bool {
    use std::io::Write;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(msg);
    }
    match child.wait_with_output() {
        Ok(out) if out.status.success() => true,
        Ok(out) => {
            eprintln!(
                "crew: could not deliver a queued message to {}: {}",
                a.name,
                crate::text::escape_controls(String::from_utf8_lossy(&out.stderr).trim())
            );
            false
        }
        Err(_) => false,
    }
}

/// In the `crew send` of a delivery: the message is typed, take it out of
/// the agent's queue (if this process still holds the delivery).
pub fn delivered(tmux: &Tmux, config: &Config, pane: &str, name: &str, msg: &[u8]) -> Result<()> {
    if std::env::var(NO_DELIVER).ok().as_deref() != Some(pane) {
        return Ok(());
    }
    finish(tmux, config, pane, name, std::process::id(), Some(msg))
}

/// End the delivery that process `owner` holds: clear its mark, note the
/// time, and take the message out if it was typed (`typed`, which must
/// still be first). A mark another process holds now is left alone.
fn finish(
    tmux: &Tmux,
    config: &Config,
    pane: &str,
    name: &str,
    owner: u32,
    typed: Option<&[u8]>,
) -> Result<()> {
    let _lock = crate::lock::take(tmux)?;
    let snap = Snapshot::take(tmux, &config.session)?;
    let Some(f) = snap
        .agents
        .iter()
        .find(|f| f.pane_id() == pane && f.name == name)
    else {
        return Ok(());
    };
    let mut q = Queue::parse(&f.tags.queue);
    if q.owner != Some(owner) {
        return Ok(());
    }
    q.busy = None;
    q.owner = None;
    q.done = Some(crate::ctx::now_ms());
    if typed.is_some_and(|m| q.messages.first().map(Vec::as_slice) == Some(m)) {
        q.messages.remove(0);
    }
    let mut ch = Chain::new();
    if q.messages.is_empty() {
        ch.push(Cmd::new("set-option").args(["-pu", "-t", f.pane_id(), tags::QUEUE]));
    } else {
        ch.push(tags::set_pane(f.pane_id(), tags::QUEUE, &q.value()));
    }
    match tmux.run(&ch) {
        Ok(_) | Err(TmuxError::Gone(_)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions() {
        assert!(announces("working", Status::Idle));
        assert!(announces("", Status::Permission));
        assert!(announces("working", Status::Question));
        assert!(announces("permission", Status::Question));
        assert!(!announces("permission", Status::Permission));
        assert!(!announces("", Status::Idle));
        assert!(!announces("unknown", Status::Idle));
        assert!(!announces("idle", Status::Working));
    }
}
