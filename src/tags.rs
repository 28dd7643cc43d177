//! The tag schema: pane options `@crew-*` are the whole of crew's state.
//!
//! Values are percent-encoded (bytes outside a small safe set become `%XX`) so
//! that no value — a command line with tabs, newlines, `#{`, `;` or quotes —
//! can break the snapshot's parse or be expanded by tmux. Lists join encoded
//! items with a space; an empty item is written `%-`.

use crate::tmux::Cmd;
use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};

/// Bumped when the meaning of a tag changes.
pub const SCHEMA: &str = "1";

pub const NAME: &str = "@crew-name";
pub const SCHEMA_TAG: &str = "@crew-v";
pub const CMD: &str = "@crew-cmd";
pub const SHELL: &str = "@crew-shell";
pub const CWD: &str = "@crew-cwd";
pub const ENV: &str = "@crew-env";
pub const PROFILE: &str = "@crew-profile";
pub const CREATED: &str = "@crew-created";
pub const RESTART: &str = "@crew-restart";
pub const RESTARTS: &str = "@crew-restarts";
/// Where the previous `read --new` stopped.
pub const MARK: &str = "@crew-mark";
/// Hash of the screen and when it last changed, for profiles that judge
/// status by quiet time.
pub const SCREEN: &str = "@crew-screen";
/// The last status crew computed, shown in the pane border while on view.
pub const STATUS: &str = "@crew-status";

/// Every pane tag, in the order the snapshot's format carries them.
pub const ALL: &[&str] = &[
    NAME, SCHEMA_TAG, CMD, SHELL, CWD, ENV, PROFILE, CREATED, RESTART, RESTARTS, MARK, SCREEN,
    STATUS,
];

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

/// What crew records about an agent when it spawns it.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    pub mark: String,
    pub screen: String,
    pub status: String,
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
    /// Build from the raw tag values (in `ALL` order) read by the snapshot.
    /// An error means a tag was damaged (for example set by hand).
    pub fn parse(raw: &[&str]) -> Result<Tags> {
        let get = |tag: &str| raw[ALL.iter().position(|t| *t == tag).expect("known tag")];
        let name = get(NAME);
        if crate::names::check(name).is_err() {
            bail!("{NAME} is not a valid name: {name:?}");
        }
        let created = match get(CREATED) {
            "" => 0,
            v => v
                .parse()
                .map_err(|_| anyhow::anyhow!("{CREATED} is not a number: {v:?}"))?,
        };
        let restarts = match get(RESTARTS) {
            "" => 0,
            v => v
                .parse()
                .map_err(|_| anyhow::anyhow!("{RESTARTS} is not a number: {v:?}"))?,
        };
        let restart = match get(RESTART) {
            "" => Restart::Never,
            v => Restart::parse(v)
                .ok_or_else(|| anyhow::anyhow!("{RESTART} is not a restart policy: {v:?}"))?,
        };
        Ok(Tags {
            name: name.to_string(),
            argv: decode_list(get(CMD)).map_err(|e| anyhow::anyhow!("{CMD}: {e}"))?,
            shell: get(SHELL) == "1",
            cwd: decode(get(CWD)).map_err(|e| anyhow::anyhow!("{CWD}: {e}"))?,
            env: decode_list(get(ENV)).map_err(|e| anyhow::anyhow!("{ENV}: {e}"))?,
            profile: decode(get(PROFILE)).map_err(|e| anyhow::anyhow!("{PROFILE}: {e}"))?,
            created,
            restart,
            restarts,
            mark: get(MARK).to_string(),
            screen: get(SCREEN).to_string(),
            status: get(STATUS).to_string(),
        })
    }

    /// `set -p` commands that write every tag onto `target`. Used in the same
    /// chain that creates the pane, so the pane never exists untagged.
    pub fn set_commands(&self, target: &str) -> Vec<Cmd> {
        let values = [
            (SCHEMA_TAG, SCHEMA.to_string()),
            (CMD, encode_list(&self.argv)),
            (SHELL, if self.shell { "1" } else { "0" }.to_string()),
            (CWD, encode(&self.cwd)),
            (ENV, encode_list(&self.env)),
            (PROFILE, encode(&self.profile)),
            (CREATED, self.created.to_string()),
            (RESTART, self.restart.as_str().to_string()),
            (RESTARTS, self.restarts.to_string()),
            // The name goes last: a pane is an agent once it carries a name,
            // and by then every other tag is in place.
            (NAME, self.name.clone()),
        ];
        values
            .into_iter()
            .map(|(k, v)| set_pane(target, k, &v))
            .collect()
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

    #[test]
    fn parse_and_write_agree() {
        let t = Tags {
            name: "api".into(),
            argv: vec!["claude".into(), "--model".into(), "x;".into()],
            shell: false,
            cwd: "/tmp/with space".into(),
            env: vec!["A=1".into()],
            profile: "claude".into(),
            created: 1700000000,
            restart: Restart::OnFailure,
            restarts: 2,
            mark: String::new(),
            screen: String::new(),
            status: String::new(),
        };
        let cmds = t.set_commands("%1");
        let mut raw: Vec<String> = vec![String::new(); ALL.len()];
        for c in &cmds {
            let a = c.raw_args();
            let key = &a[a.len() - 2];
            let idx = ALL.iter().position(|k| k == key).unwrap();
            raw[idx] = a[a.len() - 1].clone();
        }
        assert_eq!(cmds.last().unwrap().raw_args()[5], NAME);
        let refs: Vec<&str> = raw.iter().map(String::as_str).collect();
        assert_eq!(Tags::parse(&refs).unwrap(), t);
    }

    #[test]
    fn bad_numbers_are_damage() {
        let mut raw = vec![""; ALL.len()];
        raw[0] = "api";
        raw[ALL.iter().position(|k| *k == CREATED).unwrap()] = "yesterday";
        assert!(Tags::parse(&raw).is_err());
    }
}
