//! The command line as given, ready to be cut per host: the flags that
//! belong to this machine taken out, colour decided here.

use crate::cli::{Cli, ColorChoice};
use std::collections::BTreeSet;
use std::io::IsTerminal;

/// argv with the local-only flags taken out, to be cut per host.
pub(super) struct Base {
    argv: Vec<String>,
    dropped: BTreeSet<usize>,
    /// Every agent name's position, whatever its host.
    names: BTreeSet<usize>,
    color: &'static str,
    socket: Vec<String>,
    pub(super) verbose: bool,
}

impl Base {
    pub(super) fn new(argv: &[String], cli: &Cli, names: &[usize]) -> Base {
        // --host, --config and --hosts are this machine's; --color is
        // decided here, where the terminal is.
        const LOCAL: [&str; 4] = ["--host", "--config", "--color", "--hosts"];
        let mut dropped = BTreeSet::new();
        let mut i = 1;
        while i < argv.len() {
            let a = argv[i].as_str();
            if a == "--" {
                break;
            }
            if LOCAL.contains(&a) {
                dropped.extend([i, i + 1]);
                i += 2;
                continue;
            }
            if a == "--all-hosts" || LOCAL.iter().any(|f| a.starts_with(&format!("{f}="))) {
                dropped.insert(i);
            }
            i += 1;
        }
        let color = match cli.color {
            ColorChoice::Always => "always",
            ColorChoice::Never => "never",
            ColorChoice::Auto => {
                let on = std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var("TERM").map_or(true, |t| t != "dumb");
                if on {
                    "always"
                } else {
                    "never"
                }
            }
        };
        let socket = match (&cli.socket_name, &cli.socket_path) {
            (Some(n), _) => vec!["-L".to_string(), n.clone()],
            (None, Some(p)) => vec!["-S".to_string(), p.display().to_string()],
            _ => vec![],
        };
        Base {
            argv: argv.to_vec(),
            dropped,
            names: names.iter().copied().collect(),
            color,
            socket,
            verbose: cli.verbose,
        }
    }

    /// The arguments for one host: its names without `@HOST`, the other
    /// hosts' names left out.
    pub(super) fn args(&self, names: &[(usize, String)]) -> Vec<String> {
        let mut out = vec![format!("--color={}", self.color)];
        for (i, a) in self.argv.iter().enumerate().skip(1) {
            if self.dropped.contains(&i) {
                continue;
            }
            match names.iter().find(|(p, _)| *p == i) {
                Some((_, n)) => out.push(n.clone()),
                None if self.names.contains(&i) => {}
                None => out.push(a.clone()),
            }
        }
        out
    }

    /// Global flags for a command crew composes itself: the server choice
    /// (`-L`/`-S` name the remote server), `-v`, colour.
    pub(super) fn command(&self, words: &[&str]) -> Vec<String> {
        let mut out = vec![format!("--color={}", self.color)];
        out.extend(self.socket.iter().cloned());
        if self.verbose {
            out.push("-v".into());
        }
        out.extend(words.iter().map(|w| w.to_string()));
        out
    }
}
