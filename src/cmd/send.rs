//! `crew send NAME TEXT`: type a message into agents, byte-exact, and submit
//! it, only to agents ready for it, returning once they have taken it.

use super::Ctx;
use crate::cli::SendArgs;
use crate::deliver;
use crate::error::{CrewError, EXIT_TIMEOUT};
use crate::names;
use crate::observe::{Goal, Waited};
use crate::receipt::{self, Receipt};
use crate::render::Done;
use crate::snapshot::Agent;
use anyhow::Result;
use std::time::Duration;

enum Payload {
    Keys(Vec<String>),
    Text(Vec<u8>),
}

pub fn run(ctx: &Ctx, a: SendArgs) -> Result<()> {
    let (targets, words) = split_args(&a);
    let sels = match &a.team {
        Some(t) => crate::team::selectors(ctx, t)?,
        None => names::parse(&targets)?,
    };
    if sels.is_empty() && !a.all {
        return Err(CrewError::usage("send needs an agent: crew send NAME TEXT").into());
    }
    let payload = payload(&a, &words)?;
    if a.queue {
        if let Payload::Text(bytes) = &payload {
            return crate::mailbox::enqueue(ctx, &sels, a.all, bytes, a.json);
        }
    }
    // Named one by one, an agent that cannot take the message refuses the
    // whole send; `--all` and globs skip it and say so.
    let explicit = names::all_exact(&sels) && !a.all;

    if let Some(secs) = a.wait_idle {
        let t = Some(Duration::from_secs_f64(secs));
        if let Waited::TimedOut(left) =
            crate::observe::wait_for(&ctx.tmux, &ctx.config, &sels, a.all, Goal::Idle, false, t)?
        {
            let busy: Vec<String> = left
                .iter()
                .map(|(n, s)| format!("{n} ({})", s.as_str()))
                .collect();
            return Err(CrewError::new(
                EXIT_TIMEOUT,
                format!(
                    "timed out waiting for idle: {}; nothing was sent",
                    busy.join(", ")
                ),
            )
            .into());
        }
    }

    let snap = ctx.snapshot()?;
    let chosen = names::select(&snap.agents, &sels, a.all, false)?;
    let mut outcomes: Vec<Done> = Vec::new();

    let bytes = match payload {
        Payload::Keys(keys) => {
            // Keys are how a person answers a dialog: they always go through.
            let live: Vec<&Agent> = skip_exited(&chosen, explicit, &mut outcomes)?;
            let per: Vec<(&Agent, Vec<String>)> = live.iter().map(|g| (*g, keys.clone())).collect();
            deliver::press(ctx, &per)?;
            outcomes.extend(
                live.iter()
                    .map(|g| done_of(g, "sent", format!("keys {}", keys.join(" ")))),
            );
            return finish(&outcomes, a.json);
        }
        Payload::Text(b) => b,
    };

    let live = skip_exited(&chosen, explicit, &mut outcomes)?;
    // Never into a dialog: its menu would take the text and the Enter.
    let sts = crate::observe::statuses(&ctx.tmux, &ctx.config, &live)?;
    let mut ready: Vec<&Agent> = Vec::new();
    for (g, st) in live.iter().zip(&sts) {
        if st.is_attention() {
            let refusal = deliver::dialog_refusal(g, *st);
            if explicit {
                return Err(refusal.into());
            }
            eprintln!("crew: skipped {}", refusal.message);
            outcomes.push(done_of(g, "skipped", format!("waits for {st}")));
        } else {
            ready.push(g);
        }
    }
    // A tool still drawing its first screen is waited for, bounded.
    deliver::wait_until_ready(ctx, &ready)?;
    if !ready.is_empty() {
        deliver::type_text(ctx, &snap.version, &ready, &bytes)?;
        if a.no_enter {
            outcomes.extend(ready.iter().map(|g| done_of(g, "typed", String::new())));
        } else {
            let receipts = receipt::submit(ctx, &ready, &bytes)?;
            // A queued message this process was started to type: typed.
            for g in &ready {
                crate::attention::delivered(&ctx.tmux, &ctx.config, g.pane_id(), &g.name, &bytes)?;
            }
            for (g, r) in ready.iter().zip(receipts) {
                let detail = match r {
                    Receipt::Taken => String::new(),
                    Receipt::Exited(how) => format!("then it {how}"),
                    Receipt::Unwatched => String::new(),
                };
                outcomes.push(done_of(g, "sent", detail));
            }
        }
    }
    if !outcomes.is_empty() && outcomes.iter().all(|o| o.action == "skipped") {
        finish(&outcomes, a.json)?;
        return Err(CrewError::failure("no agent could take the message; nothing was sent").into());
    }
    finish(&outcomes, a.json)
}

fn finish(outcomes: &[Done], json: bool) -> Result<()> {
    let shown: Vec<Done> = outcomes
        .iter()
        .filter(|o| json || o.action != "skipped")
        .cloned()
        .collect();
    crate::render::print_done(&shown, json, "")
}

fn done_of(g: &Agent, action: &'static str, detail: String) -> Done {
    Done {
        action,
        name: g.name.clone(),
        pane_id: g.pane_id().to_string(),
        detail: (!detail.is_empty()).then_some(detail),
    }
}

/// Exited agents take nothing: refused when named, skipped (and named on
/// stderr) under `--all` or a glob.
fn skip_exited<'a>(
    chosen: &[&'a Agent],
    explicit: bool,
    outcomes: &mut Vec<Done>,
) -> Result<Vec<&'a Agent>> {
    let mut live = Vec::new();
    for g in chosen {
        if !g.pane.dead {
            live.push(*g);
            continue;
        }
        let how = deliver::how_exited(g);
        if explicit {
            return Err(CrewError::failure(format!("{} {how}; nothing was sent", g.name))
                .hint(format!("`crew read {}` shows its last screen; `crew recover` restarts agents with a restart policy", g.name))
                .into());
        }
        eprintln!("crew: skipped {}: it {how}", g.name);
        outcomes.push(done_of(g, "skipped", format!("it {how}")));
    }
    Ok(live)
}

/// Words before `--` name agents; without `--`, the first word does (none
/// with `--all`) and the rest is the message.
fn split_args(a: &SendArgs) -> (Vec<String>, Vec<String>) {
    if !a.text.is_empty() {
        (a.args.clone(), a.text.clone())
    } else if a.all || a.team.is_some() {
        (vec![], a.args.clone())
    } else if let Some((first, rest)) = a.args.split_first() {
        (vec![first.clone()], rest.to_vec())
    } else {
        (vec![], vec![])
    }
}

fn payload(a: &SendArgs, words: &[String]) -> Result<Payload> {
    if a.keys {
        if words.is_empty() {
            return Err(
                CrewError::usage("--keys needs key names, e.g. crew send api -k C-c").into(),
            );
        }
        return Ok(Payload::Keys(words.to_vec()));
    }
    Ok(Payload::Text(deliver::message(words)?))
}
