//! Reviewing what an agent did in its worktree and bringing it home: the
//! changes against the branch it started from (`crew diff`, the dashboard's
//! CHANGES), and the merge of its branch into that branch (`crew merge`).
//!
//! Everything the tags say (paths, branch names) is outside text: it reaches
//! git only as separate arguments, refs as `refs/heads/…` or resolved ids
//! (never a word git could read as an option), and is checked first. Reads
//! never write the agent's index: `GIT_OPTIONAL_LOCKS=0` keeps git from
//! refreshing it, and untracked files are shown through a copy of it.

use crate::error::CrewError;
use crate::snapshot::Agent;
use crate::text::escape_controls;
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod merge;
pub use merge::{merge, Merged, Way};

/// An agent's worktree as its tags record it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Work {
    pub name: String,
    pub pane: String,
    pub worktree: PathBuf,
    pub repo: PathBuf,
    pub branch: String,
    /// The branch checked out in the repository when the agent was spawned
    /// (or, for a detached HEAD then, its commit id).
    pub base: String,
}

/// git in `dir`, reading nothing from crew's own git environment (a hook
/// that runs crew sets GIT_DIR and friends for another repository).
fn git_cmd(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C")
        .arg(dir)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null());
    for k in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_COMMON_DIR",
    ] {
        c.env_remove(k);
    }
    c
}

/// Run it: its stdout, or its stderr as the error.
fn out(mut c: Command) -> Result<Vec<u8>, String> {
    let o = c
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("could not run git: {e}"))?;
    if o.status.success() {
        Ok(o.stdout)
    } else {
        Err(String::from_utf8_lossy(&o.stderr).trim().to_string())
    }
}

fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let mut c = git_cmd(dir);
    c.args(args);
    out(c).map(|b| String::from_utf8_lossy(&b).trim().to_string())
}

/// The commit a ref names, or None.
fn commit(dir: &Path, rev: &str) -> Option<String> {
    git(
        dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .ok()
    .filter(|s| !s.is_empty())
}

fn is_object_id(s: &str) -> bool {
    matches!(s.len(), 40 | 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A branch name as git would write it: what `check-ref-format --branch`
/// gives back unchanged (`@{-1}` would name another branch).
fn valid_branch(repo: &Path, b: &str) -> bool {
    !b.is_empty()
        && !b.starts_with('-')
        && git(repo, &["check-ref-format", "--branch", b]).is_ok_and(|o| o == b)
}

pub(crate) fn show(p: &Path) -> String {
    escape_controls(&p.display().to_string()).into_owned()
}

pub(crate) fn esc(s: &str) -> String {
    escape_controls(s).into_owned()
}

impl Work {
    /// The agent's worktree, or why there is none to review. `what`: the
    /// command asking (`diff`, `merge`).
    pub fn of(a: &Agent, what: &str) -> Result<Work> {
        let t = &a.tags;
        let name = esc(&a.name);
        if t.worktree.is_empty() || t.repo.is_empty() {
            return Err(CrewError::failure(format!(
                "{name} has no worktree; crew {what} needs an agent spawned with --worktree"
            ))
            .hint("`crew spawn NAME --worktree -- CMD` starts an agent on a branch of its own")
            .into());
        }
        let worktree = PathBuf::from(&t.worktree);
        let repo = PathBuf::from(&t.repo);
        if !worktree.is_dir() {
            return Err(CrewError::failure(format!(
                "{name}'s worktree {} is gone (removed outside crew)",
                show(&worktree)
            ))
            .hint(format!(
                "`crew kill {name}` ends the agent; `git -C {} worktree prune` forgets the worktree",
                show(&repo)
            ))
            .into());
        }
        // Tags can be set by anything on the server: only a worktree the
        // repository knows is crew's to read or merge from.
        if !crate::worktree::registered(t) {
            return Err(CrewError::failure(format!(
                "{} is not a worktree of {} (any more)",
                show(&worktree),
                show(&repo)
            ))
            .hint("crew reviews only the worktree it made for the agent")
            .into());
        }
        if !valid_branch(&repo, &t.branch) {
            return Err(CrewError::failure(format!(
                "{name}'s record names no valid branch ({:?})",
                esc(&t.branch)
            ))
            .into());
        }
        // The base is recorded with the worktree (since worktrees came);
        // a record without one falls back to the branch checked out in the
        // repository now, which is what spawn would record today.
        let base = if t.base.is_empty() {
            git(&repo, &["symbolic-ref", "--quiet", "--short", "HEAD"]).map_err(|_| {
                CrewError::failure(format!(
                    "{name}'s record has no base branch and {} has none checked out",
                    show(&repo)
                ))
            })?
        } else {
            t.base.clone()
        };
        if !is_object_id(&base) && !valid_branch(&repo, &base) {
            return Err(CrewError::failure(format!(
                "{name}'s record names no valid base branch ({:?})",
                esc(&base)
            ))
            .into());
        }
        Ok(Work {
            name: a.name.clone(),
            pane: a.pane_id().to_string(),
            worktree,
            repo,
            branch: t.branch.clone(),
            base,
        })
    }

    /// The base as a branch: None when the agent started from a detached
    /// HEAD (the base is a commit id and no branch has that name).
    pub fn base_branch(&self) -> Option<&str> {
        let named = commit(&self.repo, &format!("refs/heads/{}", self.base)).is_some();
        (named || !is_object_id(&self.base)).then_some(self.base.as_str())
    }

    /// The commit the base is at now.
    fn base_commit(&self) -> Result<String> {
        commit(&self.repo, &format!("refs/heads/{}", self.base))
            .or_else(|| is_object_id(&self.base).then(|| commit(&self.repo, &self.base))?)
            .ok_or_else(|| {
                CrewError::failure(format!(
                    "{} started from {}, which is gone from {}",
                    esc(&self.name),
                    esc(&self.base),
                    show(&self.repo)
                ))
                .into()
            })
    }

    /// Where the agent's work left the base: its changes are counted from
    /// here, so what the base gained since is not shown as undone.
    fn fork_point(&self) -> Result<String> {
        let base = self.base_commit()?;
        git(&self.worktree, &["merge-base", &base, "HEAD"]).map_err(|e| {
            CrewError::failure(format!(
                "{}'s worktree shares no history with {}{}",
                esc(&self.name),
                esc(&self.base),
                if e.is_empty() {
                    String::new()
                } else {
                    format!(": {}", esc(&e))
                }
            ))
            .into()
        })
    }
}

/// A copy of the worktree's index with its untracked files marked
/// intent-to-add, so that one `git diff` shows them as new files (with
/// git's own stat, colour, renames and pager) while the agent's own index
/// is never written. Removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn scratch_index(wt: &Path) -> Result<Option<Scratch>> {
    let fail = |e: String| anyhow::anyhow!("could not read {}: {}", show(wt), esc(&e));
    let mut ls = git_cmd(wt);
    ls.args([
        "ls-files",
        "-z",
        "--others",
        "--exclude-standard",
        "--directory",
        "--no-empty-directory",
    ]);
    let untracked = out(ls).map_err(fail)?;
    if untracked.is_empty() {
        return Ok(None);
    }
    let index = wt.join(git(wt, &["rev-parse", "--git-path", "index"]).map_err(fail)?);
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    // Unique to this process and moment: created with O_EXCL, never an
    // existing file (or a link someone planted in a shared temp folder).
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let path = std::env::temp_dir().join(format!("crew-index-{}-{n}-{nanos}", std::process::id()));
    let scratch = Scratch(path.clone());
    // No index yet: git reads a missing file as an empty one.
    if let Ok(mut from) = std::fs::File::open(&index) {
        use std::os::unix::fs::OpenOptionsExt;
        let mut to = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .map_err(|e| anyhow::anyhow!("could not create {}: {e}", path.display()))?;
        std::io::copy(&mut from, &mut to)?;
    }
    // `.` rather than the list: a file the agent removes meanwhile is no
    // error, and the walk is git's own (ignored files stay out).
    let mut add = git_cmd(wt);
    add.args([
        "-c",
        "core.splitIndex=false",
        "add",
        "--intent-to-add",
        "--",
        ".",
    ])
    .env("GIT_INDEX_FILE", &path);
    out(add).map_err(fail)?;
    Ok(Some(scratch))
}

/// How `crew diff` prints.
#[derive(Debug, Clone, Copy, Default)]
pub struct Show {
    /// Only the summary (`--stat`).
    pub stat: bool,
    /// Some: colour or not; None: as git decides (a terminal, its config).
    pub color: Option<bool>,
    /// Let git page as it does (only when stdout is a terminal).
    pub pager: bool,
}

/// The agent's changes against where it left its base, committed or not,
/// new files included, straight from git onto this process's stdout.
pub fn diff(w: &Work, how: Show) -> Result<()> {
    use std::os::unix::process::ExitStatusExt;
    let from = w.fork_point()?;
    let scratch = scratch_index(&w.worktree)?;
    let mut c = git_cmd(&w.worktree);
    if !how.pager {
        c.arg("--no-pager");
    }
    c.arg("diff");
    if how.stat {
        c.arg("--stat");
    }
    match how.color {
        Some(true) => c.arg("--color=always"),
        Some(false) => c.arg("--color=never"),
        None => &mut c,
    };
    c.args([&from, "--"]);
    if let Some(s) = &scratch {
        c.env("GIT_INDEX_FILE", &s.0);
    }
    // Ctrl-C in the pager reaches the whole foreground group: git and its
    // pager decide what it means, and crew waits for them (as `system()`
    // does) so that the scratch index is removed. A handler, not SIG_IGN:
    // git gets the default disposition back on exec.
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGQUIT] {
        let _ = signal_hook::flag::register(sig, Default::default());
    }
    let st = c
        .status()
        .map_err(|e| anyhow::anyhow!("could not run git: {e}"))?;
    // `crew diff x | head`: git ends on SIGPIPE, which is no failure.
    if st.success() || st.signal() == Some(signal_hook::consts::SIGPIPE) {
        return Ok(());
    }
    if st.signal() == Some(signal_hook::consts::SIGINT) {
        return Err(CrewError::exit(130).into());
    }
    Err(CrewError::failure(format!("git diff failed in {}", show(&w.worktree))).into())
}

/// A change's size, as `git diff --shortstat` counts it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Size {
    pub files: u64,
    pub added: u64,
    pub removed: u64,
}

impl Size {
    /// `3 files +40 -2`, or `none`.
    pub fn text(&self) -> String {
        if *self == Size::default() {
            return "none".into();
        }
        let s = if self.files == 1 { "" } else { "s" };
        format!("{} file{s} +{} -{}", self.files, self.added, self.removed)
    }
}

/// ` 3 files changed, 40 insertions(+), 2 deletions(-)`; empty: none.
pub fn parse_shortstat(s: &str) -> Size {
    let mut z = Size::default();
    for part in s.split(',') {
        let mut words = part.split_whitespace();
        let (Some(n), Some(what)) = (words.next(), words.next()) else {
            continue;
        };
        let Ok(n) = n.parse::<u64>() else { continue };
        if what.starts_with("file") {
            z.files = n;
        } else if what.starts_with("insertion") {
            z.added = n;
        } else if what.starts_with("deletion") {
            z.removed = n;
        }
    }
    z
}

/// The size of what `diff` shows, for the dashboard.
pub fn size(w: &Work) -> Result<Size> {
    let from = w.fork_point()?;
    let scratch = scratch_index(&w.worktree)?;
    let mut c = git_cmd(&w.worktree);
    c.args(["diff", "--shortstat", &from, "--"]);
    if let Some(s) = &scratch {
        c.env("GIT_INDEX_FILE", &s.0);
    }
    let o = out(c).map_err(|e| anyhow::anyhow!("git diff: {}", esc(&e)))?;
    Ok(parse_shortstat(&String::from_utf8_lossy(&o)))
}

/// An agent's figure for the dashboard's CHANGES column: its size, `gone`
/// when its worktree's folder is, `?` when git cannot tell.
pub fn figure(a: &Agent) -> String {
    if !Path::new(&a.tags.worktree).is_dir() {
        return "gone".into();
    }
    Work::of(a, "diff")
        .and_then(|w| size(&w))
        .map_or_else(|_| "?".into(), |z| z.text())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortstat_parses_what_git_prints() {
        let s = parse_shortstat(" 3 files changed, 40 insertions(+), 2 deletions(-)\n");
        assert_eq!(
            s,
            Size {
                files: 3,
                added: 40,
                removed: 2
            }
        );
        assert_eq!(s.text(), "3 files +40 -2");
        let one = parse_shortstat(" 1 file changed, 1 insertion(+)");
        assert_eq!(one.text(), "1 file +1 -0");
        assert_eq!(
            parse_shortstat(" 1 file changed, 5 deletions(-)").removed,
            5
        );
        assert_eq!(parse_shortstat("").text(), "none");
        assert_eq!(parse_shortstat("garbage, x y").text(), "none");
    }

    #[test]
    fn object_ids() {
        assert!(is_object_id(&"a".repeat(40)));
        assert!(is_object_id(&"0".repeat(64)));
        assert!(!is_object_id("main"));
        assert!(!is_object_id(&"g".repeat(40)));
    }
}
