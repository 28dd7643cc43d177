//! The dashboard's one pure step: an event in, the state changed and the
//! actions to run out. Every action is a crew command of the same name (or
//! a focus move), run in order by `crew dash`'s worker.

use super::state::{Input, Mode, State};
use crate::board::{self, Board};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Digits typed within this time make one row number.
const DIGIT_GAP: Duration = Duration::from_millis(800);

pub enum Event {
    Key(KeyEvent),
    /// A fresh board, and how many jobs had completed when it was taken.
    Board(Board, usize),
    /// A refresh failed.
    Failed(String),
    /// The worktree agents' change sizes, by pane (measured apart from
    /// the refresh, every few seconds).
    Changes(HashMap<String, String>),
    /// A job finished: whether it succeeded, and what it said.
    Done(bool, String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Run `crew ARGS`; `view`: it only changes the view, so a later view
    /// change makes it moot.
    Run {
        args: Vec<String>,
        view: bool,
    },
    /// Move the focus to this pane (an agent already on view).
    Focus(String),
    /// Page the agent's scrollback.
    Read(String),
    /// Page the agent's changes (`crew diff`).
    Diff(String),
    Quit,
}

/// One step. `now`: the time of the event (for row numbers typed digit by
/// digit); `page`: how many rows PageUp/PageDown move.
pub fn update(s: &mut State, ev: Event, now: Instant, page: usize) -> Vec<Action> {
    let mut out = Vec::new();
    match ev {
        Event::Board(mut b, done) => {
            s.board_done = done;
            board::with_changes(&mut b.rows, &s.changes);
            s.board = Some(b);
            if s.board_done >= s.queued {
                let rows = s.rows();
                let shown = &s.board.as_ref().expect("set").shown;
                let c = board::cursor(&rows, shown, s.cursor.as_deref());
                s.cursor = c.map(|i| rows[i].name.clone());
            }
        }
        Event::Failed(e) => {
            s.message = format!("crew: {}", crate::text::escape_controls(&e));
            s.failed = true;
        }
        Event::Changes(sizes) => {
            s.changes = sizes;
            if let Some(b) = s.board.as_mut() {
                board::with_changes(&mut b.rows, &s.changes);
            }
        }
        Event::Done(ok, text) => {
            s.message = text;
            s.failed = !ok;
        }
        Event::Key(k) => key(s, k, now, page.max(1), &mut out),
    }
    out
}

/// Queue `crew ARGS`.
fn run(s: &mut State, out: &mut Vec<Action>, args: &[&str], view: bool) {
    s.queued += 1;
    s.failed = false;
    out.push(Action::Run {
        args: args.iter().map(|a| a.to_string()).collect(),
        view,
    });
}

/// Select row `i` (clamped) and show it beside the dashboard.
fn select(s: &mut State, out: &mut Vec<Action>, i: usize) {
    let rows = s.rows();
    if rows.is_empty() {
        return;
    }
    let name = rows[i.min(rows.len() - 1)].name.clone();
    s.cursor = Some(name.clone());
    if s.shown() != [name.clone()] {
        run(s, out, &["show", &name], true);
    }
}

fn step(s: &mut State, out: &mut Vec<Action>, delta: isize) {
    let n = s.rows().len();
    if n == 0 {
        return;
    }
    let i = match s.at() {
        Some(i) => (i as isize + delta).clamp(0, n as isize - 1) as usize,
        None if delta < 0 => n - 1,
        None => 0,
    };
    select(s, out, i);
}

fn key(s: &mut State, k: KeyEvent, now: Instant, page: usize, out: &mut Vec<Action>) {
    let ctrl_c = k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL);
    match std::mem::replace(&mut s.mode, Mode::Normal) {
        Mode::Help => {}
        Mode::Confirm(name) => {
            if matches!(k.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
                s.message = format!("killing {name}…");
                run(s, out, &["kill", &name], false);
            } else {
                s.message = format!("{name} not killed");
            }
        }
        Mode::Input(kind, mut text) => match k.code {
            _ if ctrl_c => {}
            KeyCode::Esc => {
                if matches!(kind, Input::Filter) {
                    s.filter.clear();
                }
            }
            KeyCode::Enter => submit(s, out, kind, text),
            KeyCode::Backspace => {
                text.pop();
                if matches!(kind, Input::Filter) {
                    s.filter = text.clone();
                }
                s.mode = Mode::Input(kind, text);
            }
            KeyCode::Char(c) if !c.is_control() => {
                text.push(c);
                if matches!(kind, Input::Filter) {
                    s.filter = text.clone();
                }
                s.mode = Mode::Input(kind, text);
            }
            _ => s.mode = Mode::Input(kind, text),
        },
        Mode::Normal => normal_key(s, k, ctrl_c, now, page, out),
    }
}

fn submit(s: &mut State, out: &mut Vec<Action>, kind: Input, text: String) {
    match kind {
        Input::Send(name) if !text.is_empty() => {
            s.message = format!("sending to {name}…");
            run(s, out, &["send", &name, "--", &text], false);
        }
        Input::Send(_) => s.message = "nothing sent".into(),
        Input::Filter => s.filter = text,
        Input::SpawnName if text.is_empty() => {}
        Input::SpawnName => match crate::names::check(&text) {
            // Checked here too: a name like `-x` would reach spawn as a flag.
            Err(e) => {
                s.message = format!("crew: {}", e.message);
                s.failed = true;
            }
            Ok(()) => s.mode = Mode::Input(Input::SpawnProfile(text), String::new()),
        },
        Input::SpawnProfile(name) => {
            s.mode = Mode::Input(Input::SpawnCmd(name, text), String::new())
        }
        Input::SpawnCmd(name, profile) => {
            let profile = format!("--profile={profile}");
            let mut args = vec!["spawn", &name, "--show"];
            if profile != "--profile=" {
                args.push(&profile);
            }
            if !text.is_empty() {
                args.extend(["--", &text]);
            }
            s.message = format!("spawning {name}…");
            s.cursor = Some(name.clone());
            run(s, out, &args, false);
        }
    }
}

fn normal_key(
    s: &mut State,
    k: KeyEvent,
    ctrl_c: bool,
    now: Instant,
    page: usize,
    out: &mut Vec<Action>,
) {
    let sel = s.cursor.clone().filter(|_| s.at().is_some());
    let page = page as isize;
    if !matches!(k.code, KeyCode::Char('0'..='9')) {
        s.digits.0.clear();
    }
    match k.code {
        _ if ctrl_c => out.push(Action::Quit),
        KeyCode::Char('q') => out.push(Action::Quit),
        KeyCode::Char('j') | KeyCode::Down => step(s, out, 1),
        KeyCode::Char('k') | KeyCode::Up => step(s, out, -1),
        KeyCode::PageDown => step(s, out, page),
        KeyCode::PageUp => step(s, out, -page),
        KeyCode::Char('g') | KeyCode::Home => select(s, out, 0),
        KeyCode::Char('G') | KeyCode::End => select(s, out, usize::MAX),
        KeyCode::Char(d @ '0'..='9') => {
            if now.saturating_duration_since(s.digits.1) > DIGIT_GAP {
                s.digits.0.clear();
            }
            s.digits = (format!("{}{d}", s.digits.0), now);
            match s.digits.0.parse::<usize>() {
                Ok(n) if n >= 1 && n <= s.rows().len() => select(s, out, n - 1),
                _ => s.message = format!("no row {}", s.digits.0),
            }
        }
        KeyCode::Char('?') => s.mode = Mode::Help,
        KeyCode::Char('/') => s.mode = Mode::Input(Input::Filter, s.filter.clone()),
        KeyCode::Char('n') => s.mode = Mode::Input(Input::SpawnName, String::new()),
        KeyCode::Esc => {
            s.filter.clear();
            s.message.clear();
        }
        _ => {
            let Some(name) = sel else {
                s.message = "select an agent first (j/k or its number)".into();
                return;
            };
            match k.code {
                KeyCode::Enter => {
                    let pane = s
                        .rows()
                        .iter()
                        .find(|r| r.name == name)
                        .map(|r| r.pane_id.clone());
                    match pane.filter(|_| s.shown().contains(&name)) {
                        // On view (maybe with a second): focus it there.
                        Some(p) => {
                            s.queued += 1;
                            s.failed = false;
                            out.push(Action::Focus(p));
                        }
                        None => run(s, out, &["show", &name, "--focus"], true),
                    }
                }
                KeyCode::Tab => {
                    let shown = s.shown();
                    let second = board::next_second(&s.rows(), &shown, &name);
                    if let Some(second) = second {
                        run(s, out, &["show", &name, &second], true);
                    }
                }
                KeyCode::Char('s') => s.mode = Mode::Input(Input::Send(name), String::new()),
                KeyCode::Char('a') => run(s, out, &["approve", &name], false),
                KeyCode::Char('d') => run(s, out, &["deny", &name], false),
                KeyCode::Char('p') => run(s, out, &["park", &name], false),
                KeyCode::Char('x') => s.mode = Mode::Confirm(name),
                KeyCode::Char('r') => out.push(Action::Read(name)),
                KeyCode::Char('D') => {
                    let worktree = s
                        .rows()
                        .iter()
                        .any(|r| r.name == name && r.changes.is_some());
                    if worktree {
                        out.push(Action::Diff(name));
                    } else {
                        s.message = format!(
                            "crew: {name} has no worktree; crew diff needs an agent spawned with --worktree"
                        );
                        s.failed = true;
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::board::BoardRow;
    use crate::snapshot::Where;
    use crate::status::Status;

    fn row(name: &str, status: Status, pane: &str) -> BoardRow {
        BoardRow {
            name: name.into(),
            status,
            status_text: status.as_str().into(),
            failed: false,
            place: Where::Parked,
            pane_id: pane.into(),
            created: 1,
            last: String::new(),
            mode: String::new(),
            usage: None,
            changes: None,
        }
    }

    fn state(shown: &[&str]) -> (State, Instant) {
        let now = Instant::now();
        let mut s = State::new(false, "C-b".into(), now);
        let b = Board {
            rows: board::attention_first(vec![
                row("api", Status::Working, "%1"),
                row("web", Status::Permission, "%2"),
                row("docs", Status::Idle, "%3"),
            ]),
            shown: shown.iter().map(|s| s.to_string()).collect(),
            window: Some("@1".into()),
            now: 1,
            worktrees: vec![],
        };
        update(&mut s, Event::Board(b, 0), now, 10);
        (s, now)
    }

    fn press(s: &mut State, now: Instant, code: KeyCode) -> Vec<Action> {
        update(s, Event::Key(KeyEvent::from(code)), now, 10)
    }

    fn run_of(args: &[&str], view: bool) -> Action {
        Action::Run {
            args: args.iter().map(|a| a.to_string()).collect(),
            view,
        }
    }

    #[test]
    fn moving_selects_and_shows_attention_first() {
        let (mut s, now) = state(&[]);
        // No agent on view: the cursor starts on the one waiting.
        assert_eq!(
            press(&mut s, now, KeyCode::Char('j')),
            vec![run_of(&["show", "web"], true)]
        );
        assert_eq!(s.cursor.as_deref(), Some("web"));
        assert_eq!(
            press(&mut s, now, KeyCode::Char('j')),
            vec![run_of(&["show", "api"], true)]
        );
        assert_eq!(
            press(&mut s, now, KeyCode::Char('G')),
            vec![run_of(&["show", "docs"], true)]
        );
        assert_eq!(s.queued, 3);
        // Two digits in quick succession make one number; a late one starts over.
        assert!(press(&mut s, now, KeyCode::Char('9')).is_empty());
        assert_eq!(s.message, "no row 9");
        let later = now + Duration::from_secs(2);
        assert_eq!(
            press(&mut s, later, KeyCode::Char('2')),
            vec![run_of(&["show", "api"], true)]
        );
    }

    #[test]
    fn actions_on_the_selection() {
        let (mut s, now) = state(&["api"]);
        assert_eq!(
            s.cursor.as_deref(),
            Some("api"),
            "the cursor follows the view"
        );
        // On view: Enter focuses its pane rather than showing it again.
        assert_eq!(
            press(&mut s, now, KeyCode::Enter),
            vec![Action::Focus("%1".into())]
        );
        assert_eq!(
            press(&mut s, now, KeyCode::Char('a')),
            vec![run_of(&["approve", "api"], false)]
        );
        assert_eq!(
            press(&mut s, now, KeyCode::Char('r')),
            vec![Action::Read("api".into())]
        );
        // Kill asks first; anything but y keeps it.
        assert!(press(&mut s, now, KeyCode::Char('x')).is_empty());
        assert!(press(&mut s, now, KeyCode::Char('n')).is_empty());
        assert_eq!(s.message, "api not killed");
        press(&mut s, now, KeyCode::Char('x'));
        assert_eq!(
            press(&mut s, now, KeyCode::Char('y')),
            vec![run_of(&["kill", "api"], false)]
        );
        assert_eq!(press(&mut s, now, KeyCode::Char('q')), vec![Action::Quit]);
    }

    #[test]
    fn typed_input_sends_filters_and_spawns() {
        let (mut s, now) = state(&["docs"]);
        press(&mut s, now, KeyCode::Char('s'));
        for c in "run -x; #{pane_id}".chars() {
            press(&mut s, now, KeyCode::Char(c));
        }
        let sent = press(&mut s, now, KeyCode::Enter);
        assert_eq!(
            sent,
            vec![run_of(&["send", "docs", "--", "run -x; #{pane_id}"], false)]
        );
        // The filter applies as it is typed; Esc clears it.
        press(&mut s, now, KeyCode::Char('/'));
        press(&mut s, now, KeyCode::Char('w'));
        assert_eq!(s.rows().len(), 1);
        press(&mut s, now, KeyCode::Esc);
        assert_eq!(s.rows().len(), 3);
        // A name that would read as a flag is refused before spawn sees it.
        press(&mut s, now, KeyCode::Char('n'));
        press(&mut s, now, KeyCode::Char('-'));
        press(&mut s, now, KeyCode::Char('x'));
        assert!(press(&mut s, now, KeyCode::Enter).is_empty());
        assert!(s.failed, "{}", s.message);
        press(&mut s, now, KeyCode::Char('n'));
        press(&mut s, now, KeyCode::Char('b'));
        press(&mut s, now, KeyCode::Enter);
        press(&mut s, now, KeyCode::Enter);
        let spawned = press(&mut s, now, KeyCode::Enter);
        assert_eq!(spawned, vec![run_of(&["spawn", "b", "--show"], false)]);
        assert_eq!(s.cursor.as_deref(), Some("b"));
    }

    #[test]
    fn change_sizes_reach_worktree_rows_and_d_pages_their_diff() {
        let (mut s, now) = state(&["api"]);
        let mut b = s.board.clone().unwrap();
        for r in &mut b.rows {
            if r.name == "api" {
                r.changes = Some("…".into());
            }
        }
        update(&mut s, Event::Board(b.clone(), 0), now, 10);
        let sizes: HashMap<String, String> =
            [("%1".to_string(), "2 files +3 -1".to_string())].into();
        update(&mut s, Event::Changes(sizes), now, 10);
        let api = |s: &State| {
            s.rows()
                .iter()
                .find(|r| r.name == "api")
                .unwrap()
                .changes
                .clone()
        };
        assert_eq!(api(&s).as_deref(), Some("2 files +3 -1"));
        // A new board keeps the last figure until the next measurement.
        update(&mut s, Event::Board(b, 0), now, 10);
        assert_eq!(api(&s).as_deref(), Some("2 files +3 -1"));
        assert_eq!(
            press(&mut s, now, KeyCode::Char('D')),
            vec![Action::Diff("api".into())]
        );
        // Without a worktree there is nothing to diff: said, nothing run.
        press(&mut s, now, KeyCode::Char('G'));
        assert!(press(&mut s, now, KeyCode::Char('D')).is_empty());
        assert!(
            s.failed && s.message.contains("has no worktree"),
            "{}",
            s.message
        );
    }

    #[test]
    fn a_board_taken_while_jobs_were_pending_does_not_move_the_cursor() {
        let (mut s, now) = state(&[]);
        press(&mut s, now, KeyCode::Char('G'));
        assert_eq!(s.cursor.as_deref(), Some("docs"));
        // A board from before the show finished still shows nothing.
        let b = s.board.clone().unwrap();
        update(&mut s, Event::Board(b.clone(), 0), now, 10);
        assert_eq!(s.cursor.as_deref(), Some("docs"));
        update(&mut s, Event::Done(false, "crew: no".into()), now, 10);
        assert!(s.failed);
        assert_eq!(s.title_change().as_deref(), Some("crew dash: 1 waiting"));
        assert_eq!(s.title_change(), None, "set once");
    }
}
