//! Teams: `--team T` groups agents, parks them in a session named after the
//! team, and selects them wherever a command takes names.

use crate::ctx::Ctx;
use crate::error::CrewError;
use crate::parking::{Slots, PARK_HEIGHT, PARK_WIDTH, PLACEHOLDER};
use crate::snapshot::{Agent, Snapshot};
use crate::tags;
use crate::tmux::{Chain, Cmd};
use anyhow::{Context, Result};

pub use crate::tags::team_session as session_name;

/// A team name must leave a usable session name and be short.
pub fn check(team: &str) -> Result<(), CrewError> {
    if team.is_empty() || team.len() > 64 || team.chars().any(char::is_control) {
        return Err(CrewError::usage(format!(
            "invalid team {team:?}: 1-64 characters, no control characters"
        )));
    }
    if session_name(team).is_empty() {
        return Err(CrewError::usage(format!(
            "invalid team {team:?}: it needs at least one letter or digit"
        )));
    }
    Ok(())
}

/// The agents of a team, in snapshot order; none is exit 3.
pub fn select<'a>(agents: &'a [Agent], team: &str) -> Result<Vec<&'a Agent>, CrewError> {
    let v: Vec<&Agent> = agents.iter().filter(|a| a.tags.team == team).collect();
    if v.is_empty() {
        return Err(CrewError::no_agent(format!("no agent in team {team}"))
            .hint("`crew ls` shows each agent's team"));
    }
    Ok(v)
}

/// Parking slots in the team's session, made (with its placeholder) when
/// missing. A session of that name that crew did not make is refused.
pub fn slots(ctx: &Ctx, snap: &Snapshot, team: &str) -> Result<Slots> {
    let name = session_name(team);
    let panes: Vec<_> = snap
        .panes
        .iter()
        .filter(|p| p.session_name == name)
        .collect();
    if let Some(first) = panes.first() {
        if !panes.iter().any(|p| p.role == tags::ROLE_PLACEHOLDER) {
            return Err(CrewError::failure(format!(
                "team {team} parks in session {name}, but a session of that name exists and crew did not make it"
            ))
            .hint("rename that session, or pick another team name")
            .into());
        }
        let next = panes.iter().map(|p| p.window_index + 1).max().unwrap_or(1);
        return Ok(Slots::at(&first.session_id, next));
    }
    if !snap.server {
        ctx.tmux.check_client_version()?;
    }
    let (w, h) = (PARK_WIDTH.to_string(), PARK_HEIGHT.to_string());
    let mut chain = Chain::new();
    chain.push(
        Cmd::new("new-session")
            .args(["-d", "-s", &name, "-x", &w, "-y", &h])
            .args(["-n", "crew", "-P", "-F", "#{session_id} #{window_index}"])
            .arg(PLACEHOLDER),
    );
    chain.push(tags::set_window(
        &format!("={name}:"),
        tags::WIN_ROLE,
        tags::ROLE_PLACEHOLDER,
    ));
    let out = ctx
        .tmux
        .run(&chain)
        .with_context(|| format!("could not create team session {name}"))?;
    let mut it = out.split_whitespace();
    let session = it.next().unwrap_or("").to_string();
    let idx: u32 = it.next().and_then(|i| i.parse().ok()).unwrap_or(0);
    Ok(Slots::at(&session, idx + 1))
}

/// Where parked agents go when they may belong to different teams: each to
/// its team's session, the rest to the parking session, each session found
/// (or made) once, when the first of its agents needs it.
pub struct Parkings<'a> {
    ctx: &'a Ctx,
    snap: &'a Snapshot,
    made: Vec<(String, Slots)>,
}

impl<'a> Parkings<'a> {
    pub fn new(ctx: &'a Ctx, snap: &'a Snapshot) -> Parkings<'a> {
        Parkings {
            ctx,
            snap,
            made: Vec::new(),
        }
    }

    pub fn for_agent(&mut self, a: &Agent) -> Result<&mut Slots> {
        self.for_team(&a.tags.team)
    }

    /// The team's session, or the parking session for "" (no team).
    pub fn for_team(&mut self, team: &str) -> Result<&mut Slots> {
        let i = match self.made.iter().position(|(t, _)| t == team) {
            Some(i) => i,
            None => {
                let slots = if team.is_empty() {
                    crate::parking::parking_slots(self.ctx, self.snap)?
                } else {
                    slots(self.ctx, self.snap, team)?
                };
                self.made.push((team.to_string(), slots));
                self.made.len() - 1
            }
        };
        Ok(&mut self.made[i].1)
    }
}

/// Selectors naming a team's agents, for commands that take names.
pub fn selectors(ctx: &Ctx, team: &str) -> Result<Vec<crate::names::Selector>> {
    let snap = ctx.snapshot()?;
    Ok(select(&snap.agents, team)?
        .iter()
        .map(|a| crate::names::Selector::Name(a.name.clone()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitized() {
        assert_eq!(session_name("feat/auth-fix"), "feat-auth-fix");
        assert_eq!(session_name("a.b:c d"), "a-b-c-d");
        assert_eq!(session_name("/x/"), "x");
        assert!(check("///").is_err());
        assert!(check("ok").is_ok());
    }
}
