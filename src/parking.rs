//! The parking session: where agents live when not on view, each in its own
//! window, behind a placeholder window that keeps the session alive. The
//! commands that place an agent there (create, respawn, park).

use crate::ctx::Ctx;
use crate::snapshot::{Agent, Snapshot};
use crate::tags::{self, Restart, Tags};
use crate::tmux::{format_literal, Chain, Cmd, TmuxError};
use anyhow::Result;

/// Size of the parking session, so agents do not start in an 80×24 box.
pub const PARK_WIDTH: u32 = 250;
pub const PARK_HEIGHT: u32 = 70;

/// What the placeholder window runs: a note for whoever looks, then nothing.
pub const PLACEHOLDER: &str = "printf 'crew parking session: each agent waits in its own window.\\nRun crew ls to list them.\\n'; while :; do sleep 3600; done";

/// Where parked agents go: the parking session's id and its next free
/// window index, creating the session (with its placeholder) if needed.
#[derive(Debug, Clone)]
pub struct Slots {
    pub session: String,
    next: u32,
}

impl Slots {
    /// Slots as the snapshot shows them, without creating anything (for
    /// planning; the session may not exist yet).
    pub fn planned(snap: &Snapshot) -> Slots {
        Slots {
            session: snap
                .parking_session()
                .unwrap_or(snap.parking_name.as_str())
                .to_string(),
            next: snap.next_parking_index().max(1),
        }
    }

    /// Slots in a session that exists (a team's), from its next free index.
    pub fn at(session: &str, next: u32) -> Slots {
        Slots {
            session: session.to_string(),
            next,
        }
    }

    pub fn take(&mut self) -> String {
        let t = format!("{}:{}", self.session, self.next);
        self.next += 1;
        t
    }
}

pub fn parking_slots(ctx: &Ctx, snap: &Snapshot) -> Result<Slots> {
    if let Some(s) = snap.parking_session() {
        return Ok(Slots {
            session: s.to_string(),
            next: snap.next_parking_index(),
        });
    }
    if !snap.server {
        ctx.tmux.check_client_version()?;
    }
    let mut chain = Chain::new();
    chain.extend(session_cmds(&ctx.config.session));
    let mut res = ctx.tmux.run(&chain);
    if matches!(res, Err(TmuxError::ServerExited)) {
        // A server still shutting down (kill-server just now) refuses us
        // once; the next client starts a fresh one.
        std::thread::sleep(std::time::Duration::from_millis(200));
        res = ctx.tmux.run(&chain);
    }
    match res {
        Ok(out) => {
            let mut it = out.split_whitespace();
            let session = it.next().unwrap_or("").to_string();
            let idx: u32 = it.next().and_then(|i| i.parse().ok()).unwrap_or(0);
            Ok(Slots {
                session,
                next: idx + 1,
            })
        }
        Err(TmuxError::Duplicate(_)) => {
            // Made by hand between our snapshot and now: use it.
            let snap = ctx.snapshot()?;
            let session = snap
                .parking_session()
                .map(str::to_string)
                .ok_or_else(|| anyhow::anyhow!("the parking session vanished"))?;
            Ok(Slots {
                session,
                next: snap.next_parking_index(),
            })
        }
        Err(e) => Err(anyhow::Error::new(e).context("could not create the parking session")),
    }
}

/// Commands that make the parking session `name` with its placeholder
/// window; the new-session prints the session's id and the window's index.
pub fn session_cmds(name: &str) -> Vec<Cmd> {
    let (w, h) = (PARK_WIDTH.to_string(), PARK_HEIGHT.to_string());
    vec![
        Cmd::new("new-session")
            .args(["-d", "-s", name, "-x", &w, "-y", &h])
            .args(["-n", "crew", "-P", "-F", "#{session_id} #{window_index}"])
            .arg(PLACEHOLDER),
        // The id is not known until the chain has run, and an implicit
        // target would be the caller's own window inside tmux: name the
        // session exactly (`=`), which within this one chain can only be
        // the one just made.
        tags::set_window(&format!("={name}:"), tags::WIN_ROLE, tags::ROLE_PLACEHOLDER),
    ]
}

/// The parking session's first window (`$S:IDX`), before which a
/// re-created placeholder goes, if the session exists.
pub fn first_slot(snap: &Snapshot) -> Option<String> {
    let session = snap.parking_session()?;
    let first = snap
        .panes
        .iter()
        .filter(|p| p.session_name == snap.parking_name)
        .map(|p| p.window_index)
        .min()?;
    Some(format!("{session}:{first}"))
}

/// A new placeholder window inserted before `target` (when someone closed
/// it by hand), so it is the session's first window again.
pub fn placeholder_cmds(target: &str) -> Vec<Cmd> {
    vec![
        Cmd::new("new-window").args(["-d", "-b", "-t", target, "-n", "crew", PLACEHOLDER]),
        tags::set_window(target, tags::WIN_ROLE, tags::ROLE_PLACEHOLDER),
    ]
}

/// Commands that start an agent in a new parking window at `target`
/// (`$S:IDX`), tagged in the same chain so it never exists untagged; the
/// new-window prints the pane id. It runs `argv` (the recorded command plus
/// what the profile adds at launch: report hooks, a conversation id) with
/// the caller's environment (`environ::caller_env`, not recorded), then the
/// recorded `-e K=V` over it.
pub fn create_cmds_argv(t: &Tags, target: &str, argv: &[String], caller: &[String]) -> Vec<Cmd> {
    let mut nw = Cmd::new("new-window")
        .args(["-d", "-t", target, "-n", &format_literal(&t.name)])
        .args(["-c", &format_literal(&t.cwd)])
        .args(["-P", "-F", "#{pane_id}"]);
    for kv in caller.iter().chain(&t.env) {
        nw = nw.arg("-e").arg(kv.as_str());
    }
    nw = nw.arg("-e").arg(format!("CREW_AGENT={}", t.name));
    // tmux runs one word through the shell and several as argv, as SPEC asks.
    nw = nw.args(argv.iter().cloned());
    let mut v = vec![
        nw,
        // These land before the server next looks at the new process, so even
        // a command that exits at once stays, as a dead pane.
        tags::set_pane(target, "remain-on-exit", "on"),
        tags::set_window(target, tags::WIN_ROLE, tags::ROLE_PARKING),
    ];
    v.extend(t.set_commands(target));
    v
}

/// Whether an exited agent's restart policy asks for a restart.
pub fn wants_restart(a: &Agent) -> bool {
    if !a.pane.dead || a.damage.is_some() {
        return false;
    }
    match a.tags.restart {
        Restart::Never => false,
        Restart::Always => true,
        Restart::OnFailure => a.pane.dead_signal.is_some() || a.pane.dead_status != Some(0),
    }
}

/// Commands that restart an agent in place, starting `argv` with its
/// recorded cwd and env over the caller's environment (`caller`, as for
/// `create_cmds_argv`) and recording `record` (a restart that resumes the
/// conversation keeps the id it resumed); its tags stay with the pane.
/// `quick` is the hook's count of quick exits in a row (None: a restart by
/// hand, which starts the count afresh).
pub fn respawn_cmds_argv(
    a: &Agent,
    argv: &[String],
    record: &Tags,
    quick: Option<u32>,
    caller: &[String],
) -> Vec<Cmd> {
    let t = &a.tags;
    let mut rp = Cmd::new("respawn-pane").args(["-k", "-t", a.pane_id()]);
    rp = rp.args(["-c", &format_literal(&t.cwd)]);
    for kv in caller.iter().chain(&t.env) {
        rp = rp.arg("-e").arg(kv.as_str());
    }
    rp = rp.arg("-e").arg(format!("CREW_AGENT={}", t.name));
    rp = rp.args(argv.iter().cloned());
    let counted = Tags {
        restarts: record.restarts.saturating_add(1),
        quick: quick.unwrap_or(0),
        restarted: crate::ctx::now(),
        ..record.clone()
    };
    vec![rp, counted.set_record(a.pane_id())]
}

/// Commands that move one agent back to its own parking window.
pub fn park_cmds(agent: &Agent, slots: &mut Slots) -> Vec<Cmd> {
    let dst = slots.take();
    let (w, h) = (PARK_WIDTH.to_string(), PARK_HEIGHT.to_string());
    vec![
        Cmd::new("break-pane")
            .args(["-d", "-s", agent.pane_id(), "-t", &dst])
            .args(["-n", &format_literal(&agent.name)]),
        tags::set_window(&dst, tags::WIN_ROLE, tags::ROLE_PARKING),
        // Parked agents keep a roomy screen rather than the view's size.
        Cmd::new("resize-window").args(["-t", &dst, "-x", &w, "-y", &h]),
    ]
}
