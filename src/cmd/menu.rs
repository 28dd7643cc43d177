//! `crew menu`: a tmux menu of agents for a key binding, opened on the
//! client the key was pressed on; choosing one runs crew for it from the
//! pane the key was pressed in.

use super::Ctx;
use crate::cli::{MenuAction, MenuArgs};
use crate::error::CrewError;
use crate::tmux::{format_literal, shell_quote, tmux_quote, Chain, Cmd};
use anyhow::{Context, Result};
use std::io::Write;

/// Menu keys for agents, in order.
const KEYS: &str = "123456789abcdefghijklmnopqrstuvwxyz";

/// One menu line: key, label, tmux command. A label starting with `-` is
/// shown disabled; an empty one is a separator.
struct Item {
    key: String,
    label: String,
    cmd: String,
}

pub fn run(ctx: &Ctx, a: MenuArgs) -> Result<()> {
    if !a.print && !ctx.tmux.inside_same_server() {
        return Err(CrewError::failure(
            "crew menu opens on the tmux client it is run from, and this is not inside tmux",
        )
        .hint("bind it to a key in tmux.conf: bind G run-shell \"crew menu\"")
        .hint("outside tmux, `crew ls` lists the agents and `crew show NAME` attaches")
        .into());
    }
    let snap = ctx.snapshot()?;
    // Items act from the pane the key was pressed in (the view's leader).
    let leader = crate::view::leader(ctx, &snap)?;
    // By name, as `ls`: the keys stay put whatever show and park did.
    let mut agents: Vec<_> = snap.agents.iter().collect();
    agents.sort_by(|x, y| x.name.cmp(&y.name).then(x.pane_id().cmp(y.pane_id())));
    let statuses = crate::observe::statuses(&ctx.tmux, &ctx.config, &agents)?;
    let exe = std::env::current_exe().context("could not find the crew executable")?;
    // Items run as tmux jobs: quiet on success, errors in the status line.
    let mut crew = String::from("CREW_RUN_SHELL=1 ");
    if let Some(l) = leader {
        crew.push_str(&format!("TMUX_PANE={} ", shell_quote(&l.pane_id)));
    }
    crew.push_str(&shell_quote(&exe.display().to_string()));
    for f in ctx.tmux.server_flags() {
        crew.push(' ');
        crew.push_str(&shell_quote(f));
    }
    // run-shell expands its command as a format (and display-menu expanded
    // it once before, see below); display-popup's command is not expanded.
    let popup_crew = crew.clone();
    let crew = format_literal(&crew);
    // On view beside this leader now, in order (for "beside").
    let on_view: Vec<&str> = leader
        .map(|l| {
            snap.agents
                .iter()
                .filter(|ag| ag.pane.window_id == l.window_id && ag.pane_id() != l.pane_id)
                .map(|ag| ag.name.as_str())
                .collect()
        })
        .unwrap_or_default();

    let mut items: Vec<Item> = Vec::new();
    for (i, (ag, st)) in agents.iter().zip(&statuses).enumerate() {
        let key = KEYS.chars().nth(i).map(String::from).unwrap_or_default();
        let shown_name: String = ag.name.chars().flat_map(char::escape_default).collect();
        let label = format!("{shown_name:<20} {:<10} {}", st.as_str(), ag.place.as_str());
        // A damaged tag can hold any name; only a valid one goes into a
        // command (and then needs no quoting at all).
        if crate::names::check(&ag.name).is_err() {
            items.push(Item {
                key: String::new(),
                label: format!("-{label}"),
                cmd: String::new(),
            });
            continue;
        }
        let n = &ag.name;
        let cmd = match a.action {
            MenuAction::Show => format!("run-shell {}", tmux_quote(&format!("{crew} show {n}"))),
            MenuAction::Beside => {
                let mut names: Vec<&str> = on_view.iter().copied().filter(|x| x != n).collect();
                names.push(n);
                format!(
                    "run-shell {}",
                    tmux_quote(&format!("{crew} show {}", names.join(" ")))
                )
            }
            MenuAction::Park => format!("run-shell {}", tmux_quote(&format!("{crew} park {n}"))),
            MenuAction::Kill => {
                format!("run-shell -b {}", tmux_quote(&format!("{crew} kill {n}")))
            }
            MenuAction::Read => format!(
                "display-popup -E -w 90% -h 90% {}{}",
                // Titled with the name where tmux can (3.3 and later).
                if crate::tmux::popup_takes_title(&snap.version) {
                    format!("-T {} ", tmux_quote(&format!(" {n} ")))
                } else {
                    String::new()
                },
                tmux_quote(&format!("{popup_crew} read {n} --all --ansi | less -R +G"))
            ),
        };
        items.push(Item { key, label, cmd });
    }
    if a.action == MenuAction::Show && !items.is_empty() {
        let sub = |action: &str| {
            format!(
                "run-shell {}",
                tmux_quote(&format!("{crew} menu --action {action}"))
            )
        };
        items.push(Item {
            key: String::new(),
            label: String::new(),
            cmd: String::new(),
        });
        for (key, label, action) in [
            ("B", "Show beside…", "beside"),
            ("P", "Park…", "park"),
            ("R", "Read…", "read"),
            ("K", "Kill…", "kill"),
        ] {
            items.push(Item {
                key: key.into(),
                label: label.into(),
                cmd: sub(action),
            });
        }
    }
    if a.print {
        let mut out = std::io::stdout().lock();
        for it in items.iter().filter(|i| !i.label.is_empty()) {
            writeln!(out, "{}\t{}\t{}", it.key, it.label.trim_end(), it.cmd)?;
        }
        return Ok(());
    }
    let client = current_client(ctx)?;
    if agents.is_empty() {
        ctx.tmux
            .message("crew: no agents (crew spawn NAME starts one)");
        return Ok(());
    }
    // tmux silently draws nothing when a menu does not fit.
    let need = items.len() as u32 + 2;
    if client.height < need {
        return Err(CrewError::failure(format!(
            "the menu needs {need} rows and this client has {}",
            client.height
        ))
        .hint("use a taller terminal, or `crew ls` and `crew show NAME`")
        .into());
    }
    let title = match a.action {
        MenuAction::Show => " crew ",
        MenuAction::Beside => " show beside ",
        MenuAction::Park => " park ",
        MenuAction::Read => " read ",
        MenuAction::Kill => " kill ",
    };
    let mut menu = Cmd::new("display-menu").args([
        "-c",
        &client.name,
        "-T",
        &format!("#[align=centre]{title}"),
        "-x",
        "C",
        "-y",
        "C",
    ]);
    for it in items {
        // A separator is one empty argument (tmux reads no key or command
        // after it: three empty ones would be three separators).
        if it.label.is_empty() {
            menu = menu.arg("");
            continue;
        }
        // Labels and commands are expanded as formats when the menu opens.
        menu = menu
            .arg(it.label.replace('#', "##"))
            .arg(it.key)
            .arg(it.cmd.replace('#', "##"));
    }
    let mut ch = Chain::new();
    ch.push(menu);
    ctx.tmux.run(&ch).map_err(|e| {
        CrewError::failure(format!("could not open the menu: {e}"))
            .hint("crew menu is for a tmux key binding: bind G run-shell \"crew menu\"")
    })?;
    Ok(())
}

struct Client {
    name: String,
    height: u32,
}

/// The client crew runs for: the one whose key ran it (tmux finds it from
/// $TMUX), so the menu never opens on somebody else's.
fn current_client(ctx: &Ctx) -> Result<Client> {
    let mut ch = Chain::new();
    ch.push(Cmd::new("display-message").args(["-p", "#{client_height} #{client_name}"]));
    let out = ctx.tmux.run(&ch).unwrap_or_default();
    let (h, name) = out.trim_end().split_once(' ').unwrap_or(("", ""));
    match h.parse() {
        Ok(height) if !name.is_empty() => Ok(Client {
            name: name.to_string(),
            height,
        }),
        _ => Err(CrewError::failure("no tmux client to open the menu on")
            .hint("run it from a key binding: bind G run-shell \"crew menu\"")
            .into()),
    }
}
