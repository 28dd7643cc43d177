//! Status reported by the agents' own tools: `crew report STATE`, run from a
//! tool's hooks inside the agent's pane, tags the pane with
//! `STATE&UNIX_SECS&PANE_PID&SESSION` (`@crew-report`). A report beats the
//! screen while it is fresh (the profile's `report_fresh_secs`) and was made
//! by the process now in the pane (a restarted pane has a new pid).

use crate::config::Config;
use crate::snapshot::Agent;
use crate::status::Status;
use crate::tags;
use anyhow::Result;

/// What the tag says: the tool's own state, or crew's mark that it gave the
/// agent input (a message submitted, a dialog answered). The mark takes the
/// report's place, so a state the tool reported before that input can no
/// longer stand for the turn the input began (a Stop hook's `idle` of the
/// last turn read as the end of the next one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Said {
    State(Status),
    /// `began`: crew saw the turn start (the tool busy, a hook's word).
    Input {
        began: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub said: Said,
    pub time: u64,
    /// The time in milliseconds; reports of an older crew have only seconds.
    pub ms: u64,
    pub pid: u32,
    pub session: String,
    /// The tool's own name of its permission mode, as its hook gave it
    /// (Claude Code's `permission_mode`); empty when it names none.
    pub mode: String,
}

/// States a tool may report (`exited` and `unknown` are crew's to judge).
pub fn parse_state(s: &str) -> Option<Status> {
    match s {
        "working" => Some(Status::Working),
        "idle" => Some(Status::Idle),
        "permission" => Some(Status::Permission),
        "question" => Some(Status::Question),
        _ => None,
    }
}

const INPUT: &str = "sent";

impl Report {
    /// `STATE&SECS&PID&SESSION&MS&&MODE`, or crew's mark
    /// `sent&SECS&PID&SESSION&MS&BEGAN&MODE`; the last fields may be
    /// missing (an older crew wrote up to SESSION).
    pub fn parse(raw: &str) -> Option<Report> {
        let mut it = raw.split('&');
        let word = it.next()?;
        let time: u64 = it.next()?.parse().ok()?;
        let pid = it.next()?.parse().ok()?;
        let session = tags::decode(it.next().unwrap_or("")).ok()?;
        let ms = match it.next() {
            Some(m) => m.parse().ok()?,
            None => time.saturating_mul(1000),
        };
        let began = it.next() == Some("1");
        let mode = tags::decode(it.next().unwrap_or("")).ok()?;
        let said = if word == INPUT {
            Said::Input { began }
        } else {
            Said::State(parse_state(word)?)
        };
        Some(Report {
            said,
            time,
            ms,
            pid,
            session,
            mode,
        })
    }

    pub fn value(&self) -> String {
        let (word, began) = match self.said {
            Said::State(s) => (s.as_str(), ""),
            Said::Input { began } => (INPUT, if began { "1" } else { "0" }),
        };
        format!(
            "{word}&{}&{}&{}&{}&{began}&{}",
            self.time,
            self.pid,
            tags::encode(&self.session),
            self.ms,
            tags::encode(&self.mode)
        )
    }

    /// The tool's state, when this is a report rather than crew's mark.
    pub fn state(&self) -> Option<Status> {
        match self.said {
            Said::State(s) => Some(s),
            Said::Input { .. } => None,
        }
    }
}

/// The report (or crew's input mark) of the process now in the pane.
pub fn current(a: &Agent) -> Option<Report> {
    Report::parse(&a.tags.report).filter(|r| r.pid == a.pane.pid && !a.pane.dead)
}

/// How far ahead of this machine's clock a report may be dated (another
/// host's clock, a second's rounding) before it is not believed: a report
/// dated in the future would otherwise stay fresh for ever.
const SKEW_SECS: u64 = 5;

/// The reported status and its age in seconds, when a fresh one exists.
pub fn fresh_aged(a: &Agent, config: &Config, now: u64) -> Option<(Status, u64)> {
    let r = current(a)?;
    let st = r.state()?;
    if r.time > now + SKEW_SECS {
        return None;
    }
    let age = now.saturating_sub(r.time);
    (age <= config.profile_or_shell(&a.tags.profile).report_fresh_secs).then_some((st, age))
}

/// How long after crew's input mark an idle screen is not yet believed, when
/// crew has not seen the turn begin: a tool takes a moment to draw its busy
/// state (Codex's spinner ~2 s after a fresh start), and a reply quicker
/// than crew's look leaves no busy state to see at all.
pub const SETTLE_MS: u64 = 3000;

/// Crew's input mark on the process now in the pane that still holds an
/// idle screen for a turn (see `SETTLE_MS`), given the time in ms.
pub fn unsettled_input(a: &Agent, now_ms: u64) -> bool {
    current(a).is_some_and(|r| {
        matches!(r.said, Said::Input { began: false })
            && r.ms <= now_ms + SKEW_SECS * 1000
            && now_ms.saturating_sub(r.ms) < SETTLE_MS
    })
}

/// The tag value of crew's input mark on `a`'s pane at `ms`, keeping the
/// conversation id and the mode the tool last named.
pub fn input_mark(a: &Agent, ms: u64, began: bool) -> String {
    let last = current(a);
    Report {
        said: Said::Input { began },
        time: ms / 1000,
        ms,
        pid: a.pane.pid,
        session: last.as_ref().map(|r| r.session.clone()).unwrap_or_default(),
        mode: last.map(|r| r.mode).unwrap_or_default(),
    }
    .value()
}

/// How long a report that the agent is busy or asking holds on its own,
/// before the screen is looked at too: the tool's screen lags its hooks a
/// little at the start of a turn.
pub const CONFIRM_AFTER_SECS: u64 = 2;

/// Whether a report is checked against the screen, after the grace: a busy
/// or asking report always (a person who interrupts a turn or dismisses a
/// dialog, Claude Code's Escape, leaves no hook behind, so the last report
/// would hold for minutes), an idle one where the profile says so.
pub fn checked(reported: Status, age: u64, idle_checked: bool) -> bool {
    (reported != Status::Idle || idle_checked) && age >= CONFIRM_AFTER_SECS
}

/// Whether the screen's judgement overrides a checked report: an idle screen
/// beats a busy report, a menu a working one, a working screen an idle one.
/// `tool_screen`: the profile reads a tool's own screen (not a plain
/// command's, where "working" only means the process is not at a prompt).
pub fn screen_wins(reported: Status, screen: Status, tool_screen: bool) -> bool {
    match reported {
        // A dialog on screen is plain evidence: Codex reports only the end
        // of a turn (idle), and its next turn's approval menu must not read
        // idle (a text `send` would be typed into it).
        Status::Idle => screen == Status::Working || screen.is_attention(),
        // A menu on screen is plain evidence too: a tool whose question
        // comes through a tool call reports only "working" for it.
        Status::Working => screen == Status::Idle || screen.is_attention(),
        // A tool drawing no menu is not waiting on one (an answered dialog
        // leaves no hook behind either).
        _ => screen == Status::Idle || (tool_screen && screen == Status::Working),
    }
}

/// A time-ordered (version 7) UUID, as Codex gives its threads.
fn uuid_v7(s: &str) -> bool {
    s.len() == 36 && s.as_bytes()[14] == b'7' && s.as_bytes()[8] == b'-'
}

/// A report from another thread of the same process than the one known, that
/// started later: a side task (Codex titles a new session in a thread of its
/// own), not the conversation. Only time-ordered ids can tell.
pub fn side_thread(known: &str, new: &str) -> bool {
    uuid_v7(known) && uuid_v7(new) && new > known
}

/// The conversation id: the running tool's own word (it may have switched
/// conversations, or crew could not choose one), else the recorded one.
pub fn session(a: &Agent) -> String {
    match current(a) {
        Some(r) if !r.session.is_empty() => r.session,
        _ => a.tags.session.clone(),
    }
}

/// What a hook's JSON says: the conversation id (Claude Code and Gemini CLI
/// `session_id`, Codex `thread-id`, opencode `sessionID`) and, for Claude
/// Code's Notification event, which state it announces.
pub struct HookInput {
    pub session: String,
    pub notification: Option<Status>,
    /// The hook is about to run a tool that asks the person (Claude Code's
    /// AskUserQuestion): the state is `question`, not `working`.
    pub asks: bool,
    /// The tool's permission mode (Claude Code's `permission_mode`).
    pub mode: String,
}

pub fn hook_input(text: &str) -> HookInput {
    let v: serde_json::Value = serde_json::from_str(text.trim()).unwrap_or_default();
    let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let session = s("session_id")
        .or_else(|| s("thread-id"))
        .or_else(|| s("sessionID"))
        .unwrap_or_default();
    // Claude Code: notification_type permission_prompt / idle_prompt /
    // elicitation_dialog (code.claude.com/docs/en/hooks#notification).
    let notification = match s("notification_type").as_deref() {
        Some("permission_prompt") => Some(Status::Permission),
        Some("idle_prompt") => Some(Status::Idle),
        Some("elicitation_dialog") => Some(Status::Question),
        _ => match s("message") {
            Some(m) if m.to_lowercase().contains("permission") => Some(Status::Permission),
            Some(m) if m.to_lowercase().contains("waiting for your input") => Some(Status::Idle),
            _ => None,
        },
    };
    HookInput {
        session: if valid_session(&session) {
            session
        } else {
            String::new()
        },
        notification,
        asks: s("tool_name").as_deref() == Some("AskUserQuestion"),
        mode: s("permission_mode")
            .filter(|m| {
                m.len() <= 64
                    && m.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            })
            .unwrap_or_default(),
    }
}

/// A conversation id crew will put on a command line: anything inside the
/// pane can report one, so only id-shaped words, never one that a tool
/// would read as a flag (`--dangerously-…`).
pub fn valid_session(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
}

/// A random v4 UUID from the kernel's generator, for tools that take a
/// conversation id at start.
pub fn new_session_id() -> Result<String> {
    use std::io::Read;
    let mut b = [0u8; 16];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut b)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let r = Report {
            said: Said::State(Status::Permission),
            time: 17,
            ms: 17_250,
            pid: 42,
            session: "a&b=c d".into(),
            mode: "bypassPermissions".into(),
        };
        assert_eq!(Report::parse(&r.value()), Some(r));
        let m = Report {
            said: Said::Input { began: true },
            time: 18,
            ms: 18_001,
            pid: 42,
            session: String::new(),
            mode: String::new(),
        };
        assert_eq!(Report::parse(&m.value()), Some(m));
        // An older crew's report: seconds only.
        assert_eq!(Report::parse("idle&3&2&").map(|r| r.ms), Some(3000));
        assert_eq!(Report::parse("exited&1&2&"), None);
        assert_eq!(Report::parse("idle&x&2&"), None);
        assert_eq!(Report::parse(""), None);
    }

    #[test]
    fn hook_json() {
        let h = hook_input(r#"{"session_id":"abc","notification_type":"permission_prompt"}"#);
        assert_eq!(
            (h.session.as_str(), h.notification),
            ("abc", Some(Status::Permission))
        );
        let h = hook_input(r#"{"type":"agent-turn-complete","thread-id":"t-1"}"#);
        assert_eq!(h.session, "t-1");
        assert_eq!(hook_input("not json").session, "");
        assert_eq!(hook_input(r#"{"session_id":"a b;rm"}"#).session, "");
        assert!(valid_session("01a2008c-14b1-7bc2-b587-e7c7b56b11e6"));
    }

    #[test]
    fn side_threads() {
        let main = "01a2008b-140b-7542-839d-abceea3b8099";
        let title = "01a2008b-3045-7422-955f-94c4e725beda";
        assert!(side_thread(main, title));
        assert!(!side_thread(title, main));
        // Random (v4) ids: the latest word wins.
        let a = "3355492f-873a-429e-a87f-6adb4be6a22f";
        let b = "f355492f-873a-429e-a87f-6adb4be6a22f";
        assert!(!side_thread(a, b));
        assert!(screen_wins(Status::Idle, Status::Permission, true));
        assert!(screen_wins(Status::Idle, Status::Question, true));
        assert!(!screen_wins(Status::Idle, Status::Unknown, true));
        assert!(checked(Status::Working, 2, false));
        assert!(!checked(Status::Idle, 9, false));
        assert!(checked(Status::Idle, 9, true));
        assert!(!checked(Status::Permission, 1, false));
    }

    #[test]
    fn uuids() {
        let u = new_session_id().unwrap();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert_ne!(u, new_session_id().unwrap());
    }
}
