//! Which permission mode an agent's tool runs in, where the tool has modes
//! that run tools without a dialog (Claude Code's auto mode, Codex's
//! full-auto, aider's `--yes-always`): a person scanning `ls` must see that
//! no `permission` state will ever come from such an agent.
//!
//! What decides, best first: the mode line on a screen crew captured anyway
//! (live: it follows a person cycling modes with shift+tab), the mode the
//! tool's own hook named at its last event, then the arguments it was
//! started with.

use crate::profile::Profile;
use crate::snapshot::Agent;
use serde::Serialize;

/// An agent's mode, when it is in one its profile knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mode {
    pub name: String,
    pub unasked: bool,
}

/// The mode of `a` under `p`; `screen` when one was captured.
pub fn mode_of(a: &Agent, p: &Profile, screen: Option<&str>) -> Option<Mode> {
    if p.modes.is_empty() || a.pane.dead {
        return None;
    }
    let rules = &p.modes;
    let hit = |i: usize| {
        Some(Mode {
            name: rules[i].mode.clone(),
            unasked: rules[i].unasked,
        })
    };
    let compiled = p.patterns().modes();
    if let Some(text) = screen {
        let lines: Vec<&str> = text.lines().collect();
        let last = &lines[lines.len().saturating_sub(p.scan_lines.max(3))..];
        for (i, (on_screen, _)) in compiled.iter().enumerate() {
            if let Some(re) = on_screen {
                if last.iter().any(|l| re.is_match(l.trim_end())) {
                    return hit(i);
                }
            }
        }
    }
    // The tool's word at its last event: a word no rule names is its
    // default mode, which asks.
    if let Some(r) = crate::report::current(a).filter(|r| !r.mode.is_empty()) {
        return rules
            .iter()
            .position(|m| !m.reported.is_empty() && m.reported == r.mode)
            .and_then(hit);
    }
    let line = a.tags.argv.join(" ");
    compiled
        .iter()
        .position(|(_, args)| args.as_ref().is_some_and(|re| re.is_match(&line)))
        .and_then(hit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(argv: &[&str], report: &str) -> Agent {
        let mut a = Agent {
            name: "a".into(),
            pane: crate::snapshot::Pane {
                pane_id: "%1".into(),
                pid: 7,
                ..Default::default()
            },
            tags: Default::default(),
            damage: None,
            place: crate::snapshot::Where::Parked,
        };
        a.tags.argv = argv.iter().map(|s| s.to_string()).collect();
        a.tags.report = report.into();
        a
    }

    #[test]
    fn the_hook_then_the_screen_then_the_arguments() {
        let p = crate::profile::builtin_named("claude").unwrap();
        let pid = agent(&[], "").pane.pid;
        let name = |m: Option<Mode>| m.map(|m| m.name);
        // Started asking, then cycled to auto mode: the hook says so.
        let a = agent(&["claude"], &format!("idle&1&{pid}&&1000&&auto"));
        assert_eq!(name(mode_of(&a, &p, None)).as_deref(), Some("auto"));
        // Started with bypass, cycled back to default: nothing.
        let a = agent(
            &["claude", "--dangerously-skip-permissions"],
            &format!("idle&1&{pid}&&1000&&default"),
        );
        assert_eq!(mode_of(&a, &p, None), None);
        // No hook yet: the arguments; the footer beats both.
        let a = agent(&["claude", "--dangerously-skip-permissions"], "");
        assert_eq!(name(mode_of(&a, &p, None)).as_deref(), Some("bypass"));
        let screen = "❯ \n──────\n  ⏵⏵ auto mode on (shift+tab to cycle)";
        let m = mode_of(&a, &p, Some(screen)).unwrap();
        assert_eq!((m.name.as_str(), m.unasked), ("auto", true));
        let a = agent(&["claude"], &format!("idle&1&{pid}&&1000&&default"));
        assert_eq!(name(mode_of(&a, &p, Some(screen))).as_deref(), Some("auto"));
        let a = agent(&["claude"], "");
        assert_eq!(mode_of(&a, &p, None), None);
        let codex = crate::profile::builtin_named("codex").unwrap();
        let a = agent(&["codex", "--full-auto"], "");
        assert_eq!(
            name(mode_of(&a, &codex, None)).as_deref(),
            Some("full-auto")
        );
        let aider = crate::profile::builtin_named("aider").unwrap();
        let a = agent(&["aider", "--yes-always"], "");
        assert_eq!(
            name(mode_of(&a, &aider, None)).as_deref(),
            Some("yes-always")
        );
    }
}
