//! Tests of the status judgement: the fixtures of `tests/screens/`, titles,
//! the quiet rule, plain commands and the input box.

use super::*;
use crate::profile::builtin_named;

fn facts<'a>(title: &'a str, current: &'a str, start: &'a str) -> PaneFacts<'a> {
    PaneFacts {
        dead: false,
        dead_status: None,
        dead_signal: None,
        title,
        current_command: current,
        start_command: start,
        quiet_for: None,
        script_in_front: false,
        fg: None,
    }
}

fn profile(name: &str) -> Profile {
    builtin_named(name).unwrap()
}

#[test]
fn a_shell_running_a_script_is_working() {
    let shell = profile("shell");
    let mut f = facts("", "sh", "sh");
    assert_eq!(status(&f, None, &shell), Status::Idle);
    f.script_in_front = true;
    assert!(needs_screen(&f, &shell) || status(&f, None, &shell) == Status::Working);
    assert_eq!(status(&f, None, &shell), Status::Working);
}

#[test]
fn tool_profiles_need_no_proc_to_choose_screens() {
    // screen::compute captures tool profiles' screens before /proc is
    // read: what /proc says must not change their need for a screen.
    for p in crate::profile::builtin()
        .iter()
        .filter(|p| !p.idle_at_shell)
    {
        for title in ["", "⠋ working", "✳ Claude Code", "[ ! ] Action Required"] {
            let cheap = needs_screen(&PaneFacts::cheap(title, Some(3)), p);
            for (cur, fg, script) in [
                ("bash", Some(Fg::Input), false),
                ("node", Some(Fg::Busy), true),
                (p.name.as_str(), None, false),
            ] {
                let mut f = facts(title, cur, "x");
                f.quiet_for = Some(3);
                f.fg = fg;
                f.script_in_front = script;
                assert_eq!(needs_screen(&f, p), cheap, "{} {title:?} {cur}", p.name);
            }
        }
    }
}

#[test]
fn plain_commands_by_what_the_system_says() {
    let shell = profile("shell");
    let mut f = facts("", "sleep", "sleep");
    f.fg = Some(Fg::Busy);
    assert!(!needs_screen(&f, &shell));
    assert_eq!(status(&f, None, &shell), Status::Working);
    f.fg = Some(Fg::Input);
    assert_eq!(status(&f, Some(">>> "), &shell), Status::Idle);
    assert_eq!(
        status(&f, Some("Password:"), &shell),
        Status::Question,
        "a question on screen beats the prompt"
    );
    // A script waiting for its commands: working, unless asked something.
    f.fg = Some(Fg::Children);
    assert!(needs_screen(&f, &shell));
    assert_eq!(status(&f, Some("building"), &shell), Status::Working);
    assert_eq!(
        status(&f, Some("Do you want to continue? [Y/n]"), &shell),
        Status::Question
    );
    // /proc could not tell: the quiet rule.
    f.fg = Some(Fg::Unknown);
    f.quiet_for = Some(10);
    assert_eq!(status(&f, Some("x"), &shell), Status::Idle);
    f.quiet_for = Some(1);
    assert_eq!(status(&f, Some("x"), &shell), Status::Working);
}

/// (file, foreground command, expected status). The profile is the file
/// name up to the first `-`.
#[rustfmt::skip]
const FIXTURES: &[(&str, &str, &str, Status)] = &[
    ("claude-idle.txt", include_str!("../../../../tests/screens/claude-idle.txt"), "claude", Status::Idle),
    ("claude-idle-bypass.txt", include_str!("../../../../tests/screens/claude-idle-bypass.txt"), "claude", Status::Idle),
    ("claude-idle-numbered-list.txt", include_str!("../../../../tests/screens/claude-idle-numbered-list.txt"), "claude", Status::Idle),
    ("claude-idle-asks-in-prose.txt", include_str!("../../../../tests/screens/claude-idle-asks-in-prose.txt"), "claude", Status::Idle),
    ("claude-idle-quoted-dialog.txt", include_str!("../../../../tests/screens/claude-idle-quoted-dialog.txt"), "claude", Status::Idle),
    ("claude-idle-draft.txt", include_str!("../../../../tests/screens/claude-idle-draft.txt"), "claude", Status::Idle),
    ("claude-idle-v1.txt", include_str!("../../../../tests/screens/claude-idle-v1.txt"), "claude", Status::Idle),
    ("claude-working.txt", include_str!("../../../../tests/screens/claude-working.txt"), "claude", Status::Working),
    ("claude-working-tokens.txt", include_str!("../../../../tests/screens/claude-working-tokens.txt"), "claude", Status::Working),
    ("claude-working-nometer.txt", include_str!("../../../../tests/screens/claude-working-nometer.txt"), "claude", Status::Working),
    ("claude-working-ctrlc.txt", include_str!("../../../../tests/screens/claude-working-ctrlc.txt"), "claude", Status::Working),
    ("claude-working-subagents.txt", include_str!("../../../../tests/screens/claude-working-subagents.txt"), "claude", Status::Working),
    ("claude-working-dynamic-workflow.txt", include_str!("../../../../tests/screens/claude-working-dynamic-workflow.txt"), "claude", Status::Working),
    ("claude-working-typed.txt", include_str!("../../../../tests/screens/claude-working-typed.txt"), "claude", Status::Working),
    ("claude-permission.txt", include_str!("../../../../tests/screens/claude-permission.txt"), "claude", Status::Permission),
    ("claude-permission-edit.txt", include_str!("../../../../tests/screens/claude-permission-edit.txt"), "claude", Status::Permission),
    ("claude-permission-create.txt", include_str!("../../../../tests/screens/claude-permission-create.txt"), "claude", Status::Permission),
    ("claude-permission-plan.txt", include_str!("../../../../tests/screens/claude-permission-plan.txt"), "claude", Status::Permission),
    ("claude-permission-narrow.txt", include_str!("../../../../tests/screens/claude-permission-narrow.txt"), "claude", Status::Permission),
    ("claude-question.txt", include_str!("../../../../tests/screens/claude-question.txt"), "claude", Status::Question),
    ("claude-question-tabbed.txt", include_str!("../../../../tests/screens/claude-question-tabbed.txt"), "claude", Status::Question),
    ("claude-question-yesno.txt", include_str!("../../../../tests/screens/claude-question-yesno.txt"), "claude", Status::Question),
    ("codex-idle.txt", include_str!("../../../../tests/screens/codex-idle.txt"), "codex", Status::Idle),
    ("codex-working.txt", include_str!("../../../../tests/screens/codex-working.txt"), "codex", Status::Working),
    ("codex-working-queued.txt", include_str!("../../../../tests/screens/codex-working-queued.txt"), "codex", Status::Working),
    ("codex-permission.txt", include_str!("../../../../tests/screens/codex-permission.txt"), "codex", Status::Permission),
    ("codex-permission-edit.txt", include_str!("../../../../tests/screens/codex-permission-edit.txt"), "codex", Status::Permission),
    ("codex-question.txt", include_str!("../../../../tests/screens/codex-question.txt"), "codex", Status::Question),
    ("codex-question-trust.txt", include_str!("../../../../tests/screens/codex-question-trust.txt"), "codex", Status::Question),
    ("gemini-idle.txt", include_str!("../../../../tests/screens/gemini-idle.txt"), "node", Status::Idle),
    ("gemini-working.txt", include_str!("../../../../tests/screens/gemini-working.txt"), "node", Status::Working),
    ("gemini-permission.txt", include_str!("../../../../tests/screens/gemini-permission.txt"), "node", Status::Permission),
    ("gemini-permission-edit.txt", include_str!("../../../../tests/screens/gemini-permission-edit.txt"), "node", Status::Permission),
    ("gemini-question.txt", include_str!("../../../../tests/screens/gemini-question.txt"), "node", Status::Question),
    ("aider-idle.txt", include_str!("../../../../tests/screens/aider-idle.txt"), "aider", Status::Idle),
    ("aider-idle-architect.txt", include_str!("../../../../tests/screens/aider-idle-architect.txt"), "aider", Status::Idle),
    ("aider-working.txt", include_str!("../../../../tests/screens/aider-working.txt"), "aider", Status::Working),
    ("aider-working-streaming.txt", include_str!("../../../../tests/screens/aider-working-streaming.txt"), "aider", Status::Unknown),
    ("aider-permission.txt", include_str!("../../../../tests/screens/aider-permission.txt"), "aider", Status::Permission),
    ("aider-question-add.txt", include_str!("../../../../tests/screens/aider-question-add.txt"), "aider", Status::Question),
    ("opencode-idle.txt", include_str!("../../../../tests/screens/opencode-idle.txt"), "opencode", Status::Idle),
    ("opencode-working.txt", include_str!("../../../../tests/screens/opencode-working.txt"), "opencode", Status::Working),
    ("opencode-permission.txt", include_str!("../../../../tests/screens/opencode-permission.txt"), "opencode", Status::Permission),
    ("opencode-question.txt", include_str!("../../../../tests/screens/opencode-question.txt"), "opencode", Status::Question),
    ("shell-idle.txt", include_str!("../../../../tests/screens/shell-idle.txt"), "bash", Status::Idle),
    ("shell-idle-ssh.txt", include_str!("../../../../tests/screens/shell-idle-ssh.txt"), "ssh", Status::Idle),
    ("shell-working.txt", include_str!("../../../../tests/screens/shell-working.txt"), "cargo", Status::Working),
    ("shell-question.txt", include_str!("../../../../tests/screens/shell-question.txt"), "sudo", Status::Question),
    ("shell-question-yn.txt", include_str!("../../../../tests/screens/shell-question-yn.txt"), "apt", Status::Question),
];

#[test]
fn every_fixture_has_its_status() {
    let mut failures = Vec::new();
    for &(file, text, current, want) in FIXTURES {
        let name = file.split(['-', '.']).next().unwrap();
        let p = profile(name);
        let start = if name == "shell" { "bash" } else { name };
        let got = status(&facts("", current, start), Some(text), &p);
        if got != want {
            failures.push(format!("{file}: want {want}, got {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_fixture_file_is_tested() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/screens");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".txt"))
        .collect();
    files.sort();
    for f in files {
        assert!(
            FIXTURES.iter().any(|x| x.0 == f),
            "{f} has no entry in FIXTURES"
        );
    }
    // And each built-in profile has a fixture for every state it shows.
    for (name, states) in [
        ("claude", &["idle", "working", "permission", "question"][..]),
        ("codex", &["idle", "working", "permission", "question"]),
        ("gemini", &["idle", "working", "permission", "question"]),
        ("aider", &["idle", "working", "permission"]),
        ("opencode", &["idle", "working", "permission", "question"]),
        ("shell", &["idle", "working", "question"]),
    ] {
        for s in states {
            let f = format!("{name}-{s}.txt");
            assert!(FIXTURES.iter().any(|x| x.0 == f), "missing fixture {f}");
        }
    }
}

fn fixture(file: &str) -> &'static str {
    FIXTURES.iter().find(|x| x.0 == file).unwrap().1
}

#[test]
fn dead_is_exited_without_a_screen() {
    let mut f = facts("⠋ task", "claude", "claude");
    f.dead = true;
    f.dead_status = Some(3);
    let p = profile("claude");
    assert!(!needs_screen(&f, &p));
    assert_eq!(status(&f, None, &p), Status::Exited);
    assert_eq!(
        status(&f, Some(fixture("claude-permission.txt")), &p),
        Status::Exited
    );
}

#[test]
fn claude_title_spinner_means_working_but_a_menu_still_wins() {
    let p = profile("claude");
    for title in ["⠋ Refactor retry logic", "⠂ task", "◐ task"] {
        let f = facts(title, "claude", "claude");
        // The spinner keeps turning while a menu waits, so look anyway.
        assert!(needs_screen(&f, &p));
        assert_eq!(status(&f, None, &p), Status::Working, "{title}");
        assert_eq!(
            status(&f, Some(fixture("claude-idle.txt")), &p),
            Status::Working
        );
        assert_eq!(
            status(&f, Some(fixture("claude-permission.txt")), &p),
            Status::Permission
        );
        assert_eq!(
            status(&f, Some(fixture("claude-question.txt")), &p),
            Status::Question
        );
    }
    // A static ✳ proves nothing: the screen decides.
    let f = facts("✳ Refactor retry logic", "claude", "claude");
    assert_eq!(
        status(&f, Some(fixture("claude-working.txt")), &p),
        Status::Working
    );
    assert_eq!(
        status(&f, Some(fixture("claude-idle.txt")), &p),
        Status::Idle
    );
    assert_eq!(status(&f, None, &p), Status::Unknown);
}

#[test]
fn trusted_titles_decide_without_a_screen() {
    let g = profile("gemini");
    // Idle under its title, unless a start-up dialog is on screen (it
    // comes up under the same "Ready" title).
    let f = facts("◇  Ready (inventory)", "node", "gemini");
    assert!(needs_screen(&f, &g));
    assert_eq!(status(&f, None, &g), Status::Idle);
    assert_eq!(
        status(&f, Some(fixture("gemini-idle.txt")), &g),
        Status::Idle
    );
    let f = facts("✦  Working… (inventory)", "node", "gemini");
    assert!(!needs_screen(&f, &g));
    assert_eq!(status(&f, None, &g), Status::Working);
    // Attention: the screen tells which kind; the title alone says permission.
    let f = facts("✋  Action Required (inventory)", "node", "gemini");
    assert!(needs_screen(&f, &g));
    assert_eq!(
        status(&f, Some(fixture("gemini-question.txt")), &g),
        Status::Question
    );
    assert_eq!(
        status(&f, Some(fixture("gemini-idle.txt")), &g),
        Status::Permission
    );
    assert_eq!(status(&f, None, &g), Status::Permission);

    let c = profile("codex");
    let f = facts("⠹ inventory", "codex", "codex");
    assert!(!needs_screen(&f, &c));
    assert_eq!(status(&f, None, &c), Status::Working);
    let f = facts("[ . ] Action Required | inventory", "codex", "codex");
    assert_eq!(
        status(&f, Some(fixture("codex-question.txt")), &c),
        Status::Question
    );
    assert_eq!(
        status(&f, Some(fixture("codex-permission.txt")), &c),
        Status::Permission
    );
    // The idle title is just the project name: look at the screen.
    let f = facts("inventory", "codex", "codex");
    assert!(needs_screen(&f, &c));
    assert_eq!(
        status(&f, Some(fixture("codex-idle.txt")), &c),
        Status::Idle
    );
}

#[test]
fn shell_profile_follows_the_foreground_command() {
    let p = profile("shell");
    for shell in ["bash", "-bash", "zsh", "fish", "sh"] {
        let f = facts("", shell, "bash");
        assert!(!needs_screen(&f, &p), "{shell}");
        assert_eq!(status(&f, None, &p), Status::Idle, "{shell}");
    }
    let f = facts("", "make", "bash");
    assert!(needs_screen(&f, &p));
    assert_eq!(status(&f, None, &p), Status::Working);
    // A program started directly is working while it is in front.
    let f = facts("", "make", "make");
    assert_eq!(status(&f, None, &p), Status::Working);
    let f = facts("", "sudo", "bash");
    assert_eq!(
        status(&f, Some(fixture("shell-question.txt")), &p),
        Status::Question
    );
    assert!(is_shell_name("-zsh") && is_shell_name("osh") && !is_shell_name("ssh-agent"));
    assert!(!is_shell_name("node") && !is_shell_name("make") && !is_shell_name(""));
}

#[test]
fn extending_shell_keeps_screen_patterns() {
    // A REPL profile built on `shell`: its own prompt pattern decides.
    let p = Profile {
        name: "mytool".into(),
        idle: vec!["^mytool> $".into()],
        scan_lines: 1,
        ..profile("shell")
    };
    let f = facts("", "mytool", "mytool");
    assert!(needs_screen(&f, &p));
    assert_eq!(status(&f, Some("booting\nmytool> "), &p), Status::Idle);
    assert_eq!(
        status(&f, Some("mytool> run\ncomputing"), &p),
        Status::Working
    );
}

#[test]
fn quiet_time_decides_for_tools_without_an_indicator() {
    let p = profile("aider");
    let text = fixture("aider-working-streaming.txt");
    let mut f = facts("", "aider", "aider");
    f.quiet_for = Some(1);
    assert_eq!(status(&f, Some(text), &p), Status::Working);
    f.quiet_for = Some(60);
    assert_eq!(status(&f, Some(text), &p), Status::Idle);
    // A visible prompt beats the clock either way.
    f.quiet_for = Some(0);
    assert_eq!(
        status(&f, Some(fixture("aider-idle.txt")), &p),
        Status::Idle
    );
    // Profiles that do not ask for it never use it.
    let c = profile("claude");
    assert_eq!(
        status(&f, Some("nothing recognisable"), &c),
        Status::Unknown
    );
}

#[test]
fn spinner_shapes_not_words() {
    let p = profile("claude");
    let f = facts("", "claude", "claude");
    let box_ = "\n────────\n❯\n────────\n  ? for shortcuts";
    for line in [
        "✶ Pondering… (3s · esc to interrupt)",
        "✻ Thinking… (12s · ↑ 1.2k tokens · esc to interrupt)",
        "✢ Crafting… (12s · ↑ 1.2k tokens · esc to interrupt)",
        "· Flibbertigibbeting…",
        "* Sautéing...",
        "✳ Wrangling the borrow checker… (1m 03s · ↓ 4.8k tokens)",
        "✽ Hullaballooing… (53s · ↓ 749 tokens · thinking with high effort)",
        "  (9m 21s · ↓ 13.7k tokens)",
    ] {
        let screen = format!("❯ do it\n\n{line}{box_}");
        assert_eq!(status(&f, Some(&screen), &p), Status::Working, "{line}");
    }
    for line in [
        "✻ Cooked for 1m 42s",
        "✻ Worked for 3s · done 8:04 AM",
        "✽ Some random text",
        "  The loop waits… until the queue drains.",
        "  2m 18s · ↓ 4.1k tokens",
    ] {
        let screen = format!("❯ do it\n\n{line}{box_}");
        assert_eq!(status(&f, Some(&screen), &p), Status::Idle, "{line}");
    }
}

#[test]
fn input_pending_reads_the_live_box() {
    let c = profile("claude");
    let draft = fixture("claude-idle-draft.txt");
    assert_eq!(
        input_pending(draft, &c, "rename the sync flag to --preview"),
        Some(true)
    );
    assert_eq!(
        input_pending(draft, &c, "something else entirely"),
        Some(false)
    );
    // Submitted: the message is in history, the box below it is empty.
    let idle = fixture("claude-idle.txt");
    assert_eq!(
        input_pending(idle, &c, "add a --dry-run flag to the sync command"),
        Some(false)
    );
    // Typed while working (queued), still in the box.
    let typed = fixture("claude-working-typed.txt");
    assert_eq!(
        input_pending(typed, &c, "also update the CHANGELOG"),
        Some(true)
    );
    // Multi-line: the box shows the first line; whitespace is redrawn.
    let screen = "────\n❯ first   line of\n  the message\n────";
    assert_eq!(
        input_pending(screen, &c, "first\tline of\nthe message"),
        Some(true)
    );
    // Long pastes fold into a placeholder.
    let screen = "────\n❯ [Pasted text #1 +42 lines]\n────";
    assert_eq!(
        input_pending(screen, &c, "x\n".repeat(42).as_str()),
        Some(true)
    );
    // A menu is up: not our business to press keys into it.
    assert_eq!(
        input_pending(fixture("claude-permission.txt"), &c, "1. Yes"),
        None
    );
    // No box on screen at all.
    assert_eq!(input_pending("just some output", &c, "hello"), None);

    let x = profile("codex");
    let screen = "› fix the flaky test\n\n  ? for shortcuts";
    assert_eq!(input_pending(screen, &x, "fix the flaky test"), Some(true));
    assert_eq!(
        input_pending(fixture("codex-idle.txt"), &x, "fix the flaky test"),
        Some(false)
    );
    let g = profile("gemini");
    let screen = "─────\n > fix the flaky test\n─────";
    assert_eq!(input_pending(screen, &g, "fix the flaky test"), Some(true));
    assert_eq!(
        input_pending(fixture("gemini-idle.txt"), &g, "fix the flaky test"),
        Some(false)
    );
    // Profiles without an input box cannot tell.
    assert_eq!(
        input_pending(fixture("aider-idle.txt"), &profile("aider"), "x"),
        None
    );
    assert_eq!(input_pending("$ ", &profile("shell"), "x"), None);
}

#[test]
fn status_strings_and_json() {
    assert_eq!(Status::Permission.as_str(), "permission");
    assert_eq!(
        serde_json::to_string(&Status::Question).unwrap(),
        "\"question\""
    );
    assert!(Status::Question.is_attention() && Status::Permission.is_attention());
    assert!(!Status::Idle.is_attention() && !Status::Working.is_attention());
}
