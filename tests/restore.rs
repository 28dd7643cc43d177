//! Restore after a reboot without having thought of it: every command that
//! changes the set of agents keeps a saved list under the XDG state folder,
//! and plain `crew recover` on a server that lost them brings them back, in
//! their conversations, once. Real tmux, `kill-server` as the reboot.

mod common;
use common::*;
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

/// The one file crew keeps for this server.
fn state_file(s: &Server) -> PathBuf {
    let dir = s.path().join("state/crew");
    let files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "one file, no leftovers: {files:?}");
    files[0].clone()
}

fn saved_names(s: &Server) -> Vec<Vec<String>> {
    let v: Value = serde_json::from_slice(&std::fs::read(state_file(s)).unwrap()).unwrap();
    v["servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|srv| {
            srv["agents"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["name"].as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

fn names(s: &Server) -> Vec<String> {
    s.ls()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_string())
        .collect()
}

const RESUMER: &str = r#"
[profiles.resumer]
extends = "shell"
command = ["sh"]
session_args = ["--session-id", "{session}"]
resume_args = ["--resume", "{session}"]
"#;

#[test]
fn plain_recover_brings_back_what_a_reboot_took_once() {
    let s = Server::new();
    let conf = s.path().join("config/crew");
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::write(conf.join("config.toml"), RESUMER).unwrap();
    s.ok(&[
        "spawn",
        "a",
        "-e",
        "K=v",
        "--restart",
        "on-failure",
        "--",
        "sleep 600",
    ]);
    s.ok(&[
        "spawn",
        "conv",
        "--profile",
        "resumer",
        "--",
        "sh",
        "-c",
        "sleep 600",
        "x",
    ]);
    s.ok(&["spawn", "t1", "--team", "feat/x", "--", "sleep 600"]);
    s.ok(&["spawn", "gone", "--", "sleep 600"]);
    s.ok(&["kill", "--force", "gone"]);
    s.ok(&["rename", "a", "api"]);
    let id = s.agent("conv").unwrap()["conversation_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(saved_names(&s), [vec!["api", "conv", "t1"]]);
    let file = state_file(&s);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{}", file.display());
    let dmode = std::fs::metadata(file.parent().unwrap())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(dmode, 0o700);

    // The reboot.
    s.tmux(&["kill-server"]);
    let plan = s.ok(&["recover", "--dry-run"]);
    assert!(
        plan.starts_with(&format!("from {}", file.display())),
        "{plan}"
    );
    for n in [
        "would re-create api",
        "would re-create conv",
        "would re-create t1",
    ] {
        assert!(plan.contains(n), "{plan}");
    }
    assert!(
        !plan.contains("re-create gone"),
        "killed on purpose stays gone: {plan}"
    );
    assert!(s.ls().is_empty(), "a dry run creates nothing");

    let out = s.ok(&["recover"]);
    assert!(
        out.contains("from ") && out.contains("re-created api"),
        "{out}"
    );
    assert!(
        out.contains(&format!("resuming conversation {id}")),
        "{out}"
    );
    assert_eq!(names(&s), ["api", "conv", "t1"]);
    let api = s.agent("api").unwrap();
    assert_eq!(api["env"], serde_json::json!(["K=v"]));
    assert_eq!(api["restart"], "on-failure");
    assert_eq!(s.agent("t1").unwrap()["session"], "feat-x");
    // The list is this server's now; nothing is restored twice.
    assert_eq!(saved_names(&s), [vec!["api", "conv", "t1"]]);
    assert_eq!(s.ok(&["recover"]), "nothing to recover\n");
    assert_eq!(names(&s), ["api", "conv", "t1"]);
}

#[test]
fn a_new_agent_before_recover_keeps_the_lost_ones_and_kill_all_forgets() {
    let s = Server::new();
    s.ok(&["spawn", "old1", "old2", "--", "sleep 600"]);
    s.tmux(&["kill-server"]);
    // A spawn on the new server first: the lost list stays beside it.
    s.ok(&["spawn", "fresh", "--", "sleep 600"]);
    assert_eq!(saved_names(&s), [vec!["old1", "old2"], vec!["fresh"]]);
    let out = s.ok(&["recover", "--json"]);
    let actions: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(actions[0]["action"], "from", "{out}");
    assert_eq!(names(&s), ["fresh", "old1", "old2"]);
    assert_eq!(saved_names(&s), [vec!["fresh", "old1", "old2"]]);
    // Killed on purpose: not brought back after the next reboot.
    s.ok(&["kill", "--all", "--force"]);
    s.tmux(&["kill-server"]);
    assert_eq!(s.ok(&["recover"]), "nothing to recover\n");
}

#[test]
fn an_old_process_still_running_is_reported_not_doubled() {
    let s = Server::new();
    s.spawn_tough_and_meek();
    s.tmux(&["kill-server"]);
    let o = s.crew(&["recover"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("skipped tough: its process from before still runs (pid "),
        "{err}"
    );
    assert_eq!(names(&s), ["meek"]);
    // End the survivor we started, by its pid.
    let pid = old_pid(&err);
    kill_pid(pid);
    // Once it is gone, the next recover brings it back.
    s.eventually("the old process ended", 10, || {
        !std::path::Path::new(&format!("/proc/{pid}")).exists()
            || std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .is_ok_and(|t| t.contains(") Z "))
    });
    let out = s.ok(&["recover"]);
    assert!(out.contains("re-created tough"), "{out}");
}

#[test]
fn save_false_keeps_no_file_and_a_damaged_file_changes_nothing() {
    let s = Server::new();
    let conf = s.path().join("config/crew");
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::write(conf.join("config.toml"), "save = false\n").unwrap();
    s.ok(&["spawn", "x", "--", "sleep 600"]);
    assert!(!s.path().join("state/crew").exists());
    std::fs::write(conf.join("config.toml"), "").unwrap();
    s.ok(&["spawn", "y", "--", "sleep 600"]);
    let file = state_file(&s);
    std::fs::write(&file, "{ not json").unwrap();
    s.tmux(&["kill-server"]);
    let o = s.crew(&["recover"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("is not a list crew saved"),
        "{}",
        stderr(&o)
    );
    assert!(s.ls().is_empty());
    // The next change writes it whole again.
    s.ok(&["spawn", "z", "--", "sleep 600"]);
    assert_eq!(saved_names(&s), [vec!["z"]]);
}
