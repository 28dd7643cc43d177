//! Profiles: how to start an agent and how to read its state off the pane.
//!
//! A profile is data (regexes and numbers) so that a new tool, or a new
//! version of a known one, is a config change rather than a code change.
//! Every built-in pattern cites where its shape was learned.

use anyhow::{bail, Result};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, OnceLock};

mod patterns;
use patterns::line_pattern;
pub use patterns::{kind, CompiledCache, ModeRegexes, Patterns};

/// How to run one kind of agent and recognise its states.
///
/// Screen patterns are matched one line at a time, with trailing whitespace
/// removed, against the last `scan_lines` non-blank lines that no `ignore`
/// pattern matches; spaces just before a final `$` are therefore optional
/// (`'^mytool> $'` matches the prompt). Title patterns are matched against
/// `#{pane_title}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    /// argv; empty = $SHELL.
    pub command: Vec<String>,
    /// "never" | "on-failure" | "always"; None = never.
    pub restart: Option<String>,
    /// How many last non-blank screen lines to match.
    pub scan_lines: usize,
    /// Settle delay between paste and Enter for `send`.
    pub submit_delay_ms: u64,
    /// Regexes on the pane title meaning "working".
    pub title_working: Vec<String>,
    /// Regexes on the pane title meaning "idle".
    pub title_idle: Vec<String>,
    /// Regexes on the pane title meaning "waits for the person". A tool that
    /// reports attention in its title reports every state there, so when this
    /// is set a working/idle title is trusted without looking at the screen.
    pub title_attention: Vec<String>,
    /// The status comes from the foreground command: idle while it is the
    /// shell itself, otherwise judged by the screen patterns, working if none
    /// of them match.
    pub idle_at_shell: bool,
    pub working: Vec<String>,
    pub idle: Vec<String>,
    pub permission: Vec<String>,
    pub question: Vec<String>,
    /// Lines to drop before matching (status bars that are not a state).
    pub ignore: Vec<String>,
    /// Regex with one capture group: the input box's current content. The
    /// bottom-most matching line is taken as the live box.
    pub input_box: Option<String>,
    /// tmux key names tried once when a sent message was not submitted.
    pub recovery_keys: Vec<String>,
    /// For tools with no steady working indicator: when nothing else decides,
    /// idle once the screen has been quiet this long, working before.
    pub quiet_idle_secs: Option<u64>,
    /// Arguments `spawn` adds so the tool runs `crew report` on its own
    /// events (hooks), for this one process only. `{crew}` is crew's path,
    /// shell-quoted and escaped for a JSON/TOML string; `{crew_argv}` the
    /// bare path escaped the same way (for argv arrays run without a shell).
    pub report_args: Vec<String>,
    /// Arguments that start a new conversation with an id crew chooses
    /// (`{session}`, a UUID); empty when the tool cannot take one.
    pub session_args: Vec<String>,
    /// Arguments that bring the agent back into its conversation on
    /// `restart`/`recover`. With `{session}` they apply only when the id is
    /// known; without it (aider's history, opencode's `--continue`) always.
    pub resume_args: Vec<String>,
    /// Arguments that resume the tool's latest conversation when no id was
    /// ever learnt (Codex `resume --last`); empty: start a new one.
    pub resume_last_args: Vec<String>,
    /// How long a `crew report` beats the screen, in seconds.
    pub report_fresh_secs: u64,
    /// An idle report yields to a screen that reads working (after a short
    /// grace): for tools whose only event also fires for side tasks.
    pub report_idle_checked: bool,
    /// Its hooks report `working` the moment a message starts a turn
    /// (Claude Code's UserPromptSubmit): where they are heard, a dialog
    /// after `send` with no such report means the message started no turn.
    pub reports_turn_start: bool,
    /// tmux key names that approve the tool's permission dialog (`crew approve`).
    pub approve_keys: Vec<String>,
    /// tmux key names that decline it (`crew deny`).
    pub deny_keys: Vec<String>,
    /// tmux key names that pick option `{n}` of a question (`crew answer`);
    /// `{n}` needs the screen to show a menu line numbered N. `{choice}` is
    /// option N's key as `answer_choice` reads it off the screen.
    pub answer_keys: Vec<String>,
    /// Regex with one capture group: on the bottom-most line where it
    /// matches, its matches in order are the keys of options 1, 2, … (aider's
    /// `(Y)es/(N)o/(D)on't ask again`: `\((\w)\)`), lower-cased.
    pub answer_choice: Option<String>,
    /// The tool's permission modes, and how to recognise them (see
    /// `mode.rs`): `ls` and the dashboard show which one an agent is in.
    pub modes: Vec<ModeRule>,
    /// How long `send` waits for a freshly started agent to be ready.
    pub start_timeout_secs: u64,
    /// How long `send` waits, after the submit key, for a sign that the
    /// agent took the message (its status leaves idle, its input box
    /// empties, or it exits); 0: no wait.
    pub receipt_timeout_ms: u64,
    /// Compiled patterns, built on first use.
    #[doc(hidden)]
    #[serde(skip)]
    pub compiled: CompiledCache,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            name: String::new(),
            command: Vec::new(),
            restart: None,
            scan_lines: 20,
            submit_delay_ms: 100,
            title_working: Vec::new(),
            title_idle: Vec::new(),
            title_attention: Vec::new(),
            idle_at_shell: false,
            working: Vec::new(),
            idle: Vec::new(),
            permission: Vec::new(),
            question: Vec::new(),
            ignore: Vec::new(),
            input_box: None,
            recovery_keys: Vec::new(),
            quiet_idle_secs: None,
            report_args: Vec::new(),
            session_args: Vec::new(),
            resume_args: Vec::new(),
            resume_last_args: Vec::new(),
            report_fresh_secs: 300,
            report_idle_checked: false,
            reports_turn_start: false,
            approve_keys: Vec::new(),
            deny_keys: Vec::new(),
            answer_keys: Vec::new(),
            answer_choice: None,
            modes: Vec::new(),
            start_timeout_secs: 60,
            receipt_timeout_ms: 8000,
            compiled: CompiledCache::default(),
        }
    }
}

/// One mode a profile knows, and how to recognise it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ModeRule {
    /// crew's name for it, as `ls` shows it: `auto`, `bypass`, `full-auto`.
    pub mode: String,
    /// The tool runs (some) tools in it without asking.
    pub unasked: bool,
    /// The tool's own word for it in its hook's JSON (`bypassPermissions`).
    pub reported: String,
    /// Regex on a screen line (a mode footer: `⏵⏵ auto mode on`).
    pub screen: String,
    /// Regex on the agent's command line, its words joined by spaces.
    pub args: String,
}

pub const RESTART_POLICIES: [&str; 3] = ["never", "on-failure", "always"];

impl Profile {
    /// Compiled patterns. Profiles from the config file were validated at
    /// load; a bad pattern in a hand-built profile is skipped, never a panic.
    pub fn patterns(&self) -> &Patterns {
        self.compiled.0.get_or_init(|| Arc::new(Patterns::of(self)))
    }

    /// Every regex compiles and every value is in range; errors name the
    /// profile and the field.
    pub fn validate(&self) -> Result<()> {
        let fields: [(&str, &[String]); 8] = [
            ("title_working", &self.title_working),
            ("title_idle", &self.title_idle),
            ("title_attention", &self.title_attention),
            ("working", &self.working),
            ("idle", &self.idle),
            ("permission", &self.permission),
            ("question", &self.question),
            ("ignore", &self.ignore),
        ];
        for (field, pats) in fields {
            for p in pats {
                Regex::new(&line_pattern(p)).map_err(|e| regex_error(&self.name, field, p, &e))?;
            }
        }
        if let Some(p) = &self.input_box {
            let re = Regex::new(&line_pattern(p))
                .map_err(|e| regex_error(&self.name, "input_box", p, &e))?;
            if re.captures_len() < 2 {
                bail!(
                    "profile `{}`: `input_box` needs one capture group for the box content: {p:?}",
                    self.name
                );
            }
        }
        if let Some(p) = &self.answer_choice {
            let re = Regex::new(p).map_err(|e| regex_error(&self.name, "answer_choice", p, &e))?;
            if re.captures_len() < 2 {
                bail!(
                    "profile `{}`: `answer_choice` needs one capture group for an option's key: {p:?}",
                    self.name
                );
            }
        }
        for m in &self.modes {
            if m.mode.is_empty() {
                bail!("profile `{}`: a mode needs its `mode` name", self.name);
            }
            for (field, p) in [("screen", &m.screen), ("args", &m.args)] {
                if !p.is_empty() {
                    Regex::new(p)
                        .map_err(|e| regex_error(&self.name, &format!("modes.{field}"), p, &e))?;
                }
            }
        }
        if let Some(r) = &self.restart {
            if !RESTART_POLICIES.contains(&r.as_str()) {
                bail!(
                    "profile `{}`: `restart` must be one of never, on-failure, always (got {r:?})",
                    self.name
                );
            }
        }
        if self.start_timeout_secs > 365 * 24 * 3600 {
            bail!(
                "profile `{}`: `start_timeout_secs` is more than a year",
                self.name
            );
        }
        if self.receipt_timeout_ms > 3_600_000 {
            bail!(
                "profile `{}`: `receipt_timeout_ms` is more than an hour",
                self.name
            );
        }
        if self.scan_lines == 0 {
            bail!("profile `{}`: `scan_lines` must be at least 1", self.name);
        }
        if self.command.iter().any(|a| a.contains('\0')) {
            bail!("profile `{}`: `command` contains a NUL byte", self.name);
        }
        Ok(())
    }
}

fn regex_error(profile: &str, field: &str, pattern: &str, e: &regex::Error) -> anyhow::Error {
    // regex errors are multi-line with a caret under the fault; keep them.
    anyhow::anyhow!("profile `{profile}`: invalid regex in `{field}`: {pattern:?}\n{e}")
}

/// Built-in patterns match terminal text in ASCII words and digits: `\b`,
/// `\d` and `\w` are taken as ASCII, which compiles in a tenth of the time
/// of Unicode's (a Unicode `\b` alone costs 0.2 ms, paid by every `ls`).
/// Patterns from the config file keep Rust's meaning.
fn ascii_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str("(?-u:\\b)"),
            Some('d') => out.push_str("[0-9]"),
            Some('w') => out.push_str("[0-9A-Za-z_]"),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The built-in profiles, one TOML file per tool in `profiles/` (the body
/// of a config file's `[profiles.NAME]` table), embedded at build time:
/// adding a tool is adding a file, and `crew config` prints them.
const FILES: [(&str, &str); 10] = [
    ("claude", include_str!("../../../../profiles/claude.toml")),
    ("codex", include_str!("../../../../profiles/codex.toml")),
    ("gemini", include_str!("../../../../profiles/gemini.toml")),
    ("aider", include_str!("../../../../profiles/aider.toml")),
    (
        "opencode",
        include_str!("../../../../profiles/opencode.toml"),
    ),
    ("pi", include_str!("../../../../profiles/pi.toml")),
    ("qwen", include_str!("../../../../profiles/qwen.toml")),
    ("vibe", include_str!("../../../../profiles/vibe.toml")),
    ("copilot", include_str!("../../../../profiles/copilot.toml")),
    ("shell", include_str!("../../../../profiles/shell.toml")),
];

/// One embedded file as a profile, its patterns ASCII-classed (`pats`).
/// The files are part of the build and a test loads every one, so a bad
/// file cannot ship.
fn from_file(name: &str, text: &str) -> Profile {
    let mut p: Profile = toml::from_str(text)
        .unwrap_or_else(|e| panic!("built-in profile {name} does not parse: {e}"));
    p.name = name.to_string();
    for list in [
        &mut p.title_working,
        &mut p.title_idle,
        &mut p.title_attention,
        &mut p.working,
        &mut p.idle,
        &mut p.permission,
        &mut p.question,
        &mut p.ignore,
    ] {
        for pat in list.iter_mut() {
            *pat = ascii_classes(pat);
        }
    }
    p
}

/// The built-in profiles, in `FILES` order: parsed once per process (the
/// files take about 0.1 ms to parse, paid by every command otherwise).
pub fn builtin() -> Vec<Profile> {
    static PARSED: OnceLock<Vec<Profile>> = OnceLock::new();
    PARSED
        .get_or_init(|| FILES.iter().map(|(n, t)| from_file(n, t)).collect())
        .clone()
}

pub fn builtin_named(name: &str) -> Option<Profile> {
    builtin().into_iter().find(|p| p.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pats(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| ascii_classes(s)).collect()
    }

    #[test]
    fn builtins_are_valid_and_named() {
        let all = builtin();
        let names: Vec<&str> = all.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "claude", "codex", "gemini", "aider", "opencode", "pi", "qwen", "vibe", "copilot",
                "shell"
            ]
        );
        for p in &all {
            p.validate().unwrap_or_else(|e| panic!("{e:#}"));
            // Every pattern survived the lazy compile too.
            let c = p.patterns();
            assert_eq!(c.compiled(kind::WORKING), p.working.len(), "{}", p.name);
            assert_eq!(c.compiled(kind::IDLE), p.idle.len(), "{}", p.name);
            let n = c.compiled(kind::PERMISSION);
            assert_eq!(n, p.permission.len(), "{}", p.name);
            assert_eq!(c.compiled(kind::QUESTION), p.question.len(), "{}", p.name);
            let n = c.compiled(kind::TITLE_WORKING);
            assert_eq!(n, p.title_working.len(), "{}", p.name);
        }
        assert!(builtin_named("codex").is_some());
        assert!(builtin_named("nope").is_none());
    }

    #[test]
    fn validate_names_profile_and_field() {
        let p = Profile {
            name: "mytool".into(),
            idle: pats(&["ok", "broken("]),
            ..Profile::default()
        };
        let e = format!("{:#}", p.validate().unwrap_err());
        assert!(
            e.contains("mytool") && e.contains("`idle`") && e.contains("broken("),
            "{e}"
        );

        let p = Profile {
            name: "x".into(),
            input_box: Some("^> .*$".into()),
            ..Profile::default()
        };
        assert!(format!("{:#}", p.validate().unwrap_err()).contains("capture group"));

        let p = Profile {
            name: "x".into(),
            restart: Some("sometimes".into()),
            ..Profile::default()
        };
        assert!(format!("{:#}", p.validate().unwrap_err()).contains("on-failure"));
    }

    #[test]
    fn bad_pattern_in_hand_built_profile_is_skipped() {
        let p = Profile {
            working: pats(&["(", "busy"]),
            ..Profile::default()
        };
        assert_eq!(p.patterns().compiled(kind::WORKING), 1);
        assert_eq!(p.patterns().line_kinds("busy now"), kind::WORKING);
    }

    #[test]
    fn spaces_before_the_end_anchor_are_optional() {
        let p = Profile {
            idle: pats(&["^mytool> $", "^ready$"]),
            ..Profile::default()
        };
        let idle = |l: &str| p.patterns().line_kinds(l) & kind::IDLE != 0;
        assert!(idle("mytool>") && idle("mytool> ") && idle("ready"));
        assert!(!idle("mytool> busy"));
        assert_eq!(line_pattern("a  $"), "a *$");
        assert_eq!(line_pattern("a$"), "a$");
    }

    #[test]
    fn clone_shares_compiled_patterns() {
        let p = builtin_named("claude").unwrap();
        let a = p.patterns() as *const Patterns;
        let q = p.clone();
        assert_eq!(a, q.patterns() as *const Patterns);
    }
}
