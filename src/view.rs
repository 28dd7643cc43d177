//! The view: agents beside the leader pane, laid out, with their names in
//! the pane borders. The plans (layout fit, commands) are pure functions of
//! the snapshot; `show_names` and `park` are the imperative shells shared by
//! show, park and spawn.

use crate::cli::Layout;
use crate::ctx::Ctx;
use crate::error::CrewError;
use crate::parking::{park_cmds, parking_slots};
use crate::snapshot::{Agent, Pane, Snapshot};
use crate::tags::{self, encode_list};
use crate::tmux::{Chain, Cmd};
use anyhow::{Context, Result};

/// Smallest agent pane crew will make on a view (border line included).
pub const MIN_W: u32 = 20;
pub const MIN_H: u32 = 5;

/// Agents on view show their name and status in the pane border; other panes
/// their title.
const BORDER_FORMAT: &str =
    "#{?#{@crew-name},#[bold] #{@crew-name} #[nobold]#{@crew-status} ,#{pane_title}}";

pub fn layout_name(l: Layout) -> &'static str {
    match l {
        Layout::Tiled => "tiled",
        Layout::MainVertical => "main-vertical",
        Layout::MainHorizontal => "main-horizontal",
        Layout::EvenHorizontal => "even-horizontal",
        Layout::EvenVertical => "even-vertical",
    }
}

pub fn parse_layout(s: &str) -> Layout {
    match s {
        "tiled" => Layout::Tiled,
        "main-horizontal" => Layout::MainHorizontal,
        "even-horizontal" => Layout::EvenHorizontal,
        "even-vertical" => Layout::EvenVertical,
        _ => Layout::MainVertical,
    }
}

/// A view window as the snapshot shows it.
struct ViewWin<'a> {
    window_id: String,
    /// Agents on view there now, in pane order.
    shown: Vec<&'a Agent>,
    /// Panes that are neither the leader nor agents (the user's own).
    others: usize,
}

fn view_of<'a>(snap: &'a Snapshot, leader: &'a Pane) -> ViewWin<'a> {
    let shown: Vec<&Agent> = snap
        .agents
        .iter()
        .filter(|a| a.pane.window_id == leader.window_id)
        .collect();
    let others = snap
        .window(&leader.window_id)
        .filter(|p| p.pane_id != leader.pane_id && !snap.is_agent_pane(&p.pane_id))
        .count();
    ViewWin {
        window_id: leader.window_id.clone(),
        shown,
        others,
    }
}

/// Whether `n` agents plus the leader (and `others`) fit in a window of
/// `ww`×`wh` with `layout`, each agent at least MIN_W×MIN_H.
pub fn fits(layout: Layout, n: u32, others: u32, ww: u32, wh: u32) -> bool {
    if n == 0 {
        return true;
    }
    let total = n + 1 + others;
    let row_ok = |k: u32, w: u32| k * MIN_W + (k - 1) <= w;
    let col_ok = |k: u32, h: u32| k * MIN_H + (k - 1) <= h;
    if n == 1 && others == 0 {
        // Leader left (30%), agent right (70%).
        return ww * 7 / 10 >= MIN_W && wh >= MIN_H;
    }
    match layout {
        Layout::MainVertical => ww * 7 / 10 >= MIN_W && col_ok(total - 1, wh),
        Layout::MainHorizontal => wh * 7 / 10 >= MIN_H && row_ok(total - 1, ww),
        Layout::EvenHorizontal => row_ok(total, ww),
        Layout::EvenVertical => col_ok(total, wh),
        Layout::Tiled => {
            let cols = (1..=total).find(|c| c * c >= total).unwrap_or(total);
            let rows = total.div_ceil(cols);
            row_ok(cols, ww) && col_ok(rows, wh)
        }
    }
}

/// Layout commands for a view that will hold `n` agents.
fn arrange(window: &str, leader: &str, n: usize, others: usize, layout: Layout) -> Vec<Cmd> {
    if n == 0 {
        return vec![];
    }
    if n == 1 && others == 0 {
        return vec![
            Cmd::new("select-layout").args(["-t", window, "even-horizontal"]),
            Cmd::new("resize-pane").args(["-t", leader, "-x", "30%"]),
        ];
    }
    let mut v = vec![Cmd::new("select-layout").args(["-t", window, layout_name(layout)])];
    match layout {
        Layout::MainVertical => v.push(Cmd::new("resize-pane").args(["-t", leader, "-x", "30%"])),
        Layout::MainHorizontal => v.push(Cmd::new("resize-pane").args(["-t", leader, "-y", "30%"])),
        _ => {}
    }
    v
}

/// Border on while agents are on view; the window's own settings back after.
fn borders_on(window: &str, leader: &str, saved: &str, layout: Layout) -> Vec<Cmd> {
    vec![
        tags::set_window(window, tags::WIN_SAVED_BORDER, saved),
        tags::set_window(window, tags::WIN_LEADER, leader),
        tags::set_window(window, tags::WIN_LAYOUT, layout_name(layout)),
        tags::set_window(window, "pane-border-status", "top"),
        tags::set_window(window, "pane-border-format", BORDER_FORMAT),
    ]
}

fn borders_off(window: &str, saved: &str) -> Vec<Cmd> {
    let vals = tags::decode_list(saved).unwrap_or_default();
    let mut v = Vec::new();
    for (i, opt) in ["pane-border-status", "pane-border-format"]
        .iter()
        .enumerate()
    {
        match vals.get(i).filter(|s| !s.is_empty()) {
            Some(val) => v.push(tags::set_window(window, opt, val)),
            None => v.push(Cmd::new("set-option").args(["-wu", "-t", window, opt])),
        }
    }
    for opt in [tags::WIN_LEADER, tags::WIN_SAVED_BORDER, tags::WIN_LAYOUT] {
        v.push(Cmd::new("set-option").args(["-wu", "-t", window, opt]));
    }
    v
}

/// The window's own (local) border settings, to restore later: one extra
/// tmux call, made only the first time a window becomes a view.
fn saved_borders(ctx: &Ctx, window: &str) -> Result<String> {
    let mut ch = Chain::new();
    ch.push(Cmd::new("show-options").args(["-w", "-t", window]));
    let out = ctx.tmux.run(&ch)?;
    let mut vals = vec![String::new(), String::new()];
    for line in out.lines() {
        for (i, opt) in ["pane-border-status", "pane-border-format"]
            .iter()
            .enumerate()
        {
            if let Some(v) = line.strip_prefix(opt).and_then(|r| r.strip_prefix(' ')) {
                vals[i] = unquote(v);
            }
        }
    }
    Ok(encode_list(&vals))
}

/// show-options quotes values with spaces or specials in double quotes.
fn unquote(v: &str) -> String {
    let v = v.trim();
    if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
        v[1..v.len() - 1]
            .replace("\\\"", "\"")
            .replace("\\\\", "\\")
    } else {
        v.to_string()
    }
}

/// Commands that tidy views an agent is leaving: re-layout what remains, and
/// borders off when no agent is left. `leaving` are pane ids.
pub fn after_leaving<'a>(
    snap: &Snapshot,
    leaving: impl IntoIterator<Item = &'a str> + Clone,
    except_window: Option<&str>,
) -> Vec<Cmd> {
    let mut cmds = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for id in leaving.clone() {
        let Some(p) = snap.pane(id) else { continue };
        if p.leader.is_empty() || seen.contains(&p.window_id.as_str()) {
            continue;
        }
        if except_window == Some(p.window_id.as_str()) {
            continue;
        }
        seen.push(&p.window_id);
        let Some(leader) = snap.pane(&p.leader).filter(|l| l.window_id == p.window_id) else {
            continue;
        };
        let view = view_of(snap, leader);
        let left = view
            .shown
            .iter()
            .filter(|a| !leaving.clone().into_iter().any(|l| l == a.pane_id()))
            .count();
        if left == 0 {
            cmds.extend(borders_off(&view.window_id, &leader.saved_border));
        } else {
            cmds.extend(arrange(
                &view.window_id,
                &leader.pane_id,
                left,
                view.others,
                parse_layout(&leader.layout),
            ));
        }
    }
    cmds
}

/// The pane crew runs from: `$TMUX_PANE`, or, under `run-shell` (which sets
/// `$TMUX` but not `$TMUX_PANE`), the active pane of the client's session.
/// The second says whether it was derived rather than given.
pub fn leader_id(ctx: &Ctx) -> Option<(String, bool)> {
    if let Some(p) = ctx.tmux.leader_pane() {
        return Some((p, false));
    }
    if !ctx.tmux.inside_same_server() {
        return None;
    }
    let mut ch = Chain::new();
    ch.push(Cmd::new("display-message").args(["-p", "#{pane_id}"]));
    ctx.tmux
        .run(&ch)
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| s.starts_with('%'))
        .map(|p| (p, true))
}

/// The leader pane: where crew was started from, if that is on this server
/// and is not itself an agent; from an agent on view, that view's leader. A
/// derived one that is an agent elsewhere (a client looking at the parking
/// session) means there is no view: None.
pub fn leader<'a>(ctx: &Ctx, snap: &'a Snapshot) -> Result<Option<&'a Pane>> {
    let Some((id, derived)) = leader_id(ctx) else {
        return Ok(None);
    };
    let pane = snap.pane(&id).ok_or_else(|| {
        CrewError::failure(format!(
            "the pane crew runs in ({id}) is not on this tmux server"
        ))
    })?;
    // From an agent on view (focus moved to it): that view's leader.
    if let Some(l) = snap
        .pane(&pane.leader)
        .filter(|l| l.window_id == pane.window_id && !snap.is_agent_pane(&l.pane_id))
    {
        return Ok(Some(l));
    }
    if snap.is_agent_pane(&id) || pane.session_name == snap.parking_name {
        if derived {
            return Ok(None);
        }
        let what = if snap.is_agent_pane(&id) {
            "an agent's pane"
        } else {
            "the parking session"
        };
        return Err(CrewError::failure(format!(
            "crew was run from {what} ({id}); show and park need a pane of your own to lead the view"
        ))
        .hint("run it from your own pane, or outside tmux to attach")
        .into());
    }
    Ok(Some(pane))
}

/// `show` inside tmux: bring `targets` beside the leader, park the rest of
/// what is on view there, in one chain.
pub fn show_here(
    ctx: &Ctx,
    snap: &Snapshot,
    leader: &Pane,
    targets: &[&Agent],
    focus: bool,
    layout: Option<Layout>,
) -> Result<()> {
    let view = view_of(snap, leader);
    let layout = layout.unwrap_or_else(|| parse_layout(&leader.layout));
    let same = view.shown.len() == targets.len()
        && targets
            .iter()
            .all(|t| view.shown.iter().any(|s| s.pane_id() == t.pane_id()));
    if same && leader.layout == layout_name(layout) {
        if focus {
            let mut ch = Chain::new();
            ch.push(Cmd::new("select-pane").target(targets[0].pane_id()));
            ctx.tmux.run(&ch)?;
        }
        return Ok(());
    }
    let n = targets.len() as u32;
    if !fits(
        layout,
        n,
        view.others as u32,
        leader.window_width,
        leader.window_height,
    ) {
        return Err(CrewError::failure(format!(
            "the view ({}x{}) is too small for {} agent{} in {}: each needs at least {}x{}",
            leader.window_width,
            leader.window_height,
            n,
            if n == 1 { "" } else { "s" },
            layout_name(layout),
            MIN_W,
            MIN_H
        ))
        .hint("make the window larger, show fewer agents, or try --layout tiled")
        .into());
    }
    let saved = if leader.leader.is_empty() {
        saved_borders(ctx, &leader.window_id)?
    } else {
        leader.saved_border.clone()
    };
    let to_park: Vec<&&Agent> = view
        .shown
        .iter()
        .filter(|s| !targets.iter().any(|t| t.pane_id() == s.pane_id()))
        .collect();
    let to_join: Vec<&&Agent> = targets
        .iter()
        .filter(|t| !view.shown.iter().any(|s| s.pane_id() == t.pane_id()))
        .collect();
    let mut slots = if to_park.is_empty() {
        None
    } else {
        Some(parking_slots(ctx, snap)?)
    };
    let mut chain = Chain::new();
    for a in &to_park {
        chain.extend(park_cmds(a, slots.as_mut().expect("slots")));
    }
    // Views the joining agents leave behind (shown elsewhere) get tidied.
    chain.extend(after_leaving(
        snap,
        to_join.iter().map(|a| a.pane_id()),
        Some(&view.window_id),
    ));
    for a in &to_join {
        chain.push(Cmd::new("join-pane").args([
            "-d",
            "-v",
            "-s",
            a.pane_id(),
            "-t",
            &leader.pane_id,
        ]));
        // Re-spread after each join so the next split always has room.
        chain.push(Cmd::new("select-layout").args(["-t", &view.window_id, "main-vertical"]));
    }
    chain.extend(borders_on(&view.window_id, &leader.pane_id, &saved, layout));
    chain.extend(arrange(
        &view.window_id,
        &leader.pane_id,
        targets.len(),
        view.others,
        layout,
    ));
    let focus_on = if focus {
        targets[0].pane_id()
    } else {
        leader.pane_id.as_str()
    };
    chain.push(Cmd::new("select-pane").target(focus_on));
    ctx.tmux.run(&chain).context("could not change the view")?;
    Ok(())
}

/// `park` of some agents: each to its own parking window, views tidied.
pub fn park(ctx: &Ctx, snap: &Snapshot, agents: &[&Agent]) -> Result<Vec<String>> {
    let moving: Vec<&&Agent> = agents
        .iter()
        .filter(|a| a.place != crate::snapshot::Where::Parked)
        .collect();
    if moving.is_empty() {
        return Ok(vec![]);
    }
    let mut slots = parking_slots(ctx, snap)?;
    let mut chain = Chain::new();
    for a in &moving {
        chain.extend(park_cmds(a, &mut slots));
    }
    chain.extend(after_leaving(
        snap,
        moving.iter().map(|a| a.pane_id()),
        None,
    ));
    ctx.tmux.run(&chain).context("could not park")?;
    Ok(moving.iter().map(|a| a.name.clone()).collect())
}

/// Show by name: the shared path of `show` and `spawn --show`.
pub fn show_names(ctx: &Ctx, names: &[String], focus: bool, layout: Option<Layout>) -> Result<()> {
    let sels = crate::names::parse(names)?;
    let _lock = ctx.tmux.lock()?;
    let snap = ctx.snapshot()?;
    let targets = crate::names::select(&snap.agents, &sels, false, false)?;
    match leader(ctx, &snap)? {
        Some(l) => show_here(ctx, &snap, l, &targets, focus, layout),
        None => {
            drop(_lock);
            attach(ctx, &targets)
        }
    }
}

/// Outside a view: put this terminal on the agent's window.
fn attach(ctx: &Ctx, targets: &[&Agent]) -> Result<()> {
    use std::io::IsTerminal;
    if targets.len() != 1 {
        return Err(CrewError::usage(
            "outside tmux, show takes one agent (it attaches this terminal to it)",
        )
        .into());
    }
    let a = targets[0];
    let inside_tmux = ctx.tmux.inside_same_server();
    let target = format!("{}:{}", a.pane.session_id, a.pane.window_id);
    let mut prep = Chain::new();
    if a.pane.role == tags::ROLE_PARKING {
        // Parking windows are pinned to a roomy size; fit this terminal now.
        prep.push(Cmd::new("set-option").args(["-wu", "-t", &a.pane.window_id, "window-size"]));
    }
    prep.push(Cmd::new("select-window").target(&target));
    prep.push(Cmd::new("select-pane").target(a.pane_id()));
    if inside_tmux && std::env::var_os("TMUX_PANE").is_none() {
        prep.push(Cmd::new("switch-client").target(&target));
        ctx.tmux.run(&prep)?;
        return Ok(());
    }
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return Err(CrewError::failure(format!(
            "cannot show {} here: not inside tmux and not on a terminal",
            a.name
        ))
        .hint(format!(
            "run `crew show {}` inside tmux (it opens beside your pane) or from a terminal (it attaches)",
            a.name
        ))
        .hint(format!("`crew read {}` prints its screen without a terminal", a.name))
        .into());
    }
    ctx.tmux.run(&prep)?;
    let status = ctx.tmux.attach(&a.pane.session_id)?;
    if !status {
        return Err(CrewError::failure("tmux attach-session failed").into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_in_80x23() {
        // An 80x24 terminal leaves 23 rows for the window.
        for l in [Layout::MainVertical, Layout::Tiled] {
            assert!(fits(l, 1, 0, 80, 23));
            assert!(fits(l, 2, 0, 80, 23));
        }
        assert!(fits(Layout::MainVertical, 4, 0, 80, 23));
        assert!(!fits(Layout::MainVertical, 8, 0, 80, 23));
        assert!(fits(Layout::Tiled, 8, 0, 80, 23));
        assert!(!fits(Layout::EvenHorizontal, 4, 0, 80, 23));
        assert!(!fits(Layout::MainVertical, 1, 0, 20, 23));
        assert!(fits(Layout::MainVertical, 0, 0, 1, 1));
    }

    #[test]
    fn unquoting() {
        assert_eq!(unquote("top"), "top");
        assert_eq!(
            unquote("\"#{pane_index} \\\"x\\\"\""),
            "#{pane_index} \"x\""
        );
    }
}
