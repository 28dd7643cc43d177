//! What the dashboard knows between two events.

use crate::board::{self, Board, BoardRow};
use std::time::Instant;

pub enum Mode {
    Normal,
    Help,
    Confirm(String),
    Input(Input, String),
}

pub enum Input {
    Send(String),
    Filter,
    SpawnName,
    SpawnProfile(String),
    SpawnCmd(String, String),
}

impl Input {
    pub fn prompt(&self) -> String {
        match self {
            Input::Send(n) => format!("send to {n}> "),
            Input::Filter => "filter> ".into(),
            Input::SpawnName => "new agent's name> ".into(),
            Input::SpawnProfile(_) => "profile (empty: default)> ".into(),
            Input::SpawnCmd(..) => "command (empty: the profile's)> ".into(),
        }
    }
}

pub struct State {
    pub board: Option<Board>,
    /// Jobs completed when the board was taken, and jobs queued so far: the
    /// board speaks for the view only when no job was pending then.
    pub board_done: usize,
    pub queued: usize,
    /// The selected agent (follows the view; see `board::cursor`).
    pub cursor: Option<String>,
    /// The table's first row on screen (kept by `draw`).
    pub offset: usize,
    pub filter: String,
    pub mode: Mode,
    pub message: String,
    /// The message reports a failure (shown bold).
    pub failed: bool,
    /// Digits typed so far for a row number, and when the last came.
    pub digits: (String, Instant),
    pub color: bool,
    /// The tmux prefix, for the footer's "back" hint.
    pub prefix: String,
    /// The count last put in the pane title.
    pub waiting: Option<usize>,
    /// The worktree agents' last measured change sizes, by pane.
    pub changes: std::collections::HashMap<String, String>,
}

impl State {
    pub fn new(color: bool, prefix: String, now: Instant) -> State {
        State {
            board: None,
            board_done: 0,
            queued: 0,
            cursor: None,
            offset: 0,
            filter: String::new(),
            mode: Mode::Normal,
            message: String::new(),
            failed: false,
            digits: (String::new(), now),
            color,
            prefix,
            waiting: None,
            changes: Default::default(),
        }
    }

    /// The rows the filter lets through, attention first.
    pub fn rows(&self) -> Vec<&BoardRow> {
        match &self.board {
            Some(b) => board::filtered(&b.rows, &self.filter),
            None => vec![],
        }
    }

    /// The selected row's index among `rows()`.
    pub fn at(&self) -> Option<usize> {
        let name = self.cursor.as_deref()?;
        self.rows().iter().position(|r| r.name == name)
    }

    /// The agents on view beside the dashboard.
    pub fn shown(&self) -> Vec<String> {
        self.board
            .as_ref()
            .map(|b| b.shown.clone())
            .unwrap_or_default()
    }

    /// The pane title to set when the count of waiting agents changed.
    pub fn title_change(&mut self) -> Option<String> {
        let n = self.board.as_ref()?.waiting();
        if self.waiting == Some(n) {
            return None;
        }
        self.waiting = Some(n);
        Some(match n {
            0 => "crew dash".to_string(),
            n => format!("crew dash: {n} waiting"),
        })
    }
}
