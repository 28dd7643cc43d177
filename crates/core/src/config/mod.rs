//! The configuration file, merged over the built-in profiles once at start-up.
//!
//! # Where
//!
//! `--config FILE`, else `$CREW_CONFIG`, else `$XDG_CONFIG_HOME/crew/config.toml`
//! (`~/.config/crew/config.toml` when `XDG_CONFIG_HOME` is unset). No file at
//! the default place means the built-in defaults; a file named by `--config`
//! or `CREW_CONFIG` must exist. A bad file is an error naming its path, line
//! and column; unknown keys are errors too, so a typo never goes unnoticed.
//! `crew config` prints the merged result.
//!
//! # Keys
//!
//! ```toml
//! session = "crew"            # parking session name (no `.` or `:`)
//! default_profile = "claude"  # profile for `crew spawn` without --profile
//!                             # and without a command (default: shell)
//! notify = "notify-send \"crew: $CREW_AGENT\" \"$CREW_STATUS\""
//!                             # run (by sh) once per transition into
//!                             # permission/question or working -> idle
//! worktree_copy = [".env"]    # files copied into new `--worktree`s
//! save = false                # keep no saved list of agents for `crew recover`
//!                             # after a reboot (default: true)
//!
//! [profiles.claude]           # a built-in name: overrides only the keys given
//! submit_delay_ms = 200
//!
//! [profiles.mytool]           # a new name: starts empty, or from `extends`
//! extends = "shell"
//! command = ["mytool", "--flag"]
//! idle = ['^mytool> $']
//! ```
//!
//! ```toml
//! [hosts.gpu1]                # `crew --host gpu1 …`, `NAME@gpu1`
//! host = "gpu1.example.org"   # default: the table's name
//! user = "me"                 # default: ssh's
//! port = 2222                 # default: ssh's
//! crew = "~/.cargo/bin/crew"  # crew on that host (default: `crew` on its PATH)
//! ssh_options = ["-i", "~/.ssh/gpu1"]   # more ssh arguments
//! ```
//!
//! Every key of a profile is optional:
//!
//! | key | type | meaning |
//! | --- | --- | --- |
//! | `extends` | string | start from this profile (built-in or from the file) instead of the built-in of the same name or an empty one |
//! | `command` | array of strings | argv to start; `[]` = `$SHELL` |
//! | `restart` | string | `never`, `on-failure` or `always` |
//! | `scan_lines` | integer | how many last non-blank screen lines the patterns see |
//! | `submit_delay_ms` | integer | pause between pasting a message and pressing Enter |
//! | `title_working` | array of regexes | pane title means working |
//! | `title_idle` | array of regexes | pane title means idle |
//! | `title_attention` | array of regexes | pane title means it waits for you; setting it also makes a working title trusted without a screen capture (an idle title still has its screen looked at, for start-up dialogs) |
//! | `idle_at_shell` | bool | idle while the shell itself is the foreground command, working while anything else runs |
//! | `working` | array of regexes | a screen line that means working |
//! | `idle` | array of regexes | a screen line that means idle (usually the input box) |
//! | `permission` | array of regexes | a screen line of a menu asking to approve a tool or command |
//! | `question` | array of regexes | a screen line of a menu asking you something |
//! | `ignore` | array of regexes | screen lines dropped before matching (status bars) |
//! | `input_box` | regex | one capture group: the input box content, used by `send` to see whether a message was submitted; `""` = none |
//! | `recovery_keys` | array of tmux key names | pressed once when a sent message is still in the input box |
//! | `quiet_idle_secs` | integer | for tools without a working indicator: idle after the screen has been still this long; `0` = off |
//! | `report_args` | array of strings | added at spawn so the tool runs `crew report` on its events; `{crew}` = crew's path (shell-quoted, JSON/TOML-escaped), `{crew_argv}` = the bare path, escaped |
//! | `session_args` | array of strings | added at spawn to start a conversation with crew's id `{session}` |
//! | `resume_args` | array of strings | added on restart/recover to resume; with `{session}` only when the id is known |
//! | `resume_last_args` | array of strings | added instead when no id was learnt (Codex `resume --last`) |
//! | `report_fresh_secs` | integer | how long a `crew report` beats the screen |
//! | `report_idle_checked` | bool | an idle report yields to a screen that reads working |
//!
//! Regexes use Rust `regex` syntax (`(?i)` for case-insensitive) and are
//! matched against one line at a time with trailing spaces removed; write
//! them in single quotes so backslashes stay literal. Status precedence:
//! permission/question (when no idle line is drawn below them), working,
//! idle, then the quiet rule, else unknown.

use crate::profile::{self, CompiledCache, Profile};
use anyhow::{anyhow, bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

pub const DEFAULT_SESSION: &str = "crew";

#[derive(Debug, Clone)]
pub struct Config {
    /// Parking session name.
    pub session: String,
    pub default_profile: Option<String>,
    /// Built-ins (overridden where the file says so), then the file's own.
    pub profiles: Vec<Profile>,
    /// The file this came from, if any.
    pub source: Option<PathBuf>,
    /// Shell command run once per attention transition (`notify.rs`).
    pub notify: Option<String>,
    /// Paths or globs (relative to the repository) copied into new worktrees,
    /// besides those listed in the repository's `.worktreeinclude`.
    pub worktree_copy: Vec<String>,
    /// Named other hosts (`[hosts.NAME]`), for `--host NAME` and `NAME@HOST`.
    pub hosts: BTreeMap<String, HostConfig>,
    /// Keep the list of agents under the XDG state directory, so that plain
    /// `crew recover` brings them back after a reboot.
    pub save: bool,
}

/// One `[hosts.NAME]` table: how to reach crew on another machine.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HostConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crew: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ssh_options: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            session: DEFAULT_SESSION.into(),
            default_profile: None,
            profiles: profile::builtin(),
            source: None,
            notify: None,
            worktree_copy: Vec::new(),
            hosts: BTreeMap::new(),
            save: true,
        }
    }
}

/// The file as written: everything optional, nothing unknown.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    session: Option<String>,
    default_profile: Option<String>,
    notify: Option<String>,
    worktree_copy: Option<Vec<String>>,
    save: Option<bool>,
    #[serde(default)]
    profiles: BTreeMap<String, ProfileEntry>,
    #[serde(default)]
    hosts: BTreeMap<String, HostConfig>,
}

#[derive(Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
struct ProfileEntry {
    extends: Option<String>,
    command: Option<Vec<String>>,
    restart: Option<String>,
    scan_lines: Option<usize>,
    submit_delay_ms: Option<u64>,
    title_working: Option<Vec<String>>,
    title_idle: Option<Vec<String>>,
    title_attention: Option<Vec<String>>,
    idle_at_shell: Option<bool>,
    working: Option<Vec<String>>,
    idle: Option<Vec<String>>,
    permission: Option<Vec<String>>,
    question: Option<Vec<String>>,
    ignore: Option<Vec<String>>,
    input_box: Option<String>,
    recovery_keys: Option<Vec<String>>,
    quiet_idle_secs: Option<u64>,
    report_args: Option<Vec<String>>,
    session_args: Option<Vec<String>>,
    resume_args: Option<Vec<String>>,
    resume_last_args: Option<Vec<String>>,
    report_fresh_secs: Option<u64>,
    report_idle_checked: Option<bool>,
    reports_turn_start: Option<bool>,
    approve_keys: Option<Vec<String>>,
    deny_keys: Option<Vec<String>>,
    answer_keys: Option<Vec<String>>,
    answer_choice: Option<String>,
    modes: Option<Vec<crate::profile::ModeRule>>,
    start_timeout_secs: Option<u64>,
    receipt_timeout_ms: Option<u64>,
}

impl ProfileEntry {
    /// Only the keys given replace the base's.
    fn apply(self, p: &mut Profile) {
        macro_rules! set {
            ($($f:ident),*) => { $(if let Some(x) = self.$f { p.$f = x; })* };
        }
        set!(
            command,
            scan_lines,
            submit_delay_ms,
            title_working,
            title_idle,
            title_attention,
            idle_at_shell,
            working,
            idle,
            permission,
            question,
            ignore,
            recovery_keys,
            report_args,
            session_args,
            resume_args,
            resume_last_args,
            report_fresh_secs,
            report_idle_checked,
            reports_turn_start,
            approve_keys,
            deny_keys,
            answer_keys,
            modes,
            start_timeout_secs,
            receipt_timeout_ms
        );
        // TOML has no null: "" and 0 switch these off.
        if let Some(r) = self.restart {
            p.restart = Some(r);
        }
        if let Some(b) = self.input_box {
            p.input_box = (!b.is_empty()).then_some(b);
        }
        if let Some(c) = self.answer_choice {
            p.answer_choice = (!c.is_empty()).then_some(c);
        }
        if let Some(q) = self.quiet_idle_secs {
            p.quiet_idle_secs = (q > 0).then_some(q);
        }
    }
}

impl Config {
    /// path: explicit --config, else $CREW_CONFIG, else
    /// $XDG_CONFIG_HOME/crew/config.toml (else ~/.config/crew/config.toml).
    /// No file at the default location: built-in defaults, no error. An
    /// explicit path that does not exist: error.
    pub fn load(explicit: Option<&Path>) -> Result<Config> {
        load_with(explicit, |k| std::env::var_os(k))
    }

    /// Parse config text; `source` is only for messages and `Config::source`.
    pub fn from_toml(text: &str, source: Option<&Path>) -> Result<Config> {
        let shown = source.map_or_else(|| "<config>".to_string(), |p| p.display().to_string());
        let file: FileConfig = toml::from_str(text).map_err(|e| toml_error(&shown, text, &e))?;
        let mut cfg = Config {
            source: source.map(Path::to_path_buf),
            ..Config::default()
        };
        build(&mut cfg, file).with_context(|| format!("invalid config {shown}"))?;
        Ok(cfg)
    }

    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.name == name)
    }

    /// The profile of that name, else the plain-command one (an agent whose
    /// profile is not in this configuration is judged as a plain command).
    pub fn profile_or_shell(&self, name: &str) -> &Profile {
        self.profile(name)
            .or_else(|| self.profile("shell"))
            .expect("the shell profile is built in")
    }

    /// The merged result as TOML text, for `crew config`. Loading it back
    /// gives the same configuration.
    pub fn to_toml(&self) -> String {
        #[derive(Serialize)]
        struct Top<'a> {
            session: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            default_profile: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            notify: Option<&'a str>,
            worktree_copy: &'a [String],
            save: bool,
        }
        let mut out = String::from("# crew configuration: built-in profiles");
        if let Some(src) = &self.source {
            out.push_str(&format!(" merged with {}", src.display()));
        }
        out.push('\n');
        let top = Top {
            session: &self.session,
            default_profile: self.default_profile.as_deref(),
            notify: self.notify.as_deref(),
            worktree_copy: &self.worktree_copy,
            save: self.save,
        };
        out.push_str(&toml::to_string(&top).expect("plain strings serialize"));
        for p in &self.profiles {
            // Through a table of its own, so that its array of mode tables
            // lands under it (`[[profiles.NAME.modes]]`).
            let one =
                BTreeMap::from([("profiles", BTreeMap::from([(&p.name, ProfileOut::from(p))]))]);
            out.push('\n');
            out.push_str(&toml::to_string(&one).expect("plain data serializes"));
        }
        for (name, h) in &self.hosts {
            out.push_str(&format!("\n[hosts.{}]\n", toml_key(name)));
            out.push_str(&toml::to_string(h).expect("plain data serializes"));
        }
        out
    }
}

/// A profile as written back: every key, in the struct's order, with the
/// off-values for empty options so an override cannot resurrect a default.
#[derive(Serialize)]
struct ProfileOut<'a> {
    command: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    restart: Option<&'a str>,
    scan_lines: usize,
    submit_delay_ms: u64,
    title_working: &'a [String],
    title_idle: &'a [String],
    title_attention: &'a [String],
    idle_at_shell: bool,
    working: &'a [String],
    idle: &'a [String],
    permission: &'a [String],
    question: &'a [String],
    ignore: &'a [String],
    input_box: &'a str,
    recovery_keys: &'a [String],
    quiet_idle_secs: u64,
    report_args: &'a [String],
    session_args: &'a [String],
    resume_args: &'a [String],
    resume_last_args: &'a [String],
    report_fresh_secs: u64,
    report_idle_checked: bool,
    reports_turn_start: bool,
    approve_keys: &'a [String],
    deny_keys: &'a [String],
    answer_keys: &'a [String],
    answer_choice: &'a str,
    modes: &'a [crate::profile::ModeRule],
    start_timeout_secs: u64,
    receipt_timeout_ms: u64,
}

impl<'a> From<&'a Profile> for ProfileOut<'a> {
    fn from(p: &'a Profile) -> Self {
        ProfileOut {
            command: &p.command,
            restart: p.restart.as_deref(),
            scan_lines: p.scan_lines,
            submit_delay_ms: p.submit_delay_ms,
            title_working: &p.title_working,
            title_idle: &p.title_idle,
            title_attention: &p.title_attention,
            idle_at_shell: p.idle_at_shell,
            working: &p.working,
            idle: &p.idle,
            permission: &p.permission,
            question: &p.question,
            ignore: &p.ignore,
            input_box: p.input_box.as_deref().unwrap_or(""),
            recovery_keys: &p.recovery_keys,
            quiet_idle_secs: p.quiet_idle_secs.unwrap_or(0),
            report_args: &p.report_args,
            session_args: &p.session_args,
            resume_args: &p.resume_args,
            resume_last_args: &p.resume_last_args,
            report_fresh_secs: p.report_fresh_secs,
            report_idle_checked: p.report_idle_checked,
            reports_turn_start: p.reports_turn_start,
            approve_keys: &p.approve_keys,
            deny_keys: &p.deny_keys,
            answer_keys: &p.answer_keys,
            answer_choice: p.answer_choice.as_deref().unwrap_or(""),
            modes: &p.modes,
            start_timeout_secs: p.start_timeout_secs,
            receipt_timeout_ms: p.receipt_timeout_ms,
        }
    }
}

/// Profile names are bare TOML keys (validated), so no quoting is needed;
/// quote anyway if one ever is not.
fn toml_key(name: &str) -> String {
    if valid_profile_name(name) {
        name.to_string()
    } else {
        format!("{name:?}")
    }
}

fn valid_profile_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn load_with(explicit: Option<&Path>, env: impl Fn(&str) -> Option<OsString>) -> Result<Config> {
    let (path, named_by) = match explicit {
        Some(p) => (Some(p.to_path_buf()), Some("--config")),
        None => match env("CREW_CONFIG").filter(|v| !v.is_empty()) {
            Some(p) => (Some(PathBuf::from(p)), Some("CREW_CONFIG")),
            None => (default_path(&env), None),
        },
    };
    let Some(path) = path else {
        return Ok(Config::default());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => Config::from_toml(&text, Some(&path)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match named_by {
            None => Ok(Config::default()),
            Some(by) => bail!("config file {} (from {by}) does not exist", path.display()),
        },
        Err(e) => Err(anyhow!(e).context(format!("cannot read config file {}", path.display()))),
    }
}

fn default_path(env: &impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    // The XDG spec ignores a relative XDG_CONFIG_HOME.
    if let Some(x) = env("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
    {
        return Some(x.join("crew").join("config.toml"));
    }
    env("HOME").filter(|h| !h.is_empty()).map(|h| {
        PathBuf::from(h)
            .join(".config")
            .join("crew")
            .join("config.toml")
    })
}

/// "path:line:col: message" from toml's byte span.
fn toml_error(path: &str, text: &str, e: &toml::de::Error) -> anyhow::Error {
    let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
    anyhow!("{path}:{line}:{col}: {}", e.message().trim())
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn build(cfg: &mut Config, file: FileConfig) -> Result<()> {
    if let Some(s) = file.session {
        if s.is_empty() || s.contains([':', '.']) || s.chars().any(char::is_control) {
            // tmux rewrites `.` and `:` in session names, so crew could not find it again.
            bail!("`session` must be a non-empty name without `.` or `:` (got {s:?})");
        }
        cfg.session = s;
    }
    cfg.notify = file.notify.filter(|n| !n.trim().is_empty());
    if let Some(save) = file.save {
        cfg.save = save;
    }
    if let Some(w) = file.worktree_copy {
        for p in &w {
            if p.starts_with('/') || p.split('/').any(|c| c == "..") {
                bail!("`worktree_copy`: {p:?} must be a path inside the repository");
            }
        }
        cfg.worktree_copy = w;
    }
    for name in file.profiles.keys() {
        if !valid_profile_name(name) {
            bail!("profile name {name:?} must be letters, digits, `_` or `-`, starting with a letter or digit");
        }
    }
    for (name, h) in &file.hosts {
        // Host names are written `NAME@HOST` and passed to ssh: keep them plain.
        if !valid_profile_name(name) {
            bail!("host name {name:?} must be letters, digits, `_` or `-`, starting with a letter or digit");
        }
        if h.host
            .as_deref()
            .is_some_and(|t| t.is_empty() || t.starts_with('-'))
        {
            bail!("[hosts.{name}] host must be a host name, not empty or starting with `-`");
        }
        if h.user
            .as_deref()
            .is_some_and(|u| u.is_empty() || u.starts_with('-') || u.contains('@'))
        {
            bail!("[hosts.{name}] user must be a user name, not empty, with no `@`, not starting with `-`");
        }
    }
    cfg.hosts = file.hosts;
    let mut resolved: BTreeMap<String, Profile> = BTreeMap::new();
    for name in file.profiles.keys() {
        resolve(name, &file.profiles, &mut resolved, &mut Vec::new())?;
    }
    // Built-ins keep their places; the file's new profiles follow.
    for p in cfg.profiles.iter_mut() {
        if let Some(r) = resolved.remove(&p.name) {
            *p = r;
        }
    }
    cfg.profiles.extend(resolved.into_values());
    for p in &cfg.profiles {
        p.validate()?;
    }
    if let Some(d) = file.default_profile {
        if cfg.profile(&d).is_none() {
            let known: Vec<&str> = cfg.profiles.iter().map(|p| p.name.as_str()).collect();
            bail!(
                "`default_profile` names no profile: {d:?} (known: {})",
                known.join(", ")
            );
        }
        cfg.default_profile = Some(d);
    }
    Ok(())
}

fn resolve(
    name: &str,
    entries: &BTreeMap<String, ProfileEntry>,
    done: &mut BTreeMap<String, Profile>,
    stack: &mut Vec<String>,
) -> Result<Profile> {
    if let Some(p) = done.get(name) {
        return Ok(p.clone());
    }
    if stack.iter().any(|s| s == name) {
        stack.push(name.to_string());
        bail!(
            "profiles extend each other in a cycle: {}",
            stack.join(" -> ")
        );
    }
    let entry = entries[name].clone();
    stack.push(name.to_string());
    let mut p = match entry.extends.as_deref() {
        // Extending its own name means the built-in of that name.
        Some(base) if base != name && entries.contains_key(base) => {
            resolve(base, entries, done, stack)?
        }
        Some(base) => profile::builtin_named(base)
            .with_context(|| format!("profile `{name}`: `extends` names no profile: {base:?}"))?,
        None => profile::builtin_named(name).unwrap_or_default(),
    };
    stack.pop();
    entry.apply(&mut p);
    p.name = name.to_string();
    // Patterns changed: never reuse the base's compiled set.
    p.compiled = CompiledCache::default();
    done.insert(name.to_string(), p.clone());
    Ok(p)
}

#[cfg(test)]
mod tests;
