//! tmux's stderr, classified once so commands can react to kinds, not strings.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TmuxError {
    /// The tmux binary is not on PATH.
    Missing,
    /// tmux is older than crew supports.
    TooOld { found: String },
    /// No server is listening on the socket.
    NoServer,
    /// A pane, window or session named in the command no longer exists.
    Gone(String),
    /// A split could not fit ("no space for new pane", "pane too small").
    NoSpace(String),
    /// A session with that name already exists.
    Duplicate(String),
    /// The chain exceeded tmux's message size.
    TooLong,
    /// The server went away while the command ran.
    ServerExited,
    /// The socket or its directory is not safe to talk to (the reason).
    Unsafe(String),
    /// Anything else tmux said.
    Other(String),
}

impl TmuxError {
    /// Like `classify`, but a failure without a word on stderr still says
    /// what happened (tmux killed by a signal, or an exit status alone).
    pub fn classify_status(stderr: &str, status: std::process::ExitStatus) -> TmuxError {
        use std::os::unix::process::ExitStatusExt;
        match status.signal() {
            Some(sig) if stderr.trim().is_empty() => {
                TmuxError::Other(format!("the tmux client was killed by signal {sig}"))
            }
            _ => TmuxError::classify_code(stderr, status.code().unwrap_or(1)),
        }
    }

    /// `classify_status` for a status alone (tmux's protocol, no process).
    pub fn classify_code(stderr: &str, code: i32) -> TmuxError {
        if !stderr.trim().is_empty() {
            return TmuxError::classify(stderr);
        }
        TmuxError::Other(format!(
            "tmux failed with exit status {code} and no message"
        ))
    }

    pub fn classify(stderr: &str) -> TmuxError {
        let s = stderr.trim();
        let l = s.to_ascii_lowercase();
        if l.contains("no server running on") || l.contains("error connecting to") {
            TmuxError::NoServer
        } else if l.contains("server exited unexpectedly") || l.contains("lost server") {
            TmuxError::ServerExited
        } else if l.contains("can't find pane")
            || l.contains("can't find window")
            || l.contains("can't find session")
            || l.contains("no such pane")
            || l.contains("no such window")
            || l.contains("no such session")
        {
            TmuxError::Gone(s.to_string())
        } else if l.contains("no space for") || l.contains("pane too small") {
            TmuxError::NoSpace(s.to_string())
        } else if l.contains("duplicate session") {
            TmuxError::Duplicate(s.to_string())
        } else if l.contains("command too long") {
            TmuxError::TooLong
        } else {
            TmuxError::Other(s.to_string())
        }
    }
}

impl fmt::Display for TmuxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TmuxError::Missing => write!(f, "tmux not found in PATH"),
            TmuxError::TooOld { found } => write!(
                f,
                "tmux {found} is too old: crew needs tmux {} or newer",
                super::MIN_VERSION_TEXT
            ),
            TmuxError::NoServer => write!(f, "no tmux server is running"),
            TmuxError::Gone(s) => write!(f, "tmux: {s}"),
            TmuxError::NoSpace(s) => write!(f, "tmux: {s}"),
            TmuxError::Duplicate(s) => write!(f, "tmux: {s}"),
            TmuxError::TooLong => write!(f, "tmux refused the command: too long"),
            TmuxError::ServerExited => write!(f, "the tmux server exited while crew was using it"),
            TmuxError::Unsafe(s) => write!(f, "{s}"),
            TmuxError::Other(s) => write!(f, "tmux: {s}"),
        }
    }
}

impl std::error::Error for TmuxError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(
            TmuxError::classify("no server running on /tmp/tmux-0/x\n"),
            TmuxError::NoServer
        );
        assert_eq!(
            TmuxError::classify("error connecting to /tmp/tmux-0/x (No such file or directory)"),
            TmuxError::NoServer
        );
        assert!(matches!(
            TmuxError::classify("can't find pane: %99"),
            TmuxError::Gone(_)
        ));
        assert!(matches!(
            TmuxError::classify("no space for new pane"),
            TmuxError::NoSpace(_)
        ));
        assert!(matches!(
            TmuxError::classify("pane too small"),
            TmuxError::NoSpace(_)
        ));
        assert!(matches!(
            TmuxError::classify("duplicate session: crew"),
            TmuxError::Duplicate(_)
        ));
        assert_eq!(TmuxError::classify("command too long"), TmuxError::TooLong);
        assert_eq!(
            TmuxError::classify("server exited unexpectedly"),
            TmuxError::ServerExited
        );
        assert!(matches!(
            TmuxError::classify("unknown key: Foo"),
            TmuxError::Other(_)
        ));
    }
}
