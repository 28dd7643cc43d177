//! Dynamic shell completion (clap_complete's `COMPLETE=$SHELL crew`): agent
//! names from the running server, profile names from the config. Layouts,
//! restart policies and the other fixed choices come from clap itself.

use crate::config::Config;
use crate::snapshot::Snapshot;
use crate::tmux::{Socket, Tmux};
use clap_complete::engine::CompletionCandidate;
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

/// The words being completed (after the `--` the shell script passes):
/// the server and config flags typed so far.
fn typed() -> (Socket, Option<PathBuf>) {
    let args: Vec<OsString> = std::env::args_os()
        .skip_while(|a| a != "--")
        .skip(1)
        .collect();
    let mut socket = Socket::Default;
    let mut config = None;
    let mut it = args.iter().peekable();
    while let Some(a) = it.next() {
        let a = a.to_string_lossy();
        let mut value = |flag: &str| -> Option<String> {
            if a == flag {
                it.peek().map(|v| v.to_string_lossy().into_owned())
            } else {
                a.strip_prefix(flag)
                    .map(|v| v.trim_start_matches('=').to_string())
                    .filter(|v| !v.is_empty())
            }
        };
        if let Some(v) = value("-L") {
            socket = Socket::Name(v);
        } else if let Some(v) = value("-S") {
            socket = Socket::Path(v.into());
        } else if let Some(v) = value("--config") {
            config = Some(v.into());
        }
    }
    (socket, config)
}

/// Agents on the server the command line names: one `list-panes`.
pub fn agent_names(current: &OsStr) -> Vec<CompletionCandidate> {
    let (socket, config) = typed();
    let session = Config::load(config.as_deref())
        .map(|c| c.session)
        .unwrap_or_else(|_| "crew".into());
    let Ok(snap) = Snapshot::take(&Tmux::new(socket, false), &session) else {
        return vec![];
    };
    let cur = current.to_string_lossy();
    let mut names: Vec<(&str, &str)> = snap
        .agents
        .iter()
        .filter(|a| a.damage.is_none() && a.name.starts_with(&*cur))
        .map(|a| (a.name.as_str(), a.place.as_str()))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|(n, place)| CompletionCandidate::new(n).help(Some(place.into())))
        .collect()
}

/// Profiles: built-in and from the config file.
pub fn profile_names(current: &OsStr) -> Vec<CompletionCandidate> {
    let (_, config) = typed();
    let Ok(c) = Config::load(config.as_deref()) else {
        return vec![];
    };
    let cur = current.to_string_lossy();
    c.profiles
        .iter()
        .filter(|p| p.name.starts_with(&*cur))
        .map(|p| CompletionCandidate::new(&p.name))
        .collect()
}
