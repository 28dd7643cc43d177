//! `crew spawn NAME [-- CMD...]`: a new agent, parked in its own window, tagged
//! in the same tmux invocation that creates its pane.

use super::Ctx;
use crate::cli::{RestartPolicy, SpawnArgs};
use crate::error::CrewError;
use crate::names;
use crate::snapshot::Snapshot;
use crate::tags::{Restart, Tags};
use anyhow::{Context, Result};

/// Everything spawn needs, checked before tmux is called.
pub struct Request {
    pub tags: Tags,
}

pub fn run(ctx: &Ctx, a: SpawnArgs) -> Result<()> {
    // Every name is checked before anything is made: all or nothing.
    for (i, n) in a.names.iter().enumerate() {
        names::check(n)?;
        if a.names[..i].contains(n) {
            return Err(CrewError::usage(format!("{n} is given twice")).into());
        }
    }
    if let Some(t) = &a.team {
        crate::team::check(t)?;
    }
    if a.names.len() > 1 {
        if a.log.is_some() {
            return Err(CrewError::usage("--log names one file: spawn one agent with it").into());
        }
        if a.worktree.as_deref().is_some_and(|b| !b.is_empty()) {
            return Err(CrewError::usage(
                "--worktree=BRANCH names one branch: give several agents --worktree alone (each gets crew/NAME)",
            )
            .into());
        }
    }
    let mut reqs = Vec::new();
    for n in &a.names {
        reqs.push(prepare(ctx, &a, n)?);
    }
    let _lock = crate::lock::take(&ctx.tmux)?;
    let snap = ctx.snapshot()?;
    refuse_taken(&snap, &reqs)?;
    // Worktrees last before tmux, and undone if tmux fails.
    let mut made: Vec<crate::worktree::Plan> = Vec::new();
    if let Some(branch) = &a.worktree {
        let branch = (!branch.is_empty()).then_some(branch.as_str());
        let plans: Vec<_> = reqs
            .iter()
            .map(|r| crate::worktree::plan(std::path::Path::new(&r.tags.cwd), &r.tags.name, branch))
            .collect::<Result<_>>()?;
        for (r, p) in reqs.iter_mut().zip(plans) {
            if let Err(e) = crate::worktree::create(&p, &ctx.config.worktree_copy) {
                made.iter().for_each(crate::worktree::undo);
                crate::worktree::undo(&p);
                return Err(e);
            }
            r.tags.cwd = p.path.display().to_string();
            r.tags.worktree = p.path.display().to_string();
            r.tags.branch = p.branch.clone();
            r.tags.repo = p.repo.display().to_string();
            r.tags.base = p.base.clone();
            r.tags.branch_made = p.made;
            made.push(p);
        }
    }
    let panes = match create(ctx, &snap, &reqs, a.team.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            made.iter().for_each(crate::worktree::undo);
            return Err(e);
        }
    };
    let mut done: Vec<crate::render::Done> = reqs
        .iter()
        .zip(&panes)
        .map(|(r, pane)| crate::render::Done {
            action: "spawned",
            name: r.tags.name.clone(),
            pane_id: pane.clone(),
            detail: None,
        })
        .collect();
    if a.show || a.focus {
        drop(_lock);
        let names: Vec<String> = reqs.iter().map(|r| r.tags.name.clone()).collect();
        let opts = crate::view::ShowOpts {
            focus: a.focus,
            ..Default::default()
        };
        match crate::view::show_names(ctx, &names, opts) {
            Ok(shown) => done.extend(shown.unwrap_or_default()),
            Err(e) => {
                // The agents exist either way: say so, then why not shown.
                crate::render::print_done(&done, a.json, "")?;
                return Err(e);
            }
        }
    }
    // A closed stdout (`crew spawn … | true`) is not an error: the agents exist.
    crate::render::print_done(&done, a.json, "")
}

fn refuse_taken(snap: &Snapshot, reqs: &[Request]) -> Result<()> {
    for r in reqs {
        if let Some(existing) = snap.agent(&r.tags.name) {
            let mut e = CrewError::failure(format!(
                "an agent named {} already exists (pane {})",
                r.tags.name,
                existing.pane_id()
            ))
            .hint("pick another name, or `crew kill` the old one first");
            if reqs.len() > 1 {
                e = e.hint("no agent was started");
            }
            return Err(e.into());
        }
    }
    Ok(())
}

/// Validate the request and resolve profile, command, cwd and env.
fn prepare(ctx: &Ctx, a: &SpawnArgs, name: &str) -> Result<Request> {
    let profile_name = match &a.profile {
        Some(p) => Some(p.clone()),
        None if !a.cmd.is_empty() => guess_profile(ctx, &a.cmd),
        None => ctx.config.default_profile.clone(),
    };
    let profile = match &profile_name {
        Some(p) => Some(ctx.config.profile(p).ok_or_else(|| {
            let known: Vec<&str> = ctx
                .config
                .profiles
                .iter()
                .map(|p| p.name.as_str())
                .collect();
            CrewError::usage(format!("no profile named {p}"))
                .hint(format!("known profiles: {}", known.join(", ")))
        })?),
        None => None,
    };
    let cwd = match &a.cwd {
        // tmux 3.3 silently ignores a -c directory that does not exist.
        Some(d) => crate::spec::check_cwd(d).map_err(|e| CrewError::usage(format!("{e:#}")))?,
        None => std::env::current_dir().context("could not read the current directory")?,
    };
    for kv in &a.env {
        crate::spec::check_env(kv).map_err(|e| CrewError::usage(format!("--env: {e:#}")))?;
    }
    let argv = if !a.cmd.is_empty() {
        a.cmd.clone()
    } else if let Some(p) = profile.filter(|p| !p.command.is_empty()) {
        p.command.clone()
    } else {
        vec![std::env::var("SHELL")
            .ok()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "/bin/sh".into())]
    };
    let restart = match a.restart {
        Some(RestartPolicy::Never) => Restart::Never,
        Some(RestartPolicy::OnFailure) => Restart::OnFailure,
        Some(RestartPolicy::Always) => Restart::Always,
        None => profile
            .and_then(|p| p.restart.as_deref())
            .and_then(Restart::parse)
            .unwrap_or_default(),
    };
    let profile_name = profile_name.unwrap_or_else(|| "shell".into());
    let log = match &a.log {
        Some(f) => {
            let abs = if f.is_absolute() {
                f.clone()
            } else {
                std::env::current_dir()?.join(f)
            };
            match abs.parent() {
                Some(d) if d.is_dir() => {}
                _ => {
                    return Err(CrewError::usage(format!(
                        "cannot use --log {}: its folder does not exist",
                        f.display()
                    ))
                    .into())
                }
            }
            abs.display().to_string()
        }
        None => String::new(),
    };
    let shell = argv.len() == 1;
    // A command that is not there would start a pane that dies at once.
    crate::spec::check_command(&argv, shell, &a.env, &cwd).map_err(|e| {
        CrewError::failure(format!("{e:#}; nothing was created"))
            .hint("check the spelling, or give the full path; several words after `--` run as argv")
    })?;
    Ok(Request {
        tags: Tags {
            name: name.to_string(),
            shell,
            argv,
            cwd: cwd.display().to_string(),
            env: a.env.clone(),
            profile: profile_name,
            created: super::now(),
            restart,
            restarts: 0,
            team: a.team.clone().unwrap_or_default(),
            log,
            ..Tags::default()
        },
    })
    .and_then(|mut r: Request| {
        if crate::launch::chooses_session(&ctx.config, &r.tags) {
            r.tags.session =
                crate::report::new_session_id().context("could not make a conversation id")?;
        }
        Ok(r)
    })
}

/// `crew spawn x -- claude …` picks the claude profile without being told.
fn guess_profile(ctx: &Ctx, argv: &[String]) -> Option<String> {
    let first = argv[0].split_whitespace().next().unwrap_or("");
    let base = first.rsplit('/').next().unwrap_or(first);
    // Anything else is judged as a plain command (the shell profile); the
    // default profile is for spawns without a command.
    ctx.config.profile(base).map(|_| base.to_string())
}

/// Create the agents' panes from a snapshot taken under the lock, in one
/// tmux invocation; returns their pane ids.
fn create(ctx: &Ctx, snap: &Snapshot, reqs: &[Request], team: Option<&str>) -> Result<Vec<String>> {
    let mut parkings = crate::team::Parkings::new(ctx, snap);
    let slots = parkings.for_team(team.unwrap_or(""))?;
    let caller = crate::environ::caller_env(&ctx.tmux)?;
    let mut groups = Vec::new();
    for r in reqs {
        let target = slots.take();
        let t = &r.tags;
        let argv = crate::launch::argv(&ctx.config, t, &t.session, crate::launch::Mode::Start);
        let mut cmds = crate::parking::create_cmds_argv(t, &target, &argv, &caller);
        if !t.log.is_empty() {
            cmds.push(crate::launch::log_cmd(&target, &t.log));
        }
        groups.push(cmds);
    }
    let what = reqs
        .iter()
        .map(|r| r.tags.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    // Windows first, then their tags (see `run_paced_creating`); many
    // agents at once go in paced chains.
    let out = ctx
        .tmux
        .run_paced_creating(
            &groups,
            &vec![true; groups.len()],
            crate::tags::NAME,
            crate::tmux::CHAIN_BUDGET,
        )
        .with_context(|| format!("could not create agent {what}"))?;
    Ok(out
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| l.starts_with('%'))
        .collect())
}
