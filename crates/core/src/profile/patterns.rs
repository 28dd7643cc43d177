//! A profile's regexes, compiled once and only when first needed: the
//! title's lists in one set, the screen's in another.

use super::Profile;
use regex::{Regex, RegexSet};
use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

/// Lazily compiled patterns. Cloning shares what was already compiled.
#[derive(Clone, Default)]
pub struct CompiledCache(pub(super) OnceLock<Arc<Patterns>>);

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
    answer_choice_source: Option<String>,
    answer_choice: OnceLock<Option<Regex>>,
    mode_sources: Vec<(String, String)>,
    modes: OnceLock<Vec<ModeRegexes>>,
}

/// A mode rule's screen and argument regexes, compiled (None: not set).
pub type ModeRegexes = (Option<Regex>, Option<Regex>);

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
        lazy(&self.input_box, &self.input_box_source)
    }

    pub fn answer_choice(&self) -> Option<&Regex> {
        lazy(&self.answer_choice, &self.answer_choice_source)
    }

    /// Each mode rule's (screen, args) regexes, in the profile's order.
    pub fn modes(&self) -> &[ModeRegexes] {
        self.modes.get_or_init(|| {
            let re = |p: &str| (!p.is_empty()).then(|| Regex::new(p).ok()).flatten();
            self.mode_sources
                .iter()
                .map(|(screen, args)| (re(screen), re(args)))
                .collect()
        })
    }
}

fn lazy<'a>(cell: &'a OnceLock<Option<Regex>>, source: &Option<String>) -> Option<&'a Regex> {
    cell.get_or_init(|| source.as_deref().and_then(|p| Regex::new(p).ok()))
        .as_ref()
}

impl Patterns {
    pub(super) fn of(p: &Profile) -> Patterns {
        Patterns {
            title: KindSet::new(&[
                (kind::TITLE_WORKING, &p.title_working),
                (kind::TITLE_IDLE, &p.title_idle),
                (kind::TITLE_ATTENTION, &p.title_attention),
            ]),
            screen: KindSet::new(&[
                (kind::WORKING, &p.working),
                (kind::IDLE, &p.idle),
                (kind::PERMISSION, &p.permission),
                (kind::QUESTION, &p.question),
                (kind::IGNORE, &p.ignore),
            ]),
            input_box_source: p.input_box.as_deref().map(|p| line_pattern(p).into_owned()),
            input_box: OnceLock::new(),
            answer_choice_source: p.answer_choice.clone(),
            answer_choice: OnceLock::new(),
            mode_sources: p
                .modes
                .iter()
                .map(|m| (m.screen.clone(), m.args.clone()))
                .collect(),
            modes: OnceLock::new(),
        }
    }
}

/// Lines arrive with trailing spaces removed (tmux captures and crew's
/// cleaning both drop them), so spaces before a final `$` become optional.
pub(super) fn line_pattern(p: &str) -> Cow<'_, str> {
    match p.strip_suffix('$') {
        Some(body) if body.ends_with(' ') => {
            Cow::Owned(format!("{} *$", body.trim_end_matches(' ')))
        }
        _ => Cow::Borrowed(p),
    }
}
