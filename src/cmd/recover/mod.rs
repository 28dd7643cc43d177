//! `crew recover`: repair, from the tags alone, what crashes, interrupted
//! commands and hands on tmux leave behind. One snapshot, one plan, one chain.

use super::Ctx;
use crate::cli::RecoverArgs;
use crate::error::CrewError;

use crate::parking::{self, Slots};
use crate::snapshot::{Agent, Snapshot, Where};
use crate::tags::{self, Tags};
use crate::tmux::Cmd;
use anyhow::{Context, Result};
use serde::Serialize;
use std::collections::HashSet;
use std::io::Write;

mod entries;
use entries::{from_file, load_saved};

#[derive(Debug, Serialize)]
pub struct Action {
    pub action: &'static str,
    pub agent: Option<String>,
    pub detail: String,
    #[serde(skip)]
    cmds: Vec<Cmd>,
    /// Needs a window in the parking session.
    #[serde(skip)]
    parks: bool,
}

pub fn run(ctx: &Ctx, a: RecoverArgs) -> Result<()> {
    let (mut saved, mut skipped) = match &a.from {
        Some(p) => load_saved(p, &ctx.config)?,
        None => (vec![], vec![]),
    };
    let _lock = crate::lock::take(&ctx.tmux)?;
    let snap = ctx.snapshot()?;
    // Without --from: the agents of servers that are gone (a reboot, a
    // `kill-server`), from the list crew keeps (`saved`).
    let origin = match &a.from {
        None if ctx.config.save => from_file(ctx, &snap, &mut saved, &mut skipped),
        _ => None,
    };
    // An agent whose old process still runs is reported, never doubled,
    // when the list came from crew's own file.
    let skip_running = a.skip_running || origin.is_some();
    // A saved agent whose process outlived its server (some tools survive
    // `kill-server`) would run twice on one conversation.
    let missing: Vec<&str> = saved
        .iter()
        .filter(|t| snap.agent(&t.name).is_none())
        .map(|t| t.name.as_str())
        .collect();
    let running = crate::procs::still_running(ctx.tmux.socket_path(), &missing);
    saved.retain(|t| {
        let Some(procs) = running.get(&t.name) else {
            return true;
        };
        let which: Vec<String> = procs
            .iter()
            .map(|(pid, cmd)| format!("pid {pid}: {cmd}"))
            .collect();
        let which = crate::text::escape_controls(&which.join("; ")).into_owned();
        if skip_running {
            skipped.push(format!(
                "{}: its process from before still runs ({which}); end it, then recover it",
                t.name
            ));
            false
        } else {
            eprintln!(
                "crew: warning: {}'s process from before still runs ({which}): a second copy starts on the same conversation; `--skip-running` leaves such agents out",
                t.name
            );
            true
        }
    });
    let mut slots = Slots::planned(&snap);
    // Team agents go back to their team's session (made when missing).
    let team_slots = team_slots(ctx, &snap, &saved, a.dry_run)?;
    // Agents started again get this command's caller's environment, as
    // spawned ones do (a dry run starts nothing).
    let caller = if a.dry_run {
        vec![]
    } else {
        crate::environ::caller_env(&ctx.tmux)?
    };
    let mut actions = plan(
        &snap,
        &saved,
        &mut slots,
        &mut team_slots.clone(),
        &ctx.config,
        &caller,
    )?;
    if !a.dry_run && actions.iter().any(|x| x.parks) && snap.parking_session().is_none() {
        // Only now that something needs parking: create the session, re-plan.
        let mut real = parking::parking_slots(ctx, &snap)?;
        actions = plan(
            &snap,
            &saved,
            &mut real,
            &mut team_slots.clone(),
            &ctx.config,
            &caller,
        )?;
    }
    if !a.dry_run {
        apply(ctx, &actions)?;
        crate::saved::save(ctx, &[]);
    }
    if let Some(o) = origin.filter(|_| actions.iter().any(|x| x.action == "create")) {
        actions.insert(
            0,
            Action {
                action: "from",
                agent: None,
                detail: o,
                cmds: vec![],
                parks: false,
            },
        );
    }
    let mut out = std::io::stdout().lock();
    if a.json {
        let mut text = serde_json::to_string_pretty(&actions)?;
        text.push('\n');
        out.write_all(text.as_bytes())?;
    } else if actions.is_empty() && skipped.is_empty() {
        if !crate::render::under_run_shell() {
            writeln!(out, "nothing to recover")?;
        }
    } else {
        for x in &actions {
            let line = crate::text::escape_controls(&x.detail);
            if a.dry_run && x.action != "from" {
                writeln!(out, "{}", would(&line))?;
            } else if !crate::render::under_run_shell() {
                writeln!(out, "{line}")?;
            }
        }
    }
    out.flush()?;
    if !skipped.is_empty() {
        let mut err = std::io::stderr().lock();
        for why in &skipped {
            writeln!(err, "crew: skipped {}", crate::text::escape_controls(why))?;
        }
        return Err(CrewError::exit(crate::error::EXIT_FAILURE).into());
    }
    Ok(())
}

/// Re-created agents make their windows first in each chain, then tag them
/// (see `run_paced_creating`: a third of the time at 1,000 agents).
fn apply(ctx: &Ctx, actions: &[Action]) -> Result<()> {
    let groups: Vec<Vec<Cmd>> = actions.iter().map(|x| x.cmds.clone()).collect();
    let creates: Vec<bool> = actions.iter().map(|x| x.action == "create").collect();
    ctx.tmux
        .run_paced_creating(&groups, &creates, tags::NAME, crate::tmux::CHAIN_BUDGET)
        .context("could not apply the recovery plan")?;
    Ok(())
}

fn action(kind: &'static str, agent: &str, detail: String, cmds: Vec<Cmd>, parks: bool) -> Action {
    Action {
        action: kind,
        agent: Some(agent.to_string()),
        detail,
        cmds,
        parks,
    }
}

/// The whole repair as actions, in the order they must run.
/// Where each team among the saved agents to re-create parks: its session,
/// made now if missing (a dry run only names it).
fn team_slots(
    ctx: &Ctx,
    snap: &Snapshot,
    saved: &[Tags],
    dry_run: bool,
) -> Result<std::collections::HashMap<String, Slots>> {
    let mut out = std::collections::HashMap::new();
    for t in saved {
        if t.team.is_empty() || out.contains_key(&t.team) || snap.agent(&t.name).is_some() {
            continue;
        }
        let name = crate::team::session_name(&t.team);
        let exists = snap.panes.iter().any(|p| p.session_name == name);
        let slots = if dry_run && !exists {
            Slots::at(&name, 1)
        } else {
            crate::team::slots(ctx, snap, &t.team)?
        };
        out.insert(t.team.clone(), slots);
    }
    Ok(out)
}

fn plan(
    snap: &Snapshot,
    saved: &[Tags],
    slots: &mut Slots,
    team_slots: &mut std::collections::HashMap<String, Slots>,
    config: &crate::config::Config,
    caller: &[String],
) -> Result<Vec<Action>> {
    let mut out = Vec::new();
    let mut taken: HashSet<String> = snap.agents.iter().map(|a| a.name.clone()).collect();

    // Two panes claiming one name: the older pane keeps it (tmux numbers
    // panes in creation order).
    let mut final_name: Vec<String> = snap.agents.iter().map(|a| a.name.clone()).collect();
    let mut order: Vec<usize> = (0..snap.agents.len()).collect();
    let pane_num = |a: &Agent| {
        a.pane
            .pane_id
            .trim_start_matches('%')
            .parse::<u64>()
            .unwrap_or(0)
    };
    order.sort_by_key(|&i| pane_num(&snap.agents[i]));
    let mut seen: HashSet<&str> = HashSet::new();
    for &i in &order {
        let a = &snap.agents[i];
        // Damaged tags were not written by crew (any process in any pane can
        // set pane options): such a pane is listed, never acted on.
        if a.damage.is_some() || seen.insert(a.name.as_str()) {
            continue;
        }
        let new = (2..)
            .map(|k| {
                let suffix = format!("-{k}");
                let base: String = a.name.chars().take(64 - suffix.len()).collect();
                format!("{base}{suffix}")
            })
            .find(|n| !taken.contains(n))
            .expect("a free name");
        taken.insert(new.clone());
        final_name[i] = new.clone();
        out.push(action(
            "rename",
            &a.name,
            format!(
                "renamed {} ({}) to {new}: another pane already had the name",
                a.name,
                a.pane_id()
            ),
            vec![tags::set_pane(a.pane_id(), tags::NAME, &new)],
            false,
        ));
    }

    for (i, a) in snap.agents.iter().enumerate() {
        let name = &final_name[i];
        if a.damage.is_some() {
            continue;
        }
        if parking::wants_restart(a) {
            let how = match (a.pane.dead_signal, a.pane.dead_status) {
                (Some(s), _) => format!("killed by signal {s}"),
                (_, Some(c)) => format!("exited {c}"),
                _ => "exited".into(),
            };
            // Back into its conversation where the profile knows how.
            let (record, argv, resumed) = crate::launch::restart_plan(config, a, false)?;
            let mut cmds = parking::respawn_cmds_argv(a, &argv, &record, None, caller);
            cmds.push(Cmd::new("set-option").args(["-pu", "-t", a.pane_id(), tags::REPORT]));
            out.push(action(
                "restart",
                name,
                format!(
                    "restarted {name} ({how}; restart policy {}, restart {}){resumed}",
                    a.tags.restart.as_str(),
                    a.tags.restarts + 1
                ),
                cmds,
                false,
            ));
        }
        match a.place {
            Where::Elsewhere => {
                // park_cmds names the window after the tag as it was.
                let cmds = rename_after_break(parking::park_cmds(a, slots), &a.name, name);
                out.push(action(
                    "park",
                    name,
                    format!(
                        "parked {name} (was stranded in {}:{})",
                        a.pane.session_name, a.pane.window_index
                    ),
                    cmds,
                    true,
                ));
            }
            Where::Parked if a.pane.window_name != *name => out.push(action(
                "rename-window",
                name,
                format!(
                    "renamed window {} ({:?}) to {name}",
                    a.pane.window_id, a.pane.window_name
                ),
                vec![Cmd::new("rename-window").args([
                    "-t",
                    &a.pane.window_id,
                    &crate::tmux::format_literal(name),
                ])],
                false,
            )),
            _ => {}
        }
    }

    // Parking windows crew made that hold no agent any more.
    let moving: HashSet<&str> = snap
        .agents
        .iter()
        .filter(|a| a.place == Where::Elsewhere && a.damage.is_none())
        .map(|a| a.pane_id())
        .collect();
    let mut windows: Vec<&str> = snap
        .panes
        .iter()
        .filter(|p| p.session_name == snap.parking_name && p.role == tags::ROLE_PARKING)
        .map(|p| p.window_id.as_str())
        .collect();
    windows.dedup();
    for w in windows {
        let panes: Vec<_> = snap.window(w).collect();
        let agents_left = panes
            .iter()
            .filter(|p| snap.is_agent_pane(&p.pane_id) && !moving.contains(p.pane_id.as_str()))
            .count();
        let others: Vec<_> = panes
            .iter()
            .filter(|p| !snap.is_agent_pane(&p.pane_id))
            .collect();
        if agents_left > 0 || others.is_empty() {
            continue;
        }
        if others.iter().all(|p| p.dead) {
            out.push(Action {
                action: "remove-window",
                agent: None,
                detail: format!(
                    "removed window {w} ({}): it holds no agent",
                    panes[0].window_name
                ),
                cmds: vec![Cmd::new("kill-window").target(w)],
                parks: false,
            });
        } else {
            // Live panes that are not agents are never crew's to kill.
            out.push(Action {
                action: "release-window",
                agent: None,
                detail: format!(
                    "released window {w} ({}): it holds no agent but live panes that are not agents, left as they are",
                    panes[0].window_name
                ),
                cmds: vec![Cmd::new("set-option").args(["-wu", "-t", w, tags::WIN_ROLE])],
                parks: false,
            });
        }
    }

    // A team's session left with nothing but crew's placeholder (its last
    // agent went some other way than `kill`: closed by hand, say) ends, as
    // `kill` ends it. Not one a saved team below parks in.
    let saved_sessions: HashSet<String> = saved
        .iter()
        .filter(|t| !t.team.is_empty())
        .map(|t| crate::team::session_name(&t.team))
        .collect();
    let mut team_sessions: Vec<(&str, &str)> = snap
        .panes
        .iter()
        .filter(|p| p.role == tags::ROLE_PLACEHOLDER && p.session_name != snap.parking_name)
        .map(|p| (p.session_id.as_str(), p.session_name.as_str()))
        .collect();
    team_sessions.sort();
    team_sessions.dedup();
    for (id, name) in team_sessions {
        let only_placeholder = snap
            .panes
            .iter()
            .filter(|p| p.session_id == id)
            .all(|p| p.role == tags::ROLE_PLACEHOLDER);
        let has_agents = snap
            .agents
            .iter()
            .any(|a| !a.tags.team.is_empty() && crate::team::session_name(&a.tags.team) == name);
        if only_placeholder && !has_agents && !saved_sessions.contains(name) {
            out.push(Action {
                action: "remove-session",
                agent: None,
                detail: format!("removed team session {name}: no agent of its team is left"),
                cmds: vec![Cmd::new("kill-session").target(id)],
                parks: false,
            });
        }
    }

    // Agents of a saved `crew ls --json` that no longer exist.
    for t in saved {
        if taken.contains(&t.name) {
            continue;
        }
        taken.insert(t.name.clone());
        let target = match team_slots.get_mut(&t.team) {
            Some(s) => s.take(),
            None => slots.take(),
        };
        // Into its recorded conversation, where the profile can resume.
        let mode = if t.session.is_empty() && crate::launch::chooses_session(config, t) {
            crate::launch::Mode::Start
        } else {
            crate::launch::Mode::Resume
        };
        let argv = crate::launch::argv(config, t, &t.session, mode);
        let mut cmds = parking::create_cmds_argv(t, &target, &argv, caller);
        if !t.log.is_empty() {
            cmds.push(crate::launch::log_cmd(&target, &t.log));
        }
        let resumed =
            if argv != t.argv && mode == crate::launch::Mode::Resume && !t.session.is_empty() {
                format!(", resuming conversation {}", t.session)
            } else {
                String::new()
            };
        out.push(action(
            "create",
            &t.name,
            format!("re-created {} ({}){resumed}", t.name, t.command_line()),
            cmds,
            // Into the parking session, which may have to be made.
            !team_slots.contains_key(&t.team),
        ));
    }
    // The placeholder keeps the parking session alive when it is empty. It
    // goes in as the first window, last in the chain: inserting it shifts
    // the windows' indexes, which the actions above address by.
    if let Some(first) = parking::first_slot(snap).filter(|_| {
        !snap
            .panes
            .iter()
            .any(|p| p.session_name == snap.parking_name && p.role == tags::ROLE_PLACEHOLDER)
    }) {
        out.push(Action {
            action: "placeholder",
            agent: None,
            detail: "re-created the parking session's placeholder window".into(),
            cmds: parking::placeholder_cmds(&first),
            parks: false,
        });
    }
    Ok(out)
}

/// The plan's line in the conditional: "renamed x" → "would rename x".
fn would(detail: &str) -> String {
    let (verb, rest) = detail.split_once(' ').unwrap_or((detail, ""));
    let base = match verb {
        "renamed" => "rename",
        "restarted" => "restart",
        "parked" => "park",
        "removed" => "remove",
        "released" => "release",
        "re-created" => "re-create",
        v => v,
    };
    format!("would {base} {rest}")
}

/// After a duplicate's tag is renamed in the same chain, its new parking
/// window should carry the new name too.
fn rename_after_break(mut cmds: Vec<Cmd>, old: &str, new: &str) -> Vec<Cmd> {
    if old != new {
        if let Some(b) = cmds.iter_mut().find(|c| c.name() == "break-pane") {
            let args: Vec<String> = b
                .raw_args()
                .iter()
                .map(|x| if x == old { new.to_string() } else { x.clone() })
                .collect();
            *b = Cmd::new(&args[0]).args(args[1..].iter().cloned());
        }
    }
    cmds
}
