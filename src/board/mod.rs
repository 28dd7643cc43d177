//! The dashboard's picture, apart from any terminal: rows from one snapshot
//! and one capture chain, attention first, filtered, and the columns that fit
//! a width. `crew dash` draws it; everything here but `Board::take` is pure.

use crate::config::Config;
use crate::render;
use crate::screen;
use crate::snapshot::{Agent, Snapshot, Where};
use crate::status::Status;
use crate::text::escape_controls;
use crate::tmux::Tmux;
use anyhow::Result;

#[derive(Debug, Clone, PartialEq)]
pub struct BoardRow {
    pub name: String,
    pub status: Status,
    /// As `ls` prints it: `exited(1)`, `working(damaged)`.
    pub status_text: String,
    /// Exited with a failure (non-zero status or a signal).
    pub failed: bool,
    pub place: Where,
    pub pane_id: String,
    pub created: u64,
    /// The last non-blank line of its screen, control characters escaped.
    pub last: String,
    /// Its tool's permission mode as `ls` shows it (`auto!`), or empty.
    pub mode: String,
    /// Tokens, cost and context its tool reported.
    pub usage: Option<crate::usage::Usage>,
    /// A worktree agent's change size (`3 files +40 -2`, `…` until first
    /// measured); None for an agent without a worktree.
    pub changes: Option<String>,
}

/// One refresh: every agent as a row, attention first, and what is on view
/// beside the dashboard's pane.
#[derive(Debug, Clone, Default)]
pub struct Board {
    pub rows: Vec<BoardRow>,
    /// Agents shown in the dashboard's window, in pane order.
    pub shown: Vec<String>,
    /// The dashboard's window (`@N`), if its pane was found.
    pub window: Option<String>,
    pub now: u64,
    /// The agents with a worktree, for the thread that measures their
    /// changes (git is too slow for every refresh).
    pub worktrees: Vec<Agent>,
}

impl Board {
    /// One snapshot and one capture chain, whatever the number of agents
    /// (plus the tag updates `ls` also writes, only when a tag changed).
    pub fn take(tmux: &Tmux, config: &Config, leader: &str) -> Result<Board> {
        let snap = Snapshot::take(tmux, &config.session)?;
        let agents: Vec<&Agent> = snap.agents.iter().collect();
        let (statuses, screens) =
            crate::observe::statuses_and_screens(tmux, config, &agents, true)?;
        let window = snap.pane(leader).map(|p| p.window_id.clone());
        let shown = agents
            .iter()
            .filter(|a| Some(&a.pane.window_id) == window.as_ref())
            .map(|a| a.name.clone())
            .collect();
        let rows = agents
            .iter()
            .zip(statuses)
            .map(|(a, st)| {
                let screen = screens.get(a.pane_id()).map(String::as_str);
                let p = screen::profile_for(config, a);
                row(a, st, screen, p)
            })
            .collect();
        let worktrees = agents
            .iter()
            .filter(|a| !a.tags.worktree.is_empty())
            .map(|a| (*a).clone())
            .collect();
        Ok(Board {
            rows: attention_first(rows),
            shown,
            window,
            now: crate::ctx::now(),
            worktrees,
        })
    }

    /// How many agents wait for the person.
    pub fn waiting(&self) -> usize {
        self.rows.iter().filter(|r| r.status.is_attention()).count()
    }

    /// Every agent's figures added up, for the head line: `12.3k tokens
    /// $0.42`, empty when no tool reported any.
    pub fn totals(&self) -> String {
        let t = crate::usage::Totals::of(self.rows.iter().filter_map(|r| r.usage.as_ref()));
        match (t.agents, t.costed) {
            (0, _) => String::new(),
            (_, 0) => format!("{} tokens", render::tokens_text(t.tokens())),
            _ => format!(
                "{} tokens  {}",
                render::tokens_text(t.tokens()),
                render::cost_text(t.cost_usd)
            ),
        }
    }
}

fn row(a: &Agent, status: Status, screen: Option<&str>, p: &crate::profile::Profile) -> BoardRow {
    let r = render::Row::new(a, status).with_mode(a, p, screen);
    BoardRow {
        name: a.name.clone(),
        status,
        status_text: r.status_text(),
        mode: r.mode.as_ref().map(|_| r.mode_text()).unwrap_or_default(),
        failed: r.exit_signal.is_some() || r.exit_status.is_some_and(|c| c != 0),
        place: a.place,
        pane_id: a.pane_id().to_string(),
        created: a.tags.created,
        last: screen.map(last_line).unwrap_or_default(),
        usage: r.usage,
        changes: (!a.tags.worktree.is_empty()).then(|| "…".to_string()),
    }
}

/// The measured change sizes (by pane) into the rows of worktree agents.
pub fn with_changes(rows: &mut [BoardRow], sizes: &std::collections::HashMap<String, String>) {
    for r in rows {
        if let (Some(c), Some(t)) = (r.changes.as_mut(), sizes.get(&r.pane_id)) {
            c.clone_from(t);
        }
    }
}

/// The last non-blank line of a screen, trimmed, controls escaped; not
/// tmux's "Pane is dead" line (the status column says that already).
pub fn last_line(screen: &str) -> String {
    let lines = screen::clean(screen);
    lines
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.starts_with("Pane is dead ("))
        .map(|l| escape_controls(l.trim()).into_owned())
        .unwrap_or_default()
}

/// Agents waiting for the person first, then by name: an order that does
/// not change when an agent moves between the view and the parking lot.
pub fn attention_first(mut rows: Vec<BoardRow>) -> Vec<BoardRow> {
    rows.sort_by(|a, b| {
        (!a.status.is_attention(), &a.name).cmp(&(!b.status.is_attention(), &b.name))
    });
    rows
}

/// Rows whose name contains `filter` (case-insensitive); all when empty.
pub fn filtered<'a>(rows: &'a [BoardRow], filter: &str) -> Vec<&'a BoardRow> {
    let f = filter.to_lowercase();
    rows.iter()
        .filter(|r| f.is_empty() || r.name.to_lowercase().contains(&f))
        .collect()
}

/// The row the cursor belongs on: where it was if that agent is on view,
/// else the first agent on view, else where it was if that agent still
/// exists, else none. The view is the truth; the cursor only follows it.
pub fn cursor(rows: &[&BoardRow], shown: &[String], current: Option<&str>) -> Option<usize> {
    let at = |name: &str| rows.iter().position(|r| r.name == name);
    current
        .filter(|c| shown.iter().any(|s| s == c))
        .and_then(at)
        .or_else(|| rows.iter().position(|r| shown.contains(&r.name)))
        .or_else(|| current.and_then(at))
}

/// The second agent `Tab` puts beside `first`: the next row after the
/// second one on view now (or after `first`), wrapping, never `first`.
pub fn next_second(rows: &[&BoardRow], shown: &[String], first: &str) -> Option<String> {
    let n = rows.len();
    let first_i = rows.iter().position(|r| r.name == first)?;
    let from = rows
        .iter()
        .position(|r| r.name != first && shown.contains(&r.name))
        .unwrap_or(first_i);
    (1..n)
        .map(|k| (from + k) % n)
        .find(|&i| i != first_i)
        .map(|i| rows[i].name.clone())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    /// Row number (what a digit key selects), with `!` when it waits.
    Num,
    Name,
    Status,
    Mode,
    Where,
    Age,
    Tokens,
    Cost,
    Ctx,
    /// A worktree agent's change size.
    Changes,
    Last,
}

impl Col {
    pub fn header(self) -> &'static str {
        match self {
            Col::Num => "#",
            Col::Name => "NAME",
            Col::Status => "STATUS",
            Col::Mode => "MODE",
            Col::Where => "WHERE",
            Col::Age => "AGE",
            Col::Tokens => "TOKENS",
            Col::Cost => "COST",
            Col::Ctx => "CTX",
            Col::Changes => "CHANGES",
            Col::Last => "LAST LINE",
        }
    }
}

/// Narrowest the last-line column is worth showing at.
const LAST_MIN: u16 = 10;
/// Widest a name column grows.
const NAME_MAX: u16 = 32;

fn chars(s: &str) -> u16 {
    s.chars().count().min(u16::MAX as usize) as u16
}

/// The usage columns some row has a figure for, with their widths.
fn usage_cols(rows: &[&BoardRow]) -> Vec<(Col, u16)> {
    [Col::Tokens, Col::Cost, Col::Ctx]
        .into_iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let texts: Vec<String> = rows
                .iter()
                .filter_map(|r| r.usage.as_ref())
                .map(|u| render::usage_cells(Some(u))[i].clone())
                .filter(|t| t != "-")
                .collect();
            let w = texts.iter().map(|t| chars(t)).max()?;
            Some((c, w.max(chars(c.header()))))
        })
        .collect()
}

/// The columns that fit `width` with one space between them, and their
/// widths: the last line takes what is left; columns are dropped (the
/// tools' usage, the mode, where, then age, then the last line, then the
/// number) before anything would wrap, and a name is cut last.
pub fn fit(width: u16, rows: &[&BoardRow]) -> Vec<(Col, u16)> {
    let usage = usage_cols(rows);
    let mut v = fit_without_usage(width, rows);
    if usage.is_empty() || v.last().map(|c| c.0) != Some(Col::Last) {
        return v;
    }
    // Only beside everything else, the last line keeping its minimum.
    let extra = usage.iter().map(|(_, w)| w + 1).sum::<u16>();
    let last = v.pop().expect("the last line").1;
    if last >= extra + LAST_MIN {
        v.extend(usage);
        v.push((Col::Last, last - extra));
    } else {
        v.push((Col::Last, last));
    }
    v
}

fn fit_without_usage(width: u16, rows: &[&BoardRow]) -> Vec<(Col, u16)> {
    let num = chars(&rows.len().to_string()) + 1;
    let name = rows
        .iter()
        .map(|r| chars(&r.name))
        .max()
        .unwrap_or(0)
        .clamp(4, NAME_MAX);
    let status = rows
        .iter()
        .map(|r| chars(&r.status_text))
        .max()
        .unwrap_or(0)
        .max(6);
    let place = rows
        .iter()
        .map(|r| chars(r.place.as_str()))
        .max()
        .unwrap_or(0)
        .max(5);
    let age = 3;
    // A mode column only when an agent is in one, CHANGES only when one has
    // a worktree; they are the first to go after the last line (the status
    // says what the agent does), CHANGES before MODE.
    let mode = rows.iter().map(|r| chars(&r.mode)).max().unwrap_or(0);
    let mode = (mode > 0).then(|| (Col::Mode, mode.max(4)));
    let changes = rows
        .iter()
        .filter_map(|r| r.changes.as_deref().map(chars))
        .max()
        .map(|w| (Col::Changes, w.max(7)));
    for (m, c) in [(mode, changes), (mode, None), (None, changes)] {
        if m.is_none() && c.is_none() {
            continue;
        }
        let wide: Vec<(Col, u16)> = [(Col::Num, num), (Col::Name, name), (Col::Status, status)]
            .into_iter()
            .chain(m)
            .chain([(Col::Where, place), (Col::Age, age)])
            .chain(c)
            .collect();
        let used = wide.iter().map(|(_, w)| w + 1).sum::<u16>();
        if used + LAST_MIN <= width {
            let mut v = wide;
            v.push((Col::Last, width - used));
            return v;
        }
    }
    let sets: [&[(Col, u16)]; 5] = [
        &[
            (Col::Num, num),
            (Col::Name, name),
            (Col::Status, status),
            (Col::Where, place),
            (Col::Age, age),
        ],
        &[
            (Col::Num, num),
            (Col::Name, name),
            (Col::Status, status),
            (Col::Age, age),
        ],
        &[(Col::Num, num), (Col::Name, name), (Col::Status, status)],
        &[(Col::Num, num), (Col::Name, name), (Col::Status, status)],
        &[(Col::Name, name), (Col::Status, status)],
    ];
    let used = |set: &[(Col, u16)]| set.iter().map(|(_, w)| w + 1).sum::<u16>();
    // With the last line while it gets its minimum, without it after.
    for (k, set) in sets.iter().enumerate() {
        let with_last = k < 3;
        let u = used(set);
        if with_last && u + LAST_MIN <= width {
            let mut v = set.to_vec();
            v.push((Col::Last, width - u));
            return v;
        }
        if !with_last && u - 1 <= width {
            return set.to_vec();
        }
    }
    // Not even name and status: cut the name.
    let name = width.saturating_sub(status + 1).max(1);
    vec![(Col::Name, name), (Col::Status, status)]
}

/// The cell text of a column (the number is 1-based).
pub fn cell(r: &BoardRow, col: Col, number: usize, now: u64, width: u16) -> String {
    let text = match col {
        Col::Num => format!(
            "{}{number}",
            if r.status.is_attention() { '!' } else { ' ' }
        ),
        Col::Name => r.name.clone(),
        Col::Status => r.status_text.clone(),
        Col::Mode => r.mode.clone(),
        Col::Where => r.place.as_str().to_string(),
        Col::Age => render::age(r.created, now),
        Col::Tokens => render::usage_cells(r.usage.as_ref())[0].clone(),
        Col::Cost => render::usage_cells(r.usage.as_ref())[1].clone(),
        Col::Ctx => render::usage_cells(r.usage.as_ref())[2].clone(),
        Col::Changes => r.changes.clone().unwrap_or_default(),
        Col::Last => r.last.clone(),
    };
    cut(&text, width as usize)
}

/// At most `max` characters, with `…` where it was cut.
pub fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else if max == 0 {
        String::new()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests;
