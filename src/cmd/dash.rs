//! `crew dash`: a live table of agents in this pane, the selected one beside
//! it. The dashboard keeps nothing the panes do not: the selection is read
//! back from what is on view beside it, and every action runs the crew
//! command of the same name (same rules, same messages), so a killed
//! dashboard loses nothing and a new one shows the same picture.
//!
//! Three threads: this one draws and answers keys; one refreshes the board
//! (one snapshot and one capture chain); one runs actions in order.

use super::Ctx;
use crate::board::{self, Board, BoardRow, Col};
use crate::cli::DashArgs;
use crate::error::CrewError;
use crate::status::Status;
use crate::text::escape_controls;
use crate::tmux::{Chain, Cmd};
use anyhow::Result;
use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::{cursor, execute, terminal};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, HighlightSpacing, Paragraph, Row, Table};
use ratatui::{Frame, Terminal};
use std::ffi::OsString;
use std::io::{IsTerminal, Stdout};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// Time from the start of one refresh to the start of the next.
const REFRESH: Duration = Duration::from_secs(1);
/// Quiet time after a resize before the last full repaint.
const SETTLE: Duration = Duration::from_millis(150);
/// Digits typed within this time make one row number.
const DIGIT_GAP: Duration = Duration::from_millis(800);

pub fn run(ctx: &Ctx, _a: DashArgs) -> Result<()> {
    let Some(pane) = ctx.tmux.leader_pane() else {
        return Err(CrewError::failure(
            "crew dash runs inside tmux, in a pane on the server it shows",
        )
        .hint("start tmux (or attach), then run `crew dash` in a pane; `crew ls` lists agents anywhere")
        .into());
    };
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return Err(CrewError::failure("crew dash needs a terminal")
            .hint("`crew ls` prints the same table once")
            .into());
    }
    let snap = ctx.snapshot()?;
    // Refuses agents' panes and the parking session, as show does.
    if let Some(l) = crate::view::leader(ctx, &snap)? {
        if l.pane_id != pane {
            return Err(CrewError::failure(format!(
                "crew dash was run in an agent's pane ({pane}); it needs a pane of its own to lead the view"
            ))
            .hint("run it from your own pane")
            .into());
        }
    }
    let title = snap
        .pane(&pane)
        .map(|p| p.title.clone())
        .unwrap_or_default();
    let prefix = prefix_key(ctx);

    let runner = Runner {
        exe: std::env::current_exe()?,
        flags: global_flags(ctx),
        tmux: ctx.tmux.clone(),
        pane: pane.clone(),
    };
    let (tx, rx) = mpsc::channel::<Msg>();
    let (wake_tx, wake_rx) = mpsc::channel::<()>();
    let (job_tx, job_rx) = mpsc::channel::<Job>();
    let completed = Arc::new(AtomicUsize::new(0));
    // Not joined: it ends at its next send, once `rx` is dropped.
    let _refresher = {
        let (tx, tmux, config, pane, completed) = (
            tx.clone(),
            ctx.tmux.clone(),
            ctx.config.clone(),
            pane.clone(),
            completed.clone(),
        );
        std::thread::spawn(move || refresh_loop(tx, wake_rx, &tmux, &config, &pane, &completed))
    };
    let worker = {
        let (runner, wake, completed) = (runner.clone(), wake_tx.clone(), completed.clone());
        std::thread::spawn(move || job_loop(job_rx, tx, wake, runner, completed))
    };

    let mut term = Screen::open()?;
    let mut app = App {
        board: None,
        board_done: 0,
        queued: 0,
        cursor: None,
        offset: 0,
        filter: String::new(),
        mode: Mode::Normal,
        message: String::new(),
        failed: false,
        digits: (String::new(), Instant::now()),
        color: ctx.colored(true),
        prefix,
        waiting: None,
        jobs: job_tx,
    };
    let outcome = app.run(&mut term, &rx, &runner);
    // Let queued actions finish (a show must not land after the park).
    drop(app.jobs);
    let _ = worker.join();
    drop(wake_tx);
    drop(rx);
    term.close(&title);
    outcome?;
    // Park what the dashboard showed: the window as it was.
    let (ok, msg) = runner.run(&["park".into()]);
    if !ok {
        return Err(CrewError::failure(msg.trim_start_matches("crew: ").to_string()).into());
    }
    Ok(())
}

/// The tmux prefix, for the footer's "back" hint (one call at start).
fn prefix_key(ctx: &Ctx) -> String {
    let mut ch = Chain::new();
    ch.push(Cmd::new("show-options").args(["-gv", "prefix"]));
    ctx.tmux
        .run(&ch)
        .ok()
        .map(|s| esc(s.trim()))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "prefix".into())
}

/// The flags that make a child crew talk to the same server with the same
/// config.
fn global_flags(ctx: &Ctx) -> Vec<OsString> {
    let mut v: Vec<OsString> = ctx.tmux.server_flags().iter().map(Into::into).collect();
    if let Some(src) = &ctx.config.source {
        v.push("--config".into());
        v.push(src.clone().into_os_string());
    }
    v
}

enum Msg {
    /// A fresh board, and how many jobs had completed when it was taken.
    Board(Board, usize),
    Failed(String),
    /// A job finished: whether it succeeded, and what it said.
    Done(bool, String),
}

struct Job {
    args: Vec<OsString>,
    /// Instead of a command: move the focus to this pane (an agent already
    /// on view; what `show --focus` does when the view stays as it is).
    focus: Option<String>,
    /// Only changes the view: a later view change makes it moot.
    view: bool,
}

fn refresh_loop(
    tx: mpsc::Sender<Msg>,
    wake: mpsc::Receiver<()>,
    tmux: &crate::tmux::Tmux,
    config: &crate::config::Config,
    pane: &str,
    completed: &AtomicUsize,
) {
    loop {
        let start = Instant::now();
        let done = completed.load(Ordering::SeqCst);
        let msg = match Board::take(tmux, config, pane) {
            Ok(b) => Msg::Board(b, done),
            Err(e) => Msg::Failed(format!("{e:#}")),
        };
        if tx.send(msg).is_err() {
            return;
        }
        match wake.recv_timeout(REFRESH.saturating_sub(start.elapsed())) {
            Ok(()) | Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        }
        while wake.try_recv().is_ok() {}
    }
}

fn job_loop(
    jobs: mpsc::Receiver<Job>,
    tx: mpsc::Sender<Msg>,
    wake: mpsc::Sender<()>,
    runner: Runner,
    completed: Arc<AtomicUsize>,
) {
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while let Ok(j) = jobs.try_recv() {
            batch.push(j);
        }
        for i in 0..batch.len() {
            // Moving through rows quickly: only the last view matters.
            let moot = batch[i].view && batch.get(i + 1).is_some_and(|n| n.view);
            let reply = if moot {
                None
            } else {
                Some(match &batch[i].focus {
                    Some(pane) => runner.focus(pane),
                    None => runner.run(&batch[i].args),
                })
            };
            completed.fetch_add(1, Ordering::SeqCst);
            if let Some((ok, text)) = reply {
                let _ = tx.send(Msg::Done(ok, text));
            }
            let _ = wake.send(());
        }
    }
}

/// Runs this very crew binary with the dashboard's global flags.
#[derive(Clone)]
struct Runner {
    exe: std::path::PathBuf,
    flags: Vec<OsString>,
    tmux: crate::tmux::Tmux,
    /// The dashboard's own pane.
    pane: String,
}

impl Runner {
    fn command(&self, args: &[OsString]) -> Command {
        let mut c = Command::new(&self.exe);
        c.args(&self.flags).args(args);
        c
    }

    /// Toggle the zoom of the dashboard's pane.
    fn zoom(&self) {
        let mut ch = Chain::new();
        ch.push(Cmd::new("resize-pane").args(["-Z", "-t", &self.pane]));
        let _ = self.tmux.run(&ch);
    }

    fn focus(&self, pane: &str) -> (bool, String) {
        let mut ch = Chain::new();
        ch.push(Cmd::new("select-pane").target(pane));
        match self.tmux.run(&ch) {
            Ok(_) => (true, String::new()),
            Err(e) => (false, format!("crew: {}", esc(&e.to_string()))),
        }
    }

    /// Success, and what the command said (stderr, else stdout's last line).
    fn run(&self, args: &[OsString]) -> (bool, String) {
        let out = self
            .command(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output();
        match out {
            Ok(o) => {
                let err = String::from_utf8_lossy(&o.stderr);
                let text = if err.trim().is_empty() {
                    let out = String::from_utf8_lossy(&o.stdout);
                    out.lines().last().unwrap_or("").to_string()
                } else {
                    err.lines().collect::<Vec<_>>().join("  ")
                };
                (o.status.success(), esc(text.trim()))
            }
            Err(e) => (false, format!("crew: could not run crew: {e}")),
        }
    }
}

/// The terminal in raw mode on the alternate screen, given back on close.
struct Screen {
    term: Terminal<CrosstermBackend<Stdout>>,
    open: bool,
}

impl Screen {
    fn open() -> Result<Screen> {
        terminal::enable_raw_mode()?;
        let mut out = std::io::stdout();
        execute!(out, terminal::EnterAlternateScreen, cursor::Hide)?;
        Ok(Screen {
            term: Terminal::new(CrosstermBackend::new(out))?,
            open: true,
        })
    }

    /// Back to the shell's screen for a pager; `resume` returns.
    fn suspend(&mut self) {
        let _ = terminal::disable_raw_mode();
        let _ = execute!(
            std::io::stdout(),
            terminal::LeaveAlternateScreen,
            cursor::Show
        );
    }

    fn resume(&mut self) -> Result<()> {
        terminal::enable_raw_mode()?;
        execute!(
            std::io::stdout(),
            terminal::EnterAlternateScreen,
            cursor::Hide
        )?;
        self.term.clear()?;
        Ok(())
    }

    /// The pane's title back to what it was (control characters dropped:
    /// it goes out inside an escape sequence).
    fn close(&mut self, title: &str) {
        if !self.open {
            return;
        }
        self.open = false;
        let clean: String = title.chars().filter(|c| !c.is_control()).collect();
        self.suspend();
        let _ = execute!(std::io::stdout(), terminal::SetTitle(clean));
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        if self.open {
            self.suspend();
        }
    }
}

enum Mode {
    Normal,
    Help,
    Confirm(String),
    Input(Input, String),
}

enum Input {
    Send(String),
    Filter,
    SpawnName,
    SpawnProfile(String),
    SpawnCmd(String, String),
}

impl Input {
    fn prompt(&self) -> String {
        match self {
            Input::Send(n) => format!("send to {n}> "),
            Input::Filter => "filter> ".into(),
            Input::SpawnName => "new agent's name> ".into(),
            Input::SpawnProfile(_) => "profile (empty: default)> ".into(),
            Input::SpawnCmd(..) => "command (empty: the profile's)> ".into(),
        }
    }
}

struct App {
    board: Option<Board>,
    /// Jobs completed when the board was taken, and jobs queued so far: the
    /// board speaks for the view only when no job was pending then.
    board_done: usize,
    queued: usize,
    /// The selected agent (follows the view; see `board::cursor`).
    cursor: Option<String>,
    offset: usize,
    filter: String,
    mode: Mode,
    message: String,
    /// The message reports a failure (shown bold).
    failed: bool,
    digits: (String, Instant),
    color: bool,
    prefix: String,
    /// The count last put in the pane title.
    waiting: Option<usize>,
    jobs: mpsc::Sender<Job>,
}

enum Flow {
    Go,
    Quit,
    Read(String),
}

impl App {
    fn run(
        &mut self,
        screen: &mut Screen,
        rx: &mpsc::Receiver<Msg>,
        runner: &Runner,
    ) -> Result<()> {
        let mut dirty = true;
        // A view change resizes this pane several times in one chain; what
        // was drawn between two of them can be cut by the next. Repaint all
        // on a resize, and once more when the view has settled.
        let mut settle: Option<Instant> = None;
        loop {
            while let Ok(m) = rx.try_recv() {
                if matches!(m, Msg::Done(..)) {
                    settle = Some(Instant::now() + SETTLE);
                }
                self.take(m);
                dirty = true;
            }
            if settle.is_some_and(|t| t <= Instant::now()) {
                settle = None;
                screen.term.clear()?;
                dirty = true;
            }
            if dirty {
                self.title();
                screen.term.draw(|f| self.draw(f))?;
                dirty = false;
            }
            if !event::poll(Duration::from_millis(50))? {
                continue;
            }
            dirty = true;
            let k = match event::read()? {
                Event::Key(k) => k,
                Event::Resize(..) => {
                    screen.term.clear()?;
                    settle = Some(Instant::now() + SETTLE);
                    continue;
                }
                _ => continue,
            };
            if k.kind == KeyEventKind::Release {
                continue;
            }
            match self.key(k) {
                Flow::Go => {}
                Flow::Quit => {
                    // Queued actions finish first, then the park: say so.
                    self.message = "quitting: parking what is shown here…".into();
                    self.failed = false;
                    screen.term.draw(|f| self.draw(f))?;
                    return Ok(());
                }
                Flow::Read(name) => {
                    // The pager gets the whole window (zoom toggles back
                    // to the very same layout).
                    runner.zoom();
                    screen.suspend();
                    self.message = page(runner, &name);
                    screen.resume()?;
                    runner.zoom();
                }
            }
        }
    }

    fn take(&mut self, m: Msg) {
        match m {
            Msg::Board(b, done) => {
                self.board_done = done;
                self.board = Some(b);
                if self.board_done >= self.queued {
                    let rows = self.rows();
                    let shown = &self.board.as_ref().expect("set").shown;
                    let c = board::cursor(&rows, shown, self.cursor.as_deref());
                    self.cursor = c.map(|i| rows[i].name.clone());
                }
            }
            Msg::Failed(e) => {
                self.message = format!("crew: {}", esc(&e));
                self.failed = true;
            }
            Msg::Done(ok, text) => {
                self.message = text;
                self.failed = !ok;
            }
        }
    }

    /// The dashboard's pane title carries the count of agents waiting.
    fn title(&mut self) {
        let Some(b) = &self.board else { return };
        let n = b.waiting();
        if self.waiting == Some(n) {
            return;
        }
        self.waiting = Some(n);
        let t = match n {
            0 => "crew dash".to_string(),
            n => format!("crew dash: {n} waiting"),
        };
        let _ = execute!(std::io::stdout(), terminal::SetTitle(t));
    }

    fn rows(&self) -> Vec<&BoardRow> {
        match &self.board {
            Some(b) => board::filtered(&b.rows, &self.filter),
            None => vec![],
        }
    }

    fn at(&self) -> Option<usize> {
        let name = self.cursor.as_deref()?;
        self.rows().iter().position(|r| r.name == name)
    }

    fn queue(&mut self, args: &[&str], view: bool) {
        let args = args.iter().map(OsString::from).collect();
        self.send_job(Job {
            args,
            view,
            focus: None,
        });
    }

    fn send_job(&mut self, job: Job) {
        if self.jobs.send(job).is_ok() {
            self.queued += 1;
            self.failed = false;
        }
    }

    /// Select row `i` (clamped) and show it beside the dashboard.
    fn select(&mut self, i: usize) {
        let rows = self.rows();
        if rows.is_empty() {
            return;
        }
        let name = rows[i.min(rows.len() - 1)].name.clone();
        let shown = self
            .board
            .as_ref()
            .map(|b| b.shown.clone())
            .unwrap_or_default();
        self.cursor = Some(name.clone());
        if shown != [name.clone()] {
            self.queue(&["show", &name], true);
        }
    }

    fn step(&mut self, delta: isize) {
        let n = self.rows().len();
        if n == 0 {
            return;
        }
        let i = match self.at() {
            Some(i) => (i as isize + delta).clamp(0, n as isize - 1) as usize,
            None if delta < 0 => n - 1,
            None => 0,
        };
        self.select(i);
    }

    fn key(&mut self, k: KeyEvent) -> Flow {
        let ctrl_c = k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL);
        match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::Help => Flow::Go,
            Mode::Confirm(name) => {
                if matches!(k.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
                    self.message = format!("killing {name}…");
                    self.queue(&["kill", &name], false);
                } else {
                    self.message = format!("{name} not killed");
                }
                Flow::Go
            }
            Mode::Input(kind, mut text) => {
                match k.code {
                    _ if ctrl_c => {}
                    KeyCode::Esc => {
                        if matches!(kind, Input::Filter) {
                            self.filter.clear();
                        }
                    }
                    KeyCode::Enter => self.submit(kind, text),
                    KeyCode::Backspace => {
                        text.pop();
                        if matches!(kind, Input::Filter) {
                            self.filter = text.clone();
                        }
                        self.mode = Mode::Input(kind, text);
                    }
                    KeyCode::Char(c) if !c.is_control() => {
                        text.push(c);
                        if matches!(kind, Input::Filter) {
                            self.filter = text.clone();
                        }
                        self.mode = Mode::Input(kind, text);
                    }
                    _ => self.mode = Mode::Input(kind, text),
                }
                Flow::Go
            }
            Mode::Normal => self.normal_key(k, ctrl_c),
        }
    }

    fn submit(&mut self, kind: Input, text: String) {
        match kind {
            Input::Send(name) if !text.is_empty() => {
                self.message = format!("sending to {name}…");
                self.queue(&["send", &name, "--", &text], false);
            }
            Input::Send(_) => self.message = "nothing sent".into(),
            Input::Filter => self.filter = text,
            Input::SpawnName if text.is_empty() => {}
            Input::SpawnName => match crate::names::check(&text) {
                // Checked here too: a name like `-x` would reach spawn as a flag.
                Err(e) => {
                    self.message = format!("crew: {}", e.message);
                    self.failed = true;
                }
                Ok(()) => self.mode = Mode::Input(Input::SpawnProfile(text), String::new()),
            },
            Input::SpawnProfile(name) => {
                self.mode = Mode::Input(Input::SpawnCmd(name, text), String::new())
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
                self.message = format!("spawning {name}…");
                self.cursor = Some(name.clone());
                self.queue(&args, false);
            }
        }
    }

    fn normal_key(&mut self, k: KeyEvent, ctrl_c: bool) -> Flow {
        let sel = self.cursor.clone().filter(|_| self.at().is_some());
        let page = self.page_rows().max(1) as isize;
        if !matches!(k.code, KeyCode::Char('0'..='9')) {
            self.digits.0.clear();
        }
        match k.code {
            _ if ctrl_c => return Flow::Quit,
            KeyCode::Char('q') => return Flow::Quit,
            KeyCode::Char('j') | KeyCode::Down => self.step(1),
            KeyCode::Char('k') | KeyCode::Up => self.step(-1),
            KeyCode::PageDown => self.step(page),
            KeyCode::PageUp => self.step(-page),
            KeyCode::Char('g') | KeyCode::Home => self.select(0),
            KeyCode::Char('G') | KeyCode::End => self.select(usize::MAX),
            KeyCode::Char(d @ '0'..='9') => {
                if self.digits.1.elapsed() > DIGIT_GAP {
                    self.digits.0.clear();
                }
                self.digits = (format!("{}{d}", self.digits.0), Instant::now());
                match self.digits.0.parse::<usize>() {
                    Ok(n) if n >= 1 && n <= self.rows().len() => self.select(n - 1),
                    _ => self.message = format!("no row {}", self.digits.0),
                }
            }
            KeyCode::Char('?') => self.mode = Mode::Help,
            KeyCode::Char('/') => self.mode = Mode::Input(Input::Filter, self.filter.clone()),
            KeyCode::Char('n') => self.mode = Mode::Input(Input::SpawnName, String::new()),
            KeyCode::Esc => {
                self.filter.clear();
                self.message.clear();
            }
            _ => {
                let Some(name) = sel else {
                    self.message = "select an agent first (j/k or its number)".into();
                    return Flow::Go;
                };
                match k.code {
                    KeyCode::Enter => {
                        let shown = self
                            .board
                            .as_ref()
                            .map(|b| b.shown.clone())
                            .unwrap_or_default();
                        let pane = self
                            .rows()
                            .iter()
                            .find(|r| r.name == name)
                            .map(|r| r.pane_id.clone());
                        match pane.filter(|_| shown.contains(&name)) {
                            // On view (maybe with a second): focus it there.
                            Some(p) => self.send_job(Job {
                                args: vec![],
                                view: false,
                                focus: Some(p),
                            }),
                            None => self.queue(&["show", &name, "--focus"], true),
                        }
                    }
                    KeyCode::Tab => {
                        let rows = self.rows();
                        let shown = self
                            .board
                            .as_ref()
                            .map(|b| b.shown.clone())
                            .unwrap_or_default();
                        if let Some(second) = board::next_second(&rows, &shown, &name) {
                            self.queue(&["show", &name, &second], true);
                        }
                    }
                    KeyCode::Char('s') => self.mode = Mode::Input(Input::Send(name), String::new()),
                    KeyCode::Char('a') => self.queue(&["approve", &name], false),
                    KeyCode::Char('d') => self.queue(&["deny", &name], false),
                    KeyCode::Char('p') => self.queue(&["park", &name], false),
                    KeyCode::Char('x') => self.mode = Mode::Confirm(name),
                    KeyCode::Char('r') => return Flow::Read(name),
                    _ => {}
                }
            }
        }
        Flow::Go
    }

    /// Rows of the table that fit on screen (set by the last draw).
    fn page_rows(&self) -> usize {
        let h = crossterm::terminal::size().map(|s| s.1).unwrap_or(24) as usize;
        h.saturating_sub(4)
    }

    fn draw(&mut self, f: &mut Frame) {
        let [head, table, status, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(f.area());
        self.draw_head(f, head);
        self.draw_table(f, table);
        self.draw_status(f, status);
        let keys = format!(
            "? keys  q quit  Enter focus ({} ; back)  s send  a/d approve/deny  p park  x kill  n new  r read  / filter  Tab second",
            self.prefix
        );
        f.render_widget(
            Paragraph::new(board::cut(&keys, foot.width as usize)).style(self.dim()),
            foot,
        );
        if matches!(self.mode, Mode::Help) {
            self.draw_help(f, table);
        }
    }

    fn dim(&self) -> Style {
        Style::default().add_modifier(Modifier::DIM)
    }

    fn draw_head(&self, f: &mut Frame, area: Rect) {
        let (n, w) = self
            .board
            .as_ref()
            .map_or((0, 0), |b| (b.rows.len(), b.waiting()));
        let mut spans = vec![
            Span::styled("crew dash", Style::default().add_modifier(Modifier::BOLD)),
            Span::raw(format!("  {n} agent{}", if n == 1 { "" } else { "s" })),
        ];
        if w > 0 {
            spans.push(Span::raw("  "));
            spans.push(Span::styled(
                format!("{w} waiting"),
                self.paint(Status::Permission, false),
            ));
        }
        if !self.filter.is_empty() {
            spans.push(Span::raw(format!("  filter: {}", self.filter)));
        }
        if self.board.is_none() {
            spans.push(Span::raw("  reading…"));
        }
        f.render_widget(Paragraph::new(Line::from(spans)), area);
    }

    /// Status colours as `ls` paints them; without colour, attention is bold.
    fn paint(&self, s: Status, failed: bool) -> Style {
        let st = Style::default();
        if !self.color {
            return match s {
                Status::Permission | Status::Question => st.add_modifier(Modifier::BOLD),
                _ => st,
            };
        }
        match s {
            Status::Working => st.fg(Color::Cyan),
            Status::Idle => st.fg(Color::Green),
            Status::Permission | Status::Question => {
                st.fg(Color::Yellow).add_modifier(Modifier::BOLD)
            }
            Status::Exited if failed => st.fg(Color::Red),
            Status::Exited => st.fg(Color::Green).add_modifier(Modifier::DIM),
            Status::Unknown => st.add_modifier(Modifier::DIM),
        }
    }

    fn draw_table(&mut self, f: &mut Frame, area: Rect) {
        let now = self.board.as_ref().map_or(0, |b| b.now);
        let at = self.at();
        let rows = self.rows();
        if rows.is_empty() {
            let text = if self.board.is_some() && self.filter.is_empty() {
                "no agents: press n to spawn one"
            } else if self.board.is_some() {
                "no agent matches the filter"
            } else {
                ""
            };
            f.render_widget(Paragraph::new(text), area);
            return;
        }
        // One column for the selection mark.
        let cols = board::fit(area.width.saturating_sub(1), &rows);
        let visible = (area.height as usize).saturating_sub(1).max(1);
        let mut offset = self.offset.min(rows.len().saturating_sub(1));
        if let Some(i) = at {
            if i < offset {
                offset = i;
            } else if i >= offset + visible {
                offset = i + 1 - visible;
            }
        }
        offset = offset.min(rows.len().saturating_sub(visible));
        let body: Vec<Row> = rows
            .iter()
            .enumerate()
            .skip(offset)
            .take(visible)
            .map(|(i, r)| {
                Row::new(cols.iter().map(|&(c, w)| {
                    let text = board::cell(r, c, i + 1, now, w);
                    let style = match c {
                        Col::Status => self.paint(r.status, r.failed),
                        Col::Num if r.status.is_attention() => self.paint(r.status, false),
                        _ => Style::default(),
                    };
                    Cell::from(text).style(style)
                }))
            })
            .collect();
        let header = Row::new(cols.iter().map(|(c, _)| Cell::from(c.header())))
            .style(Style::default().add_modifier(Modifier::BOLD));
        let widths: Vec<Constraint> = cols.iter().map(|&(_, w)| Constraint::Length(w)).collect();
        let table = Table::new(body, widths)
            .header(header)
            .column_spacing(1)
            .highlight_symbol(">")
            .highlight_spacing(HighlightSpacing::Always)
            .row_highlight_style(Style::default().add_modifier(Modifier::REVERSED));
        let mut state = ratatui::widgets::TableState::default();
        state.select(at.map(|i| i - offset));
        self.offset = offset;
        f.render_stateful_widget(table, area, &mut state);
    }

    fn draw_status(&self, f: &mut Frame, area: Rect) {
        let w = area.width as usize;
        match &self.mode {
            Mode::Input(kind, text) => {
                let prompt = kind.prompt();
                // Keep the end of a long input in sight (in cells: wide
                // characters take two).
                let mut shown = format!("{prompt}{text}");
                while Span::raw(shown.as_str()).width() + 1 > w && !shown.is_empty() {
                    shown.remove(0);
                }
                let x = area.x + Span::raw(shown.as_str()).width() as u16;
                f.render_widget(Paragraph::new(shown), area);
                f.set_cursor_position((x.min(area.x + area.width.saturating_sub(1)), area.y));
            }
            Mode::Confirm(name) => {
                let text = format!("kill {name}? y/N");
                f.render_widget(
                    Paragraph::new(board::cut(&text, w))
                        .style(Style::default().add_modifier(Modifier::BOLD)),
                    area,
                );
            }
            _ => {
                let style = match self.failed {
                    true => Style::default().add_modifier(Modifier::BOLD),
                    false => Style::default(),
                };
                f.render_widget(
                    Paragraph::new(board::cut(&self.message, w)).style(style),
                    area,
                )
            }
        }
    }

    fn draw_help(&self, f: &mut Frame, area: Rect) {
        let keys = [
            ("j k ↑ ↓", "select (shows it beside)"),
            ("1-9…", "select by row number"),
            ("g G", "first, last"),
            ("Enter", "focus it (back: prefix ;)"),
            ("Tab", "a second agent beside"),
            ("s", "send a message"),
            ("a d", "approve, deny its dialog"),
            ("p", "park it"),
            ("x", "kill it (asks first)"),
            ("n", "spawn a new agent"),
            ("r", "read its scrollback"),
            ("/", "filter by name (Esc clears)"),
            ("q", "park what is shown and quit"),
        ];
        let lines: Vec<Line> = keys
            .iter()
            .map(|(k, what)| Line::from(format!("{k:<8} {what}")))
            .collect();
        let h = (lines.len() as u16 + 2).min(area.height);
        let w = 44.min(area.width);
        let r = Rect::new(area.x, area.y, w, h);
        f.render_widget(Clear, r);
        f.render_widget(
            Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(" keys ")),
            r,
        );
    }
}

/// `crew read NAME --all` into $PAGER (else less) on this terminal; what
/// to say in the status line after.
fn page(runner: &Runner, name: &str) -> String {
    let read = runner
        .command(&["read".into(), name.into(), "--all".into()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut read = match read {
        Ok(c) => c,
        Err(e) => return format!("crew: could not run crew: {e}"),
    };
    let pager = std::env::var("PAGER")
        .ok()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "less".into());
    // $PAGER is a shell command line by convention (git, man).
    let shown = Command::new("sh")
        .arg("-c")
        .arg(&pager)
        .stdin(read.stdout.take().map_or(Stdio::null(), Stdio::from))
        .status();
    let out = read.wait_with_output();
    match (shown, out) {
        (_, Ok(o)) if !o.status.success() => esc(&String::from_utf8_lossy(&o.stderr)
            .lines()
            .collect::<Vec<_>>()
            .join("  ")),
        (Err(e), _) => format!("crew: could not run the pager ({pager}): {e}"),
        _ => String::new(),
    }
}

fn esc(s: &str) -> String {
    escape_controls(s).into_owned()
}
