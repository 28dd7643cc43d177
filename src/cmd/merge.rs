//! `crew merge NAME`: the agent's branch into the branch it started from,
//! where that branch is checked out; with `--kill`, then the agent ends and
//! its worktree and branch go, through `kill --rm-worktree`'s own path.

use super::Ctx;
use crate::cli::{KillArgs, MergeArgs};
use crate::names;
use crate::render::Done;
use crate::review::{self, Way, Work};
use anyhow::Result;

pub fn run(ctx: &Ctx, a: MergeArgs) -> Result<()> {
    names::check(&a.name)?;
    let snap = ctx.snapshot()?;
    let agent = names::one(&snap.agents, &a.name)?;
    let work = Work::of(agent, "merge")?;
    let way = match (a.rebase, a.ff_only) {
        (true, _) => Way::Rebase,
        (_, true) => Way::FfOnly,
        _ => Way::Merge,
    };
    let m = review::merge(&work, way)?;
    let plural = if m.commits == 1 { "" } else { "s" };
    let detail = match (m.commits, way) {
        (0, _) => format!("{} into {}: already there, 0 commits", work.branch, m.base),
        (n, Way::Rebase) => format!(
            "{} rebased onto {}, {n} commit{plural}",
            work.branch, m.base
        ),
        (n, _) if m.fast_forward => format!(
            "{} into {}, {n} commit{plural}, fast-forward",
            work.branch, m.base
        ),
        (n, _) => format!("{} into {}, {n} commit{plural}", work.branch, m.base),
    };
    // Said when the base is checked out in a worktree of its own.
    let detail = if m.target == work.repo {
        detail
    } else {
        format!("{detail}, in {}", m.target.display())
    };
    let mut done = vec![Done {
        action: "merged",
        name: work.name.clone(),
        // The pane in JSON; the text line names the branches instead.
        pane_id: if a.json {
            work.pane.clone()
        } else {
            String::new()
        },
        detail: Some(crate::text::escape_controls(&detail).into_owned()),
    }];
    if !a.kill {
        return crate::render::print_done(&done, a.json, "");
    }
    // kill's own defaults: a graceful stop within 5 s.
    let kill = KillArgs {
        names: vec![work.name.clone()],
        team: None,
        rm_worktree: true,
        all: false,
        force: false,
        grace: 5.0,
        json: a.json,
    };
    // A refusal to kill (work added since the merge) comes after the news
    // that the merge happened.
    let ended = match super::kill::end(ctx, &kill) {
        Ok(e) => e,
        Err(e) => {
            crate::render::print_done(&done, a.json, "")?;
            return Err(e);
        }
    };
    let Some(ended) = ended else {
        return crate::render::print_done(&done, a.json, "");
    };
    done.extend(ended.done.iter().cloned());
    crate::render::print_done(&done, a.json, "")?;
    ended.finish(ctx)
}
