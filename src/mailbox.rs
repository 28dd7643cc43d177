//! A mailbox without a daemon: `send --queue` keeps messages on the agent's
//! pane (`@crew-queue`), and whichever crew command next sees the agent idle
//! types the oldest one through `crew send`, so queued text takes exactly
//! the path a sent one does.
//!
//! The value is `&`-joined items: `m=MSG` (percent-encoded bytes, oldest
//! first), `b=MS` (a delivery is under way since MS, unix milliseconds),
//! `o=PID` (the `crew send` delivering it) and `d=MS` (the last delivery
//! ended then). It is only ever rewritten under the lock, after re-reading
//! it. The message being delivered stays first in the queue until the
//! process that typed it takes it out; a mark whose process is gone has
//! expired, and its message is still there for the next delivery.

use crate::error::CrewError;
use anyhow::Result;

/// Longest message that can be queued (bytes).
pub const MAX_MESSAGE: usize = 16 * 1024;
/// Longest queue, encoded (every `ls` reads it in the snapshot).
pub const MAX_QUEUE: usize = 64 * 1024;
/// A delivery not finished after this long is taken as crashed.
const BUSY_STALE_MS: u64 = 120_000;
/// Time an agent gets after one delivery before the next may start.
pub const SETTLE_MS: u64 = 1000;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Queue {
    pub messages: Vec<Vec<u8>>,
    pub busy: Option<u64>,
    /// The process delivering, while `busy`.
    pub owner: Option<u32>,
    pub done: Option<u64>,
}

fn enc(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len());
    for &c in b {
        if c.is_ascii_alphanumeric() || b"-_.~".contains(&c) {
            s.push(c as char);
        } else {
            s.push_str(&format!("%{c:02X}"));
        }
    }
    s
}

fn dec(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

impl Queue {
    /// A damaged value reads as an empty queue rather than an error: the
    /// pane's other tags must still be usable.
    pub fn parse(raw: &str) -> Queue {
        let mut q = Queue::default();
        for item in raw.split('&').filter(|i| !i.is_empty()) {
            match item.split_once('=') {
                Some(("m", v)) => {
                    if let Some(m) = dec(v) {
                        q.messages.push(m)
                    }
                }
                Some(("b", v)) => q.busy = v.parse().ok(),
                Some(("o", v)) => q.owner = v.parse().ok(),
                Some(("d", v)) => q.done = v.parse().ok(),
                _ => {}
            }
        }
        q
    }

    pub fn value(&self) -> String {
        let mut items: Vec<String> = Vec::new();
        if let Some(b) = self.busy {
            items.push(format!("b={b}"));
        }
        if let Some(o) = self.owner {
            items.push(format!("o={o}"));
        }
        if let Some(d) = self.done {
            items.push(format!("d={d}"));
        }
        items.extend(self.messages.iter().map(|m| format!("m={}", enc(m))));
        items.join("&")
    }

    /// Nothing is waiting and no delivery is under way: the tag can go.
    pub fn is_idle_empty(&self) -> bool {
        self.messages.is_empty() && self.busy.is_none()
    }

    /// A message may be taken now (none under way, the last one settled).
    /// `alive` says whether a delivering process still runs.
    pub fn ready(&self, now: u64, alive: impl Fn(u32) -> bool) -> bool {
        !self.messages.is_empty()
            && !self.under_way(now, alive)
            && self.done.is_none_or(|d| now.saturating_sub(d) >= SETTLE_MS)
    }

    /// A delivery is under way: marked, by a process that still runs (a
    /// mark of an older crew, without one, for two minutes).
    pub fn under_way(&self, now: u64, alive: impl Fn(u32) -> bool) -> bool {
        match (self.busy, self.owner) {
            (None, _) => false,
            (Some(_), Some(pid)) => alive(pid),
            (Some(b), None) => now.saturating_sub(b) <= BUSY_STALE_MS,
        }
    }

    pub fn push(&mut self, m: &[u8]) -> Result<(), CrewError> {
        if m.is_empty() {
            return Err(CrewError::usage("an empty message cannot be queued"));
        }
        if m.len() > MAX_MESSAGE {
            return Err(CrewError::usage(format!(
                "a queued message is at most {MAX_MESSAGE} bytes (this one is {})",
                m.len()
            ))
            .hint("send it without --queue, e.g. with --wait-idle"));
        }
        self.messages.push(m.to_vec());
        if self.value().len() > MAX_QUEUE {
            self.messages.pop();
            return Err(CrewError::failure(format!(
                "the queue is full ({MAX_QUEUE} bytes encoded)"
            ))
            .hint("`crew queue NAME` lists it; `crew queue NAME --clear` drops it"));
        }
        Ok(())
    }
}

/// Count for `ls` (cheap: no decoding).
pub use crate::tags::queue_len as count;

/// `send --queue`: add the message to each agent's queue, under the lock,
/// and print how many wait. Exited agents are refused, like `send`.
pub fn enqueue(
    ctx: &crate::ctx::Ctx,
    sels: &[crate::names::Selector],
    all: bool,
    msg: &[u8],
    json: bool,
) -> Result<()> {
    use crate::tmux::Chain;
    let _lock = crate::lock::take(&ctx.tmux)?;
    let snap = ctx.snapshot()?;
    let agents = crate::names::select(&snap.agents, sels, all, false)?;
    if let Some(dead) = agents.iter().find(|a| a.pane.dead) {
        return Err(
            CrewError::failure(format!("{} has exited; nothing was queued", dead.name)).into(),
        );
    }
    let mut ch = Chain::new();
    let mut lines = Vec::new();
    let mut done = Vec::new();
    for a in &agents {
        let mut q = Queue::parse(&a.tags.queue);
        q.push(msg)?;
        ch.push(crate::tags::set_pane(
            a.pane_id(),
            crate::tags::QUEUE,
            &q.value(),
        ));
        lines.push(format!(
            "queued for {} ({} waiting)",
            a.name,
            q.messages.len()
        ));
        let mut d = crate::render::Done::new("queued", a);
        d.detail = Some(format!("{} waiting", q.messages.len()));
        done.push(d);
    }
    ctx.tmux.run(&ch)?;
    if json {
        return crate::render::print_done(&done, true, "");
    }
    for l in lines {
        println!("{l}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_exact_round_trip() {
        let mut q = Queue::default();
        let msgs: Vec<Vec<u8>> = vec![
            b"plain".to_vec(),
            b"a&b=c %41 #{pane_id} ;\n\t'\"".to_vec(),
            vec![0, 1, 0xff, 0xfe, b'x'],
            "🦀 漢字".as_bytes().to_vec(),
        ];
        for m in &msgs {
            q.push(m).unwrap();
        }
        q.busy = Some(5);
        q.done = Some(7);
        let v = q.value();
        assert!(!v.contains(['#', ' ', '\n', ';']));
        let back = Queue::parse(&v);
        assert_eq!(back, q);
        assert_eq!(count(&v), 4);
    }

    #[test]
    fn limits() {
        let mut q = Queue::default();
        assert!(q.push(b"").is_err());
        assert!(q.push(&vec![b'a'; MAX_MESSAGE + 1]).is_err());
        while q.push(&[b'x'; 8000]).is_ok() {}
        assert!(q.value().len() <= MAX_QUEUE);
    }

    #[test]
    fn readiness() {
        let up = |_| true;
        let mut q = Queue::default();
        assert!(!q.ready(10_000, up));
        q.push(b"m").unwrap();
        assert!(q.ready(10_000, up));
        q.busy = Some(9_000);
        assert!(!q.ready(10_000, up));
        // A mark expires with its process, whatever its age.
        q.owner = Some(42);
        assert!(!q.ready(10_000, |p| p == 42));
        assert!(q.ready(10_000, |_| false));
        assert_eq!(Queue::parse(&q.value()), q);
        q.busy = None;
        q.owner = None;
        q.done = Some(9_500);
        assert!(!q.ready(10_000, up));
        assert!(q.ready(10_600, up));
    }
}
