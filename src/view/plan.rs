//! The view's plans, pure functions of the snapshot: which layout fits how
//! many agents in the leader's cell, the commands that arrange them, and the
//! borders on and off.

use crate::cli::Layout;
use crate::snapshot::{Agent, Pane, Snapshot};
use crate::tags::{self, encode_list};
use crate::tmux::Cmd;

/// Smallest agent pane crew will make on a view (border line included).
pub const MIN_W: u32 = 20;
pub const MIN_H: u32 = 5;

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

/// What a view window had before the first agent came, given back exactly
/// when the last one leaves: its own (window-local) border options, unset
/// when empty, and its layout. Kept percent-encoded in a window option, so
/// no quoting of tmux's can change a byte of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Saved {
    pub border_status: String,
    pub border_format: String,
    pub layout: String,
}

impl Saved {
    pub(crate) fn decode(s: &str) -> Saved {
        let v = tags::decode_list(s).unwrap_or_default();
        let get = |i: usize| v.get(i).cloned().unwrap_or_default();
        Saved {
            border_status: get(0),
            border_format: get(1),
            layout: get(2),
        }
    }

    pub(crate) fn encode(&self) -> String {
        encode_list(&[
            self.border_status.clone(),
            self.border_format.clone(),
            self.layout.clone(),
        ])
    }
}

/// A view window as the snapshot shows it.
pub(crate) struct ViewWin<'a> {
    pub(crate) window_id: String,
    /// Agents on view there now, in pane order.
    pub(crate) shown: Vec<&'a Agent>,
    /// Panes that are neither the leader nor agents (the user's own).
    pub(crate) others: usize,
}

pub(crate) fn view_of<'a>(snap: &'a Snapshot, leader: &'a Pane) -> ViewWin<'a> {
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
/// `ww`×`wh` with `layout`, each agent at least MIN_W×MIN_H. For views whose
/// own layout crew could not read (then the whole window is laid out).
pub fn fits(layout: Layout, n: u32, others: u32, ww: u32, wh: u32) -> bool {
    if n == 0 {
        return true;
    }
    let total = n + 1 + others;
    let row_ok = |k: u32, w: u32| k * MIN_W + (k - 1) <= w;
    let col_ok = |k: u32, h: u32| k * MIN_H + (k - 1) <= h;
    if n == 1 && others == 0 {
        // Leader above (30%), agent below (70%) when the layout stacks;
        // else leader left, agent right.
        return match layout {
            Layout::MainHorizontal | Layout::EvenVertical => ww >= MIN_W && wh * 7 / 10 >= MIN_H,
            _ => ww * 7 / 10 >= MIN_W && wh >= MIN_H,
        };
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

/// The layout a view gets: the window's own layout from before the view,
/// with the leader's cell split among the leader and the agents. The pane
/// list is the window's panes in tmux's order as they will be when the
/// layout is applied, each with whether it is an agent.
#[derive(Debug, PartialEq, Eq)]
pub enum Fit {
    Layout(String),
    /// An agent would get less than MIN_W×MIN_H of the leader's cell (its
    /// size given).
    TooSmall(u32, u32),
    /// The saved layout does not describe the window any more (panes were
    /// added or closed by hand meanwhile): lay out the whole window.
    Unknown,
}

pub fn fit_view(
    saved_layout: &str,
    list: &[(&str, bool)],
    leader: &str,
    agents: &[&str],
    layout: Layout,
    size: (u32, u32),
) -> Fit {
    let Some(mut cell) = crate::layout::parse(saved_layout) else {
        return Fit::Unknown;
    };
    let users: Vec<u32> = list
        .iter()
        .filter(|(_, agent)| !agent)
        .filter_map(|(id, _)| crate::layout::pane_num(id))
        .collect();
    let Some(lp) = list.iter().position(|(id, _)| *id == leader) else {
        return Fit::Unknown;
    };
    // tmux hands out cells in list order: the agents must follow the leader.
    let follow: Vec<&str> = list[lp + 1..]
        .iter()
        .take(agents.len())
        .map(|(id, _)| *id)
        .collect();
    let n_agents = list.iter().filter(|(_, a)| *a).count();
    if cell.panes() != users || follow != agents || n_agents != agents.len() {
        return Fit::Unknown;
    }
    cell.resize(size.0, size.1, 0, 0);
    if agents.is_empty() {
        return Fit::Layout(cell.render());
    }
    let ids: Vec<u32> = std::iter::once(leader)
        .chain(agents.iter().copied())
        .filter_map(crate::layout::pane_num)
        .collect();
    let room = crate::layout::find(&cell, ids[0]).map_or((0, 0), |c| (c.w, c.h));
    if !cell.with_view(&ids, layout) {
        return Fit::Unknown;
    }
    // The agents need room; the leader keeps what is left of its cell
    // (a narrow leader still works).
    if !crate::layout::roomy_panes(&cell, &ids[1..], MIN_W, MIN_H) {
        return Fit::TooSmall(room.0, room.1);
    }
    Fit::Layout(cell.render())
}

/// Layout commands for a view holding `agents` (in order) when the window's
/// own layout is known; else tmux's named layout over the whole window.
pub(crate) fn arrange(
    window: &str,
    leader: &str,
    fit: &Fit,
    n: usize,
    others: usize,
    layout: Layout,
) -> Vec<Cmd> {
    if let Fit::Layout(l) = fit {
        return vec![Cmd::new("select-layout").args(["-t", window, l])];
    }
    if n == 0 {
        return vec![];
    }
    if n == 1 && others == 0 {
        return match layout {
            Layout::MainHorizontal | Layout::EvenVertical => vec![
                Cmd::new("select-layout").args(["-t", window, "even-vertical"]),
                Cmd::new("resize-pane").args(["-t", leader, "-y", "30%"]),
            ],
            _ => vec![
                Cmd::new("select-layout").args(["-t", window, "even-horizontal"]),
                Cmd::new("resize-pane").args(["-t", leader, "-x", "30%"]),
            ],
        };
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
pub(crate) fn borders_on(
    window: &str,
    leader: &str,
    saved: &Saved,
    layout: Layout,
    format: &str,
) -> Vec<Cmd> {
    vec![
        tags::set_window(window, tags::WIN_SAVED_BORDER, &saved.encode()),
        tags::set_window(window, tags::WIN_LEADER, leader),
        tags::set_window(window, tags::WIN_LAYOUT, layout_name(layout)),
        tags::set_window(window, "pane-border-status", "top"),
        tags::set_window(window, "pane-border-format", format),
    ]
}

pub(crate) fn borders_off(window: &str, saved: &Saved) -> Vec<Cmd> {
    let mut v = Vec::new();
    for (opt, val) in [
        ("pane-border-status", &saved.border_status),
        ("pane-border-format", &saved.border_format),
    ] {
        if val.is_empty() {
            v.push(Cmd::new("set-option").args(["-wu", "-t", window, opt]));
        } else {
            // One argv element: the exact bytes the window had.
            v.push(tags::set_window(window, opt, val));
        }
    }
    for opt in [tags::WIN_LEADER, tags::WIN_SAVED_BORDER, tags::WIN_LAYOUT] {
        v.push(Cmd::new("set-option").args(["-wu", "-t", window, opt]));
    }
    v
}

/// The window's panes in tmux's order once `gone` have left, each with
/// whether it is an agent.
pub(crate) fn pane_list<'a>(
    snap: &'a Snapshot,
    window: &str,
    gone: &[&str],
) -> Vec<(&'a str, bool)> {
    snap.window(window)
        .filter(|p| !gone.contains(&p.pane_id.as_str()))
        .map(|p| (p.pane_id.as_str(), snap.is_agent_pane(&p.pane_id)))
        .collect()
}

/// Commands that tidy views an agent is leaving: re-layout what remains, and
/// the window's own layout and borders back when no agent is left. `leaving`
/// are pane ids.
pub fn after_leaving<'a>(
    snap: &Snapshot,
    leaving: impl IntoIterator<Item = &'a str> + Clone,
    except_window: Option<&str>,
) -> Vec<Cmd> {
    let gone: Vec<&str> = leaving.clone().into_iter().collect();
    let mut cmds = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for id in leaving {
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
        let saved = Saved::decode(&leader.saved_border);
        let list = pane_list(snap, &view.window_id, &gone);
        let left: Vec<&str> = list.iter().filter(|(_, a)| *a).map(|(i, _)| *i).collect();
        let layout = parse_layout(&leader.layout);
        let fit = fit_view(
            &saved.layout,
            &list,
            &leader.pane_id,
            &left,
            layout,
            (leader.window_width, leader.window_height),
        );
        if left.is_empty() {
            cmds.extend(borders_off(&view.window_id, &saved));
        }
        cmds.extend(arrange(
            &view.window_id,
            &leader.pane_id,
            &fit,
            left.len(),
            view.others,
            layout,
        ));
    }
    cmds
}
