//! One file per subcommand; each reads top-down: snapshot, plan, apply, render.

mod answer;
mod approve;
mod config;
mod deny;
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

use crate::cli::{Cli, Command};
use crate::config::Config;
pub use crate::ctx::{now, Ctx};
use crate::tmux::{Socket, Tmux};
use anyhow::Result;

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
        Command::Approve(a) => approve::run(&ctx, a),
        Command::Deny(a) => deny::run(&ctx, a),
        Command::Answer(a) => answer::run(&ctx, a),
    }
}
