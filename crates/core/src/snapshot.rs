//! One `list-panes -a` whose format carries every tag and pane fact: the whole
//! picture a crew command works from.

use crate::tags::{self, Tags};
use crate::tmux::{Chain, Cmd, Tmux, TmuxError};
use anyhow::Result;
use serde::Serialize;

/// Pane facts, in the order the format carries them. Every `#{…}` costs
/// the server time per pane on every command, so only what crew uses is
/// here: the exit status and signal are one field, expanded only for dead
/// panes, and the server's version is read once, not per pane.
const FACTS: &[&str] = &[
    "session_id",
    "session_name",
    "window_id",
    "window_index",
    "window_name",
    "pane_id",
    "pane_pid",
    "pane_dead",
    "?pane_dead,#{pane_dead_status}:#{pane_dead_signal},",
    "pane_title",
    // Asked of tmux only without /proc (see format_string).
    "pane_current_command",
    "pane_height",
    "window_width",
    "window_height",
    "pane_in_mode",
];

/// Window-level options crew keeps on windows it manages.
const WIN_OPTS: &[&str] = &[
    tags::WIN_ROLE,
    tags::WIN_LEADER,
    tags::WIN_SAVED_BORDER,
    tags::WIN_LAYOUT,
];

#[derive(Debug, Clone, Default)]
pub struct Pane {
    pub session_id: String,
    pub session_name: String,
    pub window_id: String,
    pub window_index: u32,
    pub window_name: String,
    pub pane_id: String,
    pub pid: u32,
    pub dead: bool,
    pub dead_status: Option<i32>,
    pub dead_signal: Option<i32>,
    pub title: String,
    pub current_command: String,
    pub height: u32,
    pub window_width: u32,
    pub window_height: u32,
    pub in_mode: bool,
    /// Panes in the window (counted from the snapshot, not asked of tmux).
    pub window_panes: u32,
    pub role: String,
    pub leader: String,
    pub saved_border: String,
    pub layout: String,
    /// Raw `@crew*` pane tags.
    pub raw_tags: tags::Raw,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Where {
    Shown,
    Parked,
    Elsewhere,
}

impl Where {
    pub fn as_str(self) -> &'static str {
        match self {
            Where::Shown => "shown",
            Where::Parked => "parked",
            Where::Elsewhere => "elsewhere",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Agent {
    pub name: String,
    pub pane: Pane,
    pub tags: Tags,
    /// Why the tags could not be read, if they could not (set by hand, say).
    pub damage: Option<String>,
    pub place: Where,
}

impl Agent {
    pub fn pane_id(&self) -> &str {
        &self.pane.pane_id
    }
}

#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub server: bool,
    pub version: String,
    /// The server's process and when it started (unix seconds): which
    /// server this is, so a saved list can tell a new server (a reboot, a
    /// `kill-server`) from the one it was saved on.
    pub server_pid: u32,
    pub server_start: u64,
    pub panes: Vec<Pane>,
    pub agents: Vec<Agent>,
    pub parking_name: String,
}

/// The signal in tmux 3.2's "Pane is dead (signal N, TIME)" line.
fn dead_signal_of(line: &str) -> Option<i32> {
    let rest = line.trim().strip_prefix("Pane is dead (signal ")?;
    let sig = rest.split([',', ')']).next()?.trim();
    sig.parse().ok().or(match sig {
        "HUP" => Some(1),
        "INT" => Some(2),
        "QUIT" => Some(3),
        "ABRT" => Some(6),
        "KILL" => Some(9),
        "SEGV" => Some(11),
        "PIPE" => Some(13),
        "TERM" => Some(15),
        _ => None,
    })
}

/// Unguessable field and record separators: a pane title (set by any program
/// in the pane) can contain tabs or newlines, but not a random token.
fn nonce() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.write_u32(std::process::id());
    format!("{:016x}", h.finish())
}

struct Seps {
    field: String,
    record: String,
    /// Also read each pane's turn events (`ls --json`): kilobytes a pane,
    /// which other commands have no use for.
    turns: bool,
}

fn format_string(seps: &Seps) -> String {
    // tmux finds the foreground command by reading /proc for every pane on
    // its single thread (the dearest field by far); crew reads it itself
    // where it needs it (procs::look_many), so tmux is asked only without
    // a /proc.
    let mut parts: Vec<String> = FACTS
        .iter()
        .map(|f| match *f {
            "pane_current_command" if crate::procs::available() => String::new(),
            f => format!("#{{{f}}}"),
        })
        .collect();
    // The role, then the view's options, which only a view window has: one
    // conditional stands for all three elsewhere (the separator has no comma).
    let (role, view) = WIN_OPTS.split_first().expect("role first");
    parts.push(format!("#{{{role}}}"));
    let shown: Vec<String> = view.iter().map(|o| format!("#{{{o}}}")).collect();
    parts.push(format!(
        "#{{?{},{},{}}}",
        view[0],
        shown.join(&seps.field),
        seps.field.repeat(view.len() - 1)
    ));
    parts.extend(tags::formats());
    if seps.turns {
        parts.push(format!("#{{{}}}", tags::TURNS));
    }
    // tmux ends each line with its own newline, which is part of `record`.
    format!(
        "{}{}",
        parts.join(&seps.field),
        seps.record.trim_end_matches('\n')
    )
}

/// The list-panes command, for callers that chain it after their own work.
fn list_cmd(seps: &Seps) -> Cmd {
    Cmd::new("list-panes").args(["-a", "-F", &format_string(seps)])
}

impl Snapshot {
    pub fn take(tmux: &Tmux, parking_name: &str) -> Result<Snapshot> {
        Snapshot::take_with(tmux, parking_name, false)
    }

    /// `take`, with each agent's turn events (`Tags::turns`) when `turns`.
    pub fn take_with(tmux: &Tmux, parking_name: &str, turns: bool) -> Result<Snapshot> {
        let n = nonce();
        let seps = Seps {
            field: format!("<{n}>"),
            record: format!("<{n}.>\n"),
            turns,
        };
        let mut chain = Chain::new();
        chain.push(Cmd::new("display-message").args([
            "-p",
            &format!(
                "#{{version}} #{{pid}} #{{start_time}}{}",
                seps.record.trim_end()
            ),
        ]));
        chain.push(list_cmd(&seps));
        match tmux.run(&chain) {
            Ok(out) => {
                let (server, rest) = out.split_once(seps.record.as_str()).unwrap_or(("", &out));
                let mut it = server.split(' ');
                let version = it.next().unwrap_or("");
                let mut snap =
                    Snapshot::parse(rest, version, &seps.field, &seps.record, parking_name)?;
                snap.server_pid = it.next().and_then(|p| p.parse().ok()).unwrap_or(0);
                snap.server_start = it.next().and_then(|t| t.parse().ok()).unwrap_or(0);
                snap.read_dead_signals(tmux)?;
                Ok(snap)
            }
            // No server, or (seen by a command that outlived it) none any
            // more: no agents. A command that would start one in its place
            // is stopped in the tmux layer, not here.
            Err(TmuxError::NoServer | TmuxError::ServerExited) => Ok(Snapshot {
                parking_name: parking_name.to_string(),
                ..Snapshot::default()
            }),
            Err(e) => Err(e.into()),
        }
    }

    /// tmux 3.2 has no `#{pane_dead_signal}`: a pane whose process was
    /// killed by a signal says so only on its last row, "Pane is dead
    /// (signal 9, …)" (a name on BSD). Read those rows, one line per pane,
    /// in one call, for the dead panes that have neither status nor signal.
    fn read_dead_signals(&mut self, tmux: &Tmux) -> Result<()> {
        if crate::tmux::parse_version(&self.version).is_none_or(|v| v >= (3, 3)) {
            return Ok(());
        }
        let want: Vec<usize> = (0..self.panes.len())
            .filter(|&i| {
                let p = &self.panes[i];
                p.dead && p.dead_status.is_none() && p.dead_signal.is_none() && p.height > 0
            })
            .collect();
        if want.is_empty() {
            return Ok(());
        }
        let mut chain = Chain::new();
        for &i in &want {
            let row = (self.panes[i].height - 1).to_string();
            chain.push(
                Cmd::new("capture-pane")
                    .args(["-p", "-S", &row, "-E", &row])
                    .target(&self.panes[i].pane_id),
            );
        }
        let out = match tmux.run(&chain) {
            Ok(out) => out,
            // A pane went meanwhile: its signal stays unknown.
            Err(TmuxError::Gone(_)) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        for (&i, line) in want.iter().zip(out.lines()) {
            self.panes[i].dead_signal = dead_signal_of(line);
        }
        self.agents = self.build_agents();
        Ok(())
    }

    fn parse(
        out: &str,
        version: &str,
        field: &str,
        record: &str,
        parking_name: &str,
    ) -> Result<Snapshot> {
        let mut panes = Vec::new();
        for rec in out.split(record) {
            if rec.is_empty() {
                continue;
            }
            let f: Vec<&str> = rec.split(field).collect();
            let fields = FACTS.len() + WIN_OPTS.len() + tags::formats().len();
            if f.len() != fields && f.len() != fields + 1 {
                anyhow::bail!("could not parse tmux's pane list (got {} fields)", f.len());
            }
            let num = |i: usize| f[i].parse::<u32>().unwrap_or(0);
            let (status, signal) = f[8].split_once(':').unwrap_or(("", ""));
            let w = FACTS.len();
            panes.push(Pane {
                session_id: f[0].into(),
                session_name: f[1].into(),
                window_id: f[2].into(),
                window_index: num(3),
                window_name: f[4].into(),
                pane_id: f[5].into(),
                pid: num(6),
                dead: f[7] == "1",
                dead_status: status.parse().ok(),
                dead_signal: signal.parse().ok(),
                title: f[9].into(),
                current_command: f[10].into(),
                height: num(11),
                window_width: num(12),
                window_height: num(13),
                in_mode: f[14] == "1",
                window_panes: 0,
                role: f[w].into(),
                leader: f[w + 1].into(),
                saved_border: f[w + 2].into(),
                layout: f[w + 3].into(),
                raw_tags: tags::Raw {
                    turns: f.get(fields).map_or(String::new(), |t| t.to_string()),
                    ..tags::Raw::from_fields(&f[w + WIN_OPTS.len()..fields])
                },
            });
        }
        // A window linked into two sessions lists its panes twice.
        let mut windows: std::collections::HashMap<&str, Vec<&str>> = Default::default();
        for p in &panes {
            let ids = windows.entry(p.window_id.as_str()).or_default();
            if !ids.contains(&p.pane_id.as_str()) {
                ids.push(&p.pane_id);
            }
        }
        let counts: Vec<u32> = panes
            .iter()
            .map(|p| windows[p.window_id.as_str()].len() as u32)
            .collect();
        for (p, n) in panes.iter_mut().zip(counts) {
            p.window_panes = n;
        }
        // tmux marks a pane dead when its pty closes and learns the status
        // when it reaps the child, which can lag by seconds: read a zombie's
        // status from /proc meanwhile.
        for p in panes.iter_mut() {
            if p.dead && p.dead_status.is_none() && p.dead_signal.is_none() {
                if let Some((st, sig)) = crate::procs::zombie_exit(p.pid) {
                    p.dead_status = st;
                    p.dead_signal = sig;
                }
            }
        }
        let version = version.trim().to_string();
        if !panes.is_empty() {
            crate::tmux::check_version(&version)?;
        }
        let mut snap = Snapshot {
            server: true,
            version,
            panes,
            agents: vec![],
            parking_name: parking_name.to_string(),
            ..Snapshot::default()
        };
        snap.agents = snap.build_agents();
        Ok(snap)
    }

    fn build_agents(&self) -> Vec<Agent> {
        let mut agents = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let linked: std::collections::HashSet<&str> = self
            .panes
            .iter()
            .filter(|p| !seen.insert(p.pane_id.as_str()))
            .map(|p| p.pane_id.as_str())
            .collect();
        for p in &self.panes {
            let name = &p.raw_tags.name;
            if name.is_empty() {
                continue;
            }
            let (tags, damage) = match Tags::parse(&p.raw_tags) {
                Ok(t) => (t, None),
                Err(e) => (
                    Tags {
                        name: name.clone(),
                        ..Tags::default()
                    },
                    Some(format!("{e:#}")),
                ),
            };
            if !self.listed_here(p, &tags.team, &linked) {
                continue;
            }
            agents.push(Agent {
                name: name.clone(),
                place: self.place_of(p, &tags.team),
                pane: p.clone(),
                tags,
                damage,
            });
        }
        agents
    }

    /// A window linked into several sessions (a session grouped with the
    /// parking session, `link-window`) lists its panes once per session:
    /// each agent is taken once, from crew's own session (the parking
    /// session, its team's) where it is in one, else from the first.
    fn listed_here(&self, p: &Pane, team: &str, linked: &std::collections::HashSet<&str>) -> bool {
        if !linked.contains(p.pane_id.as_str()) {
            return true;
        }
        let ours = |q: &Pane| {
            q.session_name == self.parking_name
                || (!team.is_empty() && q.session_name == crate::tags::team_session(team))
        };
        let mut same = self.panes.iter().filter(|q| q.pane_id == p.pane_id);
        let pick = same.clone().find(|q| ours(q)).or_else(|| same.next());
        pick.is_some_and(|q| std::ptr::eq(q, p))
    }

    fn place_of(&self, p: &Pane, team: &str) -> Where {
        // A team's agents park in the team's own session.
        let parking = p.session_name == self.parking_name
            || (!team.is_empty() && p.session_name == crate::tags::team_session(team));
        if parking && p.role == tags::ROLE_PARKING && p.window_panes == 1 {
            Where::Parked
        } else if !p.leader.is_empty()
            && p.leader != p.pane_id
            && self
                .panes
                .iter()
                .any(|q| q.pane_id == p.leader && q.window_id == p.window_id)
        {
            Where::Shown
        } else {
            Where::Elsewhere
        }
    }

    pub fn agent(&self, name: &str) -> Option<&Agent> {
        self.agents.iter().find(|a| a.name == name)
    }

    pub fn pane(&self, id: &str) -> Option<&Pane> {
        self.panes.iter().find(|p| p.pane_id == id)
    }

    pub fn window(&self, window_id: &str) -> impl Iterator<Item = &Pane> {
        let w = window_id.to_string();
        self.panes.iter().filter(move |p| p.window_id == w)
    }

    /// The parking session's id, if it exists.
    pub fn parking_session(&self) -> Option<&str> {
        self.panes
            .iter()
            .find(|p| p.session_name == self.parking_name)
            .map(|p| p.session_id.as_str())
    }

    /// The next free window index in the parking session.
    pub fn next_parking_index(&self) -> u32 {
        self.panes
            .iter()
            .filter(|p| p.session_name == self.parking_name)
            .map(|p| p.window_index + 1)
            .max()
            .unwrap_or(0)
    }

    pub fn is_agent_pane(&self, pane_id: &str) -> bool {
        self.agents.iter().any(|a| a.pane.pane_id == pane_id)
    }
}

/// How an agent exited, for messages: "exited with status 3".
pub fn how_exited(a: &Agent) -> String {
    match (a.pane.dead_signal, a.pane.dead_status) {
        (Some(s), _) => format!("was killed by signal {s}"),
        (_, Some(c)) => format!("exited with status {c}"),
        _ => "exited".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tmux_3_2_dead_lines() {
        assert_eq!(
            dead_signal_of("Pane is dead (signal 9, Fri Dec  4 01:02:03 2026)"),
            Some(9)
        );
        assert_eq!(dead_signal_of("Pane is dead (signal KILL, x)"), Some(9));
        assert_eq!(dead_signal_of("Pane is dead (status 7, x)"), None);
        assert_eq!(dead_signal_of("echo Pane is dead (signal 9"), None);
    }

    fn record(
        f: &str,
        r: &str,
        facts: &[(&str, &str)],
        win: [&str; 4],
        tags: &[(&str, &str)],
    ) -> String {
        let mut v: Vec<String> = FACTS
            .iter()
            .map(|k| {
                facts
                    .iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, v)| v.to_string())
                    .unwrap_or_default()
            })
            .collect();
        v.extend(win.iter().map(|s| s.to_string()));
        v.extend(
            [
                "name", "record", "mark", "screen", "status", "report", "queue", "usage",
            ]
            .iter()
            .map(|k| {
                tags.iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, v)| v.to_string())
                    .unwrap_or_default()
            }),
        );
        format!("{}{}", v.join(f), r)
    }

    #[test]
    fn parses_agents_and_places() {
        let (f, r) = ("<n>", "<n.>\n");
        let mut out = String::new();
        // A leader pane with a title full of tabs and newlines.
        out += &record(
            f,
            r,
            &[
                ("session_name", "work"),
                ("window_id", "@1"),
                ("pane_id", "%0"),
                ("pane_title", "a\tb\nc"),
            ],
            ["", "%0", "", ""],
            &[],
        );
        out += &record(
            f,
            r,
            &[
                ("session_name", "work"),
                ("window_id", "@1"),
                ("pane_id", "%3"),
            ],
            ["", "%0", "", ""],
            &[("name", "shown1"), ("record", "cmd=bash")],
        );
        out += &record(
            f,
            r,
            &[
                ("session_name", "crew"),
                ("window_id", "@2"),
                ("pane_id", "%4"),
                ("pane_dead", "1"),
                ("?pane_dead,#{pane_dead_status}:#{pane_dead_signal},", "3:"),
                ("window_panes", "1"),
            ],
            ["parking", "", "", ""],
            &[("name", "parked1"), ("record", "v=2&created=12")],
        );
        out += &record(
            f,
            r,
            &[
                ("session_name", "other"),
                ("window_id", "@3"),
                ("pane_id", "%5"),
            ],
            ["", "", "", ""],
            &[("name", "lost"), ("record", "v=1&created=soon")],
        );
        let s = Snapshot::parse(&out, "3.3a", f, r, "crew").unwrap();
        assert_eq!(s.panes.len(), 4);
        assert_eq!(s.panes[0].title, "a\tb\nc");
        assert_eq!(s.agents.len(), 3);
        assert_eq!(s.agent("shown1").unwrap().place, Where::Shown);
        let p = s.agent("parked1").unwrap();
        assert_eq!(p.place, Where::Parked);
        assert_eq!(p.pane.dead_status, Some(3));
        assert_eq!(p.tags.created, 12);
        let lost = s.agent("lost").unwrap();
        assert_eq!(lost.place, Where::Elsewhere);
        assert!(lost.damage.is_some());
    }

    #[test]
    fn old_server_refused() {
        let (f, r) = ("<n>", "<n.>\n");
        let out = record(f, r, &[("pane_id", "%0")], ["", "", "", ""], &[]);
        assert!(Snapshot::parse(&out, "3.1", f, r, "crew").is_err());
    }
}
