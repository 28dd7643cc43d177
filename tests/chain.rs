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
