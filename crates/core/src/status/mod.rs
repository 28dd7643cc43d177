//! Status: a pure function of the pane's cheap facts, its screen and the
//! agent's profile (SPEC §4). No I/O here, so every rule is unit-tested on
//! captured screens in tests/screens/.
//!
//! Order of evidence:
//! 1. a dead pane is `exited`;
//! 2. `idle_at_shell` profiles: the shell in the foreground is `idle`;
//! 3. a title from a tool that also reports attention in its title is trusted;
//! 4. the screen: `permission`/`question` win when visible, unless an idle
//!    line (the tool's input box) is drawn below them: a live menu replaces
//!    the input box, so a menu with the box under it is quoted or stale;
//! 5. a working title or working line, then an idle line or idle title;
//! 6. for tools without a working indicator, how long the screen was quiet;
//! 7. otherwise `unknown`.

pub use crate::procs::Fg;
use crate::profile::{kind, Patterns, Profile};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Working,
    Idle,
    Permission,
    Question,
    Exited,
    Unknown,
}

impl Status {
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Working => "working",
            Status::Idle => "idle",
            Status::Permission => "permission",
            Status::Question => "question",
            Status::Exited => "exited",
            Status::Unknown => "unknown",
        }
    }

    /// The agent waits for the person: permission or question.
    pub fn is_attention(&self) -> bool {
        matches!(self, Status::Permission | Status::Question)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

pub struct PaneFacts<'a> {
    pub dead: bool,
    /// Exit status when exited normally.
    pub dead_status: Option<i32>,
    /// Signal number when killed by one.
    pub dead_signal: Option<i32>,
    /// `#{pane_title}`.
    pub title: &'a str,
    /// `#{pane_current_command}`, e.g. "bash", "node", "claude".
    pub current_command: &'a str,
    /// Basename of the agent's recorded argv[0] (or the shell word).
    pub start_command: &'a str,
    /// Seconds since the screen content last changed, if known (crew keeps a
    /// content hash + time as pane tags).
    pub quiet_for: Option<u64>,
    /// The shell in front is the pane's own process running a `-c` script
    /// (`sh -c 'build; test'`), not a shell waiting at its prompt.
    pub script_in_front: bool,
    /// What the operating system says the terminal's foreground does, for
    /// profiles that judge plain commands (`idle_at_shell`); None if not
    /// looked up.
    pub fg: Option<Fg>,
}

impl<'a> PaneFacts<'a> {
    /// What the snapshot alone tells of a live pane: enough for
    /// `needs_screen` of a tool profile (not `idle_at_shell`), which looks
    /// at the title and the patterns only.
    pub fn cheap(title: &'a str, quiet_for: Option<u64>) -> PaneFacts<'a> {
        PaneFacts {
            dead: false,
            dead_status: None,
            dead_signal: None,
            title,
            current_command: "",
            start_command: "",
            quiet_for,
            script_in_front: false,
            fg: None,
        }
    }
}

/// Shells by name. `pane_current_command` shows a login shell as "-bash".
/// A foreground command equal to the start command is not enough on its
/// own: `crew spawn x -- make test` starts `make`, and `make` in front means
/// it is still running.
pub fn is_shell_name(command: &str) -> bool {
    let c = command.trim_start_matches('-');
    const SHELLS: [&str; 16] = [
        "sh", "bash", "zsh", "fish", "dash", "ksh", "mksh", "tcsh", "csh", "ash", "yash", "nu",
        "elvish", "xonsh", "pwsh", "rc",
    ];
    SHELLS.contains(&c) || (c.len() <= 5 && c.ends_with("sh") && c.is_ascii())
}

fn shell_in_front(facts: &PaneFacts) -> bool {
    is_shell_name(facts.current_command) && !facts.script_in_front
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Title {
    Working,
    Idle,
    Attention,
    Silent,
}

fn title_state(p: &Patterns, title: &str) -> Title {
    let k = p.title_kinds(title);
    if k & kind::TITLE_ATTENTION != 0 {
        Title::Attention
    } else if k & kind::TITLE_WORKING != 0 {
        Title::Working
    } else if k & kind::TITLE_IDLE != 0 {
        Title::Idle
    } else {
        Title::Silent
    }
}

/// A tool that shows attention in its title shows every state there.
fn title_trusted(p: &Patterns) -> bool {
    p.has(kind::TITLE_ATTENTION)
}

#[derive(Debug, Default)]
struct Scan {
    working: bool,
    idle: bool,
    attention: Option<Status>,
}

/// What the last `scan_lines` non-blank, non-ignored lines match
/// (`kind` bits), bottom first: each line is searched once for all lists.
fn tail(p: &Patterns, profile: &Profile, screen: &str) -> Vec<u8> {
    screen
        .lines()
        .rev()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .map(|l| p.line_kinds(l))
        .filter(|k| k & kind::IGNORE == 0)
        .take(profile.scan_lines.max(1))
        .collect()
}

fn scan(p: &Patterns, profile: &Profile, screen: &str) -> Scan {
    let lines = tail(p, profile, screen);
    // Indices count from the bottom: smaller is lower on the screen.
    let first = |k: u8| lines.iter().position(|l| l & k != 0);
    let idle = first(kind::IDLE);
    let below_idle = |i: Option<usize>| i.filter(|&i| idle.is_none_or(|j| i < j));
    let question = below_idle(first(kind::QUESTION));
    let permission = below_idle(first(kind::PERMISSION));
    // Both visible: the lower one is the live menu (a question menu may
    // offer "1. Yes"; a permission footer may say "Esc to cancel").
    let attention = match (question, permission) {
        (Some(q), Some(a)) if a < q => Some(Status::Permission),
        (Some(_), _) => Some(Status::Question),
        (None, Some(_)) => Some(Status::Permission),
        (None, None) => None,
    };
    Scan {
        working: first(kind::WORKING).is_some(),
        idle: idle.is_some(),
        attention,
    }
}

/// Whether a screen capture can change the answer, i.e. the cheap signals
/// (dead, title, foreground command) do not already decide the status.
pub fn needs_screen(facts: &PaneFacts, profile: &Profile) -> bool {
    if facts.dead {
        return false;
    }
    let p = profile.patterns();
    if profile.idle_at_shell {
        return match (shell_in_front(facts), facts.fg) {
            (true, _) => false,
            // Running or sleeping on a timer or a child: nothing on screen
            // can make it less than working.
            (false, Some(Fg::Busy)) => false,
            // Waiting for input, or a script for its commands: the screen
            // tells a question from a prompt (or from work).
            (false, Some(Fg::Input | Fg::Children)) => p.reads_screen(),
            (false, _) => p.reads_screen() || profile.quiet_idle_secs.is_some(),
        };
    }
    // A working title is the whole answer. An idle one is not: start-up
    // dialogs (Gemini CLI's folder trust and sign-in) come up under an idle
    // title, so the screen is looked at for a dialog.
    if title_trusted(p) && title_state(p, facts.title) == Title::Working {
        return false;
    }
    // The quiet rule needs the screen too: its hash tells whether it changed.
    p.reads_screen() || profile.quiet_idle_secs.is_some()
}

/// `screen`: the last lines of the visible screen as plain text (no ANSI),
/// None if not captured.
pub fn status(facts: &PaneFacts, screen: Option<&str>, profile: &Profile) -> Status {
    if facts.dead {
        return Status::Exited;
    }
    let p = profile.patterns();
    let seen = screen.map(|s| scan(p, profile, s)).unwrap_or_default();

    if profile.idle_at_shell {
        if shell_in_front(facts) {
            return Status::Idle;
        }
        // A question on screen wins; then what the operating system says
        // the foreground does; then the screen, and how long it was quiet.
        if let Some(a) = seen.attention {
            return a;
        }
        return match facts.fg {
            Some(Fg::Busy | Fg::Children) => Status::Working,
            Some(Fg::Input) => Status::Idle,
            _ if seen.working => Status::Working,
            _ if seen.idle => Status::Idle,
            _ => match (profile.quiet_idle_secs, facts.quiet_for, screen) {
                (Some(limit), Some(quiet), Some(_)) if quiet >= limit => Status::Idle,
                _ => Status::Working,
            },
        };
    }

    let title = title_state(p, facts.title);
    if title_trusted(p) {
        match title {
            Title::Working => return Status::Working,
            Title::Idle if seen.attention.is_none() => return Status::Idle,
            _ => {}
        }
    }
    if let Some(a) = seen.attention {
        return a;
    }
    if title == Title::Attention {
        // The title says it waits; the screen did not say for what.
        return Status::Permission;
    }
    if title == Title::Working || seen.working {
        return Status::Working;
    }
    if seen.idle || title == Title::Idle {
        return Status::Idle;
    }
    match (profile.quiet_idle_secs, facts.quiet_for, screen) {
        (Some(limit), Some(quiet), Some(_)) if quiet >= limit => Status::Idle,
        (Some(_), Some(_), Some(_)) => Status::Working,
        _ => Status::Unknown,
    }
}

/// Whitespace runs as one space, trimmed: a TUI redraws tabs and wraps.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// After `send` submitted `message`: Some(true) if the message visibly still
/// sits in the input box (not submitted), Some(false) if it visibly left,
/// None if this profile cannot tell.
///
/// None also while a permission or question menu is up: its cursor line
/// looks like an input box, and a recovery key would answer the menu.
pub fn input_pending(screen: &str, profile: &Profile, message: &str) -> Option<bool> {
    let p = profile.patterns();
    let re = p.input_box()?;
    if scan(p, profile, screen).attention.is_some() {
        return None;
    }
    // The bottom-most match is the live box; older lines are history.
    let content = screen
        .lines()
        .rev()
        .map(str::trim_end)
        .filter(|l| p.line_kinds(l) & kind::IGNORE == 0)
        .find_map(|l| re.captures(l))
        .map(|c| squash(c.get(1).map_or("", |m| m.as_str())))?;
    if content.is_empty() {
        return Some(false);
    }
    // Long pastes are folded into a placeholder: "[Pasted text #1 +42 lines]"
    // (Claude), "[Pasted Content 1204 chars]" (Codex), "[Pasted Text: 12 lines]" (Gemini).
    if content.starts_with("[Pasted") {
        return Some(true);
    }
    let first = message.lines().map(squash).find(|l| !l.is_empty())?;
    // The box shows the first line, possibly cut at the pane's width.
    let probe: String = first.chars().take(24).collect();
    Some(content.contains(&probe) || (content.chars().count() >= 8 && first.starts_with(&content)))
}

#[cfg(test)]
mod tests;
