//! Command-line types only; the doc comments are the help text.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

mod agents;
mod tools;
pub use agents::*;
pub use tools::*;

/// Run AI coding agents in tmux panes and drive them with single-shot commands.
///
/// Every agent is a tmux pane tagged with `@crew-name`: each command rebuilds
/// its picture from tmux, acts, and exits. The one file crew keeps is a copy
/// of the list of agents, for `crew recover` after a reboot.
#[derive(Debug, Parser)]
#[command(
    name = "crew",
    version,
    propagate_version = true,
    after_help = "Examples:
  crew spawn api -- claude          start Claude Code as agent `api`
  crew ls                           who is working, who waits for you
  crew show api                     bring `api` beside your pane (inside tmux)
  crew send api \"run the tests\"     type a message and submit it
  crew wait api --until idle        block until it is done
  crew read api -n 50               the last 50 lines of its screen
  crew kill api                     stop it and remove its pane"
)]
pub struct Cli {
    /// Use the tmux server with this socket name (as `tmux -L`).
    #[arg(short = 'L', global = true, help_heading = GLOBAL, value_name = "SOCKET_NAME")]
    pub socket_name: Option<String>,

    /// Use the tmux server at this socket path (as `tmux -S`).
    #[arg(
        short = 'S',
        global = true, help_heading = GLOBAL,
        value_name = "SOCKET_PATH",
        conflicts_with = "socket_name"
    )]
    pub socket_path: Option<PathBuf>,

    /// Print every tmux command line to stderr.
    #[arg(short, long, global = true, help_heading = GLOBAL)]
    pub verbose: bool,

    /// When to colour output.
    #[arg(long, global = true, help_heading = GLOBAL, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml).
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Run the command on another host over ssh: [USER@]HOST[:PORT] or a
    /// [hosts.NAME] of the config. -L/-S then choose that host's server.
    #[arg(long, global = true, env = "CREW_HOST", value_name = "HOST")]
    pub host: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

/// The help section of the flags every subcommand takes.
const GLOBAL: &str = "Global options";

/// clap suggests the nearest subcommand by spelling (`crew sho` → hook);
/// a subcommand that starts with what was typed is the better guess.
pub fn better_suggestion(e: &mut clap::Error) {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    use clap::CommandFactory;
    if e.kind() != ErrorKind::InvalidSubcommand {
        return;
    }
    let Some(ContextValue::String(typed)) = e.get(ContextKind::InvalidSubcommand).cloned() else {
        return;
    };
    let cmd = Cli::command();
    let starts: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .filter(|n| n.starts_with(&typed))
        .collect();
    if !starts.is_empty() {
        e.insert(
            ContextKind::SuggestedSubcommand,
            ContextValue::Strings(starts),
        );
    }
}

/// `crew spawn api python3 -i`: the agent's command goes after `--`; say so
/// (clap's own tip, `-- -i`, would make `python3` a second agent).
pub fn spawn_hint(e: &clap::Error, argv: &[std::ffi::OsString]) -> Option<String> {
    use clap::error::ErrorKind;
    let words: Vec<String> = argv
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let at = words.iter().position(|w| w == "spawn")?;
    if words.iter().any(|w| w == "--")
        || !matches!(
            e.kind(),
            ErrorKind::UnknownArgument | ErrorKind::InvalidValue
        )
    {
        return None;
    }
    let name = words.get(at + 1)?;
    let rest: Vec<&str> = words[at + 2..]
        .iter()
        .map(String::as_str)
        .filter(|w| !w.starts_with('-'))
        .collect();
    let cmd = rest.first().copied().unwrap_or("CMD");
    Some(format!(
        "the agent's command goes after `--`: crew spawn {name} [OPTIONS] -- {cmd} ARGS…"
    ))
}

/// The longest duration crew accepts: a year. Longer (or `inf`) is almost
/// surely a typo; leave the option out to wait without a bound.
pub use crate::text::{secs, MAX_SECS};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Spawn(SpawnArgs),
    Ls(LsArgs),
    Show(ShowArgs),
    Park(ParkArgs),
    Send(SendArgs),
    Ask(AskArgs),
    Read(ReadArgs),
    Kill(KillArgs),
    Diff(DiffArgs),
    Merge(MergeArgs),
    Recover(RecoverArgs),
    Wait(WaitArgs),
    Menu(MenuArgs),
    Config(ConfigArgs),
    Hook(HookArgs),
    Attach(AttachArgs),
    #[command(hide = true)]
    Border(BorderArgs),
    Report(ReportArgs),
    StatusLine(StatusLineArgs),
    Queue(QueueArgs),
    Adopt(AdoptArgs),
    Rename(RenameArgs),
    Restart(RestartArgs),
    Approve(ApproveArgs),
    Deny(DenyArgs),
    Answer(AnswerArgs),
    Mcp(McpArgs),
    Dash(DashArgs),
}
