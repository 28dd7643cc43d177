//! `crew status-line`: a one-line summary for tmux's status-right. It reads
//! statuses like `ls` (one snapshot, at most one capture chain), so every
//! run also announces transitions and delivers queued messages: tmux's own
//! status interval is then the poller.

use super::Ctx;
use crate::cli::StatusLineArgs;
use crate::status::Status;
use anyhow::Result;
use owo_colors::OwoColorize;

pub fn run(ctx: &Ctx, a: StatusLineArgs) -> Result<()> {
    crate::attention::allow_deliveries();
    let snap = ctx.snapshot()?;
    let agents: Vec<_> = snap.agents.iter().collect();
    let sts = crate::observe::statuses(&ctx.tmux, &ctx.config, &agents)?;
    let waiting: Vec<&str> = agents
        .iter()
        .zip(&sts)
        .filter(|(_, s)| s.is_attention())
        .map(|(a, _)| a.name.as_str())
        .collect();
    let count = |f: fn(&Status) -> bool| sts.iter().filter(|s| f(s)).count();
    let parts = Parts {
        working: count(|s| *s == Status::Working),
        waiting,
        idle: count(|s| *s == Status::Idle),
        exited: count(|s| *s == Status::Exited),
    };
    let style = if a.tmux {
        Style::Tmux
    } else if ctx.stdout_colored() {
        Style::Ansi
    } else {
        Style::Plain
    };
    println!("{}", line(&parts, style));
    Ok(())
}

pub struct Parts<'a> {
    pub working: usize,
    pub waiting: Vec<&'a str>,
    pub idle: usize,
    pub exited: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Ansi,
    Tmux,
}

fn paint(text: String, color: &str, style: Style) -> String {
    match style {
        Style::Plain => text,
        // Names are [A-Za-z0-9_-]: nothing tmux would expand.
        Style::Tmux => format!("#[fg={color}]{text}#[default]"),
        Style::Ansi => match color {
            "cyan" => text.cyan().to_string(),
            "yellow" => text.yellow().bold().to_string(),
            "green" => text.green().to_string(),
            _ => text.dimmed().to_string(),
        },
    }
}

/// "2 working · 1 waiting: api · 3 idle · 1 exited"; nothing with no agents.
pub fn line(p: &Parts, style: Style) -> String {
    let mut out = Vec::new();
    if p.working > 0 {
        out.push(paint(format!("{} working", p.working), "cyan", style));
    }
    if !p.waiting.is_empty() {
        out.push(paint(
            format!("{} waiting: {}", p.waiting.len(), p.waiting.join(",")),
            "yellow",
            style,
        ));
    }
    if p.idle > 0 {
        out.push(paint(format!("{} idle", p.idle), "green", style));
    }
    if p.exited > 0 {
        out.push(paint(format!("{} exited", p.exited), "grey", style));
    }
    out.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let p = Parts {
            working: 2,
            waiting: vec!["api", "web"],
            idle: 0,
            exited: 1,
        };
        assert_eq!(
            line(&p, Style::Plain),
            "2 working · 2 waiting: api,web · 1 exited"
        );
        assert!(line(&p, Style::Tmux).starts_with("#[fg=cyan]2 working#[default]"));
        let none = Parts {
            working: 0,
            waiting: vec![],
            idle: 0,
            exited: 0,
        };
        assert_eq!(line(&none, Style::Plain), "");
    }
}
