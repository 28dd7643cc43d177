//! The arguments of the other commands: tmux glue, hooks, reports,
//! configuration, the mailbox, MCP and the dashboard.

use clap::{Args, ValueEnum};
use clap_complete::engine::ArgValueCompleter;

/// Open a tmux menu of agents on this client; choosing one shows it.
///
/// Below the agents: show one beside those on view, park, read (in a
/// popup) and kill, each opening a menu of agents for that action. Inside
/// tmux only (from a key binding); refused when the client has too few rows
/// for the menu.
#[derive(Debug, Args)]
#[command(after_help = "For tmux.conf:
  bind G run-shell \"crew menu\"
  bind K run-shell \"crew menu --action kill\"")]
pub struct MenuArgs {
    /// What choosing an agent does.
    #[arg(long, value_enum, default_value_t = MenuAction::Show)]
    pub action: MenuAction,

    /// Print the menu's items instead of opening it: key, label and tmux
    /// command, tab-separated, one item per line.
    #[arg(long)]
    pub print: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MenuAction {
    /// Show it here, parking what is on view.
    Show,
    /// Show it beside the agents already on view.
    Beside,
    /// Park it.
    Park,
    /// Read its screen in a popup.
    Read,
    /// Kill it.
    Kill,
}

/// Go to an agent's own window: inside tmux this client switches to it
/// (tmux's `switch-client -l`, prefix L, brings you back; `last-window`
/// when it is on view in your session); outside tmux this terminal attaches.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew attach api")]
pub struct AttachArgs {
    /// The agent.
    #[arg(value_name = "NAME", add = ArgValueCompleter::new(crate::complete::agent_names))]
    pub name: String,
}

/// For the pane border tmux draws while an agent is on view: the agent's
/// status, one word.
#[derive(Debug, Args)]
pub struct BorderArgs {
    /// The agent's pane id (`%N`).
    pub pane: String,
}

/// Print the merged configuration (built-in profiles plus the config file).
#[derive(Debug, Args)]
pub struct ConfigArgs {}

/// Print, install or remove the tmux hook that restarts agents by their
/// restart policy when their pane dies.
///
/// The hook runs `crew hook --run PANE` for the pane that died. It only
/// restarts (never parks or renames anything), silently; an agent that keeps
/// exiting within a minute of starting is restarted after 1, 2, 4 and 8
/// seconds, then left exited with a message in the status line. The count is
/// a pane tag; `crew recover` restarts it by hand and starts the count again.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew hook               print the set-hook line (for tmux.conf)
  crew hook --install     install it on the running server
  crew hook --uninstall   remove it again")]
pub struct HookArgs {
    /// Install the hook on the server (replacing crew's own, if there).
    #[arg(long, conflicts_with_all = ["uninstall", "run"])]
    pub install: bool,

    /// Remove crew's hook from the server (other pane-died hooks stay).
    #[arg(long, conflicts_with = "run")]
    pub uninstall: bool,

    /// What the hook runs: restart the agent in PANE if its policy says so.
    #[arg(long, value_name = "PANE", hide = true)]
    pub run: Option<String>,
}

/// Tag this agent's pane with a state its tool reports (run from the tool's
/// hooks inside the pane; `crew spawn` wires it in for known tools).
///
/// A fresh report beats the screen in `ls`, `wait` and the borders.
/// `crew report usage` is Claude Code's status-line command: it records
/// the tokens, cost and context of the JSON on stdin and prints the status
/// line of your own user settings, if you set one.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew report working
  echo '{\"session_id\":\"...\"}' | crew report idle --hook-input
  crew report idle --usage codex '{\"thread-id\":\"...\",\"turn-id\":\"...\"}'")]
pub struct ReportArgs {
    /// working, idle, permission, question, notification (the state is
    /// read from the hook's JSON), or usage (Claude Code's status line).
    #[arg(value_name = "STATE")]
    pub state: String,

    /// A hook's JSON as an argument (Codex `notify` passes it so).
    #[arg(value_name = "JSON")]
    pub payload: Option<String>,

    /// Read the hook's JSON from stdin (Claude Code hooks pass it so).
    #[arg(long)]
    pub hook_input: bool,

    /// Also record the tokens the tool keeps in its own files: codex (the
    /// thread's rollout file under $CODEX_HOME/sessions).
    #[arg(long, value_enum, value_name = "TOOL")]
    pub usage: Option<UsageFrom>,
}

/// Tools whose own files `crew report --usage` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UsageFrom {
    Codex,
}

/// A short coloured summary for tmux's status-right.
///
/// tmux.conf: set -g status-right '#(crew status-line)' and set -g
/// status-interval 2. Each run also announces transitions (`notify`) and
/// delivers queued messages to idle agents.
#[derive(Debug, Args)]
pub struct StatusLineArgs {
    /// tmux style codes (#[fg=…]) instead of ANSI colours or plain text.
    #[arg(long)]
    pub tmux: bool,
}

/// List (or drop) the messages queued for an agent by `send --queue`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew queue api
  crew queue api --clear")]
pub struct QueueArgs {
    /// The agent.
    pub name: String,

    /// Drop every queued message.
    #[arg(long)]
    pub clear: bool,

    /// One JSON array of the messages, oldest first.
    #[arg(long)]
    pub json: bool,
}

/// Tag an existing pane as an agent (for example a Claude Code started by hand).
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew adopt %12 api
  crew adopt %12 api --profile claude --team web")]
pub struct AdoptArgs {
    /// The pane id (%N).
    #[arg(value_name = "PANE")]
    pub pane: String,

    /// The agent's name.
    pub name: String,

    /// Profile for status detection (default: guessed from the command).
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<String>,

    /// Put the agent in team T.
    #[arg(long, value_name = "T")]
    pub team: Option<String>,
}

/// Rename an agent (refused when the new name is taken).
#[derive(Debug, Args)]
pub struct RenameArgs {
    pub old: String,
    pub new: String,
}

/// Restart agents in place with their recorded command, back in their
/// conversation where the profile knows how.
///
/// The agent gets the environment of this command (as spawn gives it), plus
/// its recorded -e variables.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew restart api
  crew restart --team web")]
pub struct RestartArgs {
    /// Agents to restart (names or globs).
    #[arg(value_name = "NAME", required_unless_present_any = ["all", "team"])]
    pub names: Vec<String>,

    /// Restart every agent.
    #[arg(long, conflicts_with = "names")]
    pub all: bool,

    /// Restart every agent of team T.
    #[arg(long, value_name = "T", conflicts_with = "all")]
    pub team: Option<String>,

    /// Start a new conversation instead of resuming.
    #[arg(long)]
    pub fresh: bool,
}

/// Serve crew as an MCP server on stdio, for agents that lead agents.
///
/// Tools: ls, spawn, send, read, wait, approve, deny, answer, kill, restart,
/// adopt, queue, show, park, rename, recover, with the rules and errors of
/// the commands. Global flags (-L, -S, --host, --config)
/// apply to every tool call.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  claude mcp add crew -- crew mcp
  codex: [mcp_servers.crew] command = \"crew\", args = [\"mcp\"] in ~/.codex/config.toml")]
pub struct McpArgs {}
/// A live table of agents in this pane, the selected one beside it.
///
/// Run inside tmux. Rows refresh about once a second, agents waiting for you
/// first; moving the selection shows that agent beside the dashboard, and
/// each action key runs the crew command of the same name. Press ? for keys.
#[derive(Debug, Args)]
#[command(after_help = "Keys:
  j/k, arrows, 1-9   select (shows it beside)    Enter  focus it
  Tab    a second agent beside                   s      send a message
  a / d  approve / deny its dialog               p      park it
  x      kill it (asks first)                    n      spawn a new one
  r      read its scrollback in a pager          /      filter by name
  ?      keys                                    q      park and quit")]
pub struct DashArgs {}
