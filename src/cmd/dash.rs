//! `crew dash`: a live table of agents in this pane, the selected one beside
//! it. The dashboard keeps nothing the panes do not: the selection is read
//! back from what is on view beside it, and every action runs the crew
//! command of the same name (same rules, same messages), so a killed
//! dashboard loses nothing and a new one shows the same picture.
//!
//! Four threads: this one draws and answers keys; one refreshes the board
//! (one snapshot and one capture chain); one measures the worktree agents'
//! changes (git, every few seconds); one runs actions in order.

use super::Ctx;
use crate::board::Board;
use crate::cli::DashArgs;
use crate::dash::{update, Action, Event, State};
use crate::error::CrewError;
use crate::snapshot::Agent;
use crate::text::escape_controls;
use crate::tmux::{Chain, Cmd};
use anyhow::Result;
use crossterm::event::{self, Event as TermEvent, KeyEventKind};
use crossterm::{cursor, execute, terminal};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use std::collections::HashMap;
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
/// Least time between two measurements of the worktree agents' changes.
const SIZES: Duration = Duration::from_secs(5);

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
    let (sizes_tx, sizes_rx) = mpsc::channel::<Vec<Agent>>();
    let completed = Arc::new(AtomicUsize::new(0));
    // Not joined: they end at their next send, once `rx` is dropped (the
    // measurer also when the refresher has gone).
    let _refresher = {
        let (tx, tmux, config, pane, completed) = (
            tx.clone(),
            ctx.tmux.clone(),
            ctx.config.clone(),
            pane.clone(),
            completed.clone(),
        );
        std::thread::spawn(move || {
            refresh_loop(tx, wake_rx, sizes_tx, &tmux, &config, &pane, &completed)
        })
    };
    let _measurer = {
        let tx = tx.clone();
        std::thread::spawn(move || sizes_loop(sizes_rx, tx))
    };
    let worker = {
        let (runner, wake, completed) = (runner.clone(), wake_tx.clone(), completed.clone());
        std::thread::spawn(move || job_loop(job_rx, tx, wake, runner, completed))
    };

    // TERM, HUP (the terminal closed, the pane killed) and INT end the
    // dashboard as `q` does: the terminal given back, what it showed parked.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        signal_hook::flag::register(sig, stop.clone())?;
    }
    let mut term = Screen::open()?;
    let mut state = State::new(ctx.colored(true), prefix, Instant::now());
    let outcome = event_loop(&mut state, &mut term, &rx, &job_tx, &runner, &stop);
    // Let queued actions finish (a show must not land after the park).
    let window = state.board.as_ref().and_then(|b| b.window.clone());
    drop(job_tx);
    let _ = worker.join();
    drop(wake_tx);
    drop(rx);
    term.close(&title);
    // Ended by a signal, a failing terminal (closed with the pane) is no
    // reason to leave agents on view.
    if !stop.load(Ordering::Relaxed) {
        outcome?;
    }
    // Park what the dashboard showed: the window as it was. A killed pane
    // leads no view any more: its agents are parked by name.
    let snap = ctx.snapshot()?;
    let args: Vec<OsString> = if snap.pane(&pane).is_none() {
        // What is in its window now, not what the last refresh saw.
        let shown: Vec<OsString> = snap
            .agents
            .iter()
            .filter(|a| Some(&a.pane.window_id) == window.as_ref())
            .map(|a| OsString::from(&a.name))
            .collect();
        if shown.is_empty() {
            return Ok(());
        }
        std::iter::once("park".into()).chain(shown).collect()
    } else {
        vec!["park".into()]
    };
    let (ok, msg) = runner.run(&args);
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

/// What the refresher and the worker tell the terminal loop.
type Msg = Event;

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
    sizes: mpsc::Sender<Vec<Agent>>,
    tmux: &crate::tmux::Tmux,
    config: &crate::config::Config,
    pane: &str,
    completed: &AtomicUsize,
) {
    loop {
        let start = Instant::now();
        let done = completed.load(Ordering::SeqCst);
        let msg = match Board::take(tmux, config, pane) {
            Ok(b) => {
                let _ = sizes.send(b.worktrees.clone());
                Event::Board(b, done)
            }
            Err(e) => Event::Failed(format!("{e:#}")),
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

/// Measure the worktree agents' changes (`crew diff --stat`'s figures)
/// apart from the refresh, which stays two tmux calls: every SIZES at
/// most, an agent not measured yet at once, and never more than a third
/// of the time however many agents there are.
fn sizes_loop(lists: mpsc::Receiver<Vec<Agent>>, tx: mpsc::Sender<Msg>) {
    let mut agents: Vec<Agent> = vec![];
    let mut measured: HashMap<String, String> = HashMap::new();
    let mut next = Instant::now();
    loop {
        match lists.recv_timeout(next.saturating_duration_since(Instant::now())) {
            Ok(list) => {
                agents = list;
                while let Ok(list) = lists.try_recv() {
                    agents = list;
                }
                if agents.iter().any(|a| !measured.contains_key(a.pane_id())) {
                    next = Instant::now();
                }
                if Instant::now() < next {
                    continue;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        }
        let start = Instant::now();
        measured = agents
            .iter()
            .map(|a| (a.pane_id().to_string(), crate::review::figure(a)))
            .collect();
        if tx.send(Event::Changes(measured.clone())).is_err() {
            return;
        }
        next = Instant::now() + SIZES.max(start.elapsed() * 2);
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
                let _ = tx.send(Event::Done(ok, text));
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

/// The terminal loop: events from the keyboard and the threads into
/// `dash::update`, its actions to the worker, the state drawn.
fn event_loop(
    s: &mut State,
    screen: &mut Screen,
    rx: &mpsc::Receiver<Msg>,
    jobs: &mpsc::Sender<Job>,
    runner: &Runner,
    stop: &std::sync::atomic::AtomicBool,
) -> Result<()> {
    let mut dirty = true;
    // A view change resizes this pane several times in one chain; what was
    // drawn between two of them can be cut by the next. Repaint all on a
    // resize, and once more when the view has settled.
    let mut settle: Option<Instant> = None;
    loop {
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        while let Ok(m) = rx.try_recv() {
            if matches!(m, Event::Done(..)) {
                settle = Some(Instant::now() + SETTLE);
            }
            update(s, m, Instant::now(), page_rows());
            dirty = true;
        }
        if settle.is_some_and(|t| t <= Instant::now()) {
            settle = None;
            screen.term.clear()?;
            dirty = true;
        }
        if dirty {
            if let Some(t) = s.title_change() {
                let _ = execute!(std::io::stdout(), terminal::SetTitle(t));
            }
            screen.term.draw(|f| s.draw(f))?;
            dirty = false;
        }
        if !event::poll(Duration::from_millis(50))? {
            continue;
        }
        dirty = true;
        let k = match event::read()? {
            TermEvent::Key(k) => k,
            TermEvent::Resize(..) => {
                screen.term.clear()?;
                settle = Some(Instant::now() + SETTLE);
                continue;
            }
            _ => continue,
        };
        if k.kind == KeyEventKind::Release {
            continue;
        }
        for action in update(s, Event::Key(k), Instant::now(), page_rows()) {
            match action {
                Action::Run { args, view } => {
                    let args = args.into_iter().map(OsString::from).collect();
                    let _ = jobs.send(Job {
                        args,
                        view,
                        focus: None,
                    });
                }
                Action::Focus(pane) => {
                    let _ = jobs.send(Job {
                        args: vec![],
                        view: false,
                        focus: Some(pane),
                    });
                }
                Action::Quit => {
                    // Queued actions finish first, then the park: say so.
                    s.message = "quitting: parking what is shown here…".into();
                    s.failed = false;
                    screen.term.draw(|f| s.draw(f))?;
                    return Ok(());
                }
                Action::Read(name) => {
                    // The pager gets the whole window (zoom toggles back to
                    // the very same layout).
                    runner.zoom();
                    screen.suspend();
                    s.message = page(runner, &name);
                    screen.resume()?;
                    runner.zoom();
                }
                Action::Diff(name) => {
                    runner.zoom();
                    screen.suspend();
                    s.message = diff(runner, &name, s.color);
                    s.failed = !s.message.is_empty();
                    screen.resume()?;
                    runner.zoom();
                }
            }
        }
    }
}

/// Rows PageUp/PageDown move: the table's height.
fn page_rows() -> usize {
    let h = crossterm::terminal::size().map(|s| s.1).unwrap_or(24) as usize;
    h.saturating_sub(4)
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

/// `crew diff NAME` on this terminal, in git's pager as git chooses it;
/// what to say in the status line after. With LESS unset, git would set
/// `FRX`, and a short diff would leave at once for the dashboard: LESS=R
/// keeps it on screen until `q`.
fn diff(runner: &Runner, name: &str, color: bool) -> String {
    let mut args: Vec<OsString> = vec!["diff".into()];
    if !color {
        args.push("--color=never".into());
    }
    args.extend(["--".into(), name.into()]);
    let mut c = runner.command(&args);
    if std::env::var_os("LESS").is_none() {
        c.env("LESS", "R");
    }
    let ran = c
        .stdin(Stdio::inherit())
        .stdout(Stdio::inherit())
        .stderr(Stdio::piped())
        .output();
    match ran {
        Ok(o) if o.status.success() => String::new(),
        Ok(o) => esc(&String::from_utf8_lossy(&o.stderr)
            .lines()
            .collect::<Vec<_>>()
            .join("  ")),
        Err(e) => format!("crew: could not run crew: {e}"),
    }
}

fn esc(s: &str) -> String {
    escape_controls(s).into_owned()
}
