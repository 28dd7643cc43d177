//! One file per subcommand; each reads top-down: snapshot, plan, apply, render.

mod config;
mod dash;
mod hook;
mod kill;
mod ls;
mod menu;
mod park;
mod read;
mod recover;
mod send;
mod show;
mod spawn;
mod wait;

use crate::cli::{Cli, ColorChoice, Command};
use crate::config::Config;
use crate::snapshot::Snapshot;
use crate::tmux::{Socket, Tmux};
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

pub fn dispatch(cli: Cli) -> Result<()> {
    let socket = match (cli.socket_name, cli.socket_path) {
        (Some(n), _) => Socket::Name(n),
        (None, Some(p)) => Socket::Path(p),
        (None, None) => Socket::Default,
    };
    let ctx = Ctx {
        tmux: Tmux::new(socket, cli.verbose),
        config: Config::load(cli.config.as_deref())?,
        color: cli.color,
    };
    match cli.command {
        Command::Spawn(a) => spawn::run(&ctx, a),
        Command::Ls(a) => ls::run(&ctx, a),
        Command::Show(a) => show::run(&ctx, a),
        Command::Park(a) => park::run(&ctx, a),
        Command::Send(a) => send::run(&ctx, a),
        Command::Read(a) => read::run(&ctx, a),
        Command::Kill(a) => kill::run(&ctx, a),
        Command::Recover(a) => recover::run(&ctx, a),
        Command::Wait(a) => wait::run(&ctx, a),
        Command::Menu(a) => menu::run(&ctx, a),
        Command::Config(a) => config::run(&ctx, a),
        Command::Hook(a) => hook::run(&ctx, a),
        Command::Dash(a) => dash::run(&ctx, a),
    }
}

/// Unix seconds, for tags.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
