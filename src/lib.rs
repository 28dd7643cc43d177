//! crew: AI coding agents in tmux panes, driven by single-shot commands.
//! Every command is snapshot → plan → apply; tmux pane tags are the only state.

pub mod cli;
pub mod cmd;
pub mod config;
pub mod ctx;
pub mod deliver;
pub mod error;
pub mod generate;
pub mod mcp;
pub mod names;
pub mod outcome;
pub mod parking;
pub mod procs;
pub mod profile;
pub mod remote;
pub mod render;
pub mod screen;
pub mod snapshot;
pub mod spec;
pub mod status;
pub mod tags;
pub mod text;
pub mod tmux;
pub mod view;

use clap::{CommandFactory, FromArgMatches};
use std::ffi::OsString;
use std::io::Write;

/// Parse, run, and turn the outcome into an exit code (SPEC §6).
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let argv: Vec<OsString> = args.into_iter().collect();
    // Called by crew on another host: only the same version may answer
    // (checked before parsing: another version's flags may differ).
    if let Err(e) = remote::check_peer() {
        return report(&e.into());
    }
    let parsed = cli::Cli::command()
        .try_get_matches_from(&argv)
        .and_then(|m| cli::Cli::from_arg_matches(&m).map(|c| (c, m)));
    let (cli, matches) = match parsed {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return e.exit_code();
        }
    };
    // Another host's command (--host, NAME@HOST) is forwarded there.
    let outcome = match remote::route(&cli, &matches, &argv) {
        Ok(Some(code)) => return code,
        Ok(None) => cmd::dispatch(cli),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => 0,
        Err(err) => report(&err),
    }
}

/// Print an error as `crew: …` and `hint: …` lines; its exit code.
fn report(err: &anyhow::Error) -> i32 {
    // `crew ls | head -1`: a closed stdout is not an error.
    if err
        .chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    {
        return 0;
    }
    let (code, msg, hints) = error::report(err);
    let mut stderr = std::io::stderr().lock();
    if !msg.is_empty() {
        let _ = writeln!(stderr, "crew: {msg}");
    }
    for h in hints {
        let _ = writeln!(stderr, "hint: {h}");
    }
    code
}
