//! `crew queue NAME [--clear]`: the messages `send --queue` left on an
//! agent, oldest first; `--clear` drops them (under the lock).

use super::Ctx;
use crate::cli::QueueArgs;
use crate::mailbox::Queue;
use crate::names;
use crate::tags;
use crate::tmux::{Chain, Cmd};
use anyhow::{Context, Result};
use std::io::Write;

/// Control characters shown escaped, never raw.
fn shown(m: &[u8]) -> String {
    String::from_utf8_lossy(m).escape_debug().to_string()
}

pub fn run(ctx: &Ctx, a: QueueArgs) -> Result<()> {
    let sel = names::parse(std::slice::from_ref(&a.name))?;
    let _lock = if a.clear {
        Some(crate::lock::take(&ctx.tmux)?)
    } else {
        None
    };
    let snap = ctx.snapshot()?;
    let ag = names::select(&snap.agents, &sel, false, false)?[0];
    let q = Queue::parse(&ag.tags.queue);
    let mut out = std::io::stdout().lock();
    if a.clear {
        let mut left = q.clone();
        left.messages.clear();
        let mut ch = Chain::new();
        if left.is_idle_empty() {
            ch.push(Cmd::new("set-option").args(["-pu", "-t", ag.pane_id(), tags::QUEUE]));
        } else {
            ch.push(tags::set_pane(ag.pane_id(), tags::QUEUE, &left.value()));
        }
        ctx.tmux.run(&ch).context("could not clear the queue")?;
        writeln!(
            out,
            "dropped {} queued message(s) for {}",
            q.messages.len(),
            ag.name
        )?;
        return Ok(());
    }
    if a.json {
        let v: Vec<String> = q
            .messages
            .iter()
            .map(|m| String::from_utf8_lossy(m).into_owned())
            .collect();
        let mut text = serde_json::to_string_pretty(&v)?;
        text.push('\n');
        out.write_all(text.as_bytes())?;
        return Ok(());
    }
    for (i, m) in q.messages.iter().enumerate() {
        writeln!(out, "{}\t{}", i + 1, shown(m))?;
    }
    Ok(())
}
