//! Test fixture: a raw-mode "echoer" run inside a tmux pane.
//!
//! Usage: `echoer LOG_FILE`
//!
//! Puts the terminal on stdin into raw input mode (no echo, no canonical
//! mode, no signals, no flow control, no CR/LF translation) while keeping
//! output processing, enables bracketed paste, prints `echoer ready`, then
//! appends every byte it reads from stdin, unmodified, to LOG_FILE. A
//! readable rendering of the input is printed on screen for humans.
//!
//! Exits with status 0, restoring the terminal, on EOF or when a read
//! returns exactly one byte, `\x04` (Ctrl-D), outside a bracketed paste.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::process::ExitCode;

use rustix::termios::{
    tcgetattr, tcsetattr, InputModes, LocalModes, OptionalActions, SpecialCodeIndex, Termios,
};

const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";
const CTRL_D: u8 = 0x04;

/// Restores the saved terminal attributes when dropped.
struct RawGuard {
    saved: Option<Termios>,
}

impl RawGuard {
    fn enable() -> io::Result<Self> {
        let stdin = io::stdin();
        let saved = match tcgetattr(&stdin) {
            Ok(t) => t,
            // Not a terminal (e.g. a pipe): nothing to configure.
            Err(rustix::io::Errno::NOTTY) => return Ok(Self { saved: None }),
            Err(e) => return Err(e.into()),
        };
        let mut raw = saved.clone();
        raw.input_modes.remove(
            InputModes::IGNBRK
                | InputModes::BRKINT
                | InputModes::PARMRK
                | InputModes::ISTRIP
                | InputModes::INLCR
                | InputModes::IGNCR
                | InputModes::ICRNL
                | InputModes::IXON,
        );
        raw.local_modes.remove(
            LocalModes::ECHO
                | LocalModes::ECHONL
                | LocalModes::ICANON
                | LocalModes::ISIG
                | LocalModes::IEXTEN,
        );
        raw.special_codes[SpecialCodeIndex::VMIN] = 1;
        raw.special_codes[SpecialCodeIndex::VTIME] = 0;
        tcsetattr(&stdin, OptionalActions::Now, &raw)?;
        Ok(Self { saved: Some(saved) })
    }
}

impl Drop for RawGuard {
    fn drop(&mut self) {
        if let Some(saved) = &self.saved {
            let _ = tcsetattr(io::stdin(), OptionalActions::Now, saved);
        }
    }
}

/// Turns raw input into a readable on-screen form, tracking bracketed-paste
/// markers even when they are split across reads.
#[derive(Default)]
struct Renderer {
    /// Bytes of a possible paste marker not yet complete.
    pending: Vec<u8>,
    in_paste: bool,
}

impl Renderer {
    fn render(&mut self, input: &[u8], out: &mut Vec<u8>) {
        for &b in input {
            if !self.pending.is_empty() || b == 0x1b {
                self.pending.push(b);
                if self.pending == PASTE_START {
                    out.extend_from_slice(b"[paste]");
                    self.in_paste = true;
                    self.pending.clear();
                } else if self.pending == PASTE_END {
                    out.extend_from_slice(b"[/paste]\n");
                    self.in_paste = false;
                    self.pending.clear();
                } else if !PASTE_START.starts_with(&self.pending)
                    && !PASTE_END.starts_with(&self.pending)
                {
                    // Not a marker: show the ESC, then re-render the rest.
                    let rest: Vec<u8> = self.pending.drain(..).skip(1).collect();
                    out.extend_from_slice(b"^[");
                    self.render(&rest, out);
                }
                continue;
            }
            render_byte(b, out);
        }
    }
}

fn render_byte(b: u8, out: &mut Vec<u8>) {
    match b {
        b'\r' | b'\n' => out.push(b'\n'),
        b'\t' => out.push(b'\t'),
        0x00..=0x1f => out.extend_from_slice(&[b'^', b + 0x40]),
        0x7f => out.extend_from_slice(b"^?"),
        // Printable ASCII and UTF-8 bytes pass through.
        _ => out.push(b),
    }
}

fn run(log: &mut File) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(b"\x1b[?2004hechoer ready\n")?;
    stdout.flush()?;

    let mut stdin = io::stdin().lock();
    let mut buf = vec![0u8; 64 * 1024];
    let mut renderer = Renderer::default();
    let mut screen = Vec::with_capacity(buf.len() * 2);
    loop {
        let n = match stdin.read(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            // A hung-up terminal reports EIO: treat it as EOF.
            Err(e) if e.raw_os_error() == Some(rustix::io::Errno::IO.raw_os_error()) => 0,
            Err(e) => return Err(e),
        };
        if n == 0 {
            break;
        }
        let data = &buf[..n];
        log.write_all(data)?;
        log.flush()?;

        if data == [CTRL_D] && !renderer.in_paste {
            stdout.write_all(b"^D\n")?;
            break;
        }

        screen.clear();
        renderer.render(data, &mut screen);
        stdout.write_all(&screen)?;
        stdout.flush()?;
    }
    stdout.write_all(b"\x1b[?2004l")?;
    stdout.flush()
}

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(path), None) = (args.next(), args.next()) else {
        eprintln!("usage: echoer LOG_FILE");
        return ExitCode::from(2);
    };
    let mut log = match OpenOptions::new().create(true).append(true).open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("echoer: {}: {e}", path.to_string_lossy());
            return ExitCode::FAILURE;
        }
    };
    let guard = match RawGuard::enable() {
        Ok(g) => g,
        Err(e) => {
            eprintln!("echoer: cannot set raw mode: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = run(&mut log);
    drop(guard);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("echoer: {e}");
            ExitCode::FAILURE
        }
    }
}
