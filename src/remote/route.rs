//! Which host a command runs on. `--host` (or `CREW_HOST`) sends the whole
//! command there; `NAME@HOST` sends each name to its host, grouped, one ssh
//! per host. A remote command is this command line with the host taken
//! out: the remote crew applies the same rules and prints the same errors.

use super::{hosts, viewer, Captured, Host};
use crate::cli::{Cli, ColorChoice, Command};
use crate::config::Config;
use crate::error::{CrewError, EXIT_NO_AGENT};
use clap::ArgMatches;
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::io::{IsTerminal, Read, Write};

/// One host's share of the names (None: this machine).
struct Group {
    host: Option<Host>,
    /// argv positions of its names, and the names without `@HOST`.
    names: Vec<(usize, String)>,
    /// Came from a host glob (`NAME@*`): not matching there is fine.
    globbed: bool,
}

/// Run the command where it belongs. None: it is for this machine alone and
/// runs here as usual; Some(code): it ran elsewhere (or spread over hosts).
pub fn route(cli: &Cli, m: &ArgMatches, argv: &[OsString]) -> anyhow::Result<Option<i32>> {
    if matches!(cli.command, Command::Mcp(_)) {
        return Ok(None);
    }
    let positions = name_positions(&cli.command, m);
    let has_at = positions
        .iter()
        .any(|&i| argv[i].to_string_lossy().contains('@'));
    let spread = matches!(&cli.command, Command::Ls(a) if !a.hosts.is_empty() || a.all_hosts);
    if cli.host.is_none() && !has_at && !spread {
        return Ok(None);
    }
    let argv: Vec<String> = argv
        .iter()
        .map(|a| {
            a.to_str().map(str::to_string).ok_or_else(|| {
                CrewError::usage(format!(
                    "argument {a:?} is not UTF-8: it cannot be sent to another host"
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    let config = Config::load(cli.config.as_deref())?;
    let default = cli
        .host
        .as_deref()
        .map(|h| Host::resolve(h, &config))
        .transpose()?;
    let base = Base::new(&argv, cli, &positions);

    if let Command::Ls(a) = &cli.command {
        if spread {
            let names: Vec<&str> = positions.iter().map(|&i| argv[i].as_str()).collect();
            let list: Vec<Host> = if a.all_hosts {
                if config.hosts.is_empty() {
                    return Err(CrewError::usage("--all-hosts: the config names no hosts")
                        .hint("add [hosts.NAME] tables to the config file")
                        .into());
                }
                config
                    .hosts
                    .keys()
                    .map(|n| Host::resolve(n, &config))
                    .collect::<Result<_, _>>()?
            } else {
                a.hosts
                    .iter()
                    .map(|n| Host::resolve(n, &config))
                    .collect::<Result<_, _>>()?
            };
            return hosts::ls(&list, &base, &names, a.json, a.quiet).map(Some);
        }
    }

    let groups = group(&argv, &positions, default.as_ref(), &config)?;
    if let Command::Show(_) = &cli.command {
        if groups.iter().any(|g| g.host.is_some()) {
            return show(cli, &base, &groups).map(Some);
        }
    }
    if let Command::Park(_) = &cli.command {
        // A remote agent is on view here only as a viewer pane: close it.
        let mine: Vec<String> = groups
            .iter()
            .filter_map(|g| g.host.as_ref().map(|h| (h, &g.names)))
            .flat_map(|(h, names)| names.iter().map(move |(_, n)| format!("{n}@{}", h.name)))
            .collect();
        if !mine.is_empty() {
            for v in viewer::close_named(&mine, cli.verbose)? {
                println!("closed the viewer of {v}");
            }
        }
    }
    match groups.as_slice() {
        [g] if g.host.is_none() => Ok(None),
        [g] => {
            let host = g.host.as_ref().expect("remote");
            host.forward(&base.args(&g.names), cli.verbose).map(Some)
        }
        _ => spread_run(cli, &base, &groups).map(Some),
    }
}

/// Where the command's agent names are in argv.
fn name_positions(cmd: &Command, m: &ArgMatches) -> Vec<usize> {
    let Some((_, sub)) = m.subcommand() else {
        return vec![];
    };
    let ids: Vec<&str> = sub.ids().map(|i| i.as_str()).collect();
    let of = |id: &str| -> Vec<usize> {
        if ids.contains(&id) {
            sub.indices_of(id).map(|i| i.collect()).unwrap_or_default()
        } else {
            vec![]
        }
    };
    match cmd {
        // NAME TEXT…, or NAME… -- TEXT; with --all every word is text.
        Command::Send(a) => {
            let all = of("args");
            if !a.text.is_empty() {
                all
            } else if a.all {
                vec![]
            } else {
                all.into_iter().take(1).collect()
            }
        }
        Command::Mcp(_) | Command::Config(_) | Command::Hook(_) | Command::Menu(_) => vec![],
        _ => {
            let mut v = of("names");
            v.extend(of("name"));
            v
        }
    }
}

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
    fn new(argv: &[String], cli: &Cli, names: &[usize]) -> Base {
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
    fn args(&self, names: &[(usize, String)]) -> Vec<String> {
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

fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Names grouped by host, in the order their hosts first appear.
fn group(
    argv: &[String],
    positions: &[usize],
    default: Option<&Host>,
    config: &Config,
) -> anyhow::Result<Vec<Group>> {
    let mut groups: Vec<Group> = vec![];
    for &i in positions {
        let word = &argv[i];
        let Some((name, host)) = word.split_once('@') else {
            add(&mut groups, default.cloned(), (i, word.clone()), false);
            continue;
        };
        if name.is_empty() || host.is_empty() {
            return Err(CrewError::usage(format!(
                "invalid agent address {word:?}: write NAME@HOST"
            ))
            .into());
        }
        if is_glob(host) {
            let pat = glob::Pattern::new(host)
                .map_err(|e| CrewError::usage(format!("invalid host pattern {host:?}: {e}")))?;
            let hits: Vec<&String> = config.hosts.keys().filter(|h| pat.matches(h)).collect();
            if hits.is_empty() {
                return Err(
                    CrewError::usage(format!("no host in the config matches {host:?}"))
                        .hint("hosts are named under [hosts.NAME] in the config file")
                        .into(),
                );
            }
            for h in hits {
                let host = Host::resolve(h, config)?;
                add(&mut groups, Some(host), (i, name.to_string()), true);
            }
        } else {
            let host = Host::resolve(host, config)?;
            add(&mut groups, Some(host), (i, name.to_string()), false);
        }
    }
    if groups.is_empty() {
        groups.push(Group {
            host: default.cloned(),
            names: vec![],
            globbed: false,
        });
    }
    Ok(groups)
}

fn add(groups: &mut Vec<Group>, host: Option<Host>, name: (usize, String), globbed: bool) {
    match groups.iter_mut().find(|g| g.host == host) {
        Some(g) => g.names.push(name),
        None => groups.push(Group {
            host,
            names: vec![name],
            globbed,
        }),
    }
}

/// Several hosts at once: each host's share in parallel, outputs printed in
/// host order, the first failure's exit code returned.
fn spread_run(cli: &Cli, base: &Base, groups: &[Group]) -> anyhow::Result<i32> {
    let input = if matches!(cli.command, Command::Send(_)) && !std::io::stdin().is_terminal() {
        let mut buf = vec![];
        std::io::stdin().read_to_end(&mut buf)?;
        Some(buf)
    } else {
        None
    };
    let results: Vec<anyhow::Result<Captured>> = std::thread::scope(|s| {
        let handles: Vec<_> = groups
            .iter()
            .map(|g| {
                let args = base.args(&g.names);
                let input = input.as_deref();
                s.spawn(move || match &g.host {
                    Some(h) => h.capture(&args, input),
                    None => local(&args, input),
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("no panic"))
            .collect()
    });
    let mut code = 0;
    // A host glob that matches no agent on some hosts is fine while it
    // matches somewhere.
    let glob_hit = groups
        .iter()
        .zip(&results)
        .any(|(g, r)| g.globbed && r.as_ref().is_ok_and(|c| c.code == 0));
    let mut out = std::io::stdout().lock();
    for (g, r) in groups.iter().zip(results) {
        let label = g.host.as_ref().map_or("this host", |h| h.name.as_str());
        match r {
            Ok(c) => {
                if g.globbed && glob_hit && c.code == EXIT_NO_AGENT {
                    continue;
                }
                out.write_all(&c.stdout)?;
                out.flush()?;
                for l in c.stderr.lines() {
                    eprintln!("{l} [{label}]");
                }
                if code == 0 {
                    code = c.code;
                }
            }
            Err(e) => {
                let (c, msg, hints) = crate::error::report(&e);
                eprintln!("crew: {msg}");
                for h in hints {
                    eprintln!("hint: {h}");
                }
                if code == 0 {
                    code = c;
                }
            }
        }
    }
    Ok(code)
}

/// This machine's share of a spread command: crew itself, as a child.
fn local(args: &[String], input: Option<&[u8]>) -> anyhow::Result<Captured> {
    use std::process::Stdio;
    let exe = std::env::current_exe()?;
    let mut child = std::process::Command::new(exe)
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    if let Some(data) = input {
        let mut stdin = child.stdin.take().expect("piped");
        let data = data.to_vec();
        std::thread::spawn(move || {
            let _ = stdin.write_all(&data);
        });
    }
    let out = child.wait_with_output()?;
    Ok(Captured {
        code: out.status.code().unwrap_or(1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

/// `show NAME@HOST`: inside tmux, a viewer pane beside the leader that
/// attaches to the agent over `ssh -t`; outside, this terminal attaches.
fn show(cli: &Cli, base: &Base, groups: &[Group]) -> anyhow::Result<i32> {
    let [g] = groups else {
        return Err(CrewError::usage("show takes agents of one host at a time").into());
    };
    let host = g.host.as_ref().expect("remote");
    if std::env::var_os("TMUX").is_none() || g.names.len() != 1 {
        return host.forward(&base.args(&g.names), cli.verbose);
    }
    let Command::Show(a) = &cli.command else {
        unreachable!("show")
    };
    viewer::open(host, &g.names[0].1, base, a.focus)
}
