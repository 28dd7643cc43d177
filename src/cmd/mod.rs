//! One file per subcommand; each reads top-down: snapshot, plan, apply, render.

mod adopt;
mod answer;
mod approve;
mod ask;
mod attach;
mod border;
mod config;
mod dash;
mod deny;
mod diff;
mod hook;
mod kill;
mod ls;
mod mcp;
mod menu;
mod merge;
mod park;
mod queue;
mod read;
mod recover;
mod rename;
mod report;
mod restart;
mod send;
mod show;
mod spawn;
mod status_line;
mod wait;

use crate::cli::{Cli, Command};
use crate::config::Config;
pub use crate::ctx::{now, Ctx};
use crate::tmux::{Socket, Tmux};
use anyhow::Result;

/// The server the command line picks.
pub fn tmux_of(cli: &Cli) -> Tmux {
    let socket = match (&cli.socket_name, &cli.socket_path) {
        (Some(n), _) => Socket::Name(n.clone()),
        (None, Some(p)) => Socket::Path(p.clone()),
        (None, None) => Socket::Default,
    };
    Tmux::new(socket, cli.verbose)
}

pub fn dispatch(cli: Cli) -> Result<()> {
    let ctx = Ctx {
        tmux: tmux_of(&cli),
        config: Config::load(cli.config.as_deref())?,
        color: cli.color,
    };
    // Commands that change the set of agents keep crew's saved list current
    // (`recover` saves itself, after it applied).
    let changes = matches!(
        cli.command,
        Command::Spawn(_)
            | Command::Kill(_)
            | Command::Adopt(_)
            | Command::Rename(_)
            | Command::Restart(_)
            | Command::Merge(crate::cli::MergeArgs { kill: true, .. })
    );
    let done = match cli.command {
        Command::Spawn(a) => spawn::run(&ctx, a),
        Command::Ls(a) => ls::run(&ctx, a),
        Command::Show(a) => show::run(&ctx, a),
        Command::Park(a) => park::run(&ctx, a),
        Command::Send(a) => send::run(&ctx, a),
        Command::Ask(a) => ask::run(&ctx, a),
        Command::Read(a) => read::run(&ctx, a),
        Command::Kill(a) => kill::run(&ctx, a),
        Command::Diff(a) => diff::run(&ctx, a),
        Command::Merge(a) => merge::run(&ctx, a),
        Command::Recover(a) => recover::run(&ctx, a),
        Command::Wait(a) => wait::run(&ctx, a),
        Command::Menu(a) => menu::run(&ctx, a),
        Command::Config(a) => config::run(&ctx, a),
        Command::Hook(a) => hook::run(&ctx, a),
        Command::Attach(a) => attach::run(&ctx, a),
        Command::Border(a) => border::run(&ctx, a),
        Command::Report(a) => report::run(&ctx, a),
        Command::StatusLine(a) => status_line::run(&ctx, a),
        Command::Queue(a) => queue::run(&ctx, a),
        Command::Adopt(a) => adopt::run(&ctx, a),
        Command::Rename(a) => rename::run(&ctx, a),
        Command::Restart(a) => restart::run(&ctx, a),
        Command::Approve(a) => approve::run(&ctx, a),
        Command::Deny(a) => deny::run(&ctx, a),
        Command::Answer(a) => answer::run(&ctx, a),
        Command::Mcp(a) => mcp::run(&ctx, a),
        Command::Dash(a) => dash::run(&ctx, a),
    };
    if changes {
        crate::saved::save(&ctx, &[]);
    }
    done
}
