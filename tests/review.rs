//! `crew diff` and `crew merge` on real tmux (a private server per test)
//! and real git repositories in temporary folders: what an agent did in
//! its worktree, and its branch brought home — or, refused, nothing changed.

mod common;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

fn crew(s: &Server, args: &[&str]) -> Output {
    git_env(&mut s.cmd(args)).output().unwrap()
}

fn crew_ok(s: &Server, args: &[&str]) -> String {
    let o = crew(s, args);
    assert!(
        o.status.success(),
        "crew {args:?} failed ({:?}): {}",
        o.status.code(),
        stderr(&o)
    );
    stdout(&o)
}

/// crew refusing with exit 1 and saying `what`; its stderr.
fn refused(s: &Server, args: &[&str], what: &str) -> String {
    let o = crew(s, args);
    let err = stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "crew {args:?}: {err}{}",
        stdout(&o)
    );
    assert!(
        err.contains(what),
        "crew {args:?} should say {what:?}: {err}"
    );
    err
}

/// A repository `dir` under the server's folder, on `main`, one commit.
fn repo_named(s: &Server, dir: &str) -> PathBuf {
    let r = s.path().join(dir);
    std::fs::create_dir_all(&r).unwrap();
    git(&r, &["init", "-q", "-b", "main"]);
    std::fs::write(r.join("a.txt"), "one\ntwo\nthree\n").unwrap();
    std::fs::write(r.join("README"), "hi\n").unwrap();
    std::fs::write(r.join(".gitignore"), "*.log\n").unwrap();
    git(&r, &["add", "."]);
    git(&r, &["commit", "-q", "-m", "init"]);
    r.canonicalize().unwrap()
}

fn repo(s: &Server) -> PathBuf {
    repo_named(s, "app")
}

/// An agent that sleeps, in a worktree of `r` (on `branch` if given).
fn spawn_in(s: &Server, r: &Path, name: &str, branch: Option<&str>) -> PathBuf {
    let wt = match branch {
        Some(b) => format!("--worktree={b}"),
        None => "--worktree".into(),
    };
    crew_ok(
        s,
        &[
            "spawn",
            name,
            "-c",
            r.to_str().unwrap(),
            &wt,
            "--",
            "sh",
            "-c",
            "while :; do sleep 1; done",
        ],
    );
    let dir = r.file_name().unwrap().to_string_lossy().into_owned();
    r.with_file_name(format!("{dir}.worktrees")).join(name)
}

fn commit_file(dir: &Path, file: &str, text: &str, msg: &str) {
    std::fs::write(dir.join(file), text).unwrap();
    git(dir, &["add", "--", file]);
    git(dir, &["commit", "-q", "-m", msg]);
}

/// Everything a refused merge must leave as it was: both checkouts'
/// status, HEADs, every ref, an operation under way, the files.
fn state(r: &Path, wt: &Path) -> String {
    let mut out = String::new();
    for d in [r, wt] {
        out.push_str(&git(d, &["status", "--porcelain", "--branch"]));
        out.push_str(&git(d, &["rev-parse", "HEAD"]));
        for mark in ["MERGE_HEAD", "rebase-merge", "rebase-apply"] {
            let p = git(d, &["rev-parse", "--git-path", mark]);
            out.push_str(&format!("{mark}:{}\n", d.join(p.trim()).exists()));
        }
        out.push_str(&std::fs::read_to_string(d.join("a.txt")).unwrap_or_default());
    }
    out.push_str(&git(
        r,
        &["for-each-ref", "--format=%(refname) %(objectname)"],
    ));
    out
}

#[test]
fn diff_shows_committed_uncommitted_and_new_files_and_touches_nothing() {
    let s = Server::new();
    let r = repo(&s);
    let wt = spawn_in(&s, &r, "w", None);
    // The base moves on after the spawn: not the agent's change, not shown.
    commit_file(&r, "later.txt", "on main later\n", "main moves on");
    commit_file(
        &wt,
        "a.txt",
        "one\ntwo\nthree\ncommitted-line\n",
        "agent commit",
    );
    std::fs::write(wt.join("README"), "hi\nuncommitted-line\n").unwrap();
    std::fs::write(wt.join("new *.txt"), "untracked-line\n").unwrap();
    std::fs::create_dir_all(wt.join("sub")).unwrap();
    std::fs::write(wt.join("sub/deep.txt"), "deep-line\n").unwrap();
    std::fs::write(wt.join("ignored.log"), "ignored-line\n").unwrap();
    let index = PathBuf::from(git(&wt, &["rev-parse", "--git-path", "index"]).trim());
    let index = wt.join(index);
    let index_before = std::fs::read(&index).unwrap();
    let status_before = git(&wt, &["status", "--porcelain"]);

    let out = crew_ok(&s, &["diff", "w"]);
    for want in [
        "+committed-line",
        "+uncommitted-line",
        "+untracked-line",
        "+deep-line",
        "new file mode",
        "b/new *.txt",
    ] {
        assert!(out.contains(want), "diff lacks {want:?}:\n{out}");
    }
    assert!(
        !out.contains("on main later"),
        "the base's own change shown:\n{out}"
    );
    assert!(
        !out.contains("ignored-line"),
        "an ignored file shown:\n{out}"
    );
    assert!(!out.contains('\x1b'), "no colour off a terminal:\n{out}");

    let stat = crew_ok(&s, &["diff", "w", "--stat"]);
    assert!(stat.contains("4 files changed, 4 insertions(+)"), "{stat}");
    assert!(
        stat.contains("sub/deep.txt") && !stat.contains("+deep-line"),
        "{stat}"
    );
    let colored = crew_ok(&s, &["--color=always", "diff", "w", "--no-pager"]);
    assert!(colored.contains("\x1b["), "--color always: {colored:?}");
    let plain = stdout(
        &git_env(&mut s.cmd(&["--color=always", "diff", "w"]))
            .output()
            .unwrap(),
    );
    assert!(plain.contains("\x1b["));
    let never = crew_ok(&s, &["--color=never", "diff", "w"]);
    assert_eq!(never, out);

    // Read only: the agent's index and status are as they were, and no
    // scratch index is left behind.
    assert_eq!(
        std::fs::read(&index).unwrap(),
        index_before,
        "index written"
    );
    assert_eq!(git(&wt, &["status", "--porcelain"]), status_before);
    let left: Vec<_> = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!("crew-index-{}-", std::process::id()))
        })
        .collect();
    assert!(left.is_empty());
}

#[test]
fn diff_pages_like_git_on_a_terminal() {
    let s = Server::new();
    let r = repo(&s);
    let wt = spawn_in(&s, &r, "w", None);
    commit_file(&wt, "a.txt", "changed\n", "agent commit");
    // On a terminal git pipes into GIT_PAGER; --no-pager prints straight.
    let script = s.script(
        "run.sh",
        &format!(
            "#!/bin/sh\nexport GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null\nGIT_PAGER='sed s/^/PAGED:/' {crew} -L {sock} diff w --stat\nGIT_PAGER='sed s/^/PAGED:/' {crew} -L {sock} diff w --stat --no-pager\necho finished\nexec sleep 600\n",
            crew = crew_bin().display(),
            sock = s.name
        ),
    );
    let pane = s.session_running("term", 120, 30, &[script.to_str().unwrap()]);
    let mut screen = String::new();
    s.eventually("both diffs on the terminal", 30, || {
        screen = s.tmux(&["capture-pane", "-p", "-t", &pane]);
        screen.contains("finished")
    });
    let paged = screen
        .lines()
        .filter(|l| l.starts_with("PAGED: a.txt"))
        .count();
    let straight = screen.lines().filter(|l| l.starts_with(" a.txt")).count();
    assert_eq!((paged, straight), (1, 1), "{screen}");
}

#[test]
fn diff_and_merge_refuse_clearly() {
    let s = Server::new();
    let r = repo(&s);
    let wt = spawn_in(&s, &r, "worker", None);
    crew_ok(&s, &["spawn", "plain", "--", "sh", "-c", "sleep 600"]);
    // Unknown: exit 3, with the nearest name.
    let o = crew(&s, &["diff", "wroker"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("did you mean worker?"),
        "{}",
        stderr(&o)
    );
    let o = crew(&s, &["merge", "wroker"]);
    assert_eq!(o.status.code(), Some(3));
    // A glob or a flag-like word is no name: usage.
    assert_eq!(crew(&s, &["diff", "w*"]).status.code(), Some(2));
    assert_eq!(crew(&s, &["merge", "--", "-x"]).status.code(), Some(2));
    // No worktree.
    let e = refused(
        &s,
        &["diff", "plain"],
        "plain has no worktree; crew diff needs an agent spawned with --worktree",
    );
    assert!(e.contains("hint:"), "{e}");
    refused(
        &s,
        &["merge", "plain"],
        "plain has no worktree; crew merge needs",
    );
    // The worktree's folder removed behind crew's back.
    std::fs::remove_dir_all(&wt).unwrap();
    refused(&s, &["diff", "worker"], "worktree");
    let e = refused(&s, &["merge", "worker"], "is gone");
    assert!(e.contains(&wt.display().to_string()), "{e}");
    assert!(s.agent("worker").is_some() && s.agent("plain").is_some());
}

#[test]
fn merge_brings_the_branch_home() {
    let s = Server::new();
    let r = repo(&s);
    let wt = spawn_in(&s, &r, "w", None);
    commit_file(&wt, "a.txt", "one\ntwo\nthree\nfour\n", "four");
    commit_file(&wt, "b.txt", "b\n", "b");
    let tip = git(&wt, &["rev-parse", "HEAD"]);
    let out = crew_ok(&s, &["merge", "w"]);
    assert_eq!(
        out,
        "merged w (crew/w into main, 2 commits, fast-forward)\n"
    );
    assert_eq!(git(&r, &["rev-parse", "main"]), tip);
    assert_eq!(std::fs::read_to_string(r.join("b.txt")).unwrap(), "b\n");
    assert_eq!(git(&r, &["status", "--porcelain"]), "");
    // Nothing new: said, nothing done.
    let again = crew_ok(&s, &["merge", "w"]);
    assert!(again.contains("already there, 0 commits"), "{again}");
    assert_eq!(git(&r, &["rev-parse", "main"]), tip);

    // Both moved on (other files): a merge commit, by the branch's name.
    commit_file(&r, "main.txt", "m\n", "main work");
    commit_file(&wt, "c.txt", "c\n", "c");
    let out = crew_ok(&s, &["merge", "w", "--json"]);
    let v: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(v.len(), 1, "{out}");
    assert_eq!(v[0]["action"], "merged");
    assert_eq!(v[0]["name"], "w");
    assert_eq!(v[0]["pane_id"], s.pane_of("w").as_str());
    assert_eq!(v[0]["detail"], "crew/w into main, 1 commit");
    assert_eq!(
        git(&r, &["log", "-1", "--format=%p"])
            .split_whitespace()
            .count(),
        2,
        "a merge commit has two parents"
    );
    assert!(git(&r, &["log", "-1", "--format=%s"]).starts_with("Merge branch 'crew/w'"));
    git(&r, &["merge-base", "--is-ancestor", "crew/w", "main"]);
    assert!(r.join("c.txt").exists() && r.join("main.txt").exists());
    // The agent's worktree is as the agent left it.
    assert_eq!(git(&wt, &["status", "--porcelain"]), "");
    assert!(!wt.join("main.txt").exists());
}

#[test]
fn merge_refusals_change_nothing() {
    let s = Server::new();
    let r = repo(&s);
    let wt = spawn_in(&s, &r, "w", None);
    // The same line changed on both sides: a conflict.
    commit_file(&wt, "a.txt", "one\nAGENT\nthree\n", "agent edit");
    commit_file(&r, "a.txt", "one\nMAIN\nthree\n", "main edit");
    let before = state(&r, &wt);
    let e = refused(&s, &["merge", "w"], "conflicts in a.txt");
    assert!(
        e.contains("nothing was merged (the merge was undone)"),
        "{e}"
    );
    assert_eq!(state(&r, &wt), before, "a conflicting merge left traces");
    let e = refused(&s, &["merge", "w", "--rebase"], "conflicts in a.txt");
    assert!(e.contains("the rebase was undone"), "{e}");
    assert_eq!(state(&r, &wt), before, "a conflicting rebase left traces");
    refused(
        &s,
        &["merge", "w", "--ff-only"],
        "Not possible to fast-forward",
    );
    assert_eq!(state(&r, &wt), before);

    // Put the agent's work where it does not conflict.
    git(&wt, &["reset", "-q", "--hard", "HEAD~1"]);
    commit_file(&wt, "agent.txt", "x\n", "agent work");
    // The target checkout has uncommitted changes.
    std::fs::write(r.join("README"), "hi\nlocal edit\n").unwrap();
    let before = state(&r, &wt);
    let e = refused(&s, &["merge", "w"], "has uncommitted changes");
    assert!(
        e.contains("README") && e.contains("where main is checked out"),
        "{e}"
    );
    assert_eq!(state(&r, &wt), before);
    git(&r, &["checkout", "-q", "--", "README"]);

    // The agent has work it did not commit (a new file counts).
    std::fs::write(wt.join("draft.txt"), "draft\n").unwrap();
    let before = state(&r, &wt);
    let e = refused(
        &s,
        &["merge", "w", "--kill"],
        "has uncommitted work in its worktree",
    );
    assert!(
        e.contains("draft.txt") && e.contains("nothing was merged"),
        "{e}"
    );
    assert_eq!(state(&r, &wt), before);
    assert!(s.agent("w").is_some(), "--kill killed after a refusal");
    std::fs::remove_file(wt.join("draft.txt")).unwrap();

    // The base is not checked out anywhere.
    git(&r, &["switch", "-q", "-c", "elsewhere"]);
    let before = state(&r, &wt);
    refused(&s, &["merge", "w"], "main is not checked out");
    assert_eq!(state(&r, &wt), before);
    git(&r, &["switch", "-q", "main"]);

    // The worktree left its branch, then the branch went.
    git(&wt, &["switch", "-q", "--detach"]);
    let before = state(&r, &wt);
    refused(&s, &["merge", "w"], "not on its branch crew/w");
    assert_eq!(state(&r, &wt), before);
    git(&r, &["branch", "-q", "-D", "crew/w"]);
    let before = state(&r, &wt);
    refused(&s, &["merge", "w"], "branch crew/w is gone");
    assert_eq!(state(&r, &wt), before);
    assert!(s.agent("w").is_some());
}

#[test]
fn merge_rebase_makes_a_straight_history() {
    let s = Server::new();
    let r = repo(&s);
    let wt = spawn_in(&s, &r, "w", None);
    commit_file(&wt, "x.txt", "x\n", "agent x");
    commit_file(&wt, "y.txt", "y\n", "agent y");
    commit_file(&r, "m.txt", "m\n", "main moved");
    let out = crew_ok(&s, &["merge", "w", "--rebase"]);
    assert_eq!(out, "merged w (crew/w rebased onto main, 2 commits)\n");
    assert_eq!(
        git(&r, &["rev-list", "--merges", "main"]),
        "",
        "no merge commit"
    );
    assert_eq!(
        git(&r, &["rev-parse", "main"]),
        git(&r, &["rev-parse", "crew/w"])
    );
    assert_eq!(
        git(&wt, &["rev-parse", "HEAD"]),
        git(&r, &["rev-parse", "main"])
    );
    assert_eq!(
        git(&r, &["log", "--format=%s", "main"]),
        "agent y\nagent x\nmain moved\ninit\n"
    );
    // The agent's worktree has the base's work now, and nothing pending.
    assert!(wt.join("m.txt").exists());
    assert_eq!(git(&wt, &["status", "--porcelain"]), "");
}

/// The names in crew's saved list of agents (what `recover` brings back).
fn saved(s: &Server) -> Vec<String> {
    let dir = s.path().join("state/crew");
    let mut names = vec![];
    for f in std::fs::read_dir(&dir).unwrap().flatten() {
        let v: Value = serde_json::from_slice(&std::fs::read(f.path()).unwrap()).unwrap();
        for srv in v["servers"].as_array().unwrap() {
            for a in srv["agents"].as_array().unwrap() {
                names.push(a["name"].as_str().unwrap().to_string());
            }
        }
    }
    names
}

#[test]
fn merge_kill_ends_the_agent_and_removes_its_worktree_and_branch() {
    let s = Server::new();
    let r = repo(&s);
    let wt = spawn_in(&s, &r, "w", None);
    commit_file(&wt, "done.txt", "done\n", "the work");
    let pane = s.pane_of("w");
    assert!(saved(&s).contains(&"w".to_string()), "spawn saves the list");
    let out = crew_ok(&s, &["merge", "w", "--kill", "--json"]);
    let v: Vec<Value> = serde_json::from_str(&out).unwrap();
    let actions: Vec<&str> = v.iter().map(|d| d["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        ["merged", "killed", "removed worktree of"],
        "{out}"
    );
    assert!(v.iter().all(|d| d["pane_id"] == pane.as_str()), "{out}");
    assert!(s.agent("w").is_none());
    assert!(
        !saved(&s).contains(&"w".to_string()),
        "the saved list kept it"
    );
    assert!(!wt.exists());
    assert!(!git(&r, &["branch"]).contains("crew/w"));
    assert_eq!(
        std::fs::read_to_string(r.join("done.txt")).unwrap(),
        "done\n"
    );

    // A branch crew did not make is kept (kill --rm-worktree's own rule).
    git(&r, &["branch", "feat"]);
    let wt2 = spawn_in(&s, &r, "f", Some("feat"));
    commit_file(&wt2, "f.txt", "f\n", "feature");
    let out = crew_ok(&s, &["merge", "f", "--kill"]);
    assert!(
        out.starts_with("merged f (feat into main, 1 commit, fast-forward)\nkilled f (%"),
        "{out}"
    );
    assert!(out.contains("removed worktree"), "{out}");
    assert!(!wt2.exists() && s.agent("f").is_none());
    assert!(git(&r, &["branch"]).contains("feat"));
}

#[test]
fn merge_happens_where_the_base_is_checked_out_and_not_from_a_detached_head() {
    let s = Server::new();
    let r = repo(&s);
    let wt = spawn_in(&s, &r, "w", None);
    commit_file(&wt, "w.txt", "w\n", "agent work");
    // The repository moved to another branch; main is checked out in a
    // worktree of its own: the merge happens there.
    git(&r, &["switch", "-q", "-c", "other"]);
    let elsewhere = s.path().join("main-checkout");
    git(
        &r,
        &["worktree", "add", "-q", elsewhere.to_str().unwrap(), "main"],
    );
    let out = crew_ok(&s, &["merge", "w"]);
    assert!(
        out.starts_with("merged w (crew/w into main, 1 commit"),
        "{out}"
    );
    assert!(elsewhere.join("w.txt").exists() && !r.join("w.txt").exists());
    assert_eq!(git(&r, &["rev-parse", "--abbrev-ref", "HEAD"]), "other\n");

    // Spawned from a detached HEAD: diff works against that commit, merge
    // has no branch to merge into and says so.
    git(&r, &["switch", "-q", "--detach", "main"]);
    let wd = spawn_in(&s, &r, "d", None);
    commit_file(&wd, "d.txt", "detached-base work\n", "d work");
    assert!(crew_ok(&s, &["diff", "d"]).contains("+detached-base work"));
    let before = state(&r, &wd);
    refused(&s, &["merge", "d"], "started from a detached HEAD");
    assert_eq!(state(&r, &wd), before);
}

/// Names and paths are outside text: a repository whose path and a branch
/// whose name carry tmux formats and shell syntax go through diff, merge
/// and the kill (and a refusal shown by tmux, as from a key binding) as
/// text, never run.
#[test]
fn hostile_paths_and_branches_stay_text() {
    let s = Server::new();
    let mark = s.path().join("pwned");
    let r = repo_named(&s, "app#(touch pwned);x $(touch pwned)");
    let branch = "h#(touch${IFS}pwned);y";
    let wt = spawn_in(&s, &r, "w", Some(branch));
    commit_file(&wt, "a.txt", "hostile but fine\n", "work");
    let out = crew_ok(&s, &["diff", "w"]);
    assert!(out.contains("+hostile but fine"), "{out}");
    // A refusal shown by tmux, as from a key binding: `#` doubled.
    std::fs::write(r.join("README"), "dirty\n").unwrap();
    let mut c = s.cmd(&["merge", "w"]);
    let tmux_env = format!("{},1,0", s.socket_path().display());
    let o = git_env(c.env("TMUX", tmux_env).env_remove("TMUX_PANE"))
        .current_dir(s.path())
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "under run-shell errors go to tmux"
    );
    git(&r, &["checkout", "-q", "--", "README"]);
    let out = crew_ok(&s, &["merge", "w", "--kill"]);
    assert!(
        out.contains(&format!("merged w ({branch} into main, 1 commit")),
        "{out}"
    );
    assert!(s.agent("w").is_none() && !wt.exists());
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        !mark.exists()
            && !r.join("pwned").exists()
            && !s
                .path()
                .join("app#(touch pwned);x $(touch pwned)")
                .join("pwned")
                .exists()
    );
    let cwd_mark = std::env::current_dir().unwrap().join("pwned");
    assert!(!cwd_mark.exists());
}
