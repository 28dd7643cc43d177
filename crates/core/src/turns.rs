//! Turn events: when each recent turn of an agent ended and how (idle,
//! permission, question, exited), with the last lines it said. Kept on the
//! pane in `@crew-turns` (no files), at most `KEEP` events of at most
//! `LINES` lines of `WIDTH` characters: a few kilobytes however long an
//! agent runs. Written by whichever crew process first learns a turn ended
//! (the tool's hook through `crew report`, or a command that reads
//! statuses), appended with `set-option -a` so two writers do not lose
//! each other's event; a value over `KEEP` events is rewritten short.

use crate::report::Report;
use crate::status::Status;
use crate::tags;
use crate::tmux::Cmd;
use serde::Serialize;

/// The pane option.
pub const TAG: &str = tags::TURNS;
/// Events kept.
pub const KEEP: usize = 8;
/// Lines kept of what the agent said, and their width.
pub const LINES: usize = 3;
pub const WIDTH: usize = 200;
/// A value longer than this is not read (written by a stranger).
const MAX_VALUE: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Turn {
    /// When the turn ended, in unix milliseconds.
    pub ended_ms: u64,
    /// How: idle, permission, question or exited.
    pub status: String,
    /// The last lines it said.
    pub said: Vec<String>,
}

impl Turn {
    pub fn new(ended_ms: u64, status: Status, said: &[String]) -> Turn {
        let said = said
            .iter()
            .rev()
            .take(LINES)
            .rev()
            .map(|l| l.chars().take(WIDTH).collect())
            .collect();
        Turn {
            ended_ms,
            status: status.as_str().to_string(),
            said,
        }
    }

    /// `MS&STATUS&LINES`, LINES an encoded list: no space in it.
    fn value(&self) -> String {
        format!(
            "{}&{}&{}",
            self.ended_ms,
            self.status,
            tags::encode(&tags::encode_list(&self.said))
        )
    }

    fn parse(item: &str) -> Option<Turn> {
        let mut it = item.splitn(3, '&');
        let ended_ms = it.next()?.parse().ok()?;
        let status = match it.next()? {
            "exited" => Status::Exited,
            s => crate::report::parse_state(s).filter(|s| *s != Status::Working)?,
        };
        let said = tags::decode_list(&tags::decode(it.next()?).ok()?).ok()?;
        Some(Turn::new(ended_ms, status, &said))
    }
}

/// The events in a tag's value, oldest first; what cannot be read is
/// skipped.
pub fn parse(value: &str) -> Vec<Turn> {
    if value.len() > MAX_VALUE {
        return vec![];
    }
    let all: Vec<Turn> = value.split(' ').filter_map(Turn::parse).collect();
    all[all.len().saturating_sub(KEEP)..].to_vec()
}

/// Whether a change of the status last seen ends a turn: the agent stopped
/// working (or answered a dialog) and is now idle, asks, or exited.
pub fn ends_turn(prev: &str, new: Status) -> bool {
    let asks_or_gone = matches!(new, Status::Permission | Status::Question | Status::Exited);
    prev != new.as_str()
        && match prev {
            "working" | "permission" | "question" => asks_or_gone || new == Status::Idle,
            "idle" => asks_or_gone,
            _ => false,
        }
}

/// Whether the turn that ended in `new` is recorded already: the last event
/// says the same and is no older than the turn's start as the tool's own
/// report tells it (a hook's event carries the report's time).
pub fn recorded(turns: &[Turn], new: Status, report: Option<&Report>) -> bool {
    let Some(last) = turns.last() else {
        return false;
    };
    // The report is the turn's start (working, crew's input mark) or its
    // end (a hook's idle, whose event carries the same time).
    let Some(r) = report else { return false };
    last.status == new.as_str() && last.ended_ms >= r.ms
}

/// The command that adds `turn` to a pane whose tag holds `current`.
pub fn add(pane: &str, current: &str, turn: &Turn) -> Cmd {
    let mut kept = parse(current);
    if kept.len() + 1 > KEEP || current.len() > MAX_VALUE / 2 {
        kept.push(turn.clone());
        let from = kept.len().saturating_sub(KEEP);
        let value: Vec<String> = kept[from..].iter().map(Turn::value).collect();
        tags::set_pane(pane, TAG, &value.join(" "))
    } else {
        let sep = if current.is_empty() { "" } else { " " };
        Cmd::new("set-option")
            .args(["-a", "-p", "-t", pane, TAG])
            .arg(format!("{sep}{}", turn.value()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_bounded() {
        let long = "x".repeat(500);
        let t = Turn::new(
            1_700_000_000_123,
            Status::Permission,
            &["a".into(), "b & c %20 #{x}".into(), "d e".into(), long],
        );
        assert_eq!(t.said.len(), LINES);
        assert_eq!(t.said[2].chars().count(), WIDTH);
        let v = t.value();
        assert!(!v.contains(' '), "{v}");
        assert_eq!(parse(&v), vec![t.clone()]);
        let many: Vec<String> = (0..20)
            .map(|i| Turn::new(i, Status::Idle, &[]).value())
            .collect();
        let got = parse(&many.join(" "));
        assert_eq!(got.len(), KEEP);
        assert_eq!(got.last().unwrap().ended_ms, 19);
        assert!(parse("garbage 12&nope&x &&& 5&idle&%ZZ").is_empty());
    }

    #[test]
    fn which_changes_end_a_turn() {
        assert!(ends_turn("working", Status::Idle));
        assert!(ends_turn("working", Status::Permission));
        assert!(ends_turn("permission", Status::Idle));
        assert!(ends_turn("idle", Status::Question));
        assert!(ends_turn("working", Status::Exited));
        assert!(!ends_turn("idle", Status::Idle));
        assert!(!ends_turn("", Status::Idle));
        assert!(!ends_turn("idle", Status::Working));
        assert!(!ends_turn("unknown", Status::Idle));
    }
}
