//! A one-line live note on stderr while crew waits.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// A one-line live note on stderr while crew waits, when stderr is a
/// terminal; cleared when done.
pub struct Note {
    on: bool,
    shown: bool,
    start: Instant,
}

impl Note {
    pub fn new() -> Note {
        Note {
            on: std::io::stderr().is_terminal(),
            shown: false,
            start: Instant::now(),
        }
    }

    /// After a second, show `text` with the time waited.
    pub fn show(&mut self, text: &str) {
        let waited = self.start.elapsed();
        if !self.on || waited < Duration::from_secs(1) {
            return;
        }
        // One row: cut to the terminal's width, or clearing it would leave
        // the wrapped rows behind.
        let cols = rustix::termios::tcgetwinsize(rustix::stdio::stderr())
            .map(|w| w.ws_col as usize)
            .unwrap_or(80)
            .max(20);
        let full = format!(
            "crew: {} ({}s)",
            crate::text::escape_controls(text),
            waited.as_secs()
        );
        let line: String = if full.chars().count() < cols {
            full
        } else {
            let mut cut: String = full.chars().take(cols - 2).collect();
            cut.push('…');
            cut
        };
        eprint!("\r\x1b[2K{line}");
        self.shown = true;
    }

    pub fn clear(&mut self) {
        if self.shown {
            eprint!("\r\x1b[2K");
            self.shown = false;
        }
    }
}

impl Default for Note {
    fn default() -> Self {
        Note::new()
    }
}

impl Drop for Note {
    fn drop(&mut self) {
        self.clear();
    }
}
