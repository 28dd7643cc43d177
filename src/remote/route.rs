//! Which host a command runs on. `--host` (or `CREW_HOST`) sends the whole
//! command there; `NAME@HOST` sends each name to its host, grouped, one ssh
//! per host. A remote command is this command line with the host taken
//! out: the remote crew applies the same rules and prints the same errors.

use super::base::Base;
use super::{hosts, viewer, Captured, Host, Input};
use crate::cli::{Cli, Command};
use crate::config::Config;
use crate::error::{CrewError, EXIT_NO_AGENT};
use clap::ArgMatches;
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
    let spread = matches!(&cli.command, Command::Ls(a) if !a.hosts.is_empty() || a.all_hosts);
    if cli.host.is_none() && !spread && !argv.iter().any(|a| a.to_string_lossy().contains('@')) {
        return Ok(None);
    }
    let positions = to_argv(argv, &name_positions(&cli.command, m));
    let has_at = positions
        .iter()
        .any(|&i| argv[i].to_string_lossy().contains('@'));
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
            host.forward(&base.args(&g.names), input_of(cli), cli.verbose)
                .map(Some)
        }
        _ => spread_run(cli, &base, &groups).map(Some),
    }
}

/// What the command reads from stdin: `send`'s message when it comes from
/// there (as `send` itself decides), the terminal for `show`.
fn input_of(cli: &Cli) -> Input {
    match &cli.command {
        Command::Show(_) => Input::Terminal,
        Command::Send(a) if !a.keys => {
            let words: &[String] = if !a.text.is_empty() {
                &a.text
            } else if a.all {
                &a.args
            } else {
                a.args.get(1..).unwrap_or(&[])
            };
            let piped = words.is_empty() && !std::io::stdin().is_terminal();
            if words == ["-"] || piped {
                Input::Data
            } else {
                Input::None
            }
        }
        Command::Ask(a) => {
            let piped = a.text.is_empty() && !std::io::stdin().is_terminal();
            if a.text == ["-"] || piped {
                Input::Data
            } else {
                Input::None
            }
        }
        _ => Input::None,
    }
}

/// Whether `-c` (of the subcommand, or a global one) takes a value.
fn short_takes_value(cmd: &clap::Command, sub: Option<&str>, c: char) -> bool {
    let cmd = match sub.map(|s| cmd.find_subcommand(s)) {
        Some(Some(sc)) => sc,
        Some(None) => return false,
        None => cmd,
    };
    cmd.get_arguments()
        .any(|a| a.get_short() == Some(c) && a.get_action().takes_values())
}

fn long_takes_value(cmd: &clap::Command, long: &str) -> bool {
    cmd.get_arguments()
        .any(|a| a.get_long() == Some(long) && a.get_action().takes_values())
}

/// clap's indices of a subcommand's values count from the subcommand's own
/// word, give `--opt=val`, `-nVAL` and each flag of `-abc` a slot each, and
/// none to `--`; turn them back into positions in argv.
fn to_argv(argv: &[OsString], indices: &[usize]) -> Vec<usize> {
    if indices.is_empty() {
        return vec![];
    }
    let mut cmd = <Cli as clap::CommandFactory>::command();
    cmd.build();
    let words: Vec<String> = argv
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    // The subcommand: the first word that is neither a global flag nor its value.
    let mut i = 1;
    while i < words.len() {
        let w = &words[i];
        if let Some(long) = w.strip_prefix("--") {
            i += if !long.contains('=') && long_takes_value(&cmd, long) {
                2
            } else {
                1
            };
        } else if w.len() > 1 && w.starts_with('-') {
            let shorts: Vec<char> = w[1..].chars().collect();
            let mut skip = 1;
            for (k, c) in shorts.iter().enumerate() {
                if short_takes_value(&cmd, None, *c) {
                    if k + 1 == shorts.len() {
                        skip = 2;
                    }
                    break;
                }
            }
            i += skip;
        } else {
            break;
        }
    }
    let sub = words.get(i).cloned();
    let mut slots: Vec<(usize, usize)> = vec![]; // (virtual index, argv position)
    let mut v = 0;
    let mut after_dd = false;
    for (j, w) in words.iter().enumerate().skip(i + 1) {
        let width = if after_dd {
            1
        } else if w == "--" {
            after_dd = true;
            0
        } else if w.starts_with("--") {
            if w.contains('=') {
                2
            } else {
                1
            }
        } else if w.len() > 1 && w.starts_with('-') {
            let shorts: Vec<char> = w[1..].chars().collect();
            let mut n = 0;
            for (k, c) in shorts.iter().enumerate() {
                n += 1;
                if short_takes_value(&cmd, sub.as_deref(), *c) {
                    if k + 1 < shorts.len() {
                        n += 1;
                    }
                    break;
                }
            }
            n
        } else {
            1
        };
        v += width;
        if width > 0 {
            slots.push((v, j));
        }
    }
    indices
        .iter()
        .filter_map(|ix| slots.iter().find(|(s, _)| s == ix).map(|(_, j)| *j))
        .collect()
}

/// Where the command's agent names are, as clap counts.
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
    let input = if input_of(cli) == Input::Data {
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
                let mut args = base.args(&g.names);
                if let (None, Some(c)) = (&g.host, &cli.config) {
                    // --config was taken out for the hosts; this one is here.
                    args.insert(0, format!("--config={}", c.display()));
                }
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
        .env_remove("CREW_HOST")
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
        return host.forward(&base.args(&g.names), Input::Terminal, cli.verbose);
    }
    let Command::Show(a) = &cli.command else {
        unreachable!("show")
    };
    viewer::open(host, &g.names[0].1, base, a.focus)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::FromArgMatches;

    fn names_at(line: &str) -> Vec<String> {
        let argv: Vec<OsString> = line.split(' ').map(OsString::from).collect();
        let m = <Cli as clap::CommandFactory>::command()
            .try_get_matches_from(&argv)
            .unwrap();
        let cli = Cli::from_arg_matches(&m).unwrap();
        to_argv(&argv, &name_positions(&cli.command, &m))
            .into_iter()
            .map(|i| argv[i].to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn names_are_found_in_argv() {
        assert_eq!(names_at("crew -L x spawn e@h -- cat e@h"), ["e@h"]);
        assert_eq!(names_at("crew spawn -L x --cwd=/a@b e@h -- cat"), ["e@h"]);
        assert_eq!(names_at("crew -vL x kill -- a@b c"), ["a@b", "c"]);
        assert_eq!(
            names_at("crew kill --force --grace=3 a@b c@d"),
            ["a@b", "c@d"]
        );
        assert_eq!(names_at("crew send -vk a@b -- C-c"), ["a@b"]);
        assert_eq!(names_at("crew send a@b x@y z"), ["a@b"]);
        assert_eq!(names_at("crew send a@b x@y -- z@w"), ["a@b", "x@y"]);
        assert_eq!(names_at("crew send --all x@y"), Vec::<String>::new());
        assert_eq!(names_at("crew read -n5 a@b"), ["a@b"]);
        assert_eq!(names_at("crew --color never read -n=5 a@b"), ["a@b"]);
        assert_eq!(names_at("crew --host=h wait a@b --until idle"), ["a@b"]);
    }
}
