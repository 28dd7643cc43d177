//! crew: AI coding agents in tmux panes, driven by single-shot commands.
//! Every command is snapshot → plan → apply; tmux pane tags are the only state.

pub use crew_core::{
    clock, config, error, mode, procs, profile, report, screen, snapshot, status, tags, text, tmux,
    turns, usage,
};

pub mod attention;
pub mod board;
pub mod cli;
pub mod cmd;
pub mod complete;
pub mod ctx;
pub mod dash;
pub mod deliver;
pub mod dialog;
pub mod ended;
pub mod environ;
pub mod generate;
pub mod launch;
pub mod layout;
pub mod lock;
pub mod mailbox;
pub mod mcp;
pub mod names;
pub mod note;
pub mod observe;
pub mod parking;
pub mod receipt;
pub mod remote;
pub mod render;
pub mod review;
pub mod saved;
pub mod spec;
pub mod team;
pub mod usage_tag;
pub mod view;
pub mod worktree;

use clap::{CommandFactory, FromArgMatches};
use std::ffi::OsString;
use std::io::Write;

/// Parse, run, and turn the outcome into an exit code (SPEC §6).
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let argv: Vec<OsString> = args.into_iter().collect();
    // Called by crew on another host: only the same version may answer
    // (checked before parsing: another version's flags may differ).
    if let Err(e) = remote::check_peer() {
        return report(&e.into(), None);
    }
    let parsed = cli::Cli::command()
        .try_get_matches_from(&argv)
        .and_then(|m| cli::Cli::from_arg_matches(&m).map(|c| (c, m)));
    let (cli, matches) = match parsed {
        Ok(c) => c,
        Err(mut e) => {
            cli::better_suggestion(&mut e);
            let _ = e.print();
            if let Some(hint) = cli::spawn_hint(&e, &argv) {
                eprintln!("hint: {hint}");
            }
            return e.exit_code();
        }
    };
    let tmux = cmd::tmux_of(&cli);
    // Another host's command (--host, NAME@HOST) is forwarded there.
    let outcome = match remote::route(&cli, &matches, &argv) {
        Ok(Some(code)) => return code,
        Ok(None) => cmd::dispatch(cli),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => 0,
        Err(err) => report(&err, Some(&tmux)),
    }
}

/// Print an error as `crew: …` and `hint: …` lines; its exit code. Run by a
/// key binding or hook, the error goes to tmux's message line instead.
fn report(err: &anyhow::Error, tmux: Option<&tmux::Tmux>) -> i32 {
    // `crew ls | head -1`: a closed stdout is not an error.
    if err
        .chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    {
        return 0;
    }
    let (code, msg, hints) = error::report(err);
    if let Some(tmux) = tmux.filter(|_| render::under_run_shell() && !msg.is_empty()) {
        // From a key binding or hook: tmux would show stdout, or a bare
        // "returned 1", in an overlay over the user's pane.
        let mut text = format!("crew: {msg}");
        for h in &hints {
            text.push_str(&format!(" (hint: {h})"));
        }
        tmux.message(&text);
        return 0;
    }
    let mut stderr = std::io::stderr().lock();
    if !msg.is_empty() {
        let _ = writeln!(stderr, "crew: {msg}");
    }
    for h in hints {
        let _ = writeln!(stderr, "hint: {h}");
    }
    code
}
