//! The tag schema: pane options `@crew-*` are the whole of crew's state.
//!
//! Values are percent-encoded (bytes outside a small safe set become `%XX`) so
//! that no value — a command line with tabs, newlines, `#{`, `;` or quotes —
//! can break the snapshot's parse or be expanded by tmux. Lists join encoded
//! items with a space; an empty item is written `%-`.

use crate::tmux::Cmd;
use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};

/// Bumped when the meaning of a tag changes. Schema 1 kept each fact in an
/// option of its own; schema 2 packs them into one record (`@crew`), because
/// tmux's cost of a `list-panes` grows with every `#{…}` in its format.
pub const SCHEMA: &str = "2";

/// A pane is an agent if and only if it carries this option.
pub const NAME: &str = "@crew-name";
/// The packed record of what crew knows about the agent (see `Tags`).
pub const RECORD: &str = "@crew";
/// Where the previous `read --new` stopped.
pub const MARK: &str = "@crew-mark";
/// Hash of the screen and when it last changed, for profiles that judge
/// status by quiet time.
pub const SCREEN: &str = "@crew-screen";
/// The last status crew computed: shown in the pane border while on view,
/// and the "last seen" that `notify` compares against (written under the
/// lock, so a transition is announced once).
pub const STATUS: &str = "@crew-status";
/// What the agent's tool last reported through `crew report` from inside the
/// pane: `STATE&UNIX_SECS&PANE_PID&SESSION` (see `report.rs`). Its own option:
/// the pane writes it at any time, unlocked.
pub const REPORT: &str = "@crew-report";
/// Turn events: when recent turns ended, how, and their last lines (see
/// `turns.rs`); read only by `ls --json`.
pub const TURNS: &str = "@crew-turns";
/// Messages waiting for the agent to be idle (see `mailbox.rs`); written
/// only under the lock.
pub const QUEUE: &str = "@crew-queue";
/// Tokens, cost and context the tool reported (see `usage/`); written from
/// inside the pane, unlocked, only when they changed.
pub const USAGE: &str = "@crew-usage";

/// Schema-1 options, still read from panes an older crew tagged.
const LEGACY: &[(&str, &str)] = &[
    ("cmd", "@crew-cmd"),
    ("shell", "@crew-shell"),
    ("cwd", "@crew-cwd"),
    ("env", "@crew-env"),
    ("profile", "@crew-profile"),
    ("created", "@crew-created"),
    ("restart", "@crew-restart"),
    ("restarts", "@crew-restarts"),
];

/// The pane-tag part of the snapshot's format, one `#{…}` per entry of
/// `Raw`. A pane without a record (tagged by schema 1) gets one assembled
/// from its old options by tmux itself, at no cost to newer panes.
pub fn formats() -> [String; 8] {
    let legacy: Vec<String> = LEGACY
        .iter()
        .map(|(k, opt)| format!("{k}=#{{{opt}}}"))
        .collect();
    [
        format!("#{{{NAME}}}"),
        format!("#{{?{RECORD},#{{{RECORD}}},v=1&{}}}", legacy.join("&")),
        format!("#{{{MARK}}}"),
        format!("#{{{SCREEN}}}"),
        format!("#{{{STATUS}}}"),
        format!("#{{{REPORT}}}"),
        format!("#{{{QUEUE}}}"),
        format!("#{{{USAGE}}}"),
    ]
}

/// The raw tag values the snapshot read, in `formats()` order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Raw {
    pub name: String,
    pub record: String,
    pub mark: String,
    pub screen: String,
    pub status: String,
    pub report: String,
    pub queue: String,
    pub usage: String,
    /// `@crew-turns`, read only when asked for (`Snapshot::take_with`).
    pub turns: String,
}

impl Raw {
    pub fn from_fields(f: &[&str]) -> Raw {
        Raw {
            name: f[0].into(),
            record: f[1].into(),
            mark: f[2].into(),
            screen: f[3].into(),
            status: f[4].into(),
            report: f[5].into(),
            queue: f[6].into(),
            usage: f[7].into(),
            turns: String::new(),
        }
    }
}

/// Window options crew puts on windows it manages. Pane tags are set with
/// `-p` only; these are window-level and named apart so neither shows
/// through as the other.
pub const WIN_ROLE: &str = "@crew-role";
pub const ROLE_PLACEHOLDER: &str = "placeholder";
pub const ROLE_PARKING: &str = "parking";
/// On a view window: the leader's pane id, and the window's own
/// `pane-border-status` from before crew turned it on.
pub const WIN_LEADER: &str = "@crew-leader";
pub const WIN_SAVED_BORDER: &str = "@crew-saved-border";
/// On a view window: the layout `show` last applied, re-applied by `park`.
pub const WIN_LAYOUT: &str = "@crew-layout";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Restart {
    #[default]
    Never,
    OnFailure,
    Always,
}

impl Restart {
    pub fn as_str(self) -> &'static str {
        match self {
            Restart::Never => "never",
            Restart::OnFailure => "on-failure",
            Restart::Always => "always",
        }
    }

    pub fn parse(s: &str) -> Option<Restart> {
        match s {
            "never" => Some(Restart::Never),
            "on-failure" => Some(Restart::OnFailure),
            "always" => Some(Restart::Always),
            _ => None,
        }
    }
}

/// What crew records about an agent. Everything but the name, the mark, the
/// screen hash and the status lives in the record `@crew`: `key=value` items
/// joined by `&`, values percent-encoded (so neither `&` nor `=` occurs in
/// one). Keys this crew does not know are kept and written back unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tags {
    pub name: String,
    /// argv; with `shell` set it holds one shell command line.
    pub argv: Vec<String>,
    pub shell: bool,
    pub cwd: String,
    pub env: Vec<String>,
    pub profile: String,
    pub created: u64,
    pub restart: Restart,
    pub restarts: u32,
    /// The hook's backoff: restarts in a row after which the agent exited
    /// within a minute, and when it last restarted (unix seconds).
    pub quick: u32,
    pub restarted: u64,
    /// Team (`--team`), as given; its parking session is `team_session()`.
    pub team: String,
    /// The git worktree crew made for the agent (`--worktree`), its branch,
    /// the repository it belongs to, the branch checked out there when it
    /// was made (what "merged" is judged against), and whether crew created
    /// the branch (only then may it delete it).
    pub worktree: String,
    pub branch: String,
    pub repo: String,
    pub base: String,
    pub branch_made: bool,
    /// The tool's conversation id (given at spawn or learnt from a report).
    pub session: String,
    /// Transcript file (`spawn --log`), re-attached on restart.
    pub log: String,
    /// Record items of a newer schema, raw, in the order read.
    pub extra: Vec<(String, String)>,
    pub mark: String,
    pub screen: String,
    pub status: String,
    /// `@crew-report`, `@crew-queue` and `@crew-usage`, raw (parsed by
    /// their own modules).
    pub report: String,
    pub queue: String,
    pub usage: String,
    /// `@crew-turns`, raw; empty unless the snapshot was asked for it.
    pub turns: String,
}

fn safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.~/:=+,@!^".contains(&b) || b >= 0x80
}

pub fn encode(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    for &b in s.as_bytes() {
        if safe(b) {
            out.push(b);
        } else {
            out.extend(format!("%{b:02X}").bytes());
        }
    }
    // Only ASCII escapes were added; non-ASCII UTF-8 passes through whole.
    String::from_utf8(out).expect("UTF-8 in, UTF-8 out")
}

pub fn decode(s: &str) -> Result<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = s
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => out.push(v),
                    None => bail!("bad escape at byte {i} in {s:?}"),
                }
                i += 3;
            }
            c if safe(c) => {
                out.push(c);
                i += 1;
            }
            c => bail!("unexpected byte {c:#04x} in {s:?}"),
        }
    }
    String::from_utf8(out).map_err(|_| anyhow::anyhow!("not UTF-8 after decoding {s:?}"))
}

pub fn encode_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| {
            if i.is_empty() {
                "%-".to_string()
            } else {
                encode(i)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn decode_list(s: &str) -> Result<Vec<String>> {
    if s.is_empty() {
        return Ok(vec![]);
    }
    s.split(' ')
        .map(|i| {
            if i == "%-" {
                Ok(String::new())
            } else {
                decode(i)
            }
        })
        .collect()
}

impl Tags {
    /// Build from the raw values read by the snapshot. An error means a tag
    /// was damaged (set by hand, say); it names the key.
    pub fn parse(raw: &Raw) -> Result<Tags> {
        let name = raw.name.as_str();
        if check_name(name).is_err() {
            bail!("{NAME} is not a valid name: {name:?}");
        }
        let mut t = Tags {
            name: name.to_string(),
            mark: raw.mark.clone(),
            screen: raw.screen.clone(),
            status: raw.status.clone(),
            report: raw.report.clone(),
            queue: raw.queue.clone(),
            usage: raw.usage.clone(),
            turns: raw.turns.clone(),
            ..Tags::default()
        };
        let mut seen: Vec<&str> = Vec::new();
        for item in raw.record.split('&').filter(|i| !i.is_empty()) {
            let Some((k, v)) = item.split_once('=') else {
                bail!("{RECORD}: item without '=': {item:?}");
            };
            if seen.contains(&k) {
                bail!("{RECORD}: {k} given twice");
            }
            seen.push(k);
            let num = |v: &str| -> Result<u64> {
                match v {
                    "" => Ok(0),
                    v => v
                        .parse()
                        .map_err(|_| anyhow::anyhow!("{RECORD}: {k} is not a number: {v:?}")),
                }
            };
            let text = |v: &str| decode(v).map_err(|e| anyhow::anyhow!("{RECORD}: {k}: {e}"));
            let list = |v: &str| decode_list(v).map_err(|e| anyhow::anyhow!("{RECORD}: {k}: {e}"));
            match k {
                "v" => {}
                "cmd" => t.argv = list(v)?,
                "shell" => t.shell = v == "1",
                "cwd" => t.cwd = text(v)?,
                "env" => t.env = list(v)?,
                "profile" => t.profile = text(v)?,
                "created" => t.created = num(v)?,
                "restart" => {
                    t.restart = match v {
                        "" => Restart::Never,
                        v => Restart::parse(v).ok_or_else(|| {
                            anyhow::anyhow!("{RECORD}: restart is not a restart policy: {v:?}")
                        })?,
                    }
                }
                "team" => t.team = text(v)?,
                "wt" => t.worktree = text(v)?,
                "branch" => t.branch = text(v)?,
                "repo" => t.repo = text(v)?,
                "base" => t.base = text(v)?,
                "made" => t.branch_made = v == "1",
                "session" => t.session = text(v)?,
                "log" => t.log = text(v)?,
                "restarts" => {
                    t.restarts = u32::try_from(num(v)?)
                        .map_err(|_| anyhow::anyhow!("{RECORD}: restarts is out of range: {v}"))?
                }
                "quick" => {
                    t.quick = u32::try_from(num(v)?)
                        .map_err(|_| anyhow::anyhow!("{RECORD}: quick is out of range: {v}"))?
                }
                "restarted" => t.restarted = num(v)?,
                _ => {
                    if !k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                        bail!("{RECORD}: bad key {k:?}");
                    }
                    // Validate now so a damaged value is damage, not a surprise later.
                    text(v)?;
                    t.extra.push((k.to_string(), v.to_string()));
                }
            }
        }
        Ok(t)
    }

    /// The packed `@crew` value.
    pub fn record(&self) -> String {
        let mut items = vec![
            format!("v={SCHEMA}"),
            format!("cmd={}", encode_list(&self.argv)),
            format!("shell={}", if self.shell { "1" } else { "0" }),
            format!("cwd={}", encode(&self.cwd)),
            format!("env={}", encode_list(&self.env)),
            format!("profile={}", encode(&self.profile)),
            format!("created={}", self.created),
            format!("restart={}", self.restart.as_str()),
            format!("restarts={}", self.restarts),
        ];
        // Only once the hook has restarted it: most records never need these.
        if self.restarted != 0 {
            items.push(format!("quick={}", self.quick));
            items.push(format!("restarted={}", self.restarted));
        }
        // Optional facts only when set, so most records stay short.
        let opt = [
            ("team", &self.team),
            ("wt", &self.worktree),
            ("branch", &self.branch),
            ("repo", &self.repo),
            ("base", &self.base),
            ("session", &self.session),
            ("log", &self.log),
        ];
        for (k, v) in opt {
            if !v.is_empty() {
                items.push(format!("{k}={}", encode(v)));
            }
        }
        if self.branch_made {
            items.push("made=1".into());
        }
        items.extend(self.extra.iter().map(|(k, v)| format!("{k}={v}")));
        items.join("&")
    }

    /// `set -p` commands that write every tag onto `target`. Used in the same
    /// chain that creates the pane, so the pane never exists untagged.
    pub fn set_commands(&self, target: &str) -> Vec<Cmd> {
        vec![
            set_pane(target, RECORD, &self.record()),
            // The name goes last: a pane is an agent once it carries a name,
            // and by then its record is in place.
            set_pane(target, NAME, &self.name),
        ]
    }

    /// Rewrite the record of an existing agent (its name stays).
    pub fn set_record(&self, target: &str) -> Cmd {
        set_pane(target, RECORD, &self.record())
    }

    /// The command as a person would type it, for tables.
    pub fn command_line(&self) -> String {
        if self.shell {
            self.argv.first().cloned().unwrap_or_default()
        } else {
            self.argv
                .iter()
                .map(|a| crate::tmux::shell_quote(a))
                .collect::<Vec<_>>()
                .join(" ")
        }
    }
}

/// `set -p -t TARGET KEY VALUE`; `--` keeps a value starting with `-` a value.
pub fn set_pane(target: &str, key: &str, value: &str) -> Cmd {
    Cmd::new("set-option").args(["-p", "-t", target, "--", key, value])
}

pub fn set_window(target: &str, key: &str, value: &str) -> Cmd {
    Cmd::new("set-option").args(["-w", "-t", target, "--", key, value])
}

/// The team's parking session: the name with everything tmux would rewrite
/// or that reads badly in a session list (`/`, `.`, `:`, spaces) made `-`.
pub fn team_session(team: &str) -> String {
    let s: String = team
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    s.trim_matches('-').to_string()
}

/// The agent name rule: a name is a tag value, and a tmux window name.
pub const NAME_RULE: &str =
    "a name is 1-64 characters of letters, digits, '-' and '_', starting with a letter or digit";

/// `^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`
pub fn check_name(name: &str) -> Result<(), crate::error::CrewError> {
    let b = name.as_bytes();
    let ok = !b.is_empty()
        && b.len() <= 64
        && b[0].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_');
    if ok {
        Ok(())
    } else {
        Err(crate::error::CrewError::usage(format!(
            "invalid agent name {name:?}: {NAME_RULE}"
        )))
    }
}

/// How many messages a mailbox tag (`@crew-queue`) holds.
pub fn queue_len(raw: &str) -> usize {
    raw.split('&').filter(|i| i.starts_with("m=")).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_awkward_values() {
        for v in [
            "",
            "plain",
            "a\tb\nc\r",
            "#{pane_id} #[fg=red] ##",
            "semi; colon;",
            "quote ' and \" and \\",
            "$(touch /tmp/x) `id`",
            "100% %41 %",
            "-leading dash",
            "emoji 🦀 and 漢字",
            "\u{1}\u{7f}",
        ] {
            let e = encode(v);
            assert!(!e.contains(['\t', '\n', '#', ' ', ';', '\'', '"']), "{e}");
            assert_eq!(decode(&e).unwrap(), v);
        }
    }

    #[test]
    fn round_trip_lists() {
        let lists: Vec<Vec<String>> = vec![
            vec![],
            vec!["".into()],
            vec!["".into(), "".into()],
            vec!["sh".into(), "-c".into(), "echo a b; exit 3".into()],
            vec!["K=V W".into(), "X=".into(), "%-".into()],
        ];
        for l in lists {
            assert_eq!(decode_list(&encode_list(&l)).unwrap(), l);
        }
    }

    #[test]
    fn damaged_values_are_errors() {
        assert!(decode("%G1").is_err());
        assert!(decode("abc%4").is_err());
        assert!(decode("has space").is_err());
        assert!(decode("%FF").is_err());
    }

    fn raw_of(cmds: &[Cmd]) -> Raw {
        let mut raw = Raw::default();
        for c in cmds {
            let a = c.raw_args();
            let (key, val) = (&a[a.len() - 2], a[a.len() - 1].clone());
            match key.as_str() {
                NAME => raw.name = val,
                RECORD => raw.record = val,
                other => panic!("unexpected tag {other}"),
            }
        }
        raw
    }

    #[test]
    fn parse_and_write_agree() {
        let t = Tags {
            name: "api".into(),
            argv: vec!["claude".into(), "--model".into(), "x;&a=b".into()],
            shell: false,
            cwd: "/tmp/with space&=".into(),
            env: vec!["A=1".into()],
            profile: "claude".into(),
            created: 1700000000,
            restart: Restart::OnFailure,
            restarts: 2,
            team: "feat/x".into(),
            worktree: "/src/app.worktrees/api".into(),
            branch: "crew/api".into(),
            repo: "/src/app".into(),
            base: "main".into(),
            branch_made: true,
            session: "0b6a4f7e-1c1e-4f7e-9d0a-5a5e3c1e2f10".into(),
            log: "/tmp/a b.log".into(),
            extra: vec![("future".into(), "x%2Fy".into())],
            ..Tags::default()
        };
        let cmds = t.set_commands("%1");
        assert_eq!(cmds.last().unwrap().raw_args()[5], NAME);
        assert_eq!(Tags::parse(&raw_of(&cmds)).unwrap(), t);
    }

    #[test]
    fn legacy_record_reads() {
        // What tmux assembles from a schema-1 pane's separate options.
        let raw = Raw {
            name: "old".into(),
            record: "v=1&cmd=sh %2Dc echo&shell=0&cwd=/tmp&env=&profile=shell&created=12&restart=always&restarts=3".into(),
            ..Raw::default()
        };
        let t = Tags::parse(&raw).unwrap();
        assert_eq!(t.argv, vec!["sh", "-c", "echo"]);
        assert_eq!((t.created, t.restarts, t.restart), (12, 3, Restart::Always));
        assert!(t.extra.is_empty());
    }

    #[test]
    fn damage_is_an_error() {
        let bad = |record: &str| {
            Tags::parse(&Raw {
                name: "x".into(),
                record: record.into(),
                ..Raw::default()
            })
            .unwrap_err()
            .to_string()
        };
        assert!(bad("created=yesterday").contains("created"));
        assert!(bad("restarts=4294967296").contains("restarts"));
        assert!(bad("restart=sometimes").contains("restart"));
        assert!(bad("cwd=%zz").contains("cwd"));
        assert!(bad("cwd=/a&cwd=/b").contains("twice"));
        assert!(bad("noequals").contains("'='"));
        assert!(bad("b#d=1").contains("bad key"));
        assert!(Tags::parse(&Raw {
            name: "x;touch /tmp/p;#".into(),
            ..Raw::default()
        })
        .is_err());
    }
}
