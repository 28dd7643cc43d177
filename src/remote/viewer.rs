//! A remote agent on view here: a local pane beside the leader running
//! `ssh -t HOST crew show NAME`, which attaches to the agent's window on its
//! own host. The agent never leaves its host; the viewer is tagged
//! `@crew-viewer NAME@HOST` (it is no agent) so `park` can close it.

use super::base::Base;
use super::Host;
use crate::error::CrewError;
use crate::tmux::{Chain, Cmd, Socket, Tmux, TmuxError};
use anyhow::{Context, Result};

pub const VIEWER: &str = "@crew-viewer";

/// Open (or, when one is open in this window, focus) a viewer of `name` on
/// `host` beside this pane. Returns the exit code.
pub fn open(host: &Host, name: &str, base: &Base, focus: bool) -> Result<i32> {
    let Some(leader) = std::env::var("TMUX_PANE")
        .ok()
        .filter(|p| p.starts_with('%'))
    else {
        return host.forward(
            &base.command(&["show", name]),
            super::Input::Terminal,
            base.verbose,
        );
    };
    // The agent must exist there: ask once, so a typo fails here and not
    // in a pane that closes at once.
    let got = host.capture(&base.command(&["ls", "--json", name]), None)?;
    if got.code != 0 {
        eprint!("{}", got.stderr);
        return Ok(got.code);
    }
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&got.stdout)
        .with_context(|| format!("crew on {} answered `ls --json` with no JSON", host.name))?;
    if rows.is_empty() {
        return Err(
            CrewError::no_agent(format!("no agent named {name} on {}", host.name))
                .hint(format!("`crew ls --hosts {}` lists its agents", host.name))
                .into(),
        );
    }
    let tag = format!("{name}@{}", host.name);
    let tmux = Tmux::new(Socket::Default, base.verbose);
    let panes = list(&tmux)?;
    let window = panes
        .iter()
        .find(|p| p.pane == leader)
        .map(|p| p.window.clone())
        .unwrap_or_default();
    let mut chain = Chain::new();
    if let Some(open) = panes.iter().find(|p| p.tag == tag && p.window == window) {
        if focus {
            chain.push(Cmd::new("select-pane").target(&open.pane));
            tmux.run(&chain)?;
        }
        return Ok(0);
    }
    // A viewer shows its host's parking session, whose current window is
    // one for all its clients: another viewer of this host would follow
    // this one. So, as `show` replaces what is on view, the other viewers
    // of this host, and those in this window, close.
    let suffix = format!("@{}", host.name);
    for p in &panes {
        if !p.tag.is_empty() && (p.window == window || p.tag.ends_with(&suffix)) {
            chain.push(Cmd::new("kill-pane").target(&p.pane));
        }
    }
    // ssh runs as argv (tmux execs several words without a shell); ssh
    // hands the remote shell its own, quoted line. split-window without -d
    // makes the new pane current, so the tag is set on it in the same
    // invocation that creates it.
    chain.push(
        Cmd::new("split-window")
            .args(["-h", "-l", "70%", "-t", &leader])
            .args(host.ssh_argv(&base.command(&["show", name]), true)),
    );
    chain.push(Cmd::new("set-option").args(["-p", VIEWER, &tag]));
    if !focus {
        chain.push(Cmd::new("select-pane").target(&leader));
    }
    tmux.run(&chain).context("could not open the viewer pane")?;
    Ok(0)
}

struct Viewer {
    pane: String,
    window: String,
    tag: String,
}

/// Every pane of the local server with its viewer tag (empty if none).
fn list(tmux: &Tmux) -> Result<Vec<Viewer>> {
    let mut ch = Chain::new();
    ch.push(Cmd::new("list-panes").args([
        "-a",
        "-F",
        &format!("#{{pane_id}}\t#{{window_id}}\t#{{{VIEWER}}}"),
    ]));
    let text = match tmux.run(&ch) {
        Ok(t) => t,
        Err(TmuxError::NoServer) => return Ok(vec![]),
        Err(e) => return Err(e.into()),
    };
    Ok(text
        .lines()
        .filter_map(|l| {
            let mut f = l.splitn(3, '\t');
            Some(Viewer {
                pane: f.next()?.to_string(),
                window: f.next()?.to_string(),
                tag: f.next()?.to_string(),
            })
        })
        .collect())
}

fn close(tmux: &Tmux, pick: impl Fn(&Viewer) -> bool) -> Result<Vec<String>> {
    let hits: Vec<Viewer> = list(tmux)?
        .into_iter()
        .filter(|v| !v.tag.is_empty() && pick(v))
        .collect();
    if hits.is_empty() {
        return Ok(vec![]);
    }
    let mut chain = Chain::new();
    for v in &hits {
        chain.push(Cmd::new("kill-pane").target(&v.pane));
    }
    tmux.run(&chain)
        .context("could not close the viewer panes")?;
    Ok(hits.into_iter().map(|v| v.tag).collect())
}

/// `park NAME@HOST`: close the viewers of these agents on this machine's
/// tmux (the server of `$TMUX`, else the default one).
pub fn close_named(tags: &[String], verbose: bool) -> Result<Vec<String>> {
    if std::env::var_os("TMUX").is_none() {
        return Ok(vec![]);
    }
    let tmux = Tmux::new(Socket::Default, verbose);
    close(&tmux, |v| tags.contains(&v.tag))
}

/// `park` with no names (this window: `Some(window_id)`) or `--all`
/// (`None`): close the viewers there too. Returns their `NAME@HOST`s.
pub fn close_viewers(tmux: &Tmux, window: Option<&str>) -> Result<Vec<String>> {
    close(tmux, |v| window.is_none_or(|w| v.window == w))
}
