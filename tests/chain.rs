//! Chains longer than tmux's argv limit run as one `source-file -` and carry
//! every byte exactly: the quoting is checked by tmux itself, not by us.

mod common;
use common::*;
use crew::tmux::{Chain, Cmd, Socket, Tmux, ARGV_BUDGET};

#[test]
fn long_chain_round_trips_awkward_values_in_one_process() {
    let s = Server::new();
    s.user_session("x", 80, 24);
    std::env::set_var("TMUX_TMPDIR", s.path());
    std::env::remove_var("TMUX");
    let tmux = Tmux::new(Socket::Name(s.name.clone()), false);
    let awkward = [
        "tab\there",
        "line\nbreak",
        "ends with;",
        "ends \\;",
        "#{pane_id} ##",
        "$HOME ${X}",
        "~/not-home",
        "'single' \"double\"",
        "back\\slash",
        "{brace} }",
        "%if 1",
        "-flag",
        "emoji 🦀 漢字",
        "ctrl \u{1} \u{7f}",
        "",
        " lead and trail ",
    ];
    let mut chain = Chain::new();
    let mut values = Vec::new();
    for i in 0..60 {
        let v = format!("{}|{}|{}", awkward[i % awkward.len()], "p".repeat(300), i);
        chain.push(Cmd::new("set-buffer").args(["-b", &format!("t{i}"), "--", &v]));
        values.push(v);
    }
    assert!(chain.wire_len() > ARGV_BUDGET, "the chain must exceed argv");
    tmux.run(&chain).unwrap();
    for (i, v) in values.iter().enumerate() {
        let got = s
            .tmux_cmd(&["save-buffer", "-b", &format!("t{i}"), "-"])
            .output()
            .unwrap()
            .stdout;
        assert_eq!(String::from_utf8_lossy(&got), *v, "buffer t{i}");
    }
    // An error stops the chain and is reported, as in an argv chain.
    let mut bad = chain.clone();
    bad.push(Cmd::new("kill-pane").target("%999"));
    bad.push(Cmd::new("set-buffer").args(["-b", "after", "x"]));
    assert!(tmux.run(&bad).is_err());
    assert!(!s
        .tmux_cmd(&["save-buffer", "-b", "after", "-"])
        .output()
        .unwrap()
        .status
        .success());
}

/// Groups that make panes run their windows first and tag them after, in
/// one chain; when a window cannot be made, the windows made before it in
/// that chain (not tagged yet) are removed, and what finished stays.
#[test]
fn creating_groups_leave_nothing_half_made_when_a_chain_fails() {
    let s = Server::new();
    s.user_session("x", 80, 24);
    let tmux = Tmux::new(Socket::Path(s.socket_path()), false);
    let id = s.tmux(&["display-message", "-p", "-t", "x:", "#{session_id}"]);
    let id = id.trim();
    let group = |idx: u32, name: &str| {
        let t = format!("{id}:{idx}");
        vec![
            Cmd::new("new-window")
                .args(["-d", "-t", &t, "-n", name, "-P", "-F", "#{pane_id}"])
                .args(["sleep", "3600"]),
            Cmd::new("set-option").args(["-p", "-t", &t, "--", "remain-on-exit", "on"]),
            Cmd::new("set-option").args(["-p", "-t", &t, "--", "@crew-name", name]),
        ]
    };
    let windows = || s.tmux(&["list-windows", "-t", "x:", "-F", "#{window_name}"]);
    let tagged = || s.tmux(&["list-panes", "-s", "-t", "x:", "-F", "#{@crew-name}"]);

    // All made, then all tagged, in order.
    let out = tmux
        .run_paced_creating(
            &[group(1, "a"), group(2, "b")],
            &[true, true],
            "@crew-name",
            std::time::Duration::from_millis(100),
        )
        .unwrap();
    assert_eq!(out.lines().filter(|l| l.starts_with('%')).count(), 2);
    assert!(tagged().contains("a\nb"), "{}", tagged());

    // Index 2 is taken: c is made, d fails, and c (untagged) is removed.
    let before = windows();
    let err = tmux.run_paced_creating(
        &[group(3, "c"), group(2, "d"), group(4, "e")],
        &[true, true, true],
        "@crew-name",
        std::time::Duration::from_millis(100),
    );
    assert!(err.is_err());
    assert_eq!(windows(), before, "nothing of the failed chain stays");

    // A failure after the creating groups finished keeps what they made.
    let done = tmux.run_paced_creating(
        &[group(5, "f"), vec![Cmd::new("kill-pane").target("%999")]],
        &[true, false],
        "@crew-name",
        std::time::Duration::from_millis(100),
    );
    assert!(done.is_err());
    assert!(tagged().contains('f'), "{}", tagged());
}
