//! The agents `recover` re-creates: from a saved `crew ls --json`
//! (`--from FILE`) or from crew's own saved list of a server that is gone.

use super::Ctx;
use crate::error::CrewError;
use crate::names;
use crate::snapshot::Snapshot;
use crate::tags::{Restart, Tags};
use anyhow::{Context, Result};

/// An agent as a saved `crew ls --json` describes it.
#[derive(Debug, serde::Deserialize)]
struct Saved {
    name: String,
    #[serde(default)]
    argv: Vec<String>,
    #[serde(default)]
    shell: Option<bool>,
    #[serde(default)]
    command: Option<String>,
    #[serde(default)]
    cwd: Option<String>,
    #[serde(default)]
    env: Vec<String>,
    #[serde(default)]
    profile: Option<String>,
    #[serde(default)]
    restart: Option<String>,
    #[serde(default)]
    restarts: u32,
    #[serde(default)]
    conversation_id: Option<String>,
    #[serde(default)]
    team: Option<String>,
    #[serde(default)]
    log: Option<String>,
}

/// Add the agents crew's own list holds from servers that are gone; where
/// they came from, when there are any.
pub(super) fn from_file(
    ctx: &Ctx,
    snap: &Snapshot,
    saved: &mut Vec<Tags>,
    skipped: &mut Vec<String>,
) -> Option<String> {
    let file = crate::saved::path(ctx.tmux.socket_path())?;
    let list = match crate::saved::load(&file) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("crew: warning: {e:#}; nothing restored from it");
            return None;
        }
    };
    let lost = crate::saved::lost(&list, snap);
    let newest = lost.iter().map(|(_, at)| *at).max()?;
    for (v, _) in lost {
        let name = v["name"].as_str().unwrap_or("").to_string();
        match serde_json::from_value::<Saved>(v)
            .map_err(anyhow::Error::from)
            .and_then(|s| saved_tags(&s, &ctx.config))
        {
            Ok(t) => saved.push(t),
            Err(e) => skipped.push(format!("{name:?} (in {}): {e:#}", file.display())),
        }
    }
    Some(format!(
        "from {} (saved {} ago, by a tmux server that is gone)",
        file.display(),
        crate::render::age(newest, crate::ctx::now())
    ))
}

pub(super) fn load_saved(
    p: &std::path::Path,
    config: &crate::config::Config,
) -> Result<(Vec<Tags>, Vec<String>)> {
    let text =
        std::fs::read_to_string(p).with_context(|| format!("could not read {}", p.display()))?;
    let saved: Vec<Saved> = serde_json::from_str(&text).map_err(|e| {
        CrewError::failure(format!(
            "{}:{}:{}: not a saved `crew ls --json`: {e}",
            p.display(),
            e.line(),
            e.column()
        ))
    })?;
    let mut good: Vec<Tags> = Vec::new();
    let mut skipped = Vec::new();
    for (i, s) in saved.iter().enumerate() {
        match saved_tags(s, config) {
            Ok(t) if good.iter().any(|g| g.name == t.name) => skipped.push(format!(
                "{} (entry {} of {}): the name appears twice in the file",
                t.name,
                i + 1,
                p.display()
            )),
            Ok(t) => good.push(t),
            Err(e) => skipped.push(format!(
                "{:?} (entry {} of {}): {e:#}",
                s.name,
                i + 1,
                p.display()
            )),
        }
    }
    Ok((good, skipped))
}

fn saved_tags(s: &Saved, config: &crate::config::Config) -> Result<Tags> {
    names::check(&s.name)?;
    let argv = if !s.argv.is_empty() {
        s.argv.clone()
    } else {
        match &s.command {
            Some(c) if !c.trim().is_empty() => vec![c.clone()],
            _ => anyhow::bail!("no command recorded"),
        }
    };
    let shell = s.shell.unwrap_or(argv.len() == 1);
    if shell && argv.len() != 1 {
        anyhow::bail!("a shell command must be one line, got {} words", argv.len());
    }
    let cwd = match s.cwd.as_deref() {
        Some(c) if c.starts_with('/') => crate::spec::check_cwd(std::path::Path::new(c))?,
        Some(c) => anyhow::bail!("cwd {c:?} is not an absolute path"),
        None => anyhow::bail!("no cwd recorded"),
    };
    for kv in &s.env {
        crate::spec::check_env(kv)?;
    }
    crate::spec::check_command(&argv, shell, &s.env, &cwd)?;
    let restart = match s.restart.as_deref() {
        None => Restart::Never,
        Some(r) => Restart::parse(r).ok_or_else(|| {
            anyhow::anyhow!("unknown restart policy {r:?} (never, on-failure, always)")
        })?,
    };
    if let Some(c) = s.conversation_id.as_deref().filter(|c| !c.is_empty()) {
        if !crate::report::valid_session(c) {
            anyhow::bail!("conversation_id {c:?} is not an id (letters, digits, `-_.:`)");
        }
    }
    if let Some(t) = s.team.as_deref().filter(|t| !t.is_empty()) {
        crate::team::check(t)?;
    }
    let profile = s.profile.clone().unwrap_or_else(|| "shell".into());
    if config.profile(&profile).is_none() {
        anyhow::bail!("no profile named {profile:?} (see `crew config`)");
    }
    Ok(Tags {
        name: s.name.clone(),
        argv,
        shell,
        cwd: cwd.display().to_string(),
        env: s.env.clone(),
        profile,
        created: crate::ctx::now(),
        restart,
        restarts: s.restarts,
        session: s.conversation_id.clone().unwrap_or_default(),
        team: s.team.clone().unwrap_or_default(),
        log: s.log.clone().unwrap_or_default(),
        ..Tags::default()
    })
}
