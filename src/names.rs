//! Agent names and the selectors (names, globs, `--all`) that pick agents.

use crate::error::CrewError;
use crate::snapshot::Agent;

pub use crate::tags::{check_name as check, NAME_RULE as RULE};

#[derive(Debug, Clone)]
pub enum Selector {
    Name(String),
    Glob(glob::Pattern, String),
}

fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Names and globs from the command line; anything else is a usage error
/// raised before tmux is called.
pub fn parse(args: &[String]) -> Result<Vec<Selector>, CrewError> {
    args.iter()
        .map(|a| {
            if is_glob(a) {
                glob::Pattern::new(a)
                    .map(|p| Selector::Glob(p, a.clone()))
                    .map_err(|e| CrewError::usage(format!("invalid pattern {a:?}: {e}")))
            } else {
                check(a).map(|_| Selector::Name(a.clone()))
            }
        })
        .collect()
}

/// Whether every selector is an exact name (no glob): the person named each
/// agent, so one that cannot be acted on refuses the whole command.
pub fn all_exact(sels: &[Selector]) -> bool {
    sels.iter().all(|s| matches!(s, Selector::Name(_)))
}

/// Closest existing name for "did you mean".
pub fn suggest<'a>(name: &str, names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    names
        .map(|n| (strsim::damerau_levenshtein(name, n), n))
        // At most a third of the shorter name wrong (one edit for short
        // ones), and never the whole of what was typed: `z` suggests nothing.
        .filter(|(d, n)| {
            let (a, b) = (name.chars().count(), n.chars().count());
            *d <= 1.max(a.min(b) / 3) && *d < a && *d < b
        })
        .min()
        .map(|(_, n)| n)
}

/// Whether `--all` or a glob picks this agent. Listing shows every agent;
/// other commands skip one whose tags are damaged (crew did not write them:
/// any process can set pane options, even on your own shell's pane) and
/// say so on stderr. An exact name still picks it.
fn actable(a: &Agent, listing: bool) -> bool {
    if listing || a.damage.is_none() {
        return true;
    }
    eprintln!(
        "crew: skipped {} ({}): its tags are damaged: {}",
        crate::text::escape_controls(&a.name),
        a.pane.pane_id,
        crate::text::escape_controls(a.damage.as_deref().unwrap_or(""))
    );
    false
}

/// The agent one exact name names (checked first): for the commands that
/// take a single NAME. An unknown name is exit 3, with a suggestion.
pub fn one<'a>(agents: &'a [Agent], name: &str) -> Result<&'a Agent, CrewError> {
    check(name)?;
    Ok(select(agents, &[Selector::Name(name.to_string())], false, false)?[0])
}

/// Pick agents by selectors (or all of them). Each agent appears once, in
/// snapshot order. `allow_none` is for `ls`, where an empty match is fine.
pub fn select<'a>(
    agents: &'a [Agent],
    selectors: &[Selector],
    all: bool,
    allow_none: bool,
) -> Result<Vec<&'a Agent>, CrewError> {
    if all {
        // `--all` that matches nothing succeeds: cleanup is idempotent.
        return Ok(agents.iter().filter(|a| actable(a, allow_none)).collect());
    }
    if selectors.is_empty() {
        if !allow_none && agents.is_empty() {
            return Err(
                CrewError::no_agent("no agent matches (there are no agents)")
                    .hint("start one with `crew spawn NAME`"),
            );
        }
        return Ok(agents.iter().filter(|a| actable(a, allow_none)).collect());
    }
    let mut hit = vec![false; agents.len()];
    for s in selectors {
        match s {
            Selector::Name(n) => match agents.iter().position(|a| &a.name == n) {
                Some(_) => {
                    // Every pane that claims the name (`crew recover` renames
                    // duplicates; until then each is the agent).
                    for (i, a) in agents.iter().enumerate() {
                        if &a.name == n {
                            hit[i] = true;
                        }
                    }
                }
                None if allow_none => {}
                None => {
                    let others = if selectors.len() > 1 {
                        "; nothing was done to the others given with it"
                    } else {
                        ""
                    };
                    let mut e = CrewError::no_agent(format!("no agent named {n}{others}"));
                    if let Some(s) = suggest(n, agents.iter().map(|a| a.name.as_str())) {
                        e = e.hint(format!("did you mean {s}?"));
                    } else {
                        e = e.hint("`crew ls` lists the agents");
                    }
                    return Err(e);
                }
            },
            Selector::Glob(p, text) => {
                let mut any = false;
                for (i, a) in agents.iter().enumerate() {
                    if p.matches(&a.name) {
                        hit[i] = actable(a, allow_none);
                        any = true;
                    }
                }
                if !any && !allow_none {
                    let others = if selectors.len() > 1 {
                        "; nothing was done to the others given with it"
                    } else {
                        ""
                    };
                    return Err(
                        CrewError::no_agent(format!("no agent matches {text:?}{others}"))
                            .hint("`crew ls` lists the agents"),
                    );
                }
            }
        }
    }
    Ok(agents
        .iter()
        .zip(hit)
        .filter_map(|(a, h)| h.then_some(a))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_rule() {
        for ok in ["a", "api", "Review-2", "x_y", "0", &"a".repeat(64)] {
            assert!(check(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "-a",
            "_a",
            "a.b",
            "a:b",
            "%1",
            "a/b",
            "a b",
            "=x",
            "{last}",
            "é",
            &"a".repeat(65),
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn suggestions() {
        let names = ["reviewer", "api", "frontend"];
        assert_eq!(suggest("reviwer", names.into_iter()), Some("reviewer"));
        assert_eq!(suggest("apu", names.into_iter()), Some("api"));
        assert_eq!(suggest("zzzzzz", names.into_iter()), None);
        // One letter is never "almost" a two-letter name.
        assert_eq!(suggest("z", ["oc", "api"].into_iter()), None);
        assert_eq!(suggest("oc", ["oc2", "api"].into_iter()), Some("oc2"));
        assert_eq!(suggest("tset", ["test"].into_iter()), Some("test"));
    }

    #[test]
    fn globs_parse() {
        let s = parse(&["review-*".into(), "api".into()]).unwrap();
        assert!(matches!(s[0], Selector::Glob(..)));
        assert!(matches!(s[1], Selector::Name(_)));
        assert!(parse(&["a.b".into()]).is_err());
    }
}
