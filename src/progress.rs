//! A one-line live status on stderr during long waits (`wait`, `send
//! --wait-idle`): which agents, their state, the time waited. Only when
//! stderr is a terminal; the line is cleared when the wait ends.

use crate::status::Status;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Waits shorter than this show nothing (no flicker for quick ones).
const AFTER: Duration = Duration::from_millis(700);

pub struct Live {
    on: bool,
    start: Instant,
    goal: &'static str,
    drawn: bool,
}

impl Live {
    pub fn new(goal: &'static str) -> Live {
        Live {
            on: std::io::stderr().is_terminal(),
            start: Instant::now(),
            goal,
            drawn: false,
        }
    }

    /// Redraw the line from the latest statuses.
    pub fn update<'a>(&mut self, agents: impl IntoIterator<Item = (&'a str, Status)>) {
        if !self.on || self.start.elapsed() < AFTER {
            return;
        }
        let width = rustix::termios::tcgetwinsize(std::io::stderr())
            .map(|w| w.ws_col as usize)
            .unwrap_or(80)
            .max(20);
        let line = line(self.goal, self.start.elapsed().as_secs(), agents, width - 1);
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[K{line}");
        let _ = err.flush();
        self.drawn = true;
    }

    pub fn clear(&mut self) {
        if self.drawn {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
            self.drawn = false;
        }
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.clear();
    }
}

/// `waiting 12s for idle: api working, docs idle`, cut to `width` columns.
pub fn line<'a>(
    goal: &str,
    secs: u64,
    agents: impl IntoIterator<Item = (&'a str, Status)>,
    width: usize,
) -> String {
    let parts: Vec<String> = agents
        .into_iter()
        .map(|(n, s)| format!("{} {}", crate::text::escape_controls(n), s.as_str()))
        .collect();
    let waited = if secs >= 60 {
        format!("{}m{:02}s", secs / 60, secs % 60)
    } else {
        format!("{secs}s")
    };
    let full = format!("waiting {waited} for {goal}: {}", parts.join(", "));
    if full.chars().count() <= width {
        full
    } else {
        let mut t: String = full.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_line() {
        let l = line(
            "idle",
            75,
            [("api", Status::Working), ("docs", Status::Idle)],
            80,
        );
        assert_eq!(l, "waiting 1m15s for idle: api working, docs idle");
        let l = line("idle", 3, [("a\u{1b}]x", Status::Working)], 15);
        assert_eq!(l.chars().count(), 15);
        assert!(!l.contains('\u{1b}'));
    }
}
