//! `crew hook [--install]`: the tmux hook that runs `crew recover` when a
//! pane dies, so agents with a restart policy come back on their own.

use super::Ctx;
use crate::cli::HookArgs;
use crate::tmux::{format_literal, shell_quote, Chain, Cmd};
use anyhow::{Context, Result};
use std::io::Write;

pub fn run(ctx: &Ctx, a: HookArgs) -> Result<()> {
    let exe = std::env::current_exe().context("could not find the crew executable")?;
    let mut shell = shell_quote(&exe.display().to_string());
    for f in ctx.tmux.server_flags() {
        shell.push(' ');
        shell.push_str(&shell_quote(f));
    }
    shell.push_str(" recover");
    // -b: the hook must not block the server while recover talks to it.
    // run-shell expands its command as a format: a `#` in a path is literal.
    let run_shell = format!(
        "run-shell -b '{}'",
        format_literal(&shell).replace('\'', "'\\''")
    );
    if a.install {
        let mut ch = Chain::new();
        ch.push(Cmd::new("set-hook").args(["-g", "pane-died", &run_shell]));
        ctx.tmux.run(&ch).context("could not install the hook")?;
        writeln!(
            std::io::stdout(),
            "installed: set-hook -g pane-died \"{run_shell}\""
        )?;
    } else {
        writeln!(std::io::stdout(), "set-hook -g pane-died \"{run_shell}\"")?;
    }
    Ok(())
}
