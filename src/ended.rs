//! Writing turn events (`crew_core::turns`): for panes whose turn just
//! ended, read each one's events and record and capture its screen in one
//! tmux call, then add the events not recorded yet in a second. Called by
//! `crew report` (a tool's hook says the turn ended) and by `attention`
//! (a command that acts on a status read saw it end).

use crate::config::Config;
use crate::report::Report;
use crate::screen::{self, reply};
use crate::status::Status;
use crate::tags::{self, Raw, Tags};
use crate::tmux::{Chain, Cmd, Tmux, TmuxError};
use crate::turns::{self, Turn};
use anyhow::Result;

/// A turn that ended: where, how, when, and the report from the tool that
/// tells when it began (None: no report to go by).
pub struct Ending<'a> {
    pub pane: &'a str,
    pub status: Status,
    pub ms: u64,
    pub report: Option<Report>,
}

pub fn record(tmux: &Tmux, config: &Config, endings: &[Ending]) -> Result<()> {
    if endings.is_empty() {
        return Ok(());
    }
    let nonce = format!(
        "<crew-turns-{:x}-{:x}>",
        std::process::id(),
        crate::ctx::now_ms()
    );
    let mut chain = Chain::new();
    for (i, e) in endings.iter().enumerate() {
        // No '%' in the format: display-message runs it through strftime.
        chain.push(Cmd::new("display-message").args([
            "-p",
            "-t",
            e.pane,
            &format!(
                "{nonce}{i}{nonce}#{{{}}}{nonce}#{{{}}}{nonce}#{{{}}}",
                turns::TAG,
                tags::NAME,
                tags::RECORD
            ),
        ]));
        chain.push(Cmd::new("capture-pane").args(["-p", "-J", "-t", e.pane]));
    }
    let out = match tmux.run(&chain) {
        Ok(o) => o,
        // A pane gone meanwhile: its turn is over for good.
        Err(TmuxError::Gone(_)) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let mut writes = Chain::new();
    for part in out
        .split(&format!("\n{nonce}"))
        .map(|p| p.trim_start_matches(&nonce))
    {
        let mut f = part.splitn(4, &nonce);
        let (Some(i), Some(current), Some(name), Some(rest)) =
            (f.next(), f.next(), f.next(), f.next())
        else {
            continue;
        };
        let Some(e) = i.parse::<usize>().ok().and_then(|i| endings.get(i)) else {
            continue;
        };
        let (record, screen_text) = rest.split_once('\n').unwrap_or((rest, ""));
        let have = turns::parse(current);
        if turns::recorded(&have, e.status, e.report.as_ref()) {
            continue;
        }
        let raw = Raw {
            name: name.to_string(),
            record: record.to_string(),
            ..Raw::default()
        };
        let profile_name = Tags::parse(&raw).map(|t| t.profile).unwrap_or_default();
        let profile = config.profile_or_shell(&profile_name);
        let lines = screen::clean(screen_text);
        let said = reply::last_said(profile, &lines, turns::LINES, e.status.is_attention());
        writes.push(turns::add(
            e.pane,
            current,
            &Turn::new(e.ms, e.status, &said),
        ));
    }
    if !writes.is_empty() {
        match tmux.run(&writes) {
            Ok(_) | Err(TmuxError::Gone(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
