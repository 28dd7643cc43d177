//! `approve`, `deny` and `answer`: the keys of a dialog that is on the
//! screen now, checked before and after they are pressed.

use crate::ctx::Ctx;
use crate::deliver::{again, press_then, POLL};
use crate::error::CrewError;
use crate::profile::Profile;
use crate::screen;
use crate::snapshot::Agent;
use crate::tags;
use crate::tmux::Chain;
use anyhow::Result;
use std::time::{Duration, Instant};

/// What `approve`, `deny` and `answer` press.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Approve,
    Deny,
    Choice(u8),
}

impl Answer {
    fn verb(self) -> &'static str {
        match self {
            Answer::Approve => "approved",
            Answer::Deny => "denied",
            Answer::Choice(_) => "answered",
        }
    }

    fn field(self) -> &'static str {
        match self {
            Answer::Approve => "approve_keys",
            Answer::Deny => "deny_keys",
            Answer::Choice(_) => "answer_keys",
        }
    }
}

/// The keys that give `answer` to the dialog on `screen`, or why none do.
/// `{n}` is option N of a numbered menu, which the screen must show;
/// `{choice}` the letter of option N where the profile's `answer_choice`
/// reads the options off one line (aider's `(Y)es/(N)o/(D)on't ask again`);
/// `{down}` N-1 presses of Down in an unnumbered list.
pub fn keys_for(p: &Profile, answer: Answer, screen: &str) -> Result<Vec<String>, String> {
    let keys = match answer {
        Answer::Approve => return Ok(p.approve_keys.clone()),
        Answer::Deny => return Ok(p.deny_keys.clone()),
        Answer::Choice(_) => &p.answer_keys,
    };
    let Answer::Choice(n) = answer else {
        unreachable!()
    };
    let lines: Vec<&str> = screen.lines().collect();
    let last = &lines[lines.len().saturating_sub(p.scan_lines)..];
    let mut choice = String::new();
    if keys.iter().any(|k| k.contains("{choice}")) {
        let choices = p
            .patterns()
            .answer_choice()
            .and_then(|re| {
                last.iter().rev().find_map(|l| {
                    let found: Vec<String> = re
                        .captures_iter(l)
                        .filter_map(|c| c.get(1).map(|m| m.as_str().to_lowercase()))
                        .collect();
                    (!found.is_empty()).then_some(found)
                })
            })
            .unwrap_or_default();
        match choices.get(usize::from(n).wrapping_sub(1)) {
            Some(c) => choice = c.clone(),
            None if choices.is_empty() => {
                return Err("its dialog shows no options to pick from".into())
            }
            None => {
                return Err(format!(
                    "its dialog has {} option(s) ({}), no option {n}",
                    choices.len(),
                    choices.join("/")
                ))
            }
        }
    } else if keys.iter().any(|k| k.contains("{n}")) && !shows_option(last, n) {
        return Err(format!("its dialog shows no option {n}"));
    }
    // `{down}`: N-1 presses of Down, for a list whose options carry no
    // numbers and whose first is selected (GitHub Copilot CLI's ask_user).
    Ok(keys
        .iter()
        .flat_map(|k| {
            if k == "{down}" {
                vec!["Down".to_string(); usize::from(n).saturating_sub(1)]
            } else {
                vec![k
                    .replace("{n}", &n.to_string())
                    .replace("{choice}", &choice)]
            }
        })
        .collect())
}

/// Whether a menu line numbered `n` is on screen ("❯ 1. Yes", "│ ● 2.  Blue",
/// "┃  3. Type your own answer"): the number after nothing but marks.
fn shows_option(lines: &[&str], n: u8) -> bool {
    let want = n.to_string();
    lines.iter().any(|l| {
        let rest = l.trim_start_matches(|c: char| !c.is_alphanumeric());
        rest.strip_prefix(want.as_str())
            .and_then(|r| r.strip_prefix(['.', ')']))
            .is_some_and(|r| r.starts_with(' '))
    })
}

/// Answer the dialog each agent shows NOW (its screen, captured fresh: a
/// tool's report or an earlier look may be a dialog already gone, and a key
/// meant for a menu would interrupt a working tool), with its profile's
/// keys, then check that the dialog went away (or moved on to the next
/// question). `explicit`: the agents were named one by one, so one that
/// shows no dialog refuses the whole command before any key is pressed;
/// otherwise (`--all`, globs) such agents are left out. The keys go with
/// crew's input mark, so a report of the dialog does not outlive it.
/// Returns the outcome per agent answered, or an error naming the agents
/// whose dialog is still up.
pub fn answer_dialogs(
    ctx: &Ctx,
    agents: &[&Agent],
    explicit: bool,
    answer: Answer,
) -> Result<Vec<crate::render::Done>> {
    let seen = screen::on_screen(&ctx.tmux, &ctx.config, agents)?;
    let (sts, before) = (&seen.statuses, &seen.screens);
    let mut chosen: Vec<(&Agent, Vec<String>)> = Vec::new();
    for (a, st) in agents.iter().zip(sts) {
        if !st.is_attention() {
            if explicit {
                return Err(CrewError::failure(format!(
                    "{} shows no dialog to answer (its screen reads {st}); nothing was pressed",
                    a.name
                ))
                .hint(format!(
                    "`crew send {} TEXT` types a message; `crew read {}` shows its screen",
                    a.name, a.name
                ))
                .into());
            }
            continue;
        }
        let p = screen::profile_for(&ctx.config, a);
        let screen = before.get(a.pane_id()).map(String::as_str).unwrap_or("");
        let keys = keys_for(p, answer, screen).map_err(|why| {
            CrewError::failure(format!("{}: {why}; nothing was pressed", a.name))
                .hint(format!("`crew read {}` shows the dialog", a.name))
        })?;
        if keys.is_empty() {
            return Err(CrewError::failure(format!(
                "profile {} names no keys to press ({} is empty); nothing was pressed",
                p.name,
                answer.field()
            ))
            .hint(format!(
                "set `{}` in its profile, or press keys with `crew send {} -k KEY`",
                answer.field(),
                a.name
            ))
            .into());
        }
        chosen.push((a, keys));
    }
    if chosen.is_empty() {
        return Ok(vec![]);
    }
    let ms = crate::ctx::now_ms();
    let mut marks = Chain::new();
    for (a, _) in &chosen {
        let mark = crate::report::input_mark(a, ms, true);
        marks.push(tags::set_pane(a.pane_id(), tags::REPORT, &mark));
    }
    press_then(ctx, &chosen, marks)?;

    // Check: the dialog is gone, or its screen moved on (the next question).
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut open: Vec<usize> = (0..chosen.len()).collect();
    let mut done: Vec<crate::render::Done> = Vec::new();
    while !open.is_empty() {
        std::thread::sleep(POLL);
        let snap = ctx.snapshot()?;
        let now = again(&snap, &open, |i| chosen[i].0.pane_id());
        let refs: Vec<&Agent> = now.iter().map(|(_, a)| *a).collect();
        let seen = screen::on_screen(&ctx.tmux, &ctx.config, &refs)?;
        let (sts, screens) = (&seen.statuses, &seen.screens);
        let mut next = Vec::new();
        for &i in &open {
            let a = chosen[i].0;
            let pos = now.iter().position(|(j, _)| *j == i);
            let moved = match pos {
                None => true,
                Some(k) => {
                    !sts[k].is_attention() || screens.get(a.pane_id()) != before.get(a.pane_id())
                }
            };
            if moved {
                let detail = match (answer, pos.map(|k| sts[k])) {
                    (_, None) => "its pane is gone".to_string(),
                    (Answer::Choice(n), Some(st)) => format!("option {n}; now {st}"),
                    (_, Some(st)) => format!("now {st}"),
                };
                done.push(crate::render::Done {
                    action: answer.verb(),
                    name: a.name.clone(),
                    pane_id: a.pane_id().to_string(),
                    detail: Some(detail),
                });
            } else {
                next.push(i);
            }
        }
        open = next;
        if !open.is_empty() && Instant::now() >= deadline {
            crate::render::print_done(&done, false, "")?;
            let names: Vec<String> = open.iter().map(|&i| chosen[i].0.name.clone()).collect();
            return Err(CrewError::failure(format!(
                "pressed {} in {}, but the dialog is still there",
                chosen[open[0]].1.join(" "),
                names.join(", ")
            ))
            .hint(format!(
                "`crew read {}` shows it; the keys come from the profile's `{}`",
                names[0],
                answer.field()
            ))
            .into());
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(name: &str) -> Profile {
        crate::profile::builtin_named(name).unwrap()
    }

    #[test]
    fn option_n_must_be_on_screen() {
        let codex = "  $ touch x\n\n› 1. Yes, proceed (y)\n  2. Yes, and don't ask again (p)\n  3. No (esc)\n";
        let p = profile("codex");
        assert_eq!(keys_for(&p, Answer::Choice(2), codex), Ok(vec!["2".into()]));
        assert!(keys_for(&p, Answer::Choice(4), codex).is_err());
        let gemini = "│ ● 1.  Red │\n│   2.  Blue │\n";
        assert!(keys_for(&profile("gemini"), Answer::Choice(2), gemini).is_ok());
        let opencode = "  ┃  1. Red\n  ┃     A red button\n  ┃  2. Blue\n";
        assert!(keys_for(&profile("opencode"), Answer::Choice(2), opencode).is_ok());
        assert!(keys_for(&profile("opencode"), Answer::Choice(3), opencode).is_err());
    }

    #[test]
    fn aider_picks_the_letter_of_option_n() {
        let p = profile("aider");
        let s = "notes.txt\nAdd file to the chat? (Y)es/(N)o/(D)on't ask again [Yes]:";
        let k = |n| keys_for(&p, Answer::Choice(n), s);
        assert_eq!(k(1), Ok(vec!["y".into(), "Enter".into()]));
        assert_eq!(k(2), Ok(vec!["n".into(), "Enter".into()]));
        assert_eq!(k(3), Ok(vec!["d".into(), "Enter".into()]));
        assert!(k(4).unwrap_err().contains("3 option"));
        let all = "Run shell command? (Y)es/(N)o/(A)ll/(S)kip all/(D)on't ask again [Yes]:";
        assert_eq!(
            keys_for(&p, Answer::Choice(3), all),
            Ok(vec!["a".into(), "Enter".into()])
        );
    }

    #[test]
    fn copilot_walks_down_an_unnumbered_list() {
        let p = profile("copilot");
        let s = " Copilot needs information.\n ❯ Red\n   Blue\n   Other (type your answer)\n";
        let k = |n| keys_for(&p, Answer::Choice(n), s);
        assert_eq!(k(1), Ok(vec!["Enter".into()]));
        assert_eq!(k(3), Ok(vec!["Down".into(), "Down".into(), "Enter".into()]));
    }
}
