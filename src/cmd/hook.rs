//! `crew hook [--install|--uninstall]`: the tmux `pane-died` hook that
//! restarts agents by their restart policy, with a backoff and a limit kept
//! in a pane tag. From the hook crew only restarts: it never parks, renames
//! or tidies (that is `crew recover`, run by a person).

use super::Ctx;
use crate::cli::HookArgs;
use crate::parking;
use crate::tmux::{format_literal, shell_quote, tmux_quote, Chain, Cmd};
use anyhow::{Context, Result};
use std::time::Duration;

/// An agent that ran this long before exiting starts its backoff afresh.
pub const STABLE_SECS: u64 = 60;
/// Restarts in a row after quick exits before the hook gives up.
pub const LIMIT: u32 = 5;

/// Marks crew's own entry among the server's pane-died hooks.
const MARK: &str = " hook --run ";

pub fn run(ctx: &Ctx, a: HookArgs) -> Result<()> {
    if let Some(pane) = &a.run {
        return restart(ctx, pane);
    }
    let line = hook_command(ctx)?;
    if a.uninstall {
        let ours = installed(ctx)?;
        if !ours.is_empty() {
            let mut ch = Chain::new();
            for i in &ours {
                ch.push(Cmd::new("set-hook").args(["-gu", &format!("pane-died[{i}]")]));
            }
            ctx.tmux.run(&ch).context("could not remove the hook")?;
        }
        if !crate::render::under_run_shell() {
            say(if ours.is_empty() {
                "not installed: nothing to do"
            } else {
                "uninstalled"
            })?;
        }
    } else if a.install {
        let before = hook_lines(ctx)?;
        let ours = installed(ctx)?;
        let mut ch = Chain::new();
        match ours.first() {
            Some(i) => {
                ch.push(Cmd::new("set-hook").args(["-g", &format!("pane-died[{i}]"), &line]))
            }
            None => ch.push(Cmd::new("set-hook").args(["-ga", "pane-died", &line])),
        };
        ctx.tmux.run(&ch).context("could not install the hook")?;
        if !crate::render::under_run_shell() {
            let said = if ours.is_empty() {
                format!("installed: set-hook -ga pane-died {}", tmux_quote(&line))
            } else if hook_lines(ctx)? == before {
                "already installed: nothing to do".to_string()
            } else {
                // Another crew binary (or config) than the one installed.
                format!(
                    "updated: set-hook -g pane-died[{}] {}",
                    ours[0],
                    tmux_quote(&line)
                )
            };
            say(&said)?;
        }
    } else {
        say(&format!("set-hook -ga pane-died {}", tmux_quote(&line)))?;
    }
    Ok(())
}

/// A line on stdout; a closed stdout surfaces as an error main treats as
/// success.
fn say(line: &str) -> Result<()> {
    use std::io::Write;
    writeln!(std::io::stdout(), "{line}")?;
    Ok(())
}

/// The hook's command: `run-shell -b` (the hook must not block the server
/// while crew talks to it) of crew with this server's flags. run-shell
/// expands formats before the shell sees the line: `#` in the path is
/// doubled, and `#{hook_pane}` names the pane that died.
fn hook_command(ctx: &Ctx) -> Result<String> {
    let exe = std::env::current_exe().context("could not find the crew executable")?;
    let mut shell = format!(
        "CREW_RUN_SHELL=1 {}",
        shell_quote(&exe.display().to_string())
    );
    for f in ctx.tmux.server_flags() {
        shell.push(' ');
        shell.push_str(&shell_quote(f));
    }
    let shell = format_literal(&shell);
    Ok(format!(
        "run-shell -b {}",
        tmux_quote(&format!("{shell}{MARK}#{{hook_pane}}"))
    ))
}

/// The global pane-died hooks as tmux shows them.
fn hook_lines(ctx: &Ctx) -> Result<String> {
    let mut ch = Chain::new();
    ch.push(Cmd::new("show-hooks").args(["-g", "pane-died"]));
    match ctx.tmux.run(&ch) {
        Ok(o) => Ok(o),
        Err(crate::tmux::TmuxError::NoServer) => Ok(String::new()),
        Err(e) => Err(e).context("could not read the hooks"),
    }
}

/// Indexes of crew's entries among the global pane-died hooks.
fn installed(ctx: &Ctx) -> Result<Vec<String>> {
    let out = hook_lines(ctx)?;
    Ok(out
        .lines()
        .filter(|l| l.contains(MARK))
        .filter_map(|l| {
            let i = l.strip_prefix("pane-died[")?.split(']').next()?;
            i.parse::<u32>().ok().map(|_| i.to_string())
        })
        .collect())
}

/// What the hook does for an agent that exited `lived` seconds after it
/// last started, `streak` quick exits into a row: restart after a delay,
/// or give up.
#[derive(Debug, PartialEq, Eq)]
pub enum Plan {
    Restart { delay: u64, streak: u32 },
    GiveUp { streak: u32 },
}

pub fn plan(streak: u32, lived: u64) -> Plan {
    if lived >= STABLE_SECS {
        return Plan::Restart {
            delay: 0,
            streak: 1,
        };
    }
    if streak >= LIMIT {
        return Plan::GiveUp { streak };
    }
    // 0, 1, 2, 4, 8 seconds.
    let delay = if streak == 0 { 0 } else { 1u64 << (streak - 1) };
    Plan::Restart {
        delay,
        streak: streak + 1,
    }
}

/// `hook --run PANE`: restart the agent in PANE if its policy asks, after
/// its backoff; silent unless it gives up.
fn restart(ctx: &Ctx, pane: &str) -> Result<()> {
    let snap = ctx.snapshot()?;
    let Some(agent) = snap.agents.iter().find(|a| a.pane_id() == pane) else {
        return Ok(());
    };
    if !parking::wants_restart(agent) {
        return Ok(());
    }
    let (streak, at) = (agent.tags.quick, agent.tags.restarted);
    let now = super::now();
    let started = at.max(agent.tags.created);
    let restarts = agent.tags.restarts;
    match plan(streak, now.saturating_sub(started)) {
        Plan::GiveUp { streak } => {
            ctx.tmux.message(&format!(
                "crew: {} exited {streak} times within {STABLE_SECS}s of starting; not restarting it again (crew recover restarts it, crew read {} shows why)",
                agent.name, agent.name
            ));
            Ok(())
        }
        Plan::Restart { delay, streak } => {
            std::thread::sleep(Duration::from_secs(delay));
            let _lock = crate::lock::take(&ctx.tmux)?;
            let snap = ctx.snapshot()?;
            // Still the same dead agent, not restarted by anyone meanwhile.
            let Some(agent) = snap.agents.iter().find(|a| {
                a.pane_id() == pane && a.tags.restarts == restarts && parking::wants_restart(a)
            }) else {
                return Ok(());
            };
            // Back into its conversation where the profile knows how.
            let (record, argv, _) = crate::launch::restart_plan(&ctx.config, agent, false)?;
            let mut ch = Chain::new();
            ch.extend(parking::respawn_cmds_argv(
                agent,
                &argv,
                &record,
                Some(streak),
                // Run by tmux: its environment is the server's already.
                &[],
            ));
            ch.push(crate::tmux::Cmd::new("set-option").args([
                "-pu",
                "-t",
                agent.pane_id(),
                crate::tags::REPORT,
            ]));
            ctx.tmux
                .run(&ch)
                .with_context(|| format!("could not restart {}", agent.name))?;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_then_give_up() {
        let delays: Vec<Plan> = (0..=LIMIT).map(|s| plan(s, 0)).collect();
        assert_eq!(
            delays,
            [
                Plan::Restart {
                    delay: 0,
                    streak: 1
                },
                Plan::Restart {
                    delay: 1,
                    streak: 2
                },
                Plan::Restart {
                    delay: 2,
                    streak: 3
                },
                Plan::Restart {
                    delay: 4,
                    streak: 4
                },
                Plan::Restart {
                    delay: 8,
                    streak: 5
                },
                Plan::GiveUp { streak: 5 },
            ]
        );
        // A long run starts afresh.
        assert_eq!(
            plan(LIMIT, STABLE_SECS),
            Plan::Restart {
                delay: 0,
                streak: 1
            }
        );
    }
}
