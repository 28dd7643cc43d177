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
            title: a.pane.title.clone(),
            damage: a.damage.clone(),
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
        match &self.detail {
            Some(d) => format!("{} {name} ({}, {d})", self.action, self.pane_id),
            None => format!("{} {name} ({})", self.action, self.pane_id),
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
    let head = ["NAME", "STATUS", "WHERE", "PANE", "PID", "AGE", "COMMAND"];
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            [
                escape_controls(&r.name),
                r.status_text(),
                r.place.to_string(),
                r.pane_id.clone(),
                r.pid.to_string(),
                age(r.created, now),
            ]
        })
        .collect();
    let fixed: usize = (0..6)
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
    let command_width = match width {
        Some(w) => w.saturating_sub(fixed).max("COMMAND".len()),
        None => 60,
    };
    let mut b = Builder::default();
    b.push_record(head.map(|h| {
        if color {
            h.bold().to_string()
        } else {
            h.to_string()
        }
    }));
    for (r, c) in rows.iter().zip(cells) {
        let failed = r.exit_signal.is_some() || r.exit_status.is_some_and(|c| c != 0);
        let [name, status, place, pane, pid, age] = c;
        b.push_record([
            name,
            paint_status(&status, r.status, failed, color),
            place,
            pane,
            pid,
            age,
            truncate(&escape_controls(&r.command), command_width),
        ]);
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
            title: String::new(),
            damage: None,
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
