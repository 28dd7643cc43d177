//! Command-line types only; the doc comments are the help text.

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::engine::ArgValueCompleter;
use std::path::PathBuf;

/// Run AI coding agents in tmux panes and drive them with single-shot commands.
///
/// Every agent is a tmux pane tagged with `@crew-name`; crew keeps no files of
/// its own, so each command rebuilds its picture from tmux, acts, and exits.
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
pub const MAX_SECS: f64 = 365.0 * 24.0 * 3600.0;

/// A number of seconds: finite, from 0 to `MAX_SECS`.
pub fn secs(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number of seconds"))?;
    if !v.is_finite() || !(0.0..=MAX_SECS).contains(&v) {
        return Err(format!(
            "{s:?} is out of range: seconds must be from 0 to {MAX_SECS} (a year)"
        ));
    }
    Ok(v)
}

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
    Read(ReadArgs),
    Kill(KillArgs),
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RestartPolicy {
    Never,
    OnFailure,
    Always,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Layout {
    Tiled,
    #[default]
    MainVertical,
    MainHorizontal,
    EvenHorizontal,
    EvenVertical,
}

/// Start agents in new panes, each parked in its own window.
///
/// CMD given as several words after `--` runs as argv, without a shell; a
/// single word runs through the shell. Without CMD: the profile's command,
/// else $SHELL. Several names start one agent each, all or none. Prints
/// each name and pane id.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew spawn api -- claude --model opus
  crew spawn a b c -- claude
  crew spawn fix --worktree -- claude         (in ../REPO.worktrees/fix, branch crew/fix)
  crew spawn ui --worktree=feat/ui --team web -- codex
  crew spawn tests -c ~/src/app --log /tmp/tests.log -- 'make test; read'
  crew spawn sh1 --restart on-failure -e DEBUG=1")]
pub struct SpawnArgs {
    /// The agents' names: letters, digits, '-' and '_', at most 64.
    #[arg(value_name = "NAME", required = true)]
    pub names: Vec<String>,

    /// Put the agents in team T, parked in a session named after it.
    #[arg(long, value_name = "T")]
    pub team: Option<String>,

    /// Start each agent in a new git worktree beside the repository, on
    /// BRANCH (default crew/NAME).
    #[arg(long, value_name = "BRANCH", num_args = 0..=1, default_missing_value = "", require_equals = true)]
    pub worktree: Option<String>,

    /// Keep a full transcript of the pane in FILE (tmux pipe-pane, appended).
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,

    /// Profile for the command and status detection (see `crew config`).
    #[arg(long, value_name = "PROFILE", add = ArgValueCompleter::new(crate::complete::profile_names))]
    pub profile: Option<String>,

    /// Working directory (must exist). Default: the current directory.
    #[arg(short = 'c', long, value_name = "DIR")]
    pub cwd: Option<PathBuf>,

    /// Set an environment variable for the agent (repeatable).
    #[arg(short = 'e', long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,

    /// Restart policy applied by `crew recover`.
    #[arg(long, value_enum, value_name = "POLICY")]
    pub restart: Option<RestartPolicy>,

    /// Also show the agent beside the current pane.
    #[arg(long)]
    pub show: bool,

    /// Show the agent and move the focus to it.
    #[arg(long)]
    pub focus: bool,

    /// Print what was done as a JSON array.
    #[arg(long)]
    pub json: bool,

    /// The command to run, after `--`.
    #[arg(last = true, value_name = "CMD")]
    pub cmd: Vec<String>,
}

/// List agents: name, status, where, pane, pid, age, command.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew ls
  crew ls 'review-*' --json
  crew ls --team web --wide
  crew ls -q | xargs -n1 crew read
  crew ls --hosts gpu1,gpu2")]
pub struct LsArgs {
    /// Names or globs to list (default: all).
    #[arg(value_name = "NAME", add = ArgValueCompleter::new(crate::complete::agent_names))]
    pub names: Vec<String>,

    /// Only the agents of team T.
    #[arg(long, value_name = "T")]
    pub team: Option<String>,

    /// Add the last non-blank line of each screen.
    #[arg(short, long)]
    pub wide: bool,

    /// One JSON array of objects with stable snake_case keys.
    #[arg(long, conflicts_with = "quiet")]
    pub json: bool,

    /// Print names only.
    #[arg(short, long)]
    pub quiet: bool,

    /// Ask these hosts at once and merge their rows (a HOST column, `host`
    /// in JSON).
    #[arg(long, value_delimiter = ',', value_name = "HOST,...")]
    pub hosts: Vec<String>,

    /// Ask every host named in the config.
    #[arg(long, conflicts_with = "hosts")]
    pub all_hosts: bool,
}

/// Bring agents beside the current pane (inside tmux) or attach to one.
///
/// Inside tmux the agents join this pane's window in the order given, inside
/// this pane's own cell: your other panes there keep their place and size.
/// Whatever else was on view here is parked, and `crew park` gives the
/// window back exactly the layout it had. Outside tmux: one NAME, and this
/// terminal attaches to it.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew show api
  crew show api reviewer --layout tiled
  crew show api --focus
  crew show api --zoom")]
pub struct ShowArgs {
    /// Agents to show (names or globs).
    #[arg(value_name = "NAME", required = true, add = ArgValueCompleter::new(crate::complete::agent_names))]
    pub names: Vec<String>,

    /// Move the focus to the first agent.
    #[arg(long)]
    pub focus: bool,

    /// Zoom the first agent's pane (tmux's own zoom; `crew park` undoes it).
    #[arg(long)]
    pub zoom: bool,

    /// Layout of the leader and the agents (default: main-vertical, or what
    /// this view last used).
    #[arg(long, value_enum)]
    pub layout: Option<Layout>,

    /// Print what was done as a JSON array.
    #[arg(long)]
    pub json: bool,
}

/// Send agents back to their own windows in the parking session.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew park            (inside tmux: park what is on view here)
  crew park api
  crew park --all")]
pub struct ParkArgs {
    /// Agents to park (names or globs).
    #[arg(value_name = "NAME", add = ArgValueCompleter::new(crate::complete::agent_names))]
    pub names: Vec<String>,

    /// Park every agent.
    #[arg(long, conflicts_with = "names")]
    pub all: bool,

    /// Print what was done as a JSON array.
    #[arg(long)]
    pub json: bool,
}

/// Type a message into agents and submit it.
///
/// The first word names the agent and the rest is the message; to address
/// several agents, put the message after `--` (`crew send a b -- text`) or
/// use a glob or `--all`. With no TEXT (or `-`) and stdin not a terminal, the
/// message is read from stdin. Delivery is byte-exact.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew send api \"run the tests\"
  crew send api reviewer -- \"rebase on main\"
  git diff | crew send reviewer -
  crew send api -k C-c
  crew send --all --wait-idle=600 -- \"commit your work\"")]
pub struct SendArgs {
    /// NAME then TEXT words (see above).
    #[arg(value_name = "NAME|TEXT", add = ArgValueCompleter::new(crate::complete::agent_names))]
    pub args: Vec<String>,

    /// The message, after `--` (everything before it names agents).
    #[arg(last = true, value_name = "TEXT")]
    pub text: Vec<String>,

    /// Send to every agent.
    #[arg(long)]
    pub all: bool,

    /// Type the message but do not submit it.
    #[arg(long)]
    pub no_enter: bool,

    /// Send tmux key names instead of text (C-c, Escape, Up, Enter).
    #[arg(short = 'k', long)]
    pub keys: bool,

    /// Print one JSON object per agent instead of one line each.
    #[arg(long)]
    pub json: bool,
    /// First wait until the agent is idle (default 300 s; exit 124 on timeout).
    #[arg(long, value_name = "SECS", num_args = 0..=1, default_missing_value = "300", require_equals = true, value_parser = secs)]
    pub wait_idle: Option<f64>,

    /// Send to every agent of team T.
    #[arg(long, value_name = "T", conflicts_with = "all")]
    pub team: Option<String>,

    /// Keep the message on the agent's pane and return at once; it is typed
    /// when a crew command next sees the agent idle (oldest first).
    #[arg(long, conflicts_with_all = ["keys", "wait_idle", "no_enter"])]
    pub queue: bool,
}

/// Approve the permission dialog an agent shows, with its profile's keys.
///
/// Refused (exit 1) when the agent is not waiting for permission; reported
/// as failed when the dialog is still there afterwards.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew approve api
  crew approve 'review-*'")]
pub struct ApproveArgs {
    /// Agents to approve (names or globs).
    #[arg(value_name = "NAME", required_unless_present = "all", add = ArgValueCompleter::new(crate::complete::agent_names))]
    pub names: Vec<String>,
    /// Every agent waiting for permission.
    #[arg(long, conflicts_with = "names")]
    pub all: bool,
    /// One JSON object per agent.
    #[arg(long)]
    pub json: bool,
}

/// Decline the permission dialog an agent shows, with its profile's keys.
///
/// With -m, the text is then sent as a message (Claude Code and Codex ask
/// what to do instead).
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew deny api
  crew deny api -m \"do not delete files; move them to trash/\"")]
pub struct DenyArgs {
    /// Agents to deny (names or globs).
    #[arg(value_name = "NAME", required_unless_present = "all", add = ArgValueCompleter::new(crate::complete::agent_names))]
    pub names: Vec<String>,
    /// Every agent waiting for permission.
    #[arg(long, conflicts_with = "names")]
    pub all: bool,
    /// A message to send once the dialog is gone.
    #[arg(short, long, value_name = "TEXT")]
    pub message: Option<String>,
    /// One JSON object per agent.
    #[arg(long)]
    pub json: bool,
}

/// Pick option N of the question (or permission menu) an agent shows.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew answer api 2")]
pub struct AnswerArgs {
    /// The agent.
    #[arg(add = ArgValueCompleter::new(crate::complete::agent_names))]
    pub name: String,
    /// The option's number as the menu shows it (1-9).
    #[arg(value_parser = clap::value_parser!(u8).range(1..=9))]
    pub choice: u8,
    /// One JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Print an agent's screen as text.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew read api
  crew read api -n 100
  crew read api --new     (only what appeared since the last --new)
  crew read api --follow")]
pub struct ReadArgs {
    /// The agent.
    #[arg(add = ArgValueCompleter::new(crate::complete::agent_names))]
    pub name: String,

    /// The last N lines, including scrollback.
    #[arg(short = 'n', long = "lines", value_name = "N", conflicts_with = "all")]
    pub lines: Option<usize>,

    /// The whole scrollback.
    #[arg(long)]
    pub all: bool,

    /// Keep colours and attributes as ANSI escapes.
    #[arg(long)]
    pub ansi: bool,

    /// Keep printing new lines until the agent exits or you interrupt.
    #[arg(short = 'f', long, conflicts_with_all = ["lines", "all"])]
    pub follow: bool,

    /// Only what appeared since the previous `read --new` of this agent.
    #[arg(long, conflicts_with_all = ["lines", "all"])]
    pub new: bool,
}

/// Stop agents and remove their panes.
///
/// Graceful by default: TERM and HUP to the agent's process group, up to --grace
/// seconds to exit, then the pane is removed and what is left is killed.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew kill api
  crew kill 'review-*' --grace 30
  crew kill --all --force
  crew kill fix --rm-worktree
  crew kill --team web")]
pub struct KillArgs {
    /// Agents to kill (names or globs).
    #[arg(value_name = "NAME", required_unless_present_any = ["all", "team"], add = ArgValueCompleter::new(crate::complete::agent_names))]
    pub names: Vec<String>,

    /// Kill every agent of team T.
    #[arg(long, value_name = "T", conflicts_with = "all")]
    pub team: Option<String>,

    /// Also remove the git worktree crew made for the agent, refused when
    /// it has uncommitted changes or commits neither merged nor pushed
    /// (with --force: discarded).
    #[arg(long)]
    pub rm_worktree: bool,

    /// Kill every agent.
    #[arg(long, conflicts_with = "names")]
    pub all: bool,

    /// Do not wait for a graceful exit.
    #[arg(long)]
    pub force: bool,

    /// Seconds to wait after TERM.
    #[arg(long, value_name = "SECS", default_value_t = 5.0, value_parser = secs)]
    pub grace: f64,

    /// Print what was done as a JSON array.
    #[arg(long)]
    pub json: bool,
}

/// Repair what crashes and interrupted commands leave behind.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew recover --dry-run
  crew ls --json > agents.json; ...; crew recover --from agents.json")]
pub struct RecoverArgs {
    /// Print the plan, change nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Print the actions as JSON.
    #[arg(long)]
    pub json: bool,

    /// Re-create the agents of a saved `crew ls --json` that no longer exist.
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Until {
    #[default]
    Idle,
    Exited,
    Attention,
    Any,
}

/// Block until agents reach a state (for Makefiles and CI).
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew wait api
  crew wait api reviewer --until attention --timeout 600
  crew wait build --until exited   (exits with the agent's status)")]
pub struct WaitArgs {
    /// Agents to wait for (names or globs).
    #[arg(value_name = "NAME", required_unless_present_any = ["all", "team"], add = ArgValueCompleter::new(crate::complete::agent_names))]
    pub names: Vec<String>,

    /// Wait for every agent of team T.
    #[arg(long, value_name = "T", conflicts_with = "all")]
    pub team: Option<String>,

    /// Wait for every agent.
    #[arg(long, conflicts_with = "names")]
    pub all: bool,

    /// The state to wait for: idle, exited, attention (permission or
    /// question) or any (any of those).
    #[arg(long, value_enum, default_value_t = Until::Idle)]
    pub until: Until,

    /// Give up after SECS (exit 124).
    #[arg(long, value_name = "SECS", value_parser = secs)]
    pub timeout: Option<f64>,
}

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
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew report working
  echo '{\"session_id\":\"...\"}' | crew report idle --hook-input")]
pub struct ReportArgs {
    /// working, idle, permission, question, or notification (the state is
    /// read from the hook's JSON).
    #[arg(value_name = "STATE")]
    pub state: String,

    /// A hook's JSON as an argument (Codex `notify` passes it so).
    #[arg(value_name = "JSON")]
    pub payload: Option<String>,

    /// Read the hook's JSON from stdin (Claude Code hooks pass it so).
    #[arg(long)]
    pub hook_input: bool,
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
/// Tools: ls, spawn, send, read, wait, approve, deny, kill, with the rules
/// and errors of the commands. Global flags (-L, -S, --host, --config)
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
