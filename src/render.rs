//! Output: the `ls` table (coloured by status on a terminal) and its JSON.

use crate::snapshot::Agent;
use crate::status::Status;
use owo_colors::OwoColorize;
use serde::Serialize;

/// One `crew ls --json` object. Keys are stable and documented in README.
#[derive(Debug, Serialize)]
pub struct Row {
    pub name: String,
    pub status: Status,
    pub exit_status: Option<i32>,
    pub exit_signal: Option<i32>,
    #[serde(rename = "where")]
    pub place: &'static str,
    pub session: String,
    pub window_id: String,
    pub pane_id: String,
    pub pid: u32,
    pub command: String,
    pub argv: Vec<String>,
    pub shell: bool,
    pub cwd: String,
    pub env: Vec<String>,
    pub profile: String,
    pub restart: &'static str,
    pub restarts: u32,
    pub created: u64,
    pub title: String,
    pub damage: Option<String>,
    /// "report" (the tool's own `crew report`), "screen", or "pane" (exited).
    pub status_source: &'static str,
    pub team: String,
    pub worktree: String,
    pub branch: String,
    /// The tool's conversation id (`restart`/`recover` resume it).
    pub conversation_id: String,
    pub log: String,
    /// Messages waiting in the mailbox (`send --queue`).
    pub queued: usize,
    /// The tool's permission mode, where its profile knows it (`auto`,
    /// `bypass`, `full-auto`, `yes-always`…); null in its default.
    pub mode: Option<String>,
    /// The mode runs tools without asking: no `permission` state will come.
    pub unasked: bool,
    /// When its recent turns ended and how, with the last lines it said
    /// (oldest first, at most 8).
    pub turns: Vec<crate::turns::Turn>,
    /// `ls --wide`: the last non-blank line of the screen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_line: Option<String>,
}

impl Row {
    pub fn new(a: &Agent, status: Status) -> Row {
        Row {
            name: a.name.clone(),
            status,
            exit_status: if a.pane.dead {
                a.pane.dead_status
            } else {
                None
            },
            exit_signal: if a.pane.dead {
                a.pane.dead_signal
            } else {
                None
            },
            place: a.place.as_str(),
            session: a.pane.session_name.clone(),
            window_id: a.pane.window_id.clone(),
            pane_id: a.pane.pane_id.clone(),
            pid: a.pane.pid,
            command: a.tags.command_line(),
            argv: a.tags.argv.clone(),
            shell: a.tags.shell,
            cwd: a.tags.cwd.clone(),
            env: a.tags.env.clone(),
            profile: a.tags.profile.clone(),
            restart: a.tags.restart.as_str(),
            restarts: a.tags.restarts,
            created: a.tags.created,
            turns: Vec::new(),
            title: a.pane.title.clone(),
            damage: a.damage.clone(),
            status_source: "screen",
            team: a.tags.team.clone(),
            worktree: a.tags.worktree.clone(),
            branch: a.tags.branch.clone(),
            conversation_id: crate::report::session(a),
            log: a.tags.log.clone(),
            queued: crate::tags::queue_len(&a.tags.queue),
            mode: None,
            unasked: false,
            last_line: None,
        }
    }

    /// With the agent's mode (`screen`: when one was captured).
    pub fn with_mode(
        mut self,
        a: &Agent,
        p: &crate::profile::Profile,
        screen: Option<&str>,
    ) -> Row {
        if let Some(m) = crate::mode::mode_of(a, p, screen) {
            self.mode = Some(m.name);
            self.unasked = m.unasked;
        }
        self
    }

    /// MODE as shown: `-` in the tool's default, `!` after a mode that
    /// runs tools without asking.
    pub fn mode_text(&self) -> String {
        match &self.mode {
            None => "-".into(),
            Some(m) if self.unasked => format!("{m}!"),
            Some(m) => m.clone(),
        }
    }

    /// STATUS as shown in the table: exited with its status or signal.
    pub fn status_text(&self) -> String {
        match (self.status, self.exit_status, self.exit_signal) {
            (Status::Exited, _, Some(sig)) => format!("exited(sig {sig})"),
            (Status::Exited, Some(code), _) => format!("exited({code})"),
            (s, ..) if self.damage.is_some() => format!("{}(damaged)", s.as_str()),
            (s, ..) => s.as_str().to_string(),
        }
    }
}

/// One agent a mutating command acted on: `parked api (%3)` as text, one
/// JSON object in `--json`'s array.
#[derive(Debug, Clone, Serialize)]
pub struct Done {
    /// What happened, as a past participle: spawned, shown, parked, killed,
    /// removed.
    pub action: &'static str,
    pub name: String,
    pub pane_id: String,
    /// More about it (`exited 2`), or null.
    pub detail: Option<String>,
}

impl Done {
    pub fn new(action: &'static str, a: &Agent) -> Done {
        Done {
            action,
            name: a.name.clone(),
            pane_id: a.pane_id().to_string(),
            detail: None,
        }
    }

    pub fn line(&self) -> String {
        let name = escape_controls(&self.name);
        match (&self.detail, self.pane_id.is_empty()) {
            (Some(d), true) => format!("{} {name} ({d})", self.action),
            (None, true) => format!("{} {name}", self.action),
            (Some(d), false) => format!("{} {name} ({}, {d})", self.action, self.pane_id),
            (None, false) => format!("{} {name} ({})", self.action, self.pane_id),
        }
    }
}

/// Whether crew runs as a tmux job (`run-shell` from a key binding or a
/// hook): tmux sets $TMUX for it but no $TMUX_PANE, and reads its stdout;
/// the commands crew puts in menus and hooks also say so with
/// CREW_RUN_SHELL=1. Whatever such a run prints covers the user's pane in a
/// view-mode overlay, so it prints nothing on success and shows errors with
/// display-message.
pub fn under_run_shell() -> bool {
    use std::io::IsTerminal;
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    set("TMUX") && (!set("TMUX_PANE") || set("CREW_RUN_SHELL")) && !std::io::stdout().is_terminal()
}

/// Print what a command did: a line per agent, or one JSON array. A
/// command that had nothing to do says so in `none` (text only).
pub fn print_done(done: &[Done], json: bool, none: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let text = if json {
        let mut t = serde_json::to_string_pretty(done)?;
        t.push('\n');
        t
    } else if under_run_shell() {
        return Ok(());
    } else if done.is_empty() {
        format!("{none}\n")
    } else {
        done.iter().map(|d| d.line() + "\n").collect()
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// "42s", "7m", "3h", "12d".
pub fn age(created: u64, now: u64) -> String {
    if created == 0 {
        return "-".into();
    }
    let s = now.saturating_sub(created);
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m", s / 60),
        3600..=86399 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86400),
    }
}

pub fn paint_status(text: &str, status: Status, failed: bool, color: bool) -> String {
    if !color {
        return text.to_string();
    }
    match status {
        Status::Working => text.cyan().to_string(),
        Status::Idle => text.green().to_string(),
        Status::Permission | Status::Question => text.yellow().bold().to_string(),
        Status::Exited if failed => text.red().to_string(),
        Status::Exited => text.green().dimmed().to_string(),
        Status::Unknown => text.dimmed().to_string(),
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// The `ls` table. With `width` (a terminal's), COMMAND gets what the
/// other columns leave and is cut to fit; without, it is cut at 60.
pub fn table(rows: &[Row], now: u64, color: bool, width: Option<usize>) -> String {
    use tabled::builder::Builder;
    use tabled::settings::Style;
    // One space of padding plus Style::blank's one-space column separator.
    const PAD: usize = 1;
    const GAP: usize = PAD + 1;
    // Optional columns only when some agent has something to show there.
    let team = rows.iter().any(|r| !r.team.is_empty());
    let branch = rows.iter().any(|r| !r.branch.is_empty());
    let queued = rows.iter().any(|r| r.queued > 0);
    let mode = rows.iter().any(|r| r.mode.is_some());
    let wide = rows.iter().any(|r| r.last_line.is_some());
    let mut head = vec!["NAME", "STATUS"];
    head.extend(mode.then_some("MODE"));
    head.extend(team.then_some("TEAM"));
    head.extend(["WHERE", "PANE", "PID", "AGE"]);
    head.extend(branch.then_some("BRANCH"));
    head.extend(queued.then_some("QUEUED"));
    // Tags are outside text: no control byte reaches the terminal.
    let clean = |s: &str| escape_controls(s);
    // The fixed columns, the status plain (painted below, once measured).
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut c = vec![clean(&r.name), r.status_text()];
            if mode {
                c.push(r.mode_text());
            }
            if team {
                c.push(clean(&r.team));
            }
            c.extend([
                r.place.to_string(),
                r.pane_id.clone(),
                r.pid.to_string(),
                age(r.created, now),
            ]);
            if branch {
                c.push(clean(&r.branch));
            }
            if queued {
                c.push(r.queued.to_string());
            }
            c
        })
        .collect();
    let fixed: usize = (0..head.len())
        .map(|i| {
            cells
                .iter()
                .map(|c| c[i].chars().count())
                .chain([head[i].len()])
                .max()
                .unwrap_or(0)
                + GAP
        })
        .sum();
    // COMMAND (and LAST LINE) get what the terminal has left.
    let left = width.map(|w| w.saturating_sub(fixed));
    let (command_width, last_width) = match (left, wide) {
        (Some(l), false) => (l.max("COMMAND".len()), 0),
        (Some(l), true) => {
            let c = (l / 3).max("COMMAND".len());
            (c, l.saturating_sub(c + GAP).max("LAST LINE".len()))
        }
        (None, _) => (60, 80),
    };
    head.push("COMMAND");
    head.extend(wide.then_some("LAST LINE"));
    let mut b = Builder::default();
    b.push_record(head.iter().map(|h| {
        if color {
            h.bold().to_string()
        } else {
            h.to_string()
        }
    }));
    for (r, mut c) in rows.iter().zip(cells) {
        let failed = r.exit_signal.is_some() || r.exit_status.is_some_and(|c| c != 0);
        c[1] = paint_status(&c[1], r.status, failed, color);
        c.push(truncate(&clean(&r.command), command_width));
        if wide {
            c.push(truncate(
                &clean(r.last_line.as_deref().unwrap_or("")),
                last_width,
            ));
        }
        b.push_record(c);
    }
    let mut t = b.build();
    t.with(Style::blank());
    // Style::blank pads with one space each side; drop the outer padding.
    t.with(tabled::settings::Padding::new(0, PAD, 0, 0));
    let mut s = t.to_string();
    s = s
        .lines()
        .map(|l| l.trim_end())
        .collect::<Vec<_>>()
        .join("\n");
    s.push('\n');
    s
}

/// Tags are outside text: no control byte reaches the terminal.
fn escape_controls(s: &str) -> String {
    crate::text::escape_controls(s).into_owned()
}

/// The width of the terminal on stdout, if it is one.
pub fn terminal_width() -> Option<usize> {
    let ws = rustix::termios::tcgetwinsize(std::io::stdout()).ok()?;
    (ws.ws_col > 0).then_some(ws.ws_col as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        assert_eq!(age(100, 142), "42s");
        assert_eq!(age(100, 100 + 7 * 60 + 3), "7m");
        assert_eq!(age(100, 100 + 3 * 3600), "3h");
        assert_eq!(age(100, 100 + 12 * 86400), "12d");
        assert_eq!(age(0, 5), "-");
    }

    #[test]
    fn table_fits_the_width() {
        let row = |name: &str, cmd: &str| Row {
            name: name.into(),
            status: Status::Working,
            exit_status: None,
            exit_signal: None,
            place: "parked",
            session: "crew".into(),
            window_id: "@1".into(),
            pane_id: "%123".into(),
            pid: 4_194_303,
            command: cmd.into(),
            argv: vec![],
            shell: true,
            cwd: "/".into(),
            env: vec![],
            profile: "shell".into(),
            restart: "never",
            restarts: 0,
            created: 1,
            turns: vec![],
            title: String::new(),
            damage: None,
            status_source: "screen",
            team: String::new(),
            worktree: String::new(),
            branch: String::new(),
            conversation_id: String::new(),
            log: String::new(),
            queued: 0,
            mode: None,
            unasked: false,
            last_line: None,
        };
        let rows = [
            row("api", &"x".repeat(200)),
            row("reviewer-2", "sleep 600\nand\tmore"),
        ];
        let t = table(&rows, 100, false, Some(60));
        for l in t.lines() {
            assert!(l.chars().count() <= 60, "{l:?}\n{t}");
        }
        assert!(t.contains("4194303") && t.contains("sleep 600\\"), "{t}");
        assert_eq!(t.lines().count(), 3, "{t}");
    }

    #[test]
    fn truncation() {
        assert_eq!(truncate("abc", 5), "abc");
        assert_eq!(truncate("abcdefgh", 5), "abcd…");
    }
}
