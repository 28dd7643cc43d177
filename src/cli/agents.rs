//! The arguments of the commands that start, see, drive and end agents.

use crate::text::secs;
use clap::{Args, ValueEnum};
use clap_complete::engine::ArgValueCompleter;
use std::path::PathBuf;

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
///
/// Each agent gets this command's environment (as running CMD in this shell
/// would), whenever the tmux server was started; -e KEY=VALUE is set over it
/// and recorded for restarts. The environment itself is not recorded.
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

    /// Set an environment variable for the agent, over the caller's
    /// environment, and record it for restarts (repeatable; visible in the
    /// pane's tags, so no secrets: export those instead).
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

    /// Add the last non-blank line of each screen, and the tokens, cost
    /// and context the tools reported (TOKENS, COST, CTX%, and a total).
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

    /// Zoom the first agent's pane (tmux's own zoom, which gives it the
    /// focus; prefix z unzooms, prefix ; goes back to your pane, `crew
    /// park` undoes it).
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
///
/// It returns once the agent has taken the message, not when it answered:
/// `crew wait NAME --until any` waits for the end of its turn.
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
///
/// Presses the profile's answer_keys, {n} standing for N: the digit for
/// Claude Code, Codex, Gemini CLI, opencode and plain commands; aider asks
/// yes/no, so its answer is `y` whatever N.
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
/// Send a message and print the agent's reply when the turn it began ends.
///
/// One call for what `send`, `wait --until any` and `read` do together: it
/// waits for the agent to be idle (never types into a dialog), sends, waits
/// for the turn to end (idle, a dialog, or exit) and prints the lines the
/// agent added, cleaned as `read` cleans them, without its input box and
/// the echo of the message. A turn that ends in a dialog prints the dialog
/// and says on stderr how to answer it.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew ask api \"which tests fail?\"
  crew ask api --timeout 600 \"review the diff\" > review.txt
  crew ask api --json \"status?\"      ({name, status, reply})")]
pub struct AskArgs {
    /// The agent to ask.
    #[arg(value_name = "NAME", add = ArgValueCompleter::new(crate::complete::agent_names))]
    pub name: String,

    /// The message (several words are joined by spaces; `-` or none: stdin).
    #[arg(value_name = "TEXT", allow_hyphen_values = true)]
    pub text: Vec<String>,

    /// Give up after SECS (exit 124), printing what it said so far.
    #[arg(long, value_name = "SECS", value_parser = secs)]
    pub timeout: Option<f64>,

    /// Print {name, status, reply} as JSON.
    #[arg(long)]
    pub json: bool,
}

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

    /// The last N lines of what the agent said, from the scrollback as far
    /// as needed (a run of blank lines counts, and prints, as one).
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

    /// Kill every agent of team T, ending the team (its session goes with
    /// its last agent).
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

/// Show what an agent changed in its worktree (`spawn --worktree`) against
/// the branch it started from: its commits and what it has not committed,
/// new files included, as one `git diff`.
///
/// The diff runs from where the agent's branch left that branch (their
/// merge base) to the files in its worktree now, so what the branch gained
/// since is not shown as undone. Colour and pager as git's own (GIT_PAGER,
/// core.pager, PAGER; only on a terminal); --color never turns colour off.
/// Nothing in the agent's worktree or index is changed.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew diff api
  crew diff api --stat
  crew diff api --no-pager > api.patch")]
pub struct DiffArgs {
    /// The agent.
    #[arg(value_name = "NAME", add = ArgValueCompleter::new(crate::complete::agent_names))]
    pub name: String,

    /// Only the summary: each file's lines added and removed.
    #[arg(long)]
    pub stat: bool,

    /// Print straight to stdout, without git's pager.
    #[arg(long)]
    pub no_pager: bool,
}

/// Merge an agent's branch into the branch it started from.
///
/// Runs where that branch is checked out (the repository, or another of
/// its worktrees), as `git merge` (a fast-forward when it can be, as your
/// merge.ff allows, else a merge commit). Refused, with nothing changed,
/// when the agent's worktree holds uncommitted work or is off its branch,
/// the checkout has uncommitted changes or an operation under way, the
/// branch is gone, or the merge conflicts (it is aborted).
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew diff api && crew merge api
  crew merge api --rebase --kill")]
pub struct MergeArgs {
    /// The agent.
    #[arg(value_name = "NAME", add = ArgValueCompleter::new(crate::complete::agent_names))]
    pub name: String,

    /// Rebase the agent's branch onto the base first (in its worktree),
    /// then fast-forward: a straight history, no merge commit.
    #[arg(long, conflicts_with = "ff_only")]
    pub rebase: bool,

    /// Only a fast-forward: refused when the base has moved on.
    #[arg(long)]
    pub ff_only: bool,

    /// Then end the agent and remove its worktree and branch, as
    /// `crew kill --rm-worktree` does (and with its checks).
    #[arg(long)]
    pub kill: bool,

    /// Print what was done as a JSON array.
    #[arg(long)]
    pub json: bool,
}

/// Repair what crashes and interrupted commands leave behind.
///
/// After a reboot or a `tmux kill-server`, it also brings back the agents
/// the gone server had, from the list crew keeps under
/// $XDG_STATE_HOME/crew/ (in their conversations where the profile can
/// resume one; an agent whose old process still runs is reported, never
/// started twice). Agents it starts again (by their restart policy, from
/// that list or from --from) get the environment of this command, as spawn
/// gives it, plus their recorded -e variables.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  crew recover --dry-run              (after a reboot: what would come back)
  crew recover
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

    /// With --from: leave out an agent whose process from before still runs
    /// (a tool that outlived its tmux server) instead of starting a second
    /// copy on the same conversation (without it: a warning).
    #[arg(long, requires = "from")]
    pub skip_running: bool,
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

    /// Return as soon as any one of them reaches the state, and print
    /// which (NAME STATUS, one line each).
    #[arg(long)]
    pub first: bool,

    /// Give up after SECS (exit 124).
    #[arg(long, value_name = "SECS", value_parser = secs)]
    pub timeout: Option<f64>,
}
