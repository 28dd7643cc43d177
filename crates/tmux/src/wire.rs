//! tmux's client protocol, spoken on the server's socket instead of starting
//! a `tmux` client process for each call. A client process costs about
//! 3 ms (exec, dynamic linking, locale, terminal setup) before the server
//! sees a byte; this is the same conversation without it: identify, one
//! command (argv packed as tmux packs it), the server's stdout and stderr,
//! stdin if a command reads it, and the exit status.
//!
//! The protocol (version 8) has not changed from tmux 3.2 to 3.7. Anything
//! this side does not expect (a server speaking another version, a socket
//! nobody listens on) is `Fallback`: the caller starts the real client,
//! which says what is wrong in tmux's own words, or starts a server.

use super::TmuxError;
use std::io::{BufReader, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::net::UnixStream;
use std::path::Path;

const PROTOCOL_VERSION: u32 = 8;
/// One message, header included, is at most this long (tmux's imsg).
const MAX_IMSGSIZE: usize = 16384;
const HEADER: usize = 16;

const MSG_VERSION: u32 = 12;
const MSG_IDENTIFY_FLAGS: u32 = 100;
const MSG_IDENTIFY_TERM: u32 = 101;
const MSG_IDENTIFY_TTYNAME: u32 = 102;
const MSG_IDENTIFY_STDIN: u32 = 104;
const MSG_IDENTIFY_ENVIRON: u32 = 105;
const MSG_IDENTIFY_DONE: u32 = 106;
const MSG_IDENTIFY_CLIENTPID: u32 = 107;
const MSG_IDENTIFY_CWD: u32 = 108;
const MSG_IDENTIFY_FEATURES: u32 = 109;
const MSG_IDENTIFY_STDOUT: u32 = 110;
const MSG_IDENTIFY_LONGFLAGS: u32 = 111;
const MSG_COMMAND: u32 = 200;
const MSG_EXIT: u32 = 203;
const MSG_EXITED: u32 = 204;
const MSG_SHUTDOWN: u32 = 210;
const MSG_READ_OPEN: u32 = 300;
const MSG_READ: u32 = 301;
const MSG_READ_DONE: u32 = 302;
const MSG_WRITE_OPEN: u32 = 303;
const MSG_WRITE: u32 = 304;
const MSG_WRITE_READY: u32 = 305;

/// `tmux -u`: the client takes UTF-8.
const CLIENT_UTF8: u64 = 0x10000;
const EBADF: i32 = 9;

/// What a call gave: the exit status and what tmux printed.
#[derive(Debug, Default)]
pub struct Reply {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

pub enum Outcome {
    Done(Reply),
    /// Start the real client instead (see the module comment).
    Fallback,
    /// Nothing accepts on the socket: no server (the real client would say
    /// so, or start one).
    NoListener,
}

/// The largest argv (packed, NUL after each word) one command message holds.
pub fn fits(argv: &[String]) -> bool {
    packed_len(argv) + 4 + HEADER <= MAX_IMSGSIZE
}

fn packed_len(argv: &[String]) -> usize {
    argv.iter().map(|a| a.len() + 1).sum()
}

fn message(buf: &mut Vec<u8>, kind: u32, data: &[u8]) {
    let len = (HEADER + data.len()) as u16;
    buf.extend_from_slice(&kind.to_ne_bytes());
    buf.extend_from_slice(&len.to_ne_bytes());
    buf.extend_from_slice(&0u16.to_ne_bytes());
    buf.extend_from_slice(&PROTOCOL_VERSION.to_ne_bytes());
    buf.extend_from_slice(&std::process::id().to_ne_bytes());
    buf.extend_from_slice(data);
}

fn cstr(s: &[u8]) -> Vec<u8> {
    let mut v = s.to_vec();
    v.push(0);
    v
}

/// Run `argv` (one command list, `;` between commands) on the server at
/// `socket`, with `env` as the client's environment and `input` as its
/// stdin. An argv too long for one message is the caller's to avoid.
pub fn run(
    socket: &Path,
    argv: &[String],
    env: &[(std::ffi::OsString, std::ffi::OsString)],
    input: Option<&[u8]>,
) -> Result<Outcome, TmuxError> {
    // tmux packs argv NUL-separated: a NUL inside an argument would split
    // it into two. The real client refuses such an argv; so it stays.
    if !fits(argv) || argv.iter().any(|a| a.contains('\0')) {
        return Ok(Outcome::Fallback);
    }
    let term = std::env::var_os("TERM").unwrap_or_default();
    let cwd = client_cwd();
    // Each goes in one message (the real client would drop a long TERM).
    let room = MAX_IMSGSIZE - HEADER - 1;
    if term.len() > room || cwd.as_os_str().len() > room {
        return Ok(Outcome::Fallback);
    }
    let Ok(stream) = UnixStream::connect(socket) else {
        return Ok(Outcome::NoListener);
    };
    let lost = |_| TmuxError::ServerExited;
    let mut out = Vec::with_capacity(4096);
    let flags = CLIENT_UTF8;
    message(&mut out, MSG_IDENTIFY_FLAGS, &(flags as i32).to_ne_bytes());
    message(&mut out, MSG_IDENTIFY_LONGFLAGS, &flags.to_ne_bytes());
    message(&mut out, MSG_IDENTIFY_TERM, &cstr(term.as_bytes()));
    message(&mut out, MSG_IDENTIFY_FEATURES, &0i32.to_ne_bytes());
    // The real client's stdin is not a terminal when crew runs it: no tty
    // name, and no descriptors to pass (the server would close them).
    message(&mut out, MSG_IDENTIFY_TTYNAME, &[0]);
    message(
        &mut out,
        MSG_IDENTIFY_CWD,
        &cstr(cwd.as_os_str().as_bytes()),
    );
    message(&mut out, MSG_IDENTIFY_STDIN, &[]);
    message(&mut out, MSG_IDENTIFY_STDOUT, &[]);
    message(
        &mut out,
        MSG_IDENTIFY_CLIENTPID,
        &(std::process::id() as i32).to_ne_bytes(),
    );
    for (k, v) in env {
        let mut kv = k.as_bytes().to_vec();
        kv.push(b'=');
        kv.extend_from_slice(v.as_bytes());
        kv.push(0);
        if HEADER + kv.len() <= MAX_IMSGSIZE {
            message(&mut out, MSG_IDENTIFY_ENVIRON, &kv);
        }
    }
    message(&mut out, MSG_IDENTIFY_DONE, &[]);
    let mut cmd = Vec::with_capacity(4 + packed_len(argv));
    cmd.extend_from_slice(&(argv.len() as i32).to_ne_bytes());
    for a in argv {
        cmd.extend_from_slice(a.as_bytes());
        cmd.push(0);
    }
    message(&mut out, MSG_COMMAND, &cmd);
    let mut writer = &stream;
    writer.write_all(&out).map_err(lost)?;

    let mut reader = BufReader::with_capacity(64 * 1024, &stream);
    let mut reply = Reply::default();
    let mut header = [0u8; HEADER];
    loop {
        if reader.read_exact(&mut header).is_err() {
            // Gone without a word: the server died or was killed.
            return Err(TmuxError::ServerExited);
        }
        let kind = u32::from_ne_bytes(header[0..4].try_into().expect("4 bytes"));
        let len = u16::from_ne_bytes(header[4..6].try_into().expect("2 bytes")) as usize;
        let mut data = vec![0u8; len.saturating_sub(HEADER)];
        reader.read_exact(&mut data).map_err(lost)?;
        let int_at = |i: usize| -> i32 {
            data.get(i..i + 4)
                .map(|b| i32::from_ne_bytes(b.try_into().expect("4 bytes")))
                .unwrap_or(0)
        };
        match kind {
            MSG_VERSION => return Ok(Outcome::Fallback),
            MSG_WRITE_OPEN => {
                // Only the client's stdout and stderr are asked for here.
                let (stream_id, fd) = (int_at(0), int_at(4));
                let error = if fd == 1 || fd == 2 { 0 } else { EBADF };
                let mut ready = stream_id.to_ne_bytes().to_vec();
                ready.extend_from_slice(&error.to_ne_bytes());
                let mut m = Vec::new();
                message(&mut m, MSG_WRITE_READY, &ready);
                writer.write_all(&m).map_err(lost)?;
            }
            MSG_WRITE => {
                // Stream 1 is stdout, 2 stderr (tmux numbers them by fd).
                let body = data.get(4..).unwrap_or(&[]);
                match int_at(0) {
                    1 => reply.stdout.extend_from_slice(body),
                    _ => reply.stderr.extend_from_slice(body),
                }
            }
            MSG_READ_OPEN => {
                let stream_id = int_at(0);
                let mut m = Vec::new();
                match input {
                    Some(bytes) if int_at(4) == 0 => {
                        let room = MAX_IMSGSIZE - HEADER - 4;
                        for chunk in bytes.chunks(room) {
                            let mut d = stream_id.to_ne_bytes().to_vec();
                            d.extend_from_slice(chunk);
                            message(&mut m, MSG_READ, &d);
                        }
                        let mut d = stream_id.to_ne_bytes().to_vec();
                        d.extend_from_slice(&0i32.to_ne_bytes());
                        message(&mut m, MSG_READ_DONE, &d);
                    }
                    _ => {
                        let mut d = stream_id.to_ne_bytes().to_vec();
                        d.extend_from_slice(&EBADF.to_ne_bytes());
                        message(&mut m, MSG_READ_DONE, &d);
                    }
                }
                writer.write_all(&m).map_err(lost)?;
            }
            MSG_EXIT | MSG_SHUTDOWN => {
                reply.code = int_at(0);
                // A message after the status is what the real client
                // prints as it exits.
                if let Some(text) = data.get(4..).filter(|t| !t.is_empty()) {
                    let text = text.split(|b| *b == 0).next().unwrap_or(&[]);
                    reply.stderr.extend_from_slice(text);
                    reply.stderr.push(b'\n');
                }
                return Ok(Outcome::Done(reply));
            }
            MSG_EXITED => return Ok(Outcome::Done(reply)),
            // Flags, resize requests and the like concern attached clients.
            _ => {}
        }
    }
}

/// The directory the real client reports: `$PWD` when it names the current
/// directory (keeping the user's symlinks), else the current directory,
/// else `/`.
fn client_cwd() -> std::path::PathBuf {
    let here = std::env::current_dir().ok();
    let pwd = std::env::var_os("PWD").map(std::path::PathBuf::from);
    match (pwd, &here) {
        (Some(p), Some(h))
            if p.is_absolute() && std::fs::canonicalize(&p).ok().as_ref() == Some(h) =>
        {
            p
        }
        _ => here.unwrap_or_else(|| "/".into()),
    }
}
