//! Profiles: how to start an agent and how to read its state off the pane.
//!
//! A profile is data (regexes and numbers) so that a new tool, or a new
//! version of a known one, is a config change rather than a code change.
//! Every built-in pattern cites where its shape was learned.

use anyhow::{bail, Result};
use regex::{Regex, RegexSet};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

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
    /// tmux key names that approve the tool's permission dialog (`crew approve`).
    pub approve_keys: Vec<String>,
    /// tmux key names that decline it (`crew deny`).
    pub deny_keys: Vec<String>,
    /// tmux key names that pick option `{n}` of a question (`crew answer`).
    pub answer_keys: Vec<String>,
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
            approve_keys: Vec::new(),
            deny_keys: Vec::new(),
            answer_keys: Vec::new(),
            start_timeout_secs: 60,
            receipt_timeout_ms: 8000,
            compiled: CompiledCache::default(),
        }
    }
}

/// Lazily compiled patterns. Cloning shares what was already compiled.
#[derive(Clone, Default)]
pub struct CompiledCache(OnceLock<Arc<Patterns>>);

impl std::fmt::Debug for CompiledCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "compiled"
        } else {
            "not compiled"
        })
    }
}

/// Which list a pattern comes from, as bits: `Patterns::title_kinds` and
/// `Patterns::line_kinds` say every list a text matches in one search.
pub mod kind {
    pub const TITLE_WORKING: u8 = 1;
    pub const TITLE_IDLE: u8 = 1 << 1;
    pub const TITLE_ATTENTION: u8 = 1 << 2;
    pub const WORKING: u8 = 1 << 3;
    pub const IDLE: u8 = 1 << 4;
    pub const PERMISSION: u8 = 1 << 5;
    pub const QUESTION: u8 = 1 << 6;
    pub const IGNORE: u8 = 1 << 7;
}

/// Several lists of patterns as one set, compiled on first use: `ls` judges
/// most agents from their title or foreground command alone, and each set
/// compiled costs a fixed part on top of its patterns (one set of 26 Claude
/// patterns compiles in about half the time of eight).
#[derive(Debug, Default)]
struct KindSet {
    sources: Vec<String>,
    kinds: Vec<u8>,
    compiled: OnceLock<(RegexSet, Vec<u8>)>,
}

impl KindSet {
    fn new(lists: &[(u8, &[String])]) -> KindSet {
        let mut set = KindSet::default();
        for (k, pats) in lists {
            for p in pats.iter() {
                set.sources.push(line_pattern(p).into_owned());
                set.kinds.push(*k);
            }
        }
        set
    }

    fn get(&self) -> &(RegexSet, Vec<u8>) {
        self.compiled.get_or_init(|| {
            // Profiles from the config file were validated at load; a bad
            // pattern in a hand-built profile is skipped, never a panic.
            match RegexSet::new(&self.sources) {
                Ok(set) => (set, self.kinds.clone()),
                Err(_) => {
                    let (good, kinds): (Vec<&String>, Vec<u8>) = self
                        .sources
                        .iter()
                        .zip(&self.kinds)
                        .filter(|(p, _)| Regex::new(p).is_ok())
                        .map(|(p, k)| (p, *k))
                        .unzip();
                    (
                        RegexSet::new(good).unwrap_or_else(|_| RegexSet::empty()),
                        kinds,
                    )
                }
            }
        })
    }

    fn kinds(&self, text: &str) -> u8 {
        if self.sources.is_empty() {
            return 0;
        }
        let (set, kinds) = self.get();
        set.matches(text).iter().fold(0, |acc, i| acc | kinds[i])
    }

    fn has(&self, k: u8) -> bool {
        self.kinds.iter().any(|x| x & k != 0)
    }

    fn compiled(&self, k: u8) -> usize {
        if self.sources.is_empty() {
            return 0;
        }
        self.get().1.iter().filter(|x| *x & k != 0).count()
    }
}

/// A profile's regexes: the title's lists in one set, the screen's in
/// another, each compiled once and only when first needed.
#[derive(Debug)]
pub struct Patterns {
    title: KindSet,
    screen: KindSet,
    input_box_source: Option<String>,
    input_box: OnceLock<Option<Regex>>,
}

impl Patterns {
    /// Which title lists (`kind::TITLE_*`) the title matches.
    pub fn title_kinds(&self, title: &str) -> u8 {
        self.title.kinds(title)
    }

    /// Which screen lists (working, idle, permission, question, ignore) a
    /// line matches.
    pub fn line_kinds(&self, line: &str) -> u8 {
        self.screen.kinds(line)
    }

    /// Whether the profile has patterns of this kind.
    pub fn has(&self, k: u8) -> bool {
        self.title.has(k) || self.screen.has(k)
    }

    /// How many patterns of this kind compiled (bad ones in hand-built
    /// profiles are skipped).
    pub fn compiled(&self, k: u8) -> usize {
        self.title.compiled(k) + self.screen.compiled(k)
    }

    /// Compile both sets now (on a thread that would otherwise wait).
    pub fn compile(&self) {
        for set in [&self.title, &self.screen] {
            if !set.sources.is_empty() {
                set.get();
            }
        }
    }

    /// Whether any screen pattern exists, i.e. a capture can tell anything.
    pub fn reads_screen(&self) -> bool {
        self.screen
            .has(kind::WORKING | kind::IDLE | kind::PERMISSION | kind::QUESTION)
    }

    pub fn input_box(&self) -> Option<&Regex> {
        self.input_box
            .get_or_init(|| {
                self.input_box_source
                    .as_deref()
                    .and_then(|p| Regex::new(p).ok())
            })
            .as_ref()
    }
}

pub const RESTART_POLICIES: [&str; 3] = ["never", "on-failure", "always"];

impl Profile {
    /// Compiled patterns. Profiles from the config file were validated at
    /// load; a bad pattern in a hand-built profile is skipped, never a panic.
    pub fn patterns(&self) -> &Patterns {
        self.compiled.0.get_or_init(|| {
            Arc::new(Patterns {
                title: KindSet::new(&[
                    (kind::TITLE_WORKING, &self.title_working),
                    (kind::TITLE_IDLE, &self.title_idle),
                    (kind::TITLE_ATTENTION, &self.title_attention),
                ]),
                screen: KindSet::new(&[
                    (kind::WORKING, &self.working),
                    (kind::IDLE, &self.idle),
                    (kind::PERMISSION, &self.permission),
                    (kind::QUESTION, &self.question),
                    (kind::IGNORE, &self.ignore),
                ]),
                input_box_source: self
                    .input_box
                    .as_deref()
                    .map(|p| line_pattern(p).into_owned()),
                input_box: OnceLock::new(),
            })
        })
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

/// Lines arrive with trailing spaces removed (tmux captures and crew's
/// cleaning both drop them), so spaces before a final `$` become optional.
fn line_pattern(p: &str) -> Cow<'_, str> {
    match p.strip_suffix('$') {
        Some(body) if body.ends_with(' ') => {
            Cow::Owned(format!("{} *$", body.trim_end_matches(' ')))
        }
        _ => Cow::Borrowed(p),
    }
}

fn regex_error(profile: &str, field: &str, pattern: &str, e: &regex::Error) -> anyhow::Error {
    // regex errors are multi-line with a caret under the fault; keep them.
    anyhow::anyhow!("profile `{profile}`: invalid regex in `{field}`: {pattern:?}\n{e}")
}

fn v(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Built-in patterns. They match terminal text in ASCII words and digits:
/// `\b`, `\d` and `\w` are taken as ASCII, which compiles in a tenth of the
/// time of Unicode's (a Unicode `\b` alone costs 0.2 ms, paid by every
/// `ls`). Patterns from the config file keep Rust's meaning.
fn pats(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| ascii_classes(s)).collect()
}

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

/// Claude Code's spinner frames at column 0: the asterisk family it animates
/// plus the middle dot and ASCII `*` frames. kbwo/ccmanager
/// src/services/stateDetector/claude.ts (SPINNER_CHARS, test "· Misting…");
/// agent-deck internal/tmux/patterns.go (SpinnerRuneSet); ASCII `*` frames as
/// in Dicklesworthstone/ntm internal/agent/testdata/claude_working_*.txt.
const CLAUDE_GLYPHS: &str = "[·✢✳✶✻✽✷✸✹✺*∗]";

/// The six built-in profiles.
pub fn builtin() -> Vec<Profile> {
    vec![claude(), codex(), gemini(), aider(), opencode(), shell()]
}

pub fn builtin_named(name: &str) -> Option<Profile> {
    builtin().into_iter().find(|p| p.name == name)
}

fn claude() -> Profile {
    Profile {
        name: "claude".into(),
        command: v(&["claude"]),
        // The spinner line can sit 15-20 lines up when a sub-agent panel is
        // drawn under the input box, and menus are tall.
        scan_lines: 30,
        submit_delay_ms: 150,
        title_working: pats(&[
            // Braille spinner in the title while a turn runs:
            // asheshgoplani/agent-deck internal/tmux/title_detection.go.
            r"^\s*[\x{2800}-\x{28FF}]",
            // 2.1.228 switched the title spinner to quarter circles:
            // stablyai/orca PR #13925.
            r"^\s*[◐◑◒◓]",
        ]),
        // No idle title: since 2.1.236 a static `✳` title stays up for the
        // whole turn under a multiplexer (epilande/ccmux PR #205), and the
        // spinner keeps going while a permission menu waits
        // (anthropics/claude-code#59229), so the title never rules out a menu.
        title_idle: Vec::new(),
        title_attention: Vec::new(),
        working: pats(&[
            // The spinner line's SHAPE, not its word (the verb is random:
            // "Pondering…", "Crafting…"): glyph at column 0, words, an
            // ellipsis, optionally the parenthesised timer. The finished
            // "✻ Cooked for 1m 42s" line has no ellipsis.
            // ccmanager claude.ts SPINNER_ACTIVITY_PATTERN; agent-deck
            // internal/tmux/patterns.go (`^[✳✽✶✻✢·]\s*.+…`).
            &format!(r"^{CLAUDE_GLYPHS} \S.*(?:…|\.\.\.)(?:\s*\(.*\))?$"),
            // The timer/token meter, whatever the glyph frame:
            // "(35s · ↑ 2.4k tokens · …)"; ccmanager claude.ts TOKEN_STATS_LINE_PATTERN.
            r"\(\d+[hms](?: \d+[hms])* · .*tokens",
            // Older builds: "(12s · esc to interrupt)", "(ctrl+c to interrupt · …)";
            // Dicklesworthstone/ntm internal/agent/patterns.go claudeInFlightHintRe.
            r"[(·] ?(?:esc|ctrl\+c) to interrupt\b",
            // Waiting on sub-agents has neither ellipsis nor meter.
            &format!(r"^{CLAUDE_GLYPHS} Waiting for \d+ background agent"),
        ]),
        idle: pats(&[
            // The empty input line between two rules ("❯", older "> "):
            // agent-deck internal/tmux/detector.go hasClaudePrompt.
            r"^[>❯]$",
            // Prompt suggestion in the empty box: agent-deck detector.go ("❯ Try ").
            r#"^[>❯] Try ""#,
            // The input box's rules; a live menu replaces the box, so a rule
            // below a menu means the menu is old (see status.rs).
            r"^─{8,}$",
            // 1.x drew the input in a box: "│ > │" (ccmanager claude.test.ts).
            r"^│ >(?: |$)",
        ]),
        permission: pats(&[
            // Tool approval: "Do you want to proceed?", "Do you want to make
            // this edit to x?", "Do you want to create x?"; captures in
            // agentwire tests/test_prompt_router.py, ccmanager claude.test.ts.
            r"^\s*(?:│ )?Do you want to .+\?",
            // The refusal option of 1.x/2.0 menus: smtg-ai/claude-squad
            // session/tmux/tmux.go.
            r"No, and tell Claude what to do differently",
            r"^\s*(?:│ )?(?:[❯>] )?\d\. Yes, (?:and don.t ask again|and always allow|allow all edits|and switch to accept edits|and use auto mode|manually approve)",
            // 2.1.101+ menu footer; wraps to "Esc to cancel · Tab" on narrow panes.
            r"Esc to cancel · Tab(?: to amend)?",
            // Plan approval ("Ready to code?"): its bottom lines.
            r"shift\+tab to approve with this feedback",
            r"^\s*ctrl\+g to edit in ",
            // Start-up trust dialog of 1.x/2.0: agent-deck detector.go.
            r"Do you trust the files in this folder\?",
        ]),
        question: pats(&[
            // AskUserQuestion: footer and fixed options, agentwire
            // tests/test_prompt_router.py QUESTION_SIMPLE / QUESTION_TABBED.
            r"^\s*Enter to select · .*to navigate",
            r"^\s*\d+\. Type something\.?$",
            r"^\s*\d+\. Chat about this$",
            // Other choice dialogs (usage limit, model picker).
            r"^\s*Enter to confirm · Esc to cancel$",
            // 2.1's offer "Make auto mode your default permission mode?" pops
            // over the first prompt; its footer (real capture
            // tests/screens/real/claude-question-auto-mode-offer.txt).
            r"^\s*Not answered yet · ↑/↓ to choose\b",
            // 2.1's start-up trust dialog is a choice whose default is
            // "❯ No, exit", so it is a question (approving with Enter would
            // quit): "Quick safety check: Is this a project you created or
            // one you trust? (Like your own code, …" (real capture
            // tests/screens/real/claude-question-trust.txt).
            r"^\s*Quick safety check: Is this a project you created or one you trust\?",
            r"^\s*(?:❯ )?(?:\d\. )?Yes, I trust this folder$",
        ]),
        ignore: pats(&[
            // The mode footer is not a state ("bypass permissions on" would
            // read as a permission ask, and it stays up while working):
            // ntm internal/agent/patterns.go ccIdlePatterns note.
            r"(?i)\b(?:bypass permissions|accept edits|auto-accept edits|plan mode|auto mode|manual mode) on\b",
            // 2.1 footer: "? for shortcuts · ← for agents" (real captures).
            r"^\s*\? for shortcuts(?: · ← for agents)?$",
        ]),
        input_box: Some(r"^(?:│ )?[>❯][ \x{a0}]?(.*?)[ \x{a0}]*│?$".into()),
        // Enter only: Escape would interrupt a turn that is running.
        recovery_keys: v(&["Enter"]),
        // Hooks for this process only, inline (`--settings <json>`): Claude
        // Code's hooks reference (code.claude.com/docs/en/hooks) names the
        // events; each hook gets its JSON (with session_id) on stdin.
        report_args: vec!["--settings".into(), claude_hooks()],
        session_args: v(&["--session-id", "{session}"]),
        resume_args: v(&["--resume", "{session}"]),
        // Menus take the option's digit; Escape declines ("tell Claude what
        // to do differently").
        approve_keys: v(&["1"]),
        deny_keys: v(&["Escape"]),
        answer_keys: v(&["{n}"]),
        ..Profile::default()
    }
}

/// Claude Code's `--settings` JSON mapping its hook events to reports.
fn claude_hooks() -> String {
    let hook = |state: &str| {
        format!(
            r#"[{{"hooks":[{{"type":"command","command":"{{crew}} report {state} --hook-input"}}]}}]"#
        )
    };
    let events = [
        ("SessionStart", "idle"),
        ("UserPromptSubmit", "working"),
        ("PreToolUse", "working"),
        ("PostToolUse", "working"),
        ("PermissionRequest", "permission"),
        ("Notification", "notification"),
        ("Stop", "idle"),
    ];
    let body: Vec<String> = events
        .iter()
        .map(|(e, s)| format!(r#""{e}":{}"#, hook(s)))
        .collect();
    format!(r#"{{"hooks":{{{}}}}}"#, body.join(","))
}

fn codex() -> Profile {
    Profile {
        name: "codex".into(),
        command: v(&["codex"]),
        // Queued messages can push the status line 20 lines up
        // (codex-rs/tui chatwidget snapshot chatwidget_tall).
        scan_lines: 30,
        submit_delay_ms: 150,
        // Default title items are [spinner, project]: braille frames while a
        // turn runs, "[ ! ] Action Required" (blinking "[ . ]") when blocked on
        // the user: openai/codex codex-rs/tui/src/chatwidget/status_surfaces.rs.
        title_working: pats(&[r"[\x{2800}-\x{28FF}]"]),
        title_attention: pats(&[r"\[ [!.] \] Action Required"]),
        working: pats(&[
            // "• Working (0s • esc to interrupt)", "• Booting MCP server: x (3s • esc to interrupt)":
            // codex-rs/tui/src/snapshots/...status_indicator_widget...renders_with_working_header.snap.
            // The header and the key vary, the timer-and-interrupt shape does not.
            r"\((?:\d+[hms] ?)+ ?[•·] .*to interrupt\)",
        ]),
        idle: pats(&[
            // Footer under the composer: footer_shortcuts_default.snap,
            // chatwidget_tall.snap ("? for shortcuts … 100% context left").
            r"^\s*\? for shortcuts",
            r"\d+% context left",
            r"· \d+% left\b",
            // The composer line: "› Ask Codex to do anything".
            r"^›(?: |$)",
        ]),
        permission: pats(&[
            // Approval overlay: codex-rs/tui chatwidget snapshots
            // approval_modal_exec / exec_approval_modal_exec, bottom_pane
            // approval_overlay_permissions_prompt.
            r"(?i)press enter to confirm or esc to (?:cancel|go back)",
            r"^\s*Would you like to (?:run the following command|make the following edits|grant these permissions)",
            r"No, and tell Codex what to do differently",
            r"\d\. Yes, proceed \(y\)",
            // Older builds: kbwo/ccmanager stateDetector/codex.ts.
            r"(?i)^\s*allow command\?",
        ]),
        question: pats(&[
            // request_user_input: bottom_pane/request_user_input snapshots
            // ("Enter to submit answer | Esc to interrupt", "Enter: submit answer").
            r"(?i)enter:? (?:to )?submit answer",
            r"^\s*Question \d+/\d+ \(",
        ]),
        input_box: Some(r"^›[ \x{a0}]?(.*)$".into()),
        recovery_keys: v(&["Enter"]),
        // `notify` runs a program (argv, no shell) after each turn with a
        // JSON argument carrying "thread-id": developers.openai.com/codex/
        // config-reference. It is Codex's only event, so only idle is
        // reported; the conversation id is learnt from it.
        report_args: v(&["-c", r#"notify=["{crew_argv}","report","idle"]"#]),
        // Its notify also fires when the side task that titles the session
        // ends, mid-turn (seen on 0.169.0): the screen's working line wins.
        report_idle_checked: true,
        // `codex resume [SESSION_ID]` (codex resume --help, 0.169.0).
        resume_args: v(&["resume", "{session}"]),
        resume_last_args: v(&["resume", "--last"]),
        // "1. Yes, proceed (y)"; Escape: "No, and tell Codex what to do differently".
        approve_keys: v(&["y"]),
        deny_keys: v(&["Escape"]),
        answer_keys: v(&["{n}"]),
        ..Profile::default()
    }
}

fn gemini() -> Profile {
    Profile {
        name: "gemini".into(),
        command: v(&["gemini"]),
        scan_lines: 25,
        submit_delay_ms: 150,
        // Dynamic window title (on by default): "✦  Working…", "⏲  Working…",
        // "◇  Ready", "✋  Action Required":
        // google-gemini/gemini-cli packages/cli/src/utils/windowTitle.ts.
        title_working: pats(&[r"^\s*[✦⏲]\s"]),
        title_idle: pats(&[r"^\s*◇\s"]),
        title_attention: pats(&[r"^\s*✋\s"]),
        working: pats(&[
            // LoadingIndicator: "<phrase> (esc to cancel, 5s)":
            // packages/cli/src/ui/components/LoadingIndicator.tsx.
            r"\(esc to cancel, (?:\d+[hms] ?)+\)",
        ]),
        idle: pats(&[
            // InputPrompt placeholder and line: Composer.test.tsx.snap,
            // InputPrompt.test.tsx.snap (" > hello" between rules).
            r"Type your message or @path/to/file",
            r"^\s*(?:│ )?>(?: |$)",
        ]),
        permission: pats(&[
            // ToolConfirmationMessage: ToolConfirmationFullFrame.test.tsx.snap,
            // App.test.tsx.snap ("Allow execution of [ls]?", "● 1. Allow once").
            r"Apply this change\?",
            r"Allow execution of .*\?",
            r"^\s*(?:│ )?Do you want to proceed\?",
            r"\d\. Allow once\b",
            r"No, suggest changes \(esc\)",
            // kbwo/ccmanager stateDetector/gemini.ts.
            r"(?i)waiting for user confirmation",
        ]),
        question: pats(&[
            // AskUserDialog: components/__snapshots__/AskUserDialog.test.tsx.snap.
            // 0.61 draws it in a box: "│ Enter to select · ↑/↓ to navigate ·
            // Esc to cancel │" under "│ Answer Questions │" (real capture
            // tests/screens/real/gemini-question.txt).
            r"^\s*(?:│ )?Enter to submit · Esc to cancel",
            r"^\s*(?:│ )?Enter to select · .*to navigate",
            r"^\s*│ Answer Questions +│$",
        ]),
        input_box: Some(r"^\s*(?:│ )?> (.*?)(?: *│)?$".into()),
        recovery_keys: v(&["Enter"]),
        // `--session-id UUID` starts a session with our id, `--resume UUID`
        // continues it (gemini --help 0.61.0; geminicli.com/docs/cli/
        // session-management). Its hooks live only in settings.json files,
        // which crew does not write: no report_args.
        session_args: v(&["--session-id", "{session}"]),
        resume_args: v(&["--resume", "{session}"]),
        // "● 1. Allow once" is selected first; Escape: "No, suggest changes (esc)".
        approve_keys: v(&["Enter"]),
        deny_keys: v(&["Escape"]),
        answer_keys: v(&["{n}"]),
        ..Profile::default()
    }
}

fn aider() -> Profile {
    Profile {
        name: "aider".into(),
        command: v(&["aider"]),
        // aider is line-oriented: its prompt, its confirm questions and its
        // spinner are all the last line; older prompts stay in scrollback.
        scan_lines: 1,
        submit_delay_ms: 50,
        working: pats(&[
            // Spinner "░█        Waiting for <model>" (ASCII "#=" without
            // unicode): Aider-AI/aider aider/waiting.py.
            r"^ *(?:░█|█░|#=|=#) +\S",
        ]),
        idle: pats(&[
            // Prompt "> ", "architect> ", "ask multi> ": aider/io.py get_input.
            r"^(?:[\w-]+(?: multi)?|multi)?>(?: |$)",
        ]),
        // confirm_ask puts every yes/no on the last line, "<ask>? (Y)es/(N)o
        // [Yes]: " (aider/io.py). Asks to run or create something are
        // permissions: "Run shell command?", "Create new file?", "Allow edits
        // to file that has not been added to the chat?" (real capture
        // tests/screens/real/aider-permission.txt).
        permission: pats(&[
            r"^(?:Run shell commands?|Create new file|Allow (?:edits|creation))\b.*\(Y\)es/\(N\)o\b.*\[(?:Yes|No)\]:",
        ]),
        // Every other yes/no is a question: "Add .aider* to .gitignore
        // (recommended)?", "Add file to the chat?", "Add command output to the
        // chat?" (real captures aider-question-*.txt). The regex crate has no
        // look-ahead: the first word is "not Run, Create or Allow" spelt out.
        question: pats(&[
            r"^(?:[^RCA]|R[^u]|Ru[^n]|C[^r]|Cr[^e]|A[^l]|Al[^l]).*\(Y\)es/\(N\)o\b.*\[(?:Yes|No)\]:",
        ]),
        // Streaming replies have no indicator: judged by screen changes.
        quiet_idle_secs: Some(15),
        // "(Y)es/(N)o … [Yes]:" reads a line.
        approve_keys: v(&["y", "Enter"]),
        deny_keys: v(&["n", "Enter"]),
        answer_keys: v(&["y", "Enter"]),
        // No input_box: the submitted line stays on screen as "> text", so a
        // capture cannot tell a pending message from a sent one.
        // The chat history file in the working directory (aider --help).
        resume_args: v(&["--restore-chat-history"]),
        ..Profile::default()
    }
}

fn opencode() -> Profile {
    Profile {
        name: "opencode".into(),
        command: v(&["opencode"]),
        scan_lines: 30,
        submit_delay_ms: 150,
        // Braille spinner replaces the "OC" title prefix while busy:
        // anomalyco/opencode PR #5984. Not trusted alone: it spins on while
        // a permission prompt waits. 1.18 shows "OpenCode", then
        // "OC | <session title>" in every state (real captures), so there the
        // screen decides.
        title_working: pats(&[r"[\x{2800}-\x{28FF}]"]),
        working: pats(&[
            // Status row under the prompt while busy: "esc interrupt", then
            // "esc again to interrupt"; "[⋯]" replaces the spinner without
            // animations: packages/opencode/src/cli/cmd/tui/component/prompt/index.tsx.
            r"\besc (?:again to )?interrupt\b",
            r"\[⋯\]",
        ]),
        idle: pats(&[
            // Prompt placeholder and hints: component/prompt/index.tsx;
            // ntm internal/agent/patterns.go ocIdlePatterns. 1.18 writes one
            // "…" character: `┃  Ask anything… "What is the tech stack of
            // this project?"` (real capture tests/screens/real/opencode-idle.txt).
            r#"Ask anything(?:…|\.\.\.) ""#,
            r"\bctrl\+p commands\b",
        ]),
        permission: pats(&[
            // routes/session/permission.tsx: header, option row, later stages.
            r"△ Permission required",
            r"Allow once +Allow always +Reject",
            r"△ (?:Always allow|Reject permission)",
        ]),
        question: pats(&[
            // routes/session/question.tsx: footer and the free-text option.
            r"enter (?:submit|confirm|toggle) +esc dismiss",
            r"\d\. Type your own answer",
        ]),
        // "Allow once" is selected first; Escape rejects.
        approve_keys: v(&["Enter"]),
        deny_keys: v(&["Escape"]),
        answer_keys: v(&["{n}"]),
        // No input_box: the textarea shares its bordered panel with the
        // agent/model row, so its content line cannot be told apart.
        // No id can be chosen at start; `--continue` takes the directory's
        // last session (opencode --help 1.18.33). Plugins need files: no
        // report_args.
        resume_args: v(&["--continue"]),
        ..Profile::default()
    }
}

fn shell() -> Profile {
    Profile {
        name: "shell".into(),
        command: Vec::new(),
        idle_at_shell: true,
        // Where /proc cannot tell (a program polling fds crew cannot see):
        // idle once its screen has been still this long.
        quiet_idle_secs: Some(5),
        // A program asking something asks on its last line.
        scan_lines: 2,
        submit_delay_ms: 50,
        // "[y/N]" questions read a line.
        approve_keys: v(&["y", "Enter"]),
        deny_keys: v(&["n", "Enter"]),
        answer_keys: v(&["{n}", "Enter"]),
        // A plain command may take a line and show nothing: no proof to wait for.
        receipt_timeout_ms: 0,
        idle: pats(&[
            // A prompt on the last line, for a shell behind ssh or `docker
            // exec`, whose foreground command hides the remote shell (tmuxai
            // system/utils.go IsSubShell). Whole-line prompt shapes only, so
            // output such as "45%" or "cost: 5$" does not look idle:
            // Debian "ann@box:~/src$", RHEL "[ann@box src]$", zsh "ann@box src %".
            r"^[\w.-]+@[\w.-]+:\S*[$#]$",
            r"^\[[\w.-]+@[\w.-]+ [^\]]*\][$#]$",
            r"^[\w.-]+@[\w.-]+ \S+ [%#]$",
        ]),
        question: pats(&[
            // "[y/N]", "(yes/no)", "(yes/no/[fingerprint])?": agent-deck
            // internal/tmux/detector.go hasShellPrompt; OpenSSH host-key prompt.
            r"(?i)[\[(](?:y/n|yes/no)(?:/[^\])]*)?[\])]\s*\??\s*:?$",
            // sudo, ssh and gpg secrets: "[sudo] password for ann:".
            r"(?i)\b(?:password|passphrase)\b[^:]*:$",
        ]),
        ..Profile::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_are_valid_and_named() {
        let all = builtin();
        let names: Vec<&str> = all.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            ["claude", "codex", "gemini", "aider", "opencode", "shell"]
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
