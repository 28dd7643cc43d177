//! The caller's environment for the agents it starts: an agent gets the
//! environment of the crew command that starts it (`spawn`, `restart`,
//! `recover`), as running the agent's command in that shell would. tmux
//! starts a pane from the server's global environment (fixed when the
//! server started, often from another shell) plus the session's, so crew
//! passes `-e VAR=VALUE` for each variable of its own that the pane would
//! otherwise get wrong: one the server lacks or has another value of, and
//! the ones tmux puts in a session's environment (`update-environment`:
//! SSH_AUTH_SOCK, DISPLAY, …). Only the differences go, which keeps chains
//! short. Nothing of it is stored: pane options are readable by anything
//! on the server, and environments hold secrets (API keys).
//!
//! tmux's `-e` cannot unset: a variable the server has and the caller does
//! not stays set in the agent.

use crate::tmux::{Chain, Cmd, Tmux};
use std::collections::HashMap;

/// Variables tmux sets in every pane itself, or a shell sets for itself:
/// never passed.
const OWN: &[&str] = &[
    "TMUX",
    "TMUX_PANE",
    "TERM",
    "TERM_PROGRAM",
    "TERM_PROGRAM_VERSION",
    "PWD",
    "OLDPWD",
    "SHLVL",
    "_",
    "CREW_AGENT",
    // How crew was run (from a key binding), not something to hand down.
    "CREW_RUN_SHELL",
];

/// Separates the two answers of the one tmux call.
const MARK: &str = "crew:update-environment:";

/// `VAR=VALUE` for each variable of this process the pane would not get
/// from the server as it is. One tmux call.
pub fn caller_env(tmux: &Tmux) -> anyhow::Result<Vec<String>> {
    let mut chain = Chain::new();
    chain.push(Cmd::new("show-environment").arg("-g"));
    chain.push(Cmd::new("display-message").args(["-p", MARK]));
    chain.push(Cmd::new("show-options").args(["-gv", "update-environment"]));
    let out = match tmux.run(&chain) {
        Ok(out) => out,
        // The server crew starts next (new-session) is started from this
        // very environment: nothing differs.
        Err(crate::tmux::TmuxError::NoServer) => return Ok(vec![]),
        Err(e) => {
            return Err(anyhow::Error::new(e).context("could not read the server's environment"))
        }
    };
    let (global, update) = out.split_once(MARK).unwrap_or((&out, ""));
    let ours = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)));
    Ok(diff(ours, global, update))
}

/// The caller's variables (`ours`) that `show-environment -g` output
/// `global` lacks or has otherwise, plus those named in `update` (the
/// session's own), in the caller's order.
pub fn diff(
    ours: impl Iterator<Item = (String, String)>,
    global: &str,
    update: &str,
) -> Vec<String> {
    // A value with a newline spans lines: such a variable never matches
    // and is passed, which is right either way.
    let server: HashMap<&str, &str> = global.lines().filter_map(|l| l.split_once('=')).collect();
    let session: Vec<&str> = update.split_whitespace().collect();
    let mut out: Vec<String> = ours
        .filter(|(k, _)| !k.is_empty() && !OWN.contains(&k.as_str()))
        .filter(|(k, v)| {
            session.contains(&k.as_str()) || server.get(k.as_str()) != Some(&v.as_str())
        })
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(v: &[(&str, &str)]) -> impl Iterator<Item = (String, String)> {
        v.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn only_what_differs_goes() {
        let global = "HOME=/root\nPATH=/bin\n-GONE\nKEY=old\n";
        let got = diff(
            vars(&[
                ("HOME", "/root"),
                ("PATH", "/usr/bin:/bin"),
                ("KEY", "new"),
                ("MYVAR", "x y;#{z}"),
                ("TMUX", "/tmp/s,1,0"),
                ("TERM", "xterm"),
                ("CREW_RUN_SHELL", "1"),
                ("SSH_AUTH_SOCK", "/a"),
            ]),
            global,
            "DISPLAY SSH_AUTH_SOCK",
        );
        assert_eq!(
            got,
            [
                "KEY=new",
                "MYVAR=x y;#{z}",
                "PATH=/usr/bin:/bin",
                "SSH_AUTH_SOCK=/a"
            ]
        );
    }
}
