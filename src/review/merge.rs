//! `crew merge`'s git side: the agent's branch into the branch it started
//! from, in the checkout where that branch is checked out — or nothing at
//! all. Every refusal is decided before git changes anything; a merge or
//! rebase that stops on a conflict is aborted, so the repository, the
//! agent's worktree and every branch are as they were.

use super::{commit, esc, git, git_cmd, out, show, Work};
use crate::error::CrewError;
use anyhow::Result;
use std::path::{Path, PathBuf};

/// How the branch comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    /// `git merge`: a fast-forward when it can be (as the user's
    /// `merge.ff` allows), else a merge commit.
    Merge,
    /// Only a fast-forward.
    FfOnly,
    /// Rebase the agent's branch onto the base in its worktree, then
    /// fast-forward the base: a straight history.
    Rebase,
}

#[derive(Debug, Clone)]
pub struct Merged {
    /// The checkout of the base the merge happened in.
    pub target: PathBuf,
    pub base: String,
    /// The agent's commits the base did not have.
    pub commits: u64,
    /// The base now points at the agent's last commit (no merge commit).
    pub fast_forward: bool,
}

fn refuse(msg: String, hint: String) -> anyhow::Error {
    CrewError::failure(msg).hint(hint).into()
}

/// At most ten lines of `git status`, indented, escaped.
fn listing(status: &str) -> String {
    let lines: Vec<&str> = status.lines().collect();
    let mut s: String = lines
        .iter()
        .take(10)
        .map(|l| format!("\n  {}", esc(l)))
        .collect();
    if lines.len() > 10 {
        s.push_str(&format!("\n  … and {} more", lines.len() - 10));
    }
    s
}

pub fn merge(w: &Work, way: Way) -> Result<Merged> {
    let name = esc(&w.name);
    let branch = esc(&w.branch);
    let tip = commit(&w.repo, &format!("refs/heads/{}", w.branch)).ok_or_else(|| {
        refuse(
            format!("{name}'s branch {branch} is gone; there is nothing to merge"),
            format!("`crew diff {name}` shows what its worktree holds"),
        )
    })?;
    let Some(base) = w.base_branch().map(str::to_string) else {
        return Err(refuse(
            format!(
                "{name} started from a detached HEAD ({}), not a branch; crew merge has nowhere to merge into",
                esc(&w.base)
            ),
            format!("merge it by hand where you want it: git merge {branch}"),
        ));
    };
    let base_tip = w.base_commit()?;
    let wt = &w.worktree;
    // The worktree must be on the branch (what is merged is the branch)
    // and hold nothing uncommitted (it would be left behind).
    let on = git(wt, &["symbolic-ref", "--quiet", "HEAD"]).unwrap_or_default();
    if on != format!("refs/heads/{}", w.branch) {
        let now = on
            .strip_prefix("refs/heads/")
            .map(|b| format!("on {}", esc(b)))
            .unwrap_or_else(|| "on a detached HEAD".into());
        return Err(refuse(
            format!(
                "{name}'s worktree {} is {now}, not on its branch {branch}; nothing was merged",
                show(wt)
            ),
            format!(
                "switch it back (git -C {} switch {branch}), or merge by hand",
                show(wt)
            ),
        ));
    }
    let dirty = git(wt, &["status", "--porcelain"])
        .map_err(|e| anyhow::anyhow!("could not read {}: {}", show(wt), esc(&e)))?;
    if !dirty.is_empty() {
        return Err(refuse(
            format!(
                "{name} has uncommitted work in its worktree {}, which a merge would leave behind; nothing was merged:{}",
                show(wt),
                listing(&dirty)
            ),
            format!("commit it there (or ask the agent to: crew send {name} \"commit your work\"), or discard it; `crew diff {name}` shows it"),
        ));
    }
    let target = checkout_of(&w.repo, &base)?;
    ready(&target, &base)?;
    let commits = count(&w.repo, &base_tip, &tip);
    let merged = |commits, fast_forward| Merged {
        target: target.clone(),
        base: base.clone(),
        commits,
        fast_forward,
    };
    if commits == 0 {
        return Ok(merged(0, false));
    }
    match way {
        Way::Merge | Way::FfOnly => {
            let ff = merge_in(w, &target, &base, &tip, way == Way::FfOnly)?;
            Ok(merged(commits, ff))
        }
        Way::Rebase => {
            let n = rebase_then_ff(w, &target, &base, &base_tip, &tip)?;
            Ok(merged(n, true))
        }
    }
}

/// Commits in `tip` that `base` lacks.
fn count(repo: &Path, base: &str, tip: &str) -> u64 {
    git(repo, &["rev-list", "--count", &format!("{base}..{tip}")])
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The checkout where `base` is checked out: the repository's, or another
/// worktree of it.
fn checkout_of(repo: &Path, base: &str) -> Result<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    let mut c = git_cmd(repo);
    // Lines, not -z (git 2.36): as `kill --rm-worktree` reads the list.
    c.args(["worktree", "list", "--porcelain"]);
    let o = out(c).map_err(|e| anyhow::anyhow!("git worktree list: {}", esc(&e)))?;
    let want = format!("branch refs/heads/{base}");
    let mut path: Option<&[u8]> = None;
    for field in o.split(|b| *b == b'\n') {
        if let Some(p) = field.strip_prefix(b"worktree ") {
            path = Some(p);
        } else if field == want.as_bytes() {
            if let Some(p) = path {
                return Ok(PathBuf::from(std::ffi::OsStr::from_bytes(p)));
            }
        } else if field.is_empty() {
            path = None;
        }
    }
    Err(refuse(
        format!(
            "{} is not checked out in {} or any of its worktrees; crew merge merges where it is checked out; nothing was merged",
            esc(base),
            show(repo)
        ),
        format!("check it out (git -C {} switch {}), then merge again", show(repo), esc(base)),
    ))
}

/// The target checkout is free to merge in: nothing uncommitted in it
/// (untracked files stay; git refuses to overwrite one), no merge, rebase,
/// cherry-pick or revert under way.
fn ready(target: &Path, base: &str) -> Result<()> {
    let at = format!("{} (where {} is checked out)", show(target), esc(base));
    let dirty = git(target, &["status", "--porcelain", "--untracked-files=no"])
        .map_err(|e| anyhow::anyhow!("could not read {}: {}", show(target), esc(&e)))?;
    if !dirty.is_empty() {
        return Err(refuse(
            format!(
                "{at} has uncommitted changes; nothing was merged:{}",
                listing(&dirty)
            ),
            "commit or stash them there, then merge again".into(),
        ));
    }
    if let Some(what) = under_way(target) {
        return Err(refuse(
            format!("{at} is in the middle of {what}; nothing was merged"),
            "finish it or abort it there, then merge again".into(),
        ));
    }
    Ok(())
}

/// The operation a checkout is in the middle of, if any.
fn under_way(dir: &Path) -> Option<&'static str> {
    let marks = [
        ("MERGE_HEAD", "a merge"),
        ("rebase-merge", "a rebase"),
        ("rebase-apply", "a rebase"),
        ("CHERRY_PICK_HEAD", "a cherry-pick"),
        ("REVERT_HEAD", "a revert"),
    ];
    let mut args = vec!["rev-parse"];
    for (m, _) in &marks {
        args.extend(["--git-path", m]);
    }
    let paths = git(dir, &args).ok()?;
    paths
        .lines()
        .zip(marks)
        .find(|(p, _)| dir.join(p).exists())
        .map(|(_, (_, what))| what)
}

/// The files a stopped merge or rebase left in conflict.
fn conflicts(dir: &Path) -> Vec<String> {
    git(dir, &["diff", "--name-only", "--diff-filter=U"])
        .unwrap_or_default()
        .lines()
        .map(esc)
        .collect()
}

/// git's own reason: its last `fatal:`/`error:` line, else its last line
/// that is not advice.
fn said(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let line = lines
        .iter()
        .rev()
        .find_map(|l| {
            l.strip_prefix("fatal: ")
                .or_else(|| l.strip_prefix("error: "))
        })
        .or_else(|| {
            lines
                .iter()
                .rev()
                .find(|l| !l.starts_with("hint:"))
                .copied()
        })
        .unwrap_or("failed");
    format!("git: {}", esc(line.trim_end_matches('.')))
}

fn why(conflicted: &[String], git_said: &str) -> String {
    if conflicted.is_empty() {
        said(git_said)
    } else {
        format!("conflicts in {}", conflicted.join(", "))
    }
}

/// `git merge` in the target; whether it was a fast-forward. On failure
/// the merge is aborted and the target is as it was.
fn merge_in(w: &Work, target: &Path, base: &str, tip: &str, ff_only: bool) -> Result<bool> {
    let head = commit(target, "HEAD").unwrap_or_default();
    // The commit, not the name: what was checked is what is merged (the
    // agent may commit meanwhile, or a tag may share the branch's name).
    let msg = format!("Merge branch '{}'", w.branch);
    let mut args = vec!["merge", "--no-edit", "-m", &msg];
    if ff_only {
        args.push("--ff-only");
    }
    args.push(tip);
    match git(target, &args) {
        Ok(_) => Ok(commit(target, "HEAD").as_deref() == Some(tip)),
        Err(e) => {
            let conflicted = conflicts(target);
            let started = under_way(target) == Some("a merge");
            if started {
                let _ = git(target, &["merge", "--abort"]);
            }
            let same = commit(target, "HEAD").unwrap_or_default() == head;
            let (branch, base) = (esc(&w.branch), esc(base));
            let hint = if ff_only && conflicted.is_empty() {
                format!("{base} has commits {branch} lacks: without --ff-only a merge commit joins them, --rebase puts the agent's commits on top")
            } else {
                format!(
                    "ask the agent to rebase onto {base} and resolve them (crew send {} …), or merge by hand in {}",
                    esc(&w.name),
                    show(target)
                )
            };
            Err(refuse(
                format!(
                    "merging {branch} into {base}: {}; {}",
                    why(&conflicted, &e),
                    if same && started {
                        "nothing was merged (the merge was undone)"
                    } else if same {
                        "nothing was merged"
                    } else {
                        "the merge could not be undone: check the checkout"
                    }
                ),
                hint,
            ))
        }
    }
}

/// Rebase the agent's branch onto the base in its worktree, then
/// fast-forward the base to it; the commits it brought. A conflict aborts
/// the rebase; a base that cannot fast-forward puts the branch back.
fn rebase_then_ff(w: &Work, target: &Path, base: &str, base_tip: &str, tip: &str) -> Result<u64> {
    let wt = &w.worktree;
    let (branch, base) = (esc(&w.branch), esc(base));
    let head = format!("refs/heads/{}", w.branch);
    if let Err(e) = git(wt, &["rebase", base_tip]) {
        let conflicted = conflicts(wt);
        if under_way(wt) == Some("a rebase") {
            let _ = git(wt, &["rebase", "--abort"]);
        }
        let same = commit(&w.repo, &head).as_deref() == Some(tip);
        return Err(refuse(
            format!(
                "rebasing {branch} onto {base}: {}; {}",
                why(&conflicted, &e),
                if same {
                    "nothing was changed (the rebase was undone)"
                } else {
                    "the rebase could not be undone: check the worktree"
                }
            ),
            format!(
                "ask the agent to rebase onto {base} and resolve them (crew send {} …), or merge without --rebase",
                esc(&w.name)
            ),
        ));
    }
    let new_tip = commit(&w.repo, &head).unwrap_or_default();
    let n = count(&w.repo, base_tip, &new_tip);
    if let Err(e) = git(target, &["merge", "--ff-only", &new_tip]) {
        // The base moved meanwhile, or an untracked file is in the way:
        // the agent's branch goes back to where it was.
        let _ = git(wt, &["reset", "--keep", tip]);
        return Err(refuse(
            format!(
                "{base} could not fast-forward to the rebased {branch} ({}); the branch was put back, nothing was merged",
                said(&e)
            ),
            format!("look at {} and merge again", show(target)),
        ));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_reasons_skip_advice() {
        let ff = "hint: Diverging branches can't be fast-forwarded, you need to either:\nhint:\nhint:   git merge --no-ff\nfatal: Not possible to fast-forward, aborting.\n";
        assert_eq!(said(ff), "git: Not possible to fast-forward, aborting");
        assert_eq!(
            said("error: The following untracked working tree files would be overwritten by merge:\n\tb.txt\nPlease move or remove them before you merge.\nAborting\n"),
            "git: The following untracked working tree files would be overwritten by merge:"
        );
        assert_eq!(said("hint: x\nsomething odd\n"), "git: something odd");
        assert_eq!(said(""), "git: failed");
        assert_eq!(
            why(&["a.txt".into(), "b".into()], ""),
            "conflicts in a.txt, b"
        );
        let long = listing("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12");
        assert!(long.ends_with("\n  10\n  … and 2 more"), "{long}");
        assert_eq!(listing(" M a\x1b[2J"), "\n   M a\\e[2J");
    }
}
