//! Completions and man pages, generated from `cli/` and committed under
//! `completions/` and `man/`; `tests/generated.rs` fails when they are stale.

use clap::CommandFactory;
use clap_mangen::roff::{bold, italic, roman, Roff};
use clap_mangen::Man;
use std::path::Path;

/// (relative path, contents) of every generated file.
pub fn files() -> Vec<(String, Vec<u8>)> {
    use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
    let mut out = Vec::new();
    // Dynamic completion: each script asks `crew` itself (on PATH) for the
    // candidates, so agent names come from the running server.
    let shells: [(&dyn EnvCompleter, &str); 5] = [
        (&Bash, "crew.bash"),
        (&Zsh, "_crew"),
        (&Fish, "crew.fish"),
        (&Elvish, "crew.elv"),
        (&Powershell, "_crew.ps1"),
    ];
    for (shell, file) in shells {
        let mut buf = Vec::new();
        shell
            .write_registration("COMPLETE", "crew", "crew", "crew", &mut buf)
            .expect("write to memory");
        out.push((format!("completions/{file}"), buf));
    }
    // `crew help` is the same text as --help: no page of its own.
    let cmd = crate::cli::Cli::command().disable_help_subcommand(true);
    out.push(("man/crew.1".into(), page(&cmd, &cmd, true)));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("crew-{}", sub.get_name());
        out.push((format!("man/{name}.1"), page(&cmd, sub, false)));
    }
    out
}

/// One man page: clap_mangen's sections with a synopsis from clap's own
/// usage line (clap_mangen drops short options' value names), then the
/// sections every page of a command-line tool has.
fn page(top: &clap::Command, cmd: &clap::Command, is_top: bool) -> Vec<u8> {
    let name = if is_top {
        "crew".to_string()
    } else {
        format!("crew-{}", cmd.get_name())
    };
    let mut c = cmd
        .clone()
        .name(name.clone())
        .display_name(name.clone())
        .version(env!("CARGO_PKG_VERSION"));
    if !is_top {
        c = c.bin_name(format!("crew {}", cmd.get_name()));
    }
    let man = Man::new(c.clone());
    let mut buf = Vec::new();
    let w = &mut buf;
    man.render_title(w).expect("memory");
    man.render_name_section(w).expect("memory");
    let usage = c.clone().render_usage().to_string();
    let usage = usage.trim_start_matches("Usage: ").trim();
    let mut r = Roff::new();
    r.control("SH", ["SYNOPSIS"]);
    let bin = if is_top {
        "crew".to_string()
    } else {
        format!("crew {}", cmd.get_name())
    };
    let rest = usage
        .strip_prefix(bin.as_str())
        .unwrap_or(usage)
        .to_string();
    r.text([bold(bin), roman(rest)]);
    w.extend(r.render().into_bytes());
    man.render_description_section(w).expect("memory");
    man.render_options_section(w).expect("memory");
    if is_top {
        man.render_subcommands_section(w).expect("memory");
    }
    if let Some(after) = cmd.get_after_long_help().or_else(|| cmd.get_after_help()) {
        let text = after.to_string();
        let mut r = Roff::new();
        r.control("SH", ["EXAMPLES"]);
        for line in text.lines().filter(|l| *l != "Examples:") {
            r.text([roman(line)]).control("br", []);
        }
        w.extend(r.render().into_bytes());
    }
    w.extend(common_sections(top, is_top).into_bytes());
    man.render_version_section(w).expect("memory");
    buf
}

fn common_sections(top: &clap::Command, is_top: bool) -> String {
    let mut r = Roff::new();
    r.control("SH", ["EXIT STATUS"]);
    for (code, what) in [
        ("0", "success."),
        (
            "1",
            "failure: a tmux error, a duplicate name, a refused action.",
        ),
        ("2", "usage: a bad flag or a bad name."),
        ("3", "no such agent."),
        ("124", "timeout (wait, send --wait-idle)."),
    ] {
        r.control("TP", []).text([bold(code)]).text([roman(what)]);
    }
    r.control("PP", []).text([roman(
        "crew wait --until exited passes the agent's own exit status through. A closed stdout is not an error.",
    )]);
    r.control("SH", ["ENVIRONMENT"]);
    for (var, what) in [
        ("TMUX, TMUX_PANE", "inside tmux: the server to use and the pane that leads the view."),
        ("TMUX_TMPDIR", "where tmux keeps its sockets (and crew its lock file beside them)."),
        ("CREW_CONFIG", "the config file, unless --config is given."),
        ("XDG_CONFIG_HOME", "the config file is $XDG_CONFIG_HOME/crew/config.toml (default ~/.config)."),
        ("XDG_STATE_HOME", "the saved list of agents is under $XDG_STATE_HOME/crew/ (default ~/.local/state)."),
        ("NO_COLOR", "no colour in output (as --color never)."),
        ("CREW_TMUX_CLIENT", "1: start a tmux client process for every call instead of speaking tmux's protocol on its socket."),
        ("CREW_LOCK_WAIT", "seconds a mutating command waits for the lock another one holds (default 60)."),
        ("COMPLETE", "COMPLETE=bash crew (or zsh, fish, elvish, powershell) prints the shell's completion script."),
        ("CREW_AGENT", "set by crew in each agent's environment to the agent's name."),
    ] {
        r.control("TP", []).text([bold(var)]).text([roman(what)]);
    }
    r.control("SH", ["FILES"]);
    r.control("TP", [])
        .text([italic("$XDG_CONFIG_HOME/crew/config.toml")])
        .text([roman("the configuration (see crew config).")]);
    r.control("TP", [])
        .text([italic("<tmux socket>.crew-lock")])
        .text([roman(
            "the advisory lock mutating commands take, beside the tmux socket; it holds nothing.",
        )]);
    r.control("TP", [])
        .text([italic("$XDG_STATE_HOME/crew/SOCKET-HASH.json")])
        .text([roman(
            "the list of agents, one file per tmux server, written after each command that changes the set (mode 0600, replaced atomically), for crew recover after a reboot; save = false in the config turns it off.",
        )]);
    r.control("SH", ["SEE ALSO"]);
    let mut see: Vec<String> = Vec::new();
    if !is_top {
        see.push("crew(1)".into());
    } else {
        see.extend(
            top.get_subcommands()
                .filter(|s| !s.is_hide_set())
                .map(|s| format!("crew-{}(1)", s.get_name())),
        );
    }
    see.push("tmux(1)".into());
    r.text([roman(see.join(", "))]);
    r.render()
}

/// Write every generated file under `root`.
pub fn write_all(root: &Path) -> std::io::Result<()> {
    for (rel, data) in files() {
        let p = root.join(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d)?;
        }
        std::fs::write(p, data)?;
    }
    Ok(())
}
