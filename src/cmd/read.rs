//! `crew read NAME`: the agent's screen as text; works on exited agents.

use super::Ctx;
use crate::cli::ReadArgs;
use crate::error::CrewError;
use crate::names;
use crate::screen::{self, Capture};
use crate::tags;
use crate::tmux::{Chain, Cmd, TmuxError};
use anyhow::Result;
use std::io::Write;
use std::time::Duration;

pub fn run(ctx: &Ctx, a: ReadArgs) -> Result<()> {
    names::check(&a.name)?;
    let snap = ctx.snapshot()?;
    let agent = names::one(&snap.agents, &a.name)?;
    let pane = agent.pane_id().to_string();
    // tmux scrolls a dead pane's screen to print "Pane is dead", so an
    // exited agent's last screen is read from the history.
    let dead = agent.pane.dead;
    let opts = Capture {
        ansi: a.ansi,
        history: a.all || a.lines.is_some() || a.new || a.follow || dead,
        back: None,
    };
    let mut out = std::io::stdout().lock();
    if a.follow {
        return follow(ctx, &pane, opts, &mut out);
    }
    let mut limit = 0;
    let mut lines = match a.lines {
        // The last N lines need no more than N lines of scrollback (more when
        // long lines were wrapped and joined): not a 2-million-line history.
        Some(n) => capture_last(ctx, &pane, opts, n)?,
        // The mark needs the history's limit, read in the same call.
        None if a.new => {
            let (lines, info) = capture_and(ctx, &pane, opts, "#{history_limit}")?;
            limit = info.trim().parse().unwrap_or(0);
            lines
        }
        None => capture(ctx, &pane, opts)?,
    };
    if dead {
        lines = screen::close_dead_gap(lines);
    }
    if a.lines.is_some() {
        lines = screen::squeeze_blank_runs(lines);
    }
    let from = if let Some(n) = a.lines {
        lines.len().saturating_sub(n)
    } else if a.new {
        screen::since_mark(&lines, &agent.tags.mark)
    } else if dead && !a.all {
        lines.len().saturating_sub(agent.pane.height as usize)
    } else {
        0
    };
    for l in &lines[from..] {
        writeln!(out, "{l}")?;
    }
    out.flush()?;
    if a.new {
        let mut ch = Chain::new();
        ch.push(tags::set_pane(
            &pane,
            tags::MARK,
            &screen::mark(&lines, limit),
        ));
        ctx.tmux.run(&ch)?;
    }
    Ok(())
}

fn capture(ctx: &Ctx, pane: &str, opts: Capture) -> Result<Vec<String>> {
    let mut got = screen::capture_many(&ctx.tmux, &[pane], opts)?;
    match got.remove(pane) {
        Some(text) => Ok(screen::clean(&text)),
        None => Err(CrewError::no_agent(format!("the agent's pane {pane} is gone")).into()),
    }
}

/// At least the last `n` lines of what the agent said (as `capture` would
/// give them, blank runs counted as one line: a tool that draws its prompt
/// at the bottom of an emptied screen leaves its reply in the scrollback,
/// above rows of nothing), reading as little scrollback as that takes: `n`
/// lines back first, four times more while there are fewer and more history
/// is left.
fn capture_last(ctx: &Ctx, pane: &str, opts: Capture, n: usize) -> Result<Vec<String>> {
    let mut back = (n as u64).max(1);
    loop {
        let (lines, history) = capture_and(
            ctx,
            pane,
            Capture {
                back: Some(back),
                ..opts
            },
            "#{history_size}",
        )?;
        let history: u64 = history.trim().parse().unwrap_or(0);
        if screen::squeeze_blank_runs(lines.clone()).len() >= n || back >= history {
            return Ok(lines);
        }
        back = back.saturating_mul(4);
    }
}

/// One capture and one format about the same pane, in one tmux call.
fn capture_and(
    ctx: &Ctx,
    pane: &str,
    opts: Capture,
    format: &str,
) -> Result<(Vec<String>, String)> {
    let sep = format!("<crew-read-{}>", std::process::id());
    let mut ch = Chain::new();
    ch.push(screen::capture_cmd(pane, opts));
    ch.push(Cmd::new("display-message").args(["-p", "-t", pane, &format!("{sep}{format}")]));
    let text = match ctx.tmux.run(&ch) {
        Err(TmuxError::Gone(_)) => {
            return Err(CrewError::no_agent(format!("the agent's pane {pane} is gone")).into())
        }
        other => other?,
    };
    let (screen, info) = text.rsplit_once(&sep).unwrap_or((text.as_str(), ""));
    Ok((screen::clean(screen), info.to_string()))
}

/// Print new lines as they appear, until the agent exits or its pane goes.
/// One tmux call per poll: the capture and the pane's liveness in one chain.
fn follow(ctx: &Ctx, pane: &str, opts: Capture, out: &mut impl Write) -> Result<()> {
    let sep = format!("<crew-follow-{}>", std::process::id());
    let mut mark = String::new();
    loop {
        let mut ch = Chain::new();
        let mut cap = Cmd::new("capture-pane").args(["-p", "-J", "-S", "-"]);
        if opts.ansi {
            cap = cap.arg("-e");
        }
        ch.push(cap.target(pane));
        ch.push(Cmd::new("display-message").args([
            "-p",
            "-t",
            pane,
            &format!("{sep}#{{pane_dead}}:#{{history_limit}}"),
        ]));
        let text = match ctx.tmux.run(&ch) {
            Ok(t) => t,
            Err(TmuxError::Gone(_)) | Err(TmuxError::NoServer) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        let (screen, tail) = text.rsplit_once(&sep).unwrap_or((text.as_str(), ""));
        let (dead, limit) = tail.trim().split_once(':').unwrap_or(("0", "0"));
        let (dead, limit) = (dead == "1", limit.parse().unwrap_or(0));
        let mut lines = screen::clean(screen);
        if dead {
            lines = screen::close_dead_gap(lines);
        }
        // The last line may still be growing: print it once the agent has
        // moved past it (or exited).
        let stable = if dead {
            &lines[..]
        } else {
            &lines[..lines.len().saturating_sub(1)]
        };
        let from = screen::since_mark(stable, &mark);
        for l in &stable[from..] {
            writeln!(out, "{l}")?;
        }
        out.flush()?;
        mark = screen::mark(stable, limit);
        if dead {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}
