//! Captures and the text cleanup `read` promises: every screen a command
//! needs in one tmux chain, tabs and blank runs as the user saw them, and
//! the `--new` mark that finds where the last read stopped.

use crate::tmux::{Chain, Cmd, Tmux, TmuxError};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, Default)]
pub struct Capture {
    /// Keep colours as ANSI escapes (`-e`).
    pub ansi: bool,
    /// Include the scrollback (`-S -`), not just the visible screen.
    pub history: bool,
    /// Include only this many lines of scrollback (`-S -N`); overrides
    /// `history`.
    pub back: Option<u64>,
}

pub fn capture_cmd(pane: &str, opts: Capture) -> Cmd {
    let mut c = Cmd::new("capture-pane").args(["-p", "-J"]);
    if opts.ansi {
        c = c.arg("-e");
    }
    if let Some(n) = opts.back {
        c = c.args(["-S".to_string(), format!("-{n}")]);
    } else if opts.history {
        c = c.args(["-S", "-"]);
    }
    c.target(pane)
}

/// Capture several panes with one tmux invocation (split only at tmux's argv
/// limit), with an unguessable marker line after each screen.
pub fn capture_many(
    tmux: &Tmux,
    panes: &[&str],
    opts: Capture,
) -> Result<HashMap<String, String>, TmuxError> {
    match capture_once(tmux, panes, opts) {
        // A pane vanished between the snapshot and now: retry with the
        // panes that still exist rather than failing everyone.
        Err(TmuxError::Gone(_)) => {
            let mut ch = Chain::new();
            ch.push(Cmd::new("list-panes").args(["-a", "-F", "#{pane_id}"]));
            let live = tmux.run(&ch)?;
            let live: Vec<&str> = live.lines().collect();
            let left: Vec<&str> = panes.iter().copied().filter(|p| live.contains(p)).collect();
            capture_once(tmux, &left, opts)
        }
        other => other,
    }
}

fn capture_once(
    tmux: &Tmux,
    panes: &[&str],
    opts: Capture,
) -> Result<HashMap<String, String>, TmuxError> {
    if panes.is_empty() {
        return Ok(HashMap::new());
    }
    let nonce = format!(
        "crew-{:x}-{:x}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    );
    // display-message runs its text through strftime too: no '%' (nor '#')
    // in the marker, so it names the capture by its index.
    let marker = |i: usize| format!("<{nonce}:{i}>");
    let mut chain = Chain::new();
    for (i, p) in panes.iter().enumerate() {
        chain.push(capture_cmd(p, opts));
        // No target: the marker costs tmux least that way.
        chain.push(Cmd::new("display-message").args(["-p", &marker(i)]));
    }
    let out = tmux.run(&chain)?;
    let mut map = HashMap::new();
    let mut rest = out.as_str();
    for (i, p) in panes.iter().enumerate() {
        let m = format!("{}\n", marker(i));
        match rest.find(&m) {
            Some(i) => {
                map.insert(p.to_string(), untab(&rest[..i]).into_owned());
                rest = &rest[i + m.len()..];
            }
            None => break,
        }
    }
    Ok(map)
}

/// A capture as every tmux release gives it: up to 3.5 a tab on screen is
/// captured as the spaces it covers; from 3.6 tmux keeps it as a tab. Tabs
/// become spaces to the next stop of 8 columns (tmux's default stops),
/// counting columns as tmux does (wide characters two, escape sequences of
/// `-e` none), so patterns, hashes and `read` are the same on every release.
pub fn untab(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\t') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut col = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' => {
                let n = 8 - col % 8;
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
            }
            '\n' => {
                out.push(c);
                col = 0;
            }
            '\x1b' => {
                // CSI (`ESC [ … final`) or a two-byte escape: no columns.
                out.push(c);
                if chars.peek() == Some(&'[') {
                    out.push(chars.next().expect("peeked"));
                    for c in chars.by_ref() {
                        out.push(c);
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                } else if let Some(c) = chars.next() {
                    out.push(c);
                }
            }
            c => {
                out.push(c);
                col += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Lines with trailing spaces removed and trailing blank lines dropped.
pub fn clean(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = untab(text)
        .split('\n')
        .map(|l| l.trim_end_matches([' ', '\r']).to_string())
        .collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// Lines with each run of blank lines made one, and none at the start or
/// end: what was said, not the empty rows of a screen (`read -n`).
pub fn squeeze_blank_runs(lines: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    for l in lines {
        let blank = l.trim().is_empty();
        if blank && out.last().is_none_or(|p: &String| p.trim().is_empty()) {
            continue;
        }
        out.push(if blank { String::new() } else { l });
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

/// The last non-blank line of a screen, tmux's "Pane is dead" note aside.
pub fn last_line(text: &str) -> String {
    clean(text)
        .into_iter()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.starts_with("Pane is dead"))
        .unwrap_or_default()
}

/// tmux prints "Pane is dead (…)" at the bottom of an exited pane's screen,
/// leaving blank rows between the last output and it: drop those rows.
pub fn close_dead_gap(mut lines: Vec<String>) -> Vec<String> {
    if lines.last().is_some_and(|l| l.starts_with("Pane is dead")) {
        let last = lines.pop().expect("checked");
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        lines.push(last);
    }
    lines
}

/// FNV-1a: stable across builds, unlike std's hasher, because marks and
/// screen hashes outlive the process that wrote them.
pub fn fnv(parts: &[String]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for p in parts {
        for b in p.bytes().chain([b'\n']) {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    h
}

/// How many lines before the last one the mark remembers: enough that a
/// run of repeated lines rarely matches the mark in the wrong place.
const MARK_CONTEXT: usize = 15;

fn line_hash(l: &str) -> u64 {
    fnv(&[l.to_string()])
}

/// A `read --new` mark: "2:N:STEP:TOPS:LAST:CTX…". N: how many lines there
/// were. STEP: the history's trim step (once the history is full, tmux drops
/// the oldest tenth of `history-limit` at a time). TOPS: hashes of the lines
/// at 0, STEP, 2·STEP, … (comma-separated), so the next read can tell how
/// many steps were dropped from the top by what is at the top now, even
/// when the newest lines all look alike. LAST: a hash of the last line
/// (often a prompt still being typed into, so it may change in place). CTX:
/// hashes of the lines before it.
pub fn mark(lines: &[String], history_limit: u64) -> String {
    let n = lines.len();
    let step = (history_limit / 10).max(1) as usize;
    let tops: Vec<String> = (0..n)
        .step_by(step)
        .map(|i| format!("{:x}", line_hash(&lines[i])))
        .collect();
    let mut parts = vec![
        "2".to_string(),
        n.to_string(),
        step.to_string(),
        tops.join(","),
    ];
    if n > 0 {
        parts.push(format!("{:x}", line_hash(&lines[n - 1])));
        for k in 1..=MARK_CONTEXT.min(n - 1) {
            parts.push(format!("{:x}", line_hash(&lines[n - 1 - k])));
        }
    }
    parts.join(":")
}

fn hex(h: &str) -> Option<u64> {
    u64::from_str_radix(h, 16).ok()
}

/// Index of the first line not yet seen, given the previous mark.
pub fn since_mark(lines: &[String], mark: &str) -> usize {
    let fields: Vec<&str> = mark.split(':').collect();
    // Older marks are "N:LAST:CTX…", without the trim step and the tops.
    let (n, step, tops, hashes) = match fields.as_slice() {
        ["2", n, step, tops, rest @ ..] => (
            n.parse::<usize>().ok(),
            step.parse::<usize>().ok().filter(|s| *s > 0),
            tops.split(',').filter_map(hex).collect::<Vec<u64>>(),
            rest,
        ),
        [n, rest @ ..] => (n.parse::<usize>().ok(), None, vec![], rest),
        [] => (None, None, vec![], &[][..]),
    };
    let Some(n) = n else { return 0 };
    let hashes: Option<Vec<u64>> = hashes.iter().map(|h| hex(h)).collect();
    let Some(hashes) = hashes else { return 0 };
    if n == 0 || hashes.is_empty() {
        return 0;
    }
    let (last, before) = (hashes[0], &hashes[1..]);
    // The lines before position j agree with the mark's context, as far as
    // they still exist.
    let context_ok = |j: usize| {
        j < lines.len()
            && before
                .iter()
                .enumerate()
                .all(|(i, h)| j < i + 1 || line_hash(&lines[j - i - 1]) == *h)
    };
    let last_ok = |j: usize| line_hash(&lines[j]) == last;
    // Dropped from the top since the mark: whole steps, found by which of the
    // old lines at 0, STEP, 2·STEP… is at the top now.
    let dropped = lines.first().and_then(|top| {
        let h = line_hash(top);
        let step = step?;
        (0..tops.len())
            .filter(|&m| tops[m] == h)
            .map(|m| m * step)
            .find(|&d| d < n && context_ok(n - 1 - d) && (d == 0 || last_ok(n - 1 - d)))
    });
    let j = match dropped {
        Some(d) => Some(n - 1 - d),
        // Only appended (an old mark, or the top unknown): where it was.
        None if context_ok(n - 1) && (n == 1 || !before.is_empty()) => Some(n - 1),
        // Else the latest place that matches.
        None => (0..lines.len())
            .rev()
            .find(|&j| context_ok(j) && (last_ok(j) || (j >= 1 && !before.is_empty()))),
    };
    match j {
        Some(j) if last_ok(j) => j + 1,
        Some(j) => j,
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_as_older_tmux_captures_them() {
        assert_eq!(untab("last\tline"), "last    line");
        assert_eq!(untab("\tx\n12345678\ty"), "        x\n12345678        y");
        // A wide character covers two columns; colours cover none.
        assert_eq!(untab("漢\tx"), "漢      x");
        assert_eq!(
            untab("\x1b[1;31mab\x1b[0m\tc"),
            "\x1b[1;31mab\x1b[0m      c"
        );
        assert!(matches!(untab("no tabs"), std::borrow::Cow::Borrowed(_)));
    }

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn cleaning() {
        assert_eq!(clean("a  \nb\r\n\n  \n"), v(&["a", "b"]));
        assert_eq!(clean(""), Vec::<String>::new());
        assert_eq!(clean("\n\nx"), v(&["", "", "x"]));
    }

    #[test]
    fn dead_gap_closed() {
        let l = v(&["out", "", "", "Pane is dead (status 7, now)"]);
        assert_eq!(
            close_dead_gap(l),
            v(&["out", "Pane is dead (status 7, now)"])
        );
        assert_eq!(close_dead_gap(v(&["a", "", "b"])), v(&["a", "", "b"]));
    }

    #[test]
    fn marks_follow_appends() {
        let a = v(&["one", "two", "$ "]);
        let m = mark(&a, 2000);
        assert_eq!(since_mark(&a, &m), 3, "nothing new");
        let b = v(&["one", "two", "$ ls", "file", "$ "]);
        assert_eq!(&b[since_mark(&b, &m)..], &v(&["$ ls", "file", "$ "])[..]);
        let m2 = mark(&b, 2000);
        assert_eq!(since_mark(&b, &m2), 5);
    }

    #[test]
    fn marks_survive_trimmed_history() {
        let a = v(&["a", "b", "c", "d", "e"]);
        let m = mark(&a, 2000);
        // The top two lines scrolled out of the history.
        let b = v(&["c", "d", "e", "f"]);
        assert_eq!(&b[since_mark(&b, &m)..], &v(&["f"])[..]);
    }

    #[test]
    fn full_history_trims_in_steps_and_repeats_do_not_mislead() {
        // history-limit 100: tmux drops 10 lines at a time once it is full.
        let mut all: Vec<String> = (0..100).map(|i| format!("line {i}")).collect();
        let m = mark(&all, 100);
        // 30 new lines, the last 25 identical: three trims of 10 happened.
        all.extend((100..105).map(|i| format!("line {i}")));
        all.extend((0..25).map(|_| "tick".to_string()));
        let now = all[30..].to_vec();
        assert_eq!(now.len(), 100);
        assert_eq!(&now[since_mark(&now, &m)..], &all[100..]);
        // Marked on repeated lines, more repeats follow after two trims.
        let mut all: Vec<String> = (0..80).map(|i| format!("l{i}")).collect();
        all.extend((0..20).map(|_| "tick".to_string()));
        let m = mark(&all, 100);
        all.extend((0..20).map(|_| "tick".to_string()));
        let now = all[20..].to_vec();
        assert_eq!(now.len() - since_mark(&now, &m), 20, "the 20 new ticks");
    }

    #[test]
    fn unknown_mark_prints_all() {
        let a = v(&["x", "y"]);
        assert_eq!(since_mark(&a, ""), 0);
        assert_eq!(since_mark(&a, "garbage"), 0);
        assert_eq!(since_mark(&a, &mark(&v(&["p", "q", "r", "s"]), 2000)), 0);
        assert_eq!(since_mark(&a, &mark(&[], 2000)), 0);
        // A mark written by an older crew still reads.
        assert_eq!(since_mark(&v(&["x", "y", "z"]), "2:0:1::"), 0);
        let old = "3:a7d59e3fd4b5ed3a:2a2f4e1a0c3e2f09";
        assert_eq!(since_mark(&v(&["x", "y", "z"]), old), 0);
    }
}
