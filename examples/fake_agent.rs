//! A fake agent TUI for crew's end-to-end tests: close enough to Claude Code
//! that the `claude` profile reads its states, small enough to trust.
//!
//! Usage: `fake_agent CONTROL_FILE [LOG_FILE]`
//!
//! Every ~30 ms it reads CONTROL_FILE; its trimmed content is a command:
//! `working`, `idle`, `permission`, `question`, `stuck`, `deaf`, or `exit N`. A missing
//! or unknown command keeps the current state (it starts `idle`).
//!
//! Typed and pasted text (bracketed paste) goes into the input box; Enter
//! submits it: the box clears and `<state>\t<text>\n` is appended to LOG_FILE
//! (text as received, newlines of a paste included). In `stuck` Enter does
//! nothing, so typed text stays in the box; `deaf` looks idle and ignores
//! every key (a tool not listening). An empty box submits nothing.
//!
//! The title is `⠋ fake task` (cycling braille) while working and also while
//! a menu waits (Claude Code keeps its spinner going then, anthropics/
//! claude-code#59229), so tests see that a menu beats the title; `✳ fake task`
//! otherwise.
//!
//! A command in CONTROL_FILE applies when the file's content changes (add a
//! counter, `permission 2`, to repeat a state), so the agent can move on by
//! itself (answering a dialog, finishing work). In a
//! dialog (`permission`, `question`) typed text never reaches the input box:
//! `1`..`9` or Enter choose (permission: `approved`, then working; question:
//! `answered N`), Escape declines (`denied`, then idle); the choice is
//! logged as `<state>\t<choice>`. Submitting `/exit` exits 0.
//!
//! Environment, for start-up and receipt tests:
//! - `FAKE_START_MS`: a loading screen for this long first; input typed
//!   meanwhile is lost, as a real TUI still drawing loses it.
//! - `FAKE_TAKE_MS`: a submitted message stays in the box this long before
//!   the agent takes it (logs it, clears the box).
//! - `FAKE_WORK_MS`: after taking a message, work this long, then idle
//!   (logged as `done\t<text>`).
//! - `FAKE_LAG_MS`: after taking a message, look idle this long before
//!   working (a tool slow to draw its busy state, as Codex at its start).
//! - `FAKE_REPORT`: crew's path; at the end of each turn the agent runs
//!   `crew report idle` in its pane, as Codex's notify hook does.
//! - `FAKE_HOOKS=all`: with `FAKE_REPORT`, also `crew report idle` once it
//!   is up and `crew report working` when it takes a message, as Claude
//!   Code's SessionStart and UserPromptSubmit hooks do.
//! - `FAKE_OFFER`: the first message submitted is eaten by a question
//!   dialog that pops up instead (Claude Code's auto mode offer).
//! - `FAKE_RAW_LOG`: every byte read from the terminal is appended here.
//! - `FAKE_REPLY`: once a turn's work is done (`FAKE_WORK_MS`), these lines
//!   (`|` between lines, `{msg}` for the message's first line) show under
//!   "⏺ On it.", as a tool's reply does.

use rustix::termios::{self, OptionalActions, SpecialCodeIndex, Termios};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::time::{Duration, Instant};

const BRAILLE: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const GLYPHS: [char; 6] = ['·', '✢', '✳', '✶', '✻', '✽'];

/// The control file's states; anything else but `exit N` is ignored.
const STATES: [&str; 6] = ["working", "idle", "permission", "question", "stuck", "deaf"];

/// Where the input parser is inside an escape sequence.
enum Esc {
    Ground,
    Started,
    Csi(Vec<u8>),
}

struct Agent {
    state: &'static str,
    /// A submitted message waiting to be taken, and when it was submitted.
    taking: Option<(String, Instant)>,
    take_ms: u64,
    work_ms: u64,
    lag_ms: u64,
    report: Option<String>,
    all_hooks: bool,
    offer: bool,
    since: Instant,
    frame: usize,
    input: Vec<u8>,
    last: String,
    paste: bool,
    esc: Esc,
    log: Option<File>,
    reply: Option<String>,
    /// The last turn's work is done: its reply shows.
    replied: bool,
}

impl Agent {
    /// Feed input bytes; true when the screen changed.
    fn feed(&mut self, bytes: &[u8]) -> bool {
        let mut changed = false;
        for &b in bytes {
            self.esc = match std::mem::replace(&mut self.esc, Esc::Ground) {
                Esc::Ground if b == 0x1b => Esc::Started,
                Esc::Ground => {
                    changed |= self.byte(b);
                    Esc::Ground
                }
                Esc::Started if b == b'[' => Esc::Csi(Vec::new()),
                // A lone Escape key, then this byte on its own.
                Esc::Started if b == 0x1b => Esc::Started,
                Esc::Started => {
                    changed |= self.byte(b);
                    Esc::Ground
                }
                Esc::Csi(mut p) if (0x40..=0x7e).contains(&b) => {
                    p.push(b);
                    match p.as_slice() {
                        b"200~" => self.paste = true,
                        b"201~" => self.paste = false,
                        _ => {} // arrows and the like: ignored
                    }
                    Esc::Ground
                }
                Esc::Csi(mut p) => {
                    p.push(b);
                    Esc::Csi(p)
                }
            };
        }
        changed
    }

    fn byte(&mut self, b: u8) -> bool {
        if self.state == "deaf" {
            return false;
        }
        if matches!(self.state, "permission" | "question") {
            return self.choose(b);
        }
        match b {
            // Inside a paste CR/LF are text (tmux turns LF into CR).
            b'\r' | b'\n' if self.paste => self.input.push(b'\n'),
            b'\r' | b'\n' => return self.submit(),
            0x7f | 0x08 => {
                let s = String::from_utf8_lossy(&self.input).into_owned();
                let mut chars = s.chars();
                chars.next_back();
                self.input = chars.as_str().as_bytes().to_vec();
            }
            0x03 => self.input.clear(), // Ctrl-C clears the box
            b'\t' => self.input.push(b),
            b if b < 0x20 => return false,
            b => self.input.push(b),
        }
        true
    }

    fn log(&mut self, state: &str, text: &str) {
        if let Some(log) = &mut self.log {
            let _ = writeln!(log, "{state}\t{text}");
            let _ = log.flush();
        }
    }

    /// A key in a dialog: a digit or Enter chooses, Escape declines.
    fn choose(&mut self, b: u8) -> bool {
        let choice = match b {
            b'1'..=b'9' => (b - b'0') as u32,
            b'\r' | b'\n' => 1,
            0x1b => 0,
            _ => return false,
        };
        let state = self.state;
        let (entry, next) = match (state, choice) {
            (_, 0) => ("denied".to_string(), "idle"),
            ("permission", 1 | 2) => ("approved".to_string(), "working"),
            ("permission", _) => ("denied".to_string(), "idle"),
            (_, n) => (format!("answered {n}"), "working"),
        };
        self.log(state, &entry);
        self.state = next;
        self.since = Instant::now();
        true
    }

    fn submit(&mut self) -> bool {
        if self.state == "stuck" || self.input.is_empty() || self.taking.is_some() {
            return false;
        }
        let text = String::from_utf8_lossy(&self.input).into_owned();
        if self.take_ms == 0 {
            self.take(text);
        } else {
            self.taking = Some((text, Instant::now()));
        }
        true
    }

    fn hook(&self, state: &str) {
        if let Some(crew) = &self.report {
            let _ = std::process::Command::new(crew)
                .args(["report", state])
                .stdin(std::process::Stdio::null())
                .status();
        }
    }

    /// The agent takes a submitted message: logs it, clears the box, works.
    fn take(&mut self, text: String) {
        self.input.clear();
        if self.offer {
            // The offer takes the place of the turn, and the message with it.
            self.offer = false;
            self.state = "question";
            self.since = Instant::now();
            return;
        }
        if self.all_hooks {
            self.hook("working");
        }
        let state = self.state;
        self.log(state, &text);
        if text == "/exit" {
            let _ = std::io::stdout().write_all(b"\x1b[?2004l");
            std::process::exit(0);
        }
        if self.work_ms > 0 {
            self.state = if self.lag_ms > 0 {
                "lagging"
            } else {
                "working"
            };
            self.since = Instant::now();
        }
        self.last = text;
        self.replied = false;
    }

    fn title(&self) -> String {
        match self.state {
            "loading" => "fake agent".into(),
            "idle" | "stuck" | "deaf" | "lagging" => "✳ fake task".into(),
            _ => format!("{} fake task", BRAILLE[self.frame % BRAILLE.len()]),
        }
    }

    fn screen(&self, width: usize) -> Vec<String> {
        if self.state == "loading" {
            return vec!["Starting the fake agent".to_string()];
        }
        let rule = "─".repeat(width.clamp(20, 200));
        let mut out = vec![
            "✻ Welcome to Fake Agent (crew test double)".to_string(),
            String::new(),
        ];
        if !self.last.is_empty() {
            out.push(format!("❯ {}", self.last.lines().next().unwrap_or("")));
            out.push(String::new());
            out.push("⏺ On it.".into());
            out.push(String::new());
            if let (true, Some(r)) = (self.replied, &self.reply) {
                let first = self.last.lines().next().unwrap_or("");
                out.extend(r.replace("{msg}", first).split('|').map(String::from));
                out.push(String::new());
            }
        }
        // The box shows up to five lines, each cut to the width: a 1 MB
        // paste must not make every redraw 1 MB.
        let input = String::from_utf8_lossy(&self.input).into_owned();
        let input_box = |out: &mut Vec<String>| {
            out.push(rule.clone());
            let cut = |l: &str| {
                l.chars()
                    .take(width.saturating_sub(4).max(10))
                    .collect::<String>()
            };
            let lines: Vec<&str> = input.split('\n').collect();
            for (i, l) in lines.iter().take(5).enumerate() {
                out.push(format!("{} {}", if i == 0 { "❯" } else { " " }, cut(l)));
            }
            if lines.len() > 5 {
                out.push(format!("  … +{} lines", lines.len() - 5));
            }
            out.push(rule.clone());
            out.push("  ⏵⏵ bypass permissions on (shift+tab to cycle)".into());
        };
        match self.state {
            "working" => {
                let glyph = GLYPHS[self.frame % GLYPHS.len()];
                let secs = self.since.elapsed().as_secs();
                out.push(format!("{glyph} Pondering… ({secs}s · esc to interrupt)"));
                out.push(String::new());
                input_box(&mut out);
            }
            "idle" | "stuck" | "deaf" | "lagging" => {
                out.push("✻ Brewed for 3s".into());
                out.push(String::new());
                input_box(&mut out);
            }
            "permission" => out.extend(
                [
                    "⏺ Bash(rm -rf build)",
                    "  ⎿  Waiting…",
                    "",
                    rule.as_str(),
                    " Bash command",
                    "",
                    "   rm -rf build",
                    "   Remove build artifacts",
                    "",
                    " Do you want to proceed?",
                    " ❯ 1. Yes",
                    "   2. Yes, and don't ask again for rm commands in this project",
                    "   3. No, and tell Claude what to do differently (esc)",
                    "",
                    " Esc to cancel · Tab to amend",
                ]
                .map(String::from),
            ),
            _ => out.extend(
                [
                    rule.as_str(),
                    " ☐ Approach",
                    "",
                    "Which approach should I take?",
                    "",
                    "❯ 1. Keep it simple",
                    "     Fewer moving parts",
                    "  2. Make it fast",
                    "     More caching",
                    "  3. Type something.",
                    rule.as_str(),
                    "  4. Chat about this",
                    "",
                    "Enter to select · ↑/↓ to navigate · Esc to cancel",
                ]
                .map(String::from),
            ),
        }
        out
    }

    /// One write per frame: home, each line cleared to its end, then the
    /// rest of the screen cleared, so a capture never sees a blank screen.
    /// Only the bottom rows that fit are drawn, so nothing ever scrolls.
    fn draw(&self) {
        let size = termios::tcgetwinsize(rustix::stdio::stdout());
        let (rows, cols) = size.map_or((24, 80), |w| (w.ws_row.max(1) as usize, w.ws_col as usize));
        let lines = self.screen(cols);
        let shown = &lines[lines.len().saturating_sub(rows)..];
        let mut frame = format!("\x1b]0;{}\x07\x1b[H", self.title());
        frame.push_str(&shown.join("\x1b[K\r\n"));
        frame.push_str("\x1b[K\x1b[J");
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(frame.as_bytes());
        let _ = out.flush();
    }
}

fn restore(saved: &Termios) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(b"\x1b[?2004l");
    let _ = out.flush();
    let _ = termios::tcsetattr(rustix::stdio::stdin(), OptionalActions::Now, saved);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(control) = args.get(1) else {
        eprintln!("usage: fake_agent CONTROL_FILE [LOG_FILE]");
        std::process::exit(2);
    };
    let log = args.get(2).map(|p| {
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(p)
            .unwrap_or_else(|e| panic!("cannot open log {p}: {e}"))
    });
    let stdin = rustix::stdio::stdin();
    let saved = termios::tcgetattr(stdin).expect("stdin is a terminal");
    let mut raw = saved.clone();
    raw.make_raw();
    // Non-blocking reads: return at once with what is there.
    raw.special_codes[SpecialCodeIndex::VMIN] = 0;
    raw.special_codes[SpecialCodeIndex::VTIME] = 0;
    termios::tcsetattr(stdin, OptionalActions::Now, &raw).expect("raw mode");
    print!("\x1b[?2004h\x1b[2J");

    let env_ms = |k: &str| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let start_ms = env_ms("FAKE_START_MS");
    let mut raw_log = std::env::var("FAKE_RAW_LOG").ok().map(|p| {
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(&p)
            .unwrap_or_else(|e| panic!("cannot open raw log {p}: {e}"))
    });
    let started = Instant::now();
    let mut agent = Agent {
        state: if start_ms > 0 { "loading" } else { "idle" },
        taking: None,
        take_ms: env_ms("FAKE_TAKE_MS"),
        work_ms: env_ms("FAKE_WORK_MS"),
        lag_ms: env_ms("FAKE_LAG_MS"),
        report: std::env::var("FAKE_REPORT").ok(),
        all_hooks: std::env::var("FAKE_HOOKS").is_ok_and(|v| v == "all"),
        offer: std::env::var("FAKE_OFFER").is_ok(),
        since: Instant::now(),
        frame: 0,
        input: Vec::new(),
        last: String::new(),
        paste: false,
        esc: Esc::Ground,
        log,
        reply: std::env::var("FAKE_REPLY").ok(),
        replied: false,
    };
    let mut tick = Instant::now();
    let mut dirty = true;
    let mut buf = [0u8; 4096];
    let mut applied = String::new();
    let mut up = false;
    loop {
        let command = std::fs::read_to_string(control).unwrap_or_default();
        let command = command.trim().to_string();
        if let Some(code) = command.strip_prefix("exit ") {
            restore(&saved);
            std::process::exit(code.trim().parse().unwrap_or(1));
        }
        if agent.state == "loading" && started.elapsed() >= Duration::from_millis(start_ms) {
            agent.state = "idle";
            dirty = true;
        }
        // A real tool's start-up hook comes once it has drawn, a moment
        // after `spawn` has tagged its pane.
        if !up && agent.state != "loading" && started.elapsed() >= Duration::from_millis(500) {
            up = true;
            if agent.all_hooks {
                agent.draw();
                agent.hook("idle");
            }
        }
        if command != applied && agent.state != "loading" {
            // "permission 2": a word after the state makes a new command of
            // the same state.
            let word = command.split_whitespace().next().unwrap_or("");
            if let Some(&s) = STATES.iter().find(|&&s| s == word) {
                agent.state = s;
                agent.since = Instant::now();
                dirty = true;
            }
            applied = command;
        }
        // Drain everything typed or pasted since the last round.
        while let Ok(n @ 1..) = rustix::io::read(stdin, &mut buf) {
            if let Some(raw) = &mut raw_log {
                let _ = raw.write_all(&buf[..n]);
                let _ = raw.flush();
            }
            // Still drawing its first screen: the input is lost.
            if agent.state != "loading" {
                dirty |= agent.feed(&buf[..n]);
            }
        }
        if let Some((text, at)) = agent.taking.clone() {
            if at.elapsed() >= Duration::from_millis(agent.take_ms) {
                agent.taking = None;
                agent.take(text);
                dirty = true;
            }
        }
        if agent.state == "lagging" && agent.since.elapsed() >= Duration::from_millis(agent.lag_ms)
        {
            agent.state = "working";
            agent.since = Instant::now();
            dirty = true;
        }
        if agent.state == "working"
            && agent.work_ms > 0
            && agent.since.elapsed() >= Duration::from_millis(agent.work_ms)
        {
            agent.state = "idle";
            agent.replied = true;
            agent.draw();
            agent.hook("idle");
            let last = agent.last.clone();
            agent.log("done", &last);
            dirty = true;
        }
        // Lone Escape: no sequence followed within this round.
        if matches!(agent.esc, Esc::Started) {
            agent.esc = Esc::Ground;
            if matches!(agent.state, "permission" | "question") {
                dirty |= agent.choose(0x1b);
            }
        }
        let animated = !matches!(
            agent.state,
            "idle" | "stuck" | "loading" | "deaf" | "lagging"
        );
        if animated && tick.elapsed() >= Duration::from_millis(250) {
            agent.frame += 1;
            tick = Instant::now();
            dirty = true;
        }
        if dirty {
            agent.draw();
            dirty = false;
        }
        std::thread::sleep(Duration::from_millis(30));
    }
}
