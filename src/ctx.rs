//! What every command needs (the server, the merged config, output choices),
//! below `cmd/` so that lower modules can take it without importing `cmd/`.

use crate::cli::ColorChoice;
use crate::config::Config;
use crate::snapshot::Snapshot;
use crate::tmux::Tmux;
use anyhow::Result;
use std::io::IsTerminal;

/// What every command needs: the server, the merged config, output choices.
pub struct Ctx {
    pub tmux: Tmux,
    pub config: Config,
    pub color: ColorChoice,
}

impl Ctx {
    pub fn snapshot(&self) -> Result<Snapshot> {
        Snapshot::take(&self.tmux, &self.config.session)
    }

    /// Colour for a stream: `--color`, then NO_COLOR, TERM=dumb, and whether
    /// it is a terminal.
    pub fn colored(&self, is_terminal: bool) -> bool {
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var("TERM").map_or(true, |t| t != "dumb")
            }
        }
    }

    pub fn stdout_colored(&self) -> bool {
        self.colored(std::io::stdout().is_terminal())
    }
}

pub use crate::clock::{now, now_ms};
