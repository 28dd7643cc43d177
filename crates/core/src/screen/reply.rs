//! What an agent said: the lines a turn added between two captures of its
//! pane (`crew ask`), and the last lines of a screen without the tool's
//! input area (turn events). Pure functions of captured, cleaned lines.

use crate::profile::{kind, Profile};

/// How many lines at the top of the earlier capture must agree for an
/// alignment to count: tmux drops the oldest history in steps once it is
/// full, so the two captures may start at different lines.
const ANCHOR: usize = 20;

/// The lines the agent added between `before` and `after` (both captures of
/// the whole history and screen, cleaned as `read` cleans them), without
/// the tool's input area and footer at the bottom, the echo of `message` at
/// the top, and runs of blank lines. `attention`: the turn ended in a
/// dialog, which is kept whole (its question is the point).
pub fn added(
    profile: &Profile,
    before: &[String],
    after: &[String],
    message: &str,
    attention: bool,
) -> Vec<String> {
    let start = echo_start(before, after, message).unwrap_or_else(|| shared_prefix(before, after));
    let mut end = after.len();
    let chrome = if attention {
        None
    } else {
        chrome_start(profile, after, start)
    };
    match chrome {
        Some(c) => end = c,
        // A tool that draws no input area the profile knows (a shell): its
        // prompt is the last line, as it was before the message.
        None => {
            let prompt = before.iter().rev().find(|l| !l.trim().is_empty());
            while end > start && after[end - 1].trim().is_empty() {
                end -= 1;
            }
            if end > start && prompt == Some(&after[end - 1]) && !attention {
                end -= 1;
            }
        }
    }
    let region = &after[start..end];
    let from = echo_end(region, message);
    // A rule left at either end is the edge of a box, not a reply.
    let mut said = trim_blank(&region[from..]);
    while said.last().is_some_and(|l| rule(l)) {
        said.pop();
        said = trim_blank(&said);
    }
    while said.first().is_some_and(|l| rule(l)) {
        said.remove(0);
        said = trim_blank(&said);
    }
    said
}

/// The last `n` lines the agent said on this screen: above its input area
/// when idle, ending with the dialog's question when it asks.
pub fn last_said(profile: &Profile, lines: &[String], n: usize, attention: bool) -> Vec<String> {
    let mut end = lines.len();
    if attention {
        let window = lines.len().saturating_sub(profile.scan_lines.max(1));
        let asks = kind::PERMISSION | kind::QUESTION;
        if let Some(i) =
            (window..lines.len()).find(|&i| profile.patterns().line_kinds(&lines[i]) & asks != 0)
        {
            end = i + 1;
        }
    } else if let Some(i) = chrome_start(profile, lines, 0) {
        end = i;
    }
    let said: Vec<String> = lines[..end]
        .iter()
        .filter(|l| !l.trim().is_empty() && !rule(l))
        .cloned()
        .collect();
    said[said.len().saturating_sub(n)..].to_vec()
}

/// Where the echo of this message is in `after`: the first line showing its
/// first words that `before` did not show already (counted, so an earlier
/// identical message is passed over). Tools that redraw their whole screen
/// (Qwen Code, opencode) leave no shared start to align on; the echo is
/// where the turn begins on every tool that shows it.
fn echo_start(before: &[String], after: &[String], message: &str) -> Option<usize> {
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let head: String = words(message).chars().take(24).collect();
    if head.chars().count() < 4 {
        return None;
    }
    let shows = |l: &String| words(l).contains(&head);
    let seen = before.iter().filter(|l| shows(l)).count();
    let found: Vec<usize> = (0..after.len()).filter(|&i| shows(&after[i])).collect();
    found.get(seen).or(found.last()).copied()
}

/// Where `after` stops agreeing with `before`, after aligning the two on the
/// lines tmux may have dropped from the top of the history in between.
fn shared_prefix(before: &[String], after: &[String]) -> usize {
    let Some(top) = after.first() else { return 0 };
    // Lines dropped from the top: the smallest d at which before[d..] starts
    // as after does, over ANCHOR lines (or all that both have).
    let dropped = (0..before.len())
        .filter(|&d| &before[d] == top)
        .find(|&d| {
            let k = ANCHOR.min(before.len() - d).min(after.len());
            before[d..d + k] == after[..k]
        })
        .unwrap_or(0);
    before[dropped..]
        .iter()
        .zip(after)
        .take_while(|(x, y)| x == y)
        .count()
}

/// The first line of the tool's input area: the block around the lowest
/// line of the profile's scan window that is its prompt or input box (or
/// matches its idle patterns, as a footer does), reaching up over blank
/// lines and box rules. None for tools that draw none.
fn chrome_start(profile: &Profile, lines: &[String], floor: usize) -> Option<usize> {
    let p = profile.patterns();
    let window = lines
        .len()
        .saturating_sub(profile.scan_lines.max(1))
        .max(floor);
    // Its prompt, its box, and the lines its profile ignores for status
    // (footers, hints: never what the agent said).
    let chrome = |l: &str| {
        p.line_kinds(l) & (kind::IDLE | kind::IGNORE) != 0
            || p.input_box().is_some_and(|r| r.is_match(l))
    };
    let mut i = (window..lines.len()).rev().find(|&i| chrome(&lines[i]))?;
    while i > window && {
        let l = &lines[i - 1];
        l.trim().is_empty() || rule(l) || chrome(l)
    } {
        i -= 1;
    }
    Some(i)
}

/// A line drawn only of box-drawing and block characters (a rule, a box's
/// edge, Qwen Code's `█` margins).
fn rule(l: &str) -> bool {
    let t = l.trim();
    !t.is_empty() && t.chars().all(|c| edge(c) || c == ' ')
}

fn edge(c: char) -> bool {
    ('\u{2500}'..='\u{259f}').contains(&c)
}

/// Where the echo of the message ends: the leading lines that, read in
/// order, spell the start of the message; the first may begin with the
/// tool's prompt (`> `, `❯ `, aider's `diff> `), the others with a box's
/// edge.
fn echo_end(region: &[String], message: &str) -> usize {
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut rest = words(message);
    let mut i = 0;
    while i < region.len() && region[i].trim().is_empty() {
        i += 1;
    }
    let mut end = 0;
    let mut first = true;
    while i < region.len() && !rest.is_empty() {
        let mut line = words(
            region[i]
                .trim_start()
                .trim_start_matches(|c: char| edge(c) || "❯›>$# ".contains(c))
                .trim_end_matches(|c: char| edge(c) || c == ' '),
        );
        if first {
            // The prompt before the message, whatever it is: from where the
            // message's first words are.
            let head: String = rest.chars().take(24).collect();
            match line.find(&head) {
                Some(at) => line = line[at..].to_string(),
                None => break,
            }
            first = false;
        }
        if line.is_empty() || !rest.starts_with(&line) {
            break;
        }
        rest = rest[line.len()..].trim_start().to_string();
        i += 1;
        end = i;
    }
    end
}

fn trim_blank(lines: &[String]) -> Vec<String> {
    super::squeeze_blank_runs(lines.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::builtin_named;

    fn v(s: &str) -> Vec<String> {
        s.lines().map(str::to_string).collect()
    }

    #[test]
    fn claude_reply_between_the_echo_and_the_box() {
        let p = builtin_named("claude").unwrap();
        let rule = "─".repeat(40);
        let before = v(&format!(
            "✻ Welcome\n\n❯ earlier\n\n⏺ Old answer.\n\n{rule}\n❯\n{rule}\n  ? for shortcuts"
        ));
        let after = v(&format!(
            "✻ Welcome\n\n❯ earlier\n\n⏺ Old answer.\n\n❯ run the tests and tell me\n  what failed\n\n⏺ Ran 12 tests.\n  2 failed: a, b.\n\n\n✻ Cooked for 3s\n\n{rule}\n❯\n{rule}\n  ? for shortcuts"
        ));
        assert_eq!(
            added(
                &p,
                &before,
                &after,
                "run the tests and tell me what failed",
                false
            ),
            v("⏺ Ran 12 tests.\n  2 failed: a, b.\n\n✻ Cooked for 3s")
        );
    }

    #[test]
    fn a_reply_like_the_last_one_is_kept_whole() {
        let p = builtin_named("claude").unwrap();
        let rule = "─".repeat(40);
        let turn = |m: &str| {
            v(&format!(
                "✻ Welcome\n\n❯ {m}\n\n⏺ Done.\n  All 12 pass.\n\n{rule}\n❯\n{rule}"
            ))
        };
        assert_eq!(
            added(&p, &turn("one"), &turn("two"), "two", false),
            v("⏺ Done.\n  All 12 pass.")
        );
        // A shell: the same answer twice.
        let sh = builtin_named("shell").unwrap();
        let before = v("$ echo hi\nhi\n$");
        let after = v("$ echo hi\nhi\n$ echo hi\nhi\n$");
        assert_eq!(added(&sh, &before, &after, "echo hi", false), v("hi"));
    }

    #[test]
    fn aiders_prompt_gemini_footers_and_box_edges_are_not_the_reply() {
        let aider = builtin_named("aider").unwrap();
        let before = v("diff> hi\n\nHello.\n\ndiff>");
        let after = v("diff> hi\n\nHello.\n\ndiff> ASKED: answer me\n\nI read your message. Done.\n\nTokens: 2.9k sent, 15 received.\n────────────\ndiff>");
        assert_eq!(
            added(&aider, &before, &after, "ASKED: answer me", false),
            v("I read your message. Done.\n\nTokens: 2.9k sent, 15 received.")
        );
        let gemini = builtin_named("gemini").unwrap();
        let rule = "─".repeat(40);
        let tail = format!(" ? for shortcuts\n{rule}\n Shift+Tab to accept edits\n >   Type your message or @path/to/file\n workspace (/directory)   branch\n /tmp/proj   master");
        let before = v(&format!("✦ Earlier.\n\n{tail}"));
        let after = v(&format!(
            "✦ Earlier.\n\n > ASKED: answer me\n✦ I read your message. Done.\nExecuting Hook: echo AfterAgent >> hooks.log\n{tail}"
        ));
        assert_eq!(
            added(&gemini, &before, &after, "ASKED: answer me", false),
            v("✦ I read your message. Done.")
        );
    }

    #[test]
    fn a_whole_screen_redrawn_is_read_from_the_echo() {
        let qwen = builtin_named("qwen").unwrap();
        // The banner drawn again, and an earlier identical question.
        let before = v("╚═══╝ QWEN\n> ASKED: answer me\n✦ First answer.\n\n> Type your message or @path/to/file");
        let after = v("Tips: /help\n╚═══╝ QWEN\n> ASKED: answer me\n✦ First answer.\n> ASKED: answer me\n✦ Second answer.\n\n> Type your message or @path/to/file");
        assert_eq!(
            added(&qwen, &before, &after, "ASKED: answer me", false),
            v("✦ Second answer.")
        );
    }

    #[test]
    fn qwens_block_margins_are_not_said() {
        let qwen = builtin_named("qwen").unwrap();
        let before = v("✦ Earlier.\n\n> Type your message or @path/to/file");
        let after = v("✦ Earlier.\n\n> ASKED: answer me █\n█ █\n◆︎ I read your message. Done. █\n────────\n> Type your message or @path/to/file");
        assert_eq!(
            added(&qwen, &before, &after, "ASKED: answer me", false),
            v("◆︎ I read your message. Done. █")
        );
    }

    #[test]
    fn pis_footer_is_not_said() {
        let pi = builtin_named("pi").unwrap();
        let text = include_str!("../../../../tests/screens/real/pi-idle-after-reply.txt");
        let lines = crate::screen::clean(text);
        assert_eq!(
            last_said(&pi, &lines, 1, false),
            v(" I read your message. This is the fake model answering slowly. Done.")
        );
    }

    #[test]
    fn history_dropped_from_the_top_still_aligns() {
        let p = builtin_named("shell").unwrap();
        let before: Vec<String> = (0..100)
            .map(|i| format!("line {i}"))
            .chain(["$".into()])
            .collect();
        let mut after: Vec<String> = before[10..100].to_vec();
        after.extend(v("$ echo hi\nhi\n$"));
        assert_eq!(added(&p, &before, &after, "echo hi", false), v("hi"));
    }

    #[test]
    fn a_reply_that_repeats_the_message_is_kept() {
        let p = builtin_named("shell").unwrap();
        let before = v("$");
        let after = v("$ echo hi\nhi\n$");
        // "hi" is part of the message, but the echo ended with the message.
        assert_eq!(added(&p, &before, &after, "echo hi", false), v("hi"));
    }

    #[test]
    fn a_dialog_is_kept_whole() {
        let p = builtin_named("claude").unwrap();
        let rule = "─".repeat(40);
        let before = v(&format!("❯ hi\n\n{rule}\n❯\n{rule}"));
        let after = v(&format!(
            "❯ hi\n\n❯ clean up\n\n⏺ Bash(rm -rf build)\n{rule}\n Bash command\n   rm -rf build\n Do you want to proceed?\n ❯ 1. Yes\n   2. No\n Esc to cancel · Tab to amend"
        ));
        let got = added(&p, &before, &after, "clean up", true);
        assert_eq!(
            got.first().map(String::as_str),
            Some("⏺ Bash(rm -rf build)")
        );
        assert_eq!(
            got.last().map(String::as_str),
            Some(" Esc to cancel · Tab to amend")
        );
        assert_eq!(
            last_said(&p, &after, 2, true),
            v("   rm -rf build\n Do you want to proceed?")
        );
    }

    #[test]
    fn last_said_stops_above_the_input_box() {
        let p = builtin_named("claude").unwrap();
        let rule = "─".repeat(40);
        let screen = v(&format!(
            "❯ go\n\n⏺ First.\n\n⏺ Done: all 12 pass.\n\n{rule}\n❯\n{rule}\n  ⏵⏵ accept edits on"
        ));
        assert_eq!(
            last_said(&p, &screen, 2, false),
            v("⏺ First.\n⏺ Done: all 12 pass.")
        );
        assert!(last_said(&p, &[], 3, false).is_empty());
    }
}
