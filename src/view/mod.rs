//! The view: agents beside the leader pane, laid out inside the leader's own
//! cell of the window's layout (the user's other panes keep theirs), with
//! their names and status in the pane borders; the window's own layout and
//! border options come back when the last agent leaves. The plans (layout
//! fit, commands) are pure functions of the snapshot; `show_names` and
//! `park` are the imperative shells shared by show, park and spawn.

use crate::cli::Layout;
use crate::ctx::Ctx;
use crate::error::CrewError;
use crate::parking::park_cmds;
use crate::render::Done;
use crate::snapshot::{Agent, Pane, Snapshot};
use crate::tags;
use crate::tmux::{Chain, Cmd};
use anyhow::{Context, Result};

mod plan;
pub use plan::*;

/// Agents on view show their name and status in the pane border; other panes
/// their index and title. An exit shows from tmux's own `pane_dead` at once.
/// While the agent lives, tmux itself runs `crew border PANE` (a `#()` job,
/// at most once per `status-interval`) for its current status, and shows
/// the status `show` recorded until the job's first answer (tmux 3.2 shows
/// a job without output as `<'…' not ready>` at once, later releases after
/// a second, and `<'…' didn't start>` if it could not start it). The title the
/// program sets (Claude Code's spinner) follows too. `CREW` stands for the
/// crew command line, escaped for the format.
const BORDER_FORMAT: &str = "#{?#{@crew-name},#[bold] #{@crew-name} #[nobold]\
#{?pane_dead,#{?#{!=:#{pane_dead_signal},},exited(sig #{pane_dead_signal}),\
#{?#{!=:#{pane_dead_status},},exited(#{pane_dead_status}),exited}},\
#{?#{m:<'*>,#(CREW border #{pane_id})},#{@crew-status},\
#{?#{!=:#(CREW border #{pane_id}),},#(CREW border #{pane_id}),#{@crew-status}}}} \
#{?#{!=:#{pane_title},#{host}}, #{=40:pane_title} ,},\
#{pane_index} \"#{pane_title}\"}";

/// The border format with this crew and server in its `#()` job.
fn border_format(ctx: &Ctx) -> String {
    use crate::tmux::shell_quote;
    let exe = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "crew".into());
    // The job's environment is the server's, not ours: name the socket.
    let line = format!(
        "{} -S {}",
        shell_quote(&exe),
        shell_quote(&ctx.tmux.socket_path().display().to_string())
    );
    // Inside a format `#`, `,` and `}` are written `##`, `#,` and `#}`.
    let mut esc = String::new();
    for c in line.chars() {
        if matches!(c, '#' | ',' | '}') {
            esc.push('#');
        }
        esc.push(c);
    }
    BORDER_FORMAT.replace("CREW", &esc)
}

/// The window's own border settings and layout, to give back later: one
/// extra tmux call, made only when a window becomes a view. `show-options
/// -v` prints a value as it is, unquoted; each answer is fenced by a marker
/// so a value holding newlines cannot be mistaken for the next.
fn read_saved(ctx: &Ctx, window: &str) -> Result<Saved> {
    let fence = format!("<crew-saved-{}>", std::process::id());
    let mut ch = Chain::new();
    for opt in ["pane-border-status", "pane-border-format"] {
        ch.push(Cmd::new("show-options").args(["-wv", "-t", window, opt]));
        ch.push(Cmd::new("display-message").args(["-p", "-t", window, &fence]));
    }
    ch.push(Cmd::new("display-message").args(["-p", "-t", window, "#{window_layout}"]));
    let out = ctx.tmux.run(&ch)?;
    let parts: Vec<&str> = out.split(&format!("{fence}\n")).collect();
    let val = |i: usize| {
        let v = parts.get(i).copied().unwrap_or("");
        v.strip_suffix('\n').unwrap_or(v).to_string()
    };
    Ok(Saved {
        border_status: val(0),
        border_format: val(1),
        layout: val(2),
    })
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

/// How `show` was asked to arrange the view.
#[derive(Debug, Clone, Copy, Default)]
pub struct ShowOpts {
    pub focus: bool,
    pub zoom: bool,
    pub layout: Option<Layout>,
}

/// `show` inside tmux: bring `targets` beside the leader in that order,
/// park the rest of what is on view there, in one chain. Returns what it
/// did, one entry per agent moved.
pub fn show_here(
    ctx: &Ctx,
    snap: &Snapshot,
    leader: &Pane,
    targets: &[&Agent],
    opts: ShowOpts,
) -> Result<Vec<Done>> {
    let view = view_of(snap, leader);
    let layout = opts.layout.unwrap_or_else(|| parse_layout(&leader.layout));
    let window = view.window_id.as_str();
    let to_park: Vec<&&Agent> = view
        .shown
        .iter()
        .filter(|s| !targets.iter().any(|t| t.pane_id() == s.pane_id()))
        .collect();
    let parked_ids: Vec<&str> = to_park.iter().map(|a| a.pane_id()).collect();
    // The window's panes as they will be: parked ones gone, then each target
    // moved (or joined) right after the previous one, the first after the
    // leader, so tmux hands them the view's cells in the order given.
    let mut list: Vec<(&str, bool)> = pane_list(snap, window, &parked_ids);
    let mut moves: Vec<(&str, &str)> = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        let prev = if i == 0 {
            leader.pane_id.as_str()
        } else {
            targets[i - 1].pane_id()
        };
        let pp = list.iter().position(|(id, _)| *id == prev).expect("placed");
        if list.get(pp + 1).map(|(id, _)| *id) == Some(t.pane_id()) {
            continue;
        }
        list.retain(|(id, _)| *id != t.pane_id());
        let pp = list.iter().position(|(id, _)| *id == prev).expect("placed");
        list.insert(pp + 1, (t.pane_id(), true));
        moves.push((t.pane_id(), prev));
    }
    let unchanged = to_park.is_empty() && moves.is_empty();
    if unchanged && leader.layout == layout_name(layout) && !opts.zoom {
        if opts.focus {
            let mut ch = Chain::new();
            ch.push(Cmd::new("select-pane").target(targets[0].pane_id()));
            ctx.tmux.run(&ch)?;
        }
        return Ok(vec![]);
    }
    let saved = if leader.leader.is_empty() {
        read_saved(ctx, window)?
    } else {
        Saved::decode(&leader.saved_border)
    };
    let agent_ids: Vec<&str> = targets.iter().map(|t| t.pane_id()).collect();
    let fit = fit_view(
        &saved.layout,
        &list,
        &leader.pane_id,
        &agent_ids,
        layout,
        (leader.window_width, leader.window_height),
    );
    let n = targets.len() as u32;
    let size = (leader.window_width, leader.window_height);
    let fits_in =
        |l: Layout| match fit_view(&saved.layout, &list, &leader.pane_id, &agent_ids, l, size) {
            Fit::TooSmall(..) => false,
            Fit::Layout(_) => true,
            Fit::Unknown => fits(l, n, view.others as u32, size.0, size.1),
        };
    if !fits_in(layout) {
        // The room is the leader's cell when the window's layout is known.
        let place = match fit {
            Fit::TooSmall(w, h) => format!("beside this pane ({w}x{h})"),
            _ => format!("in this window ({}x{})", size.0, size.1),
        };
        let others: Vec<String> = [
            Layout::MainVertical,
            Layout::MainHorizontal,
            Layout::Tiled,
            Layout::EvenHorizontal,
            Layout::EvenVertical,
        ]
        .into_iter()
        .filter(|l| *l != layout && fits_in(*l))
        .map(|l| format!("--layout {}", layout_name(l)))
        .collect();
        let hint = if others.is_empty() {
            "make the pane or window larger, or show fewer agents".to_string()
        } else {
            format!("{} fits; or make the pane larger", others.join(" or "))
        };
        return Err(CrewError::failure(format!(
            "no room for {n} agent{} in {} {place}: each needs {MIN_W}x{MIN_H}",
            if n == 1 { "" } else { "s" },
            layout_name(layout),
        ))
        .hint(hint)
        .into());
    }
    // A team's agents go back to the team's session.
    let mut parkings = crate::team::Parkings::new(ctx, snap);
    // The border shows each agent's status from the moment it arrives.
    let joining: Vec<&Agent> = targets
        .iter()
        .filter(|t| t.place != crate::snapshot::Where::Shown || t.pane.window_id != window)
        .copied()
        .collect();
    let statuses = crate::observe::statuses(&ctx.tmux, &ctx.config, &joining)?;
    let mut done = Vec::new();
    let mut chain = Chain::new();
    for a in &to_park {
        chain.extend(park_cmds(a, parkings.for_agent(a)?));
        done.push(Done::new("parked", a));
    }
    for (a, st) in joining.iter().zip(&statuses) {
        chain.push(tags::set_pane(a.pane_id(), tags::STATUS, st.as_str()));
    }
    for (src, prev) in &moves {
        chain.push(Cmd::new("join-pane").args(["-d", "-v", "-s", src, "-t", prev]));
        // Spread out after each join so the next split always has room; the
        // final layout below replaces this.
        chain.push(Cmd::new("select-layout").args(["-t", window, "tiled"]));
    }
    // Views the joining agents left (shown elsewhere) get tidied, now that
    // they are gone from there.
    let from_elsewhere: Vec<&str> = joining.iter().map(|a| a.pane_id()).collect();
    chain.extend(after_leaving(
        snap,
        from_elsewhere.iter().copied(),
        Some(window),
    ));
    chain.extend(borders_on(
        window,
        &leader.pane_id,
        &saved,
        layout,
        &border_format(ctx),
    ));
    chain.extend(arrange(
        window,
        &leader.pane_id,
        &fit,
        targets.len(),
        view.others,
        layout,
    ));
    if opts.zoom {
        // tmux's own zoom; it makes the agent the active pane. Any later
        // select-layout (park, another show) undoes it.
        chain.push(Cmd::new("resize-pane").args(["-Z", "-t", targets[0].pane_id()]));
    } else {
        let focus_on = if opts.focus {
            targets[0].pane_id()
        } else {
            leader.pane_id.as_str()
        };
        chain.push(Cmd::new("select-pane").target(focus_on));
    }
    ctx.tmux.run(&chain).context("could not change the view")?;
    // tmux zooms only the active pane (selecting another unzooms), so a
    // zoomed agent has the focus: the line says how to get back.
    let zoomed = "zoomed, with the focus: prefix z unzooms, prefix ; back to your pane";
    for a in &joining {
        let mut d = Done::new("shown", a);
        if opts.zoom && a.pane_id() == targets[0].pane_id() {
            d.detail = Some(zoomed.to_string());
        }
        done.push(d);
    }
    if opts.zoom && !joining.iter().any(|a| a.pane_id() == targets[0].pane_id()) {
        let mut d = Done::new("zoomed", targets[0]);
        d.detail = Some(zoomed.trim_start_matches("zoomed, ").to_string());
        done.push(d);
    }
    Ok(done)
}

/// `park` of some agents: each to its own parking window, views tidied.
pub fn park(ctx: &Ctx, snap: &Snapshot, agents: &[&Agent]) -> Result<Vec<Done>> {
    let moving: Vec<&&Agent> = agents
        .iter()
        .filter(|a| a.place != crate::snapshot::Where::Parked)
        .collect();
    if moving.is_empty() {
        return Ok(vec![]);
    }
    let mut parkings = crate::team::Parkings::new(ctx, snap);
    let mut chain = Chain::new();
    for a in &moving {
        chain.extend(park_cmds(a, parkings.for_agent(a)?));
    }
    chain.extend(after_leaving(
        snap,
        moving.iter().map(|a| a.pane_id()),
        None,
    ));
    ctx.tmux.run(&chain).context("could not park")?;
    Ok(moving.iter().map(|a| Done::new("parked", a)).collect())
}

/// Show by name: the shared path of `show` and `spawn --show`. Targets keep
/// the order they were named in. None: outside tmux, this terminal was
/// attached instead.
pub fn show_names(ctx: &Ctx, names: &[String], opts: ShowOpts) -> Result<Option<Vec<Done>>> {
    let sels = crate::names::parse(names)?;
    let _lock = crate::lock::take(&ctx.tmux)?;
    let snap = ctx.snapshot()?;
    let targets = in_given_order(
        crate::names::select(&snap.agents, &sels, false, false)?,
        &sels,
    );
    match leader(ctx, &snap)? {
        Some(l) => show_here(ctx, &snap, l, &targets, opts).map(Some),
        None => {
            drop(_lock);
            attach(ctx, &targets, false)?;
            Ok(None)
        }
    }
}

/// Agents in the order their selectors were given (a glob's matches by
/// name, where it stands).
fn in_given_order<'a>(
    mut picked: Vec<&'a Agent>,
    sels: &[crate::names::Selector],
) -> Vec<&'a Agent> {
    use crate::names::Selector;
    let mut out: Vec<&Agent> = Vec::new();
    for s in sels {
        let mut hits: Vec<&Agent> = picked
            .iter()
            .filter(|a| match s {
                Selector::Name(n) => &a.name == n,
                Selector::Glob(p, _) => p.matches(&a.name),
            })
            .copied()
            .collect();
        hits.sort_by(|a, b| a.name.cmp(&b.name));
        for h in hits {
            if !out.iter().any(|o| o.pane_id() == h.pane_id()) {
                out.push(h);
            }
        }
    }
    picked.retain(|a| !out.iter().any(|o| o.pane_id() == a.pane_id()));
    out.extend(picked);
    out
}

/// Outside a view: put this terminal on the agent's window.
/// With `switch` (`crew attach` inside tmux) the client crew runs under
/// goes to the agent's window, as it does under run-shell.
pub fn attach(ctx: &Ctx, targets: &[&Agent], switch: bool) -> Result<()> {
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
    if inside_tmux && (switch || std::env::var_os("TMUX_PANE").is_none()) {
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

    const TOP_BOTTOM: &str = "86f4,220x60,0,0[220x44,0,0,0,220x15,0,45,1]";

    #[test]
    fn views_fit_inside_the_leaders_cell() {
        let list = [("%0", false), ("%5", true), ("%3", true), ("%1", false)];
        let fit = fit_view(
            TOP_BOTTOM,
            &list,
            "%0",
            &["%5", "%3"],
            Layout::MainVertical,
            (220, 60),
        );
        let Fit::Layout(l) = fit else {
            panic!("{fit:?}")
        };
        let c = crate::layout::parse(&l).unwrap();
        assert_eq!(c.panes(), [0, 5, 3, 1]);
        // The user's bottom pane keeps its cell.
        let user = crate::layout::find(&c, 1).unwrap();
        assert_eq!((user.w, user.h, user.x, user.y), (220, 15, 0, 45));
        // No agents: exactly the saved layout.
        let back = fit_view(
            TOP_BOTTOM,
            &[("%0", false), ("%1", false)],
            "%0",
            &[],
            Layout::MainVertical,
            (220, 60),
        );
        assert_eq!(back, Fit::Layout(TOP_BOTTOM.to_string()));
    }

    #[test]
    fn views_that_cannot_be_fitted() {
        // A pane the saved layout does not know: lay out the whole window.
        let extra = [("%0", false), ("%5", true), ("%1", false), ("%9", false)];
        let f = fit_view(TOP_BOTTOM, &extra, "%0", &["%5"], Layout::Tiled, (220, 60));
        assert_eq!(f, Fit::Unknown);
        // Agents not right after the leader would get the wrong cells.
        let apart = [("%0", false), ("%1", false), ("%5", true)];
        let f = fit_view(TOP_BOTTOM, &apart, "%0", &["%5"], Layout::Tiled, (220, 60));
        assert_eq!(f, Fit::Unknown);
        assert_eq!(
            fit_view("", &apart, "%0", &["%5"], Layout::Tiled, (220, 60)),
            Fit::Unknown
        );
        // Twelve agents in the top 220x44 cell, stacked: too small.
        let ids: Vec<String> = (10..22).map(|i| format!("%{i}")).collect();
        let mut list = vec![("%0", false)];
        list.extend(ids.iter().map(|i| (i.as_str(), true)));
        list.push(("%1", false));
        let agents: Vec<&str> = ids.iter().map(String::as_str).collect();
        let f = fit_view(
            TOP_BOTTOM,
            &list,
            "%0",
            &agents,
            Layout::EvenVertical,
            (220, 60),
        );
        assert_eq!(f, Fit::TooSmall(220, 44));
    }

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
}
