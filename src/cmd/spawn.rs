//! `crew spawn NAME [-- CMD...]`: a new agent, parked in its own window, tagged
//! in the same tmux invocation that creates its pane.

use super::Ctx;
use crate::cli::{RestartPolicy, SpawnArgs};
use crate::error::CrewError;
use crate::names;
use crate::snapshot::Snapshot;
use crate::tags::{Restart, Tags};
use crate::tmux::Chain;
use anyhow::{Context, Result};

/// Everything spawn needs, checked before tmux is called.
pub struct Request {
    pub tags: Tags,
}

pub fn run(ctx: &Ctx, a: SpawnArgs) -> Result<()> {
    let req = prepare(ctx, &a)?;
    let _lock = ctx.tmux.lock()?;
    let snap = ctx.snapshot()?;
    let pane = create(ctx, &snap, &req.tags)?;
    // A closed stdout (`crew spawn … | true`) is not an error: the agent exists.
    use std::io::Write;
    writeln!(std::io::stdout(), "{} {}", req.tags.name, pane)?;
    if a.show || a.focus {
        drop(_lock);
        crate::view::show_names(ctx, std::slice::from_ref(&req.tags.name), a.focus, None)?;
    }
    Ok(())
}

/// Validate the request and resolve profile, command, cwd and env.
fn prepare(ctx: &Ctx, a: &SpawnArgs) -> Result<Request> {
    names::check(&a.name)?;
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
    let shell = argv.len() == 1;
    // A command that is not there would start a pane that dies at once.
    crate::spec::check_command(&argv, shell, &a.env, &cwd).map_err(|e| {
        CrewError::failure(format!("{e:#}; nothing was created"))
            .hint("check the spelling, or give the full path; several words after `--` run as argv")
    })?;
    Ok(Request {
        tags: Tags {
            name: a.name.clone(),
            shell,
            argv,
            cwd: cwd.display().to_string(),
            env: a.env.clone(),
            profile: profile_name.unwrap_or_else(|| "shell".into()),
            created: super::now(),
            restart,
            restarts: 0,
            ..Tags::default()
        },
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

/// Create the agent's pane from a snapshot taken under the lock; returns its
/// pane id.
fn create(ctx: &Ctx, snap: &Snapshot, t: &Tags) -> Result<String> {
    if let Some(existing) = snap.agent(&t.name) {
        return Err(CrewError::failure(format!(
            "an agent named {} already exists (pane {})",
            t.name,
            existing.pane_id()
        ))
        .hint("pick another name, or `crew kill` the old one first")
        .into());
    }
    let target = crate::parking::parking_slots(ctx, snap)?.take();
    let mut chain = Chain::new();
    chain.extend(crate::parking::create_cmds(t, &target));
    let out = ctx
        .tmux
        .run(&chain)
        .with_context(|| format!("could not create agent {}", t.name))?;
    Ok(out.lines().next().unwrap_or("").trim().to_string())
}
