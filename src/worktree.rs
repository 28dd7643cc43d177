//! A git worktree per agent: `spawn --worktree [BRANCH]` makes one next to
//! the repository (`<repo>.worktrees/<NAME>`, branch `crew/NAME` by
//! default) and records it in the agent's tags; `kill --rm-worktree` removes
//! only a worktree crew recorded, and only when nothing would be lost.

use crate::error::CrewError;
use crate::tags::Tags;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A worktree to make.
#[derive(Debug, Clone)]
pub struct Plan {
    pub repo: PathBuf,
    pub path: PathBuf,
    pub branch: String,
    pub base: String,
    /// crew creates the branch (it did not exist).
    pub made: bool,
}

fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not run git: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// Where an agent's worktree goes: beside the repository.
pub fn path_for(repo: &Path, name: &str) -> PathBuf {
    let base = repo
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "repo".into());
    repo.with_file_name(format!("{base}.worktrees")).join(name)
}

/// Plan a worktree for agent `name` from the repository containing `cwd`.
pub fn plan(cwd: &Path, name: &str, branch: Option<&str>) -> Result<Plan> {
    let top = git(cwd, &["rev-parse", "--show-toplevel"]).map_err(|e| {
        CrewError::usage(format!("--worktree needs a git repository: {e}"))
            .hint("run crew spawn inside the repository, or point -c into it")
    })?;
    let repo = PathBuf::from(top.trim());
    let branch = branch.map_or_else(|| format!("crew/{name}"), str::to_string);
    git(&repo, &["check-ref-format", "--branch", &branch])
        .map_err(|_| CrewError::usage(format!("invalid branch name {branch:?}")))?;
    let made = git(
        &repo,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("refs/heads/{branch}"),
        ],
    )
    .is_err();
    let base = git(&repo, &["symbolic-ref", "--quiet", "--short", "HEAD"])
        .or_else(|_| git(&repo, &["rev-parse", "HEAD"]))
        .map_err(|e| {
            CrewError::failure(format!(
                "{} has no commit to branch from: {e}",
                repo.display()
            ))
        })?
        .trim()
        .to_string();
    let path = path_for(&repo, name);
    if path.exists() {
        return Err(CrewError::failure(format!(
            "{} already exists; crew will not reuse a folder it did not just make",
            path.display()
        ))
        .hint("remove it, or spawn under another name")
        .into());
    }
    Ok(Plan {
        repo,
        path,
        branch,
        base,
        made,
    })
}

/// Make the worktree and copy the listed untracked files into it
/// (`worktree_copy` from the config and the repository's `.worktreeinclude`).
pub fn create(p: &Plan, copy: &[String]) -> Result<()> {
    if let Some(parent) = p.path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("could not create {}", parent.display()))?;
    }
    let path = p.path.display().to_string();
    let res = if p.made {
        git(&p.repo, &["worktree", "add", "-b", &p.branch, &path])
    } else {
        git(&p.repo, &["worktree", "add", &path, &p.branch])
    };
    res.map_err(|e| CrewError::failure(format!("could not create worktree {path}: {e}")))?;
    let mut patterns: Vec<String> = copy.to_vec();
    if let Ok(text) = std::fs::read_to_string(p.repo.join(".worktreeinclude")) {
        patterns.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string),
        );
    }
    for pat in patterns {
        if pat.starts_with('/') || pat.split('/').any(|c| c == "..") {
            continue;
        }
        let full = p.repo.join(&pat).display().to_string();
        let Ok(paths) = glob::glob(&full) else {
            continue;
        };
        for src in paths.flatten() {
            let Ok(rel) = src.strip_prefix(&p.repo) else {
                continue;
            };
            if rel
                .components()
                .next()
                .is_some_and(|c| c.as_os_str() == ".git")
            {
                continue;
            }
            copy_tree(&src, &p.path.join(rel))?;
        }
    }
    Ok(())
}

/// Copy a file or folder, never over something the checkout already has.
fn copy_tree(src: &Path, dst: &Path) -> Result<()> {
    let meta = std::fs::symlink_metadata(src)?;
    if meta.is_dir() {
        std::fs::create_dir_all(dst)?;
        for e in std::fs::read_dir(src)? {
            let e = e?;
            copy_tree(&e.path(), &dst.join(e.file_name()))?;
        }
    } else if meta.is_file() && !dst.exists() {
        if let Some(d) = dst.parent() {
            std::fs::create_dir_all(d)?;
        }
        std::fs::copy(src, dst)
            .with_context(|| format!("could not copy {} into the worktree", src.display()))?;
    }
    Ok(())
}

/// Undo `create` after a failed spawn.
pub fn undo(p: &Plan) {
    let path = p.path.display().to_string();
    let _ = git(&p.repo, &["worktree", "remove", "--force", &path]);
    if p.made {
        let _ = git(&p.repo, &["branch", "-D", &p.branch]);
    }
}

/// Whether the recorded worktree is still one of the repository's.
pub(crate) fn registered(t: &Tags) -> bool {
    git(Path::new(&t.repo), &["worktree", "list", "--porcelain"]).is_ok_and(|out| {
        out.lines()
            .any(|l| l.strip_prefix("worktree ") == Some(t.worktree.as_str()))
    })
}

/// What removing the agent's worktree would lose: uncommitted changes, and
/// commits on its branch or its HEAD that are neither in the base branch
/// nor pushed. (Stashes are the repository's, kept with it.)
/// `Ok(None)`: the agent has no worktree of crew's.
pub fn losses(t: &Tags) -> Result<Option<Vec<String>>> {
    if t.worktree.is_empty() || t.repo.is_empty() {
        return Ok(None);
    }
    if !registered(t) {
        return Ok(None);
    }
    let wt = Path::new(&t.worktree);
    let mut lost = Vec::new();
    let dirty = git(wt, &["status", "--porcelain"])
        .map_err(|e| anyhow::anyhow!("could not read the state of {}: {e}", t.worktree))?;
    for l in dirty.lines().take(10) {
        lost.push(format!("uncommitted: {}", l.trim()));
    }
    // Commits on the branch, and on the worktree's HEAD wherever it points
    // (a detached HEAD's commits are on no branch at all), that are neither
    // in the base branch nor pushed.
    let repo = Path::new(&t.repo);
    let head = git(wt, &["rev-parse", "--verify", "--quiet", "HEAD"]).unwrap_or_default();
    let base_ok =
        !t.base.is_empty() && git(repo, &["rev-parse", "--verify", "--quiet", &t.base]).is_ok();
    let mut seen = std::collections::HashSet::new();
    for tip in [t.branch.as_str(), head.trim()] {
        if tip.is_empty() {
            continue;
        }
        let mut args = vec![
            "log",
            "--oneline",
            "--no-decorate",
            tip,
            "--not",
            "--remotes",
        ];
        if base_ok {
            args.push(&t.base);
        }
        let commits = git(repo, &args).unwrap_or_default();
        for l in commits.lines().take(10) {
            if seen.insert(l.to_string()) {
                lost.push(format!("not merged into {} nor pushed: {l}", t.base));
            }
        }
    }
    Ok(Some(lost))
}

/// Remove the agent's worktree (and the branch crew made for it).
pub fn remove(t: &Tags, force: bool) -> Result<String> {
    let repo = Path::new(&t.repo);
    let mut args = vec!["worktree", "remove"];
    if force {
        args.push("--force");
    }
    args.push(&t.worktree);
    git(repo, &args)
        .map_err(|e| anyhow::anyhow!("could not remove worktree {}: {e}", t.worktree))?;
    let mut line = format!("removed worktree {}", t.worktree);
    if t.branch_made && !t.branch.is_empty() {
        // Merged or pushed was checked (or --force given): -D, since git's
        // own -d only knows about HEAD and the upstream.
        if git(repo, &["branch", "-D", &t.branch]).is_ok() {
            line.push_str(&format!(" and branch {}", t.branch));
        }
    }
    Ok(line)
}

/// "NAME (PATH):" and what would be lost, one per line. Commit subjects and
/// paths are outside text.
pub fn loss_text(name: &str, worktree: &str, lost: &[String]) -> String {
    format!(
        "{name} ({}):\n  {}",
        crate::text::escape_controls(worktree),
        lost.iter()
            .map(|l| crate::text::escape_controls(l).into_owned())
            .collect::<Vec<_>>()
            .join("\n  ")
    )
}

/// For `kill --rm-worktree`: the records of the worktrees to remove, or a
/// refusal naming what would be lost (unless `force`).
pub fn check_all(agents: &[&crate::snapshot::Agent], force: bool) -> Result<Vec<Tags>> {
    let mut out = Vec::new();
    let mut refusals = Vec::new();
    for a in agents {
        match losses(&a.tags)? {
            None => {}
            Some(lost) if lost.is_empty() || force => out.push(a.tags.clone()),
            Some(lost) => refusals.push(loss_text(&a.name, &a.tags.worktree, &lost)),
        }
    }
    if !refusals.is_empty() {
        return Err(CrewError::failure(format!(
            "removing the worktree would lose work; nothing was killed:\n{}",
            refusals.join("\n")
        ))
        .hint("commit and merge or push it, or add --force to discard it")
        .into());
    }
    Ok(out)
}
