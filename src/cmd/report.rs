//! `crew report STATE`: run by an agent's tool (its hooks) inside the pane;
//! tags that pane (`$TMUX_PANE`) with the state, the time, the pane's
//! process and the conversation id, if the hook's JSON names one.

use super::Ctx;
use crate::cli::ReportArgs;
use crate::error::CrewError;
use crate::report::{self, Report};
use crate::status::Status;
use crate::tags;
use crate::tmux::{Chain, Cmd};
use anyhow::{Context, Result};
use std::io::{IsTerminal, Read};

pub fn run(ctx: &Ctx, a: ReportArgs) -> Result<()> {
    let state = match a.state.as_str() {
        "notification" => None,
        s => Some(report::parse_state(s).ok_or_else(|| {
            CrewError::usage(format!(
                "unknown state {s:?}: expected working, idle, permission, question or notification"
            ))
        })?),
    };
    let pane = ctx.tmux.leader_pane().ok_or_else(|| {
        CrewError::failure("crew report runs inside an agent's pane ($TMUX_PANE is not set)")
            .hint("it is meant for an agent tool's hooks; `crew spawn` wires it in")
    })?;
    let mut text = a.payload.clone().unwrap_or_default();
    if a.hook_input && !std::io::stdin().is_terminal() {
        // A hook's JSON is small; a bound keeps a runaway writer harmless.
        std::io::stdin()
            .take(1 << 20)
            .read_to_string(&mut text)
            .context("could not read the hook's input")?;
    }
    let input = report::hook_input(&text);
    let state = match state {
        Some(Status::Working | Status::Permission) if input.asks => Some(Status::Question),
        s => s,
    };
    let status: Status = match state.or(input.notification) {
        Some(s) => s,
        // A notification that announces no state: nothing to say.
        None => return Ok(()),
    };
    // One call reads what the pane is; the tag goes only on an agent's pane.
    let mut ch = Chain::new();
    ch.push(Cmd::new("display-message").args([
        "-p",
        "-t",
        &pane,
        "#{pane_pid} #{?#{@crew-name},1,0} #{@crew-report}",
    ]));
    let out = ctx.tmux.run(&ch).context("could not read this pane")?;
    let mut it = out.split_whitespace();
    let pid: u32 = it.next().and_then(|p| p.parse().ok()).unwrap_or(0);
    if it.next() != Some("1") {
        return Err(CrewError::failure(format!("pane {pane} is not a crew agent")).into());
    }
    // A hook that names no conversation keeps the one learnt before; a side
    // thread's report is not the conversation's state at all.
    let old = it.next().and_then(Report::parse).filter(|o| o.pid == pid);
    // Claude Code's "needs your permission" notification also follows its
    // question dialog (the question tool asks permission to run): the
    // question stands.
    if state.is_none()
        && status == Status::Permission
        && old
            .as_ref()
            .is_some_and(|o| o.state() == Some(Status::Question))
    {
        return Ok(());
    }
    if old
        .as_ref()
        .is_some_and(|o| report::side_thread(&o.session, &input.session))
    {
        return Ok(());
    }
    // A hook that names no mode keeps the one learnt before, like the id.
    let mode = match &old {
        Some(o) if input.mode.is_empty() => o.mode.clone(),
        _ => input.mode,
    };
    let learnt =
        !input.session.is_empty() && old.as_ref().is_none_or(|o| o.session != input.session);
    let session = match old.clone() {
        Some(o) if input.session.is_empty() => o.session,
        _ => input.session,
    };
    let ms = crate::ctx::now_ms();
    let r = Report {
        said: report::Said::State(status),
        time: ms / 1000,
        ms,
        pid,
        session,
        mode,
    };
    let mut ch = Chain::new();
    ch.push(tags::set_pane(&pane, tags::REPORT, &r.value()));
    ctx.tmux.run(&ch).context("could not tag this pane")?;
    // A conversation id learnt now is what `recover` resumes after a reboot.
    if learnt {
        crate::saved::save(ctx, &[]);
    }
    // The hook says the turn that began (crew's input mark, or the tool's
    // own word that it works) has ended: record it now, exactly when.
    let began = old.as_ref().map(|o| match o.said {
        report::Said::Input { .. } => "working",
        report::Said::State(s) => s.as_str(),
    });
    if began.is_some_and(|p| crate::turns::ends_turn(p, status)) {
        crate::ended::record(
            &ctx.tmux,
            &ctx.config,
            &[crate::ended::Ending {
                pane: &pane,
                status,
                ms,
                report: old,
            }],
        )?;
    }
    Ok(())
}
