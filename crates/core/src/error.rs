//! Errors that carry their exit code (SPEC §6) and the hints shown with them.

use std::fmt;

pub const EXIT_FAILURE: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
pub const EXIT_NO_AGENT: i32 = 3;
pub const EXIT_TIMEOUT: i32 = 124;

#[derive(Debug)]
pub struct CrewError {
    pub code: i32,
    pub message: String,
    pub hints: Vec<String>,
}

impl CrewError {
    pub fn new(code: i32, message: impl Into<String>) -> CrewError {
        CrewError {
            code,
            message: message.into(),
            hints: vec![],
        }
    }

    pub fn hint(mut self, h: impl Into<String>) -> CrewError {
        self.hints.push(h.into());
        self
    }

    pub fn usage(message: impl Into<String>) -> CrewError {
        CrewError::new(EXIT_USAGE, message)
    }

    pub fn failure(message: impl Into<String>) -> CrewError {
        CrewError::new(EXIT_FAILURE, message)
    }

    pub fn no_agent(message: impl Into<String>) -> CrewError {
        CrewError::new(EXIT_NO_AGENT, message)
    }

    /// A silent exit with a code (e.g. `wait --until exited` passing through
    /// the agent's status).
    pub fn exit(code: i32) -> CrewError {
        CrewError::new(code, "")
    }
}

impl fmt::Display for CrewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CrewError {}

/// Exit code, message and hints for any error that reaches `main`.
pub fn report(err: &anyhow::Error) -> (i32, String, Vec<String>) {
    use crate::tmux::TmuxError;
    if let Some(e) = err.downcast_ref::<CrewError>() {
        return (e.code, e.message.clone(), e.hints.clone());
    }
    if let Some(e) = err.downcast_ref::<TmuxError>() {
        let hints = match e {
            TmuxError::Missing => vec![
                "install tmux 3.2 or newer (Debian/Ubuntu: `sudo apt install tmux`, macOS: `brew install tmux`)".to_string(),
            ],
            TmuxError::TooOld { .. } => vec!["upgrade tmux, then restart its server".to_string()],
            TmuxError::ServerExited => vec!["agents that were running are gone with it; `crew recover --from FILE` re-creates them from a saved `crew ls --json`".to_string()],
            TmuxError::Unsafe(_) => vec!["tmux refuses it too: if it is yours, `chmod 700` the directory (or remove what is not a socket); otherwise set TMUX_TMPDIR to a private directory".to_string()],
            _ => vec![],
        };
        return (EXIT_FAILURE, format!("{err:#}"), hints);
    }
    (EXIT_FAILURE, format!("{err:#}"), vec![])
}
