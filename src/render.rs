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

pub fn table(rows: &[Row], now: u64, color: bool) -> String {
    use tabled::builder::Builder;
    use tabled::settings::Style;
    let mut b = Builder::default();
    let head = ["NAME", "STATUS", "WHERE", "PANE", "PID", "AGE", "COMMAND"];
    b.push_record(head.map(|h| {
        if color {
            h.bold().to_string()
        } else {
            h.to_string()
        }
    }));
    for r in rows {
        let failed = r.exit_signal.is_some() || r.exit_status.is_some_and(|c| c != 0);
        // Tags are outside text: no control byte reaches the terminal.
        let esc = |s: &str| crate::text::escape_controls(s).into_owned();
        b.push_record([
            esc(&r.name),
            paint_status(&r.status_text(), r.status, failed, color),
            r.place.to_string(),
            r.pane_id.clone(),
            r.pid.to_string(),
            age(r.created, now),
            truncate(&esc(&r.command), 60),
        ]);
    }
    let mut t = b.build();
    t.with(Style::blank());
    // Style::blank pads with one space each side; drop the outer padding.
    t.with(tabled::settings::Padding::new(0, 2, 0, 0));
    let mut s = t.to_string();
    s = s
        .lines()
        .map(|l| l.trim_end())
        .collect::<Vec<_>>()
        .join("\n");
    s.push('\n');
    s
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
    fn truncation() {
        assert_eq!(truncate("abc", 5), "abc");
        assert_eq!(truncate("abcdefgh", 5), "abcd…");
    }
}
