//! crew speaks tmux's client protocol on the socket instead of starting a
//! `tmux` client per call. Every answer must be the one the real client
//! gives: each case runs both ways against the same real server and
//! compares bytes and errors.

mod common;
use common::*;
use crew::tmux::{Chain, Cmd, Socket, Tmux, TmuxError};
use std::io::{Read, Write};
use std::os::unix::net::UnixListener;

fn both(s: &Server) -> (Tmux, Tmux) {
    let t = Tmux::new(Socket::Path(s.socket_path()), false);
    (
        t.clone().with_client_process(false),
        t.with_client_process(true),
    )
}

fn chain(words: &[&[&str]]) -> Chain {
    let mut c = Chain::new();
    for w in words {
        c.push(Cmd::new(w[0]).args(w[1..].iter().copied()));
    }
    c
}

#[test]
fn answers_are_the_real_clients_byte_for_byte() {
    let s = Server::new();
    let pane = s.user_session("w", 120, 40);
    // Output far beyond one protocol message (16 KiB), with tabs, UTF-8 and
    // a title full of awkward bytes.
    s.tmux(&[
        "send-keys",
        "-t",
        &pane,
        "-l",
        "printf '\\033]2;t\\ti#tle 漢字\\033\\\\'; for i in $(seq 3000); do printf 'line %s\\t🦀 %s\\n' $i $i; done\n",
    ]);
    s.eventually("the output is there", 10, || {
        s.tmux(&["capture-pane", "-p", "-t", &pane])
            .contains("line 3000")
    });
    let (wire, client) = both(&s);
    let cases = [
        chain(&[&["display-message", "-p", "#{version} #{pane_title}"]]),
        chain(&[&[
            "list-panes",
            "-a",
            "-F",
            "#{pane_id}\t#{pane_title}\t#{window_name}",
        ]]),
        chain(&[&["capture-pane", "-p", "-J", "-S", "-", "-t", &pane]]),
        chain(&[
            &["capture-pane", "-p", "-t", &pane],
            &["display-message", "-p", "between"],
            &["capture-pane", "-p", "-e", "-t", &pane],
        ]),
        chain(&[&["show-options", "-g"]]),
    ];
    for c in &cases {
        let a = wire.run(c).unwrap();
        let b = client.run(c).unwrap();
        assert!(!a.is_empty(), "{c:?}");
        assert_eq!(a, b, "{c:?}");
    }
    let history = wire.run(&cases[2]).unwrap();
    assert!(history.len() > 2 * 16 * 1024, "{} bytes", history.len());
}

#[test]
fn errors_are_the_real_clients() {
    let s = Server::new();
    s.user_session("w", 80, 24);
    let (wire, client) = both(&s);
    let cases = [
        chain(&[&["capture-pane", "-p", "-t", "%999"]]),
        chain(&[&["no-such-command"]]),
        chain(&[&["set-option", "-g", "no-such-option", "1"]]),
        // The error stops the chain: nothing after it runs.
        chain(&[
            &["set-buffer", "-b", "before", "x"],
            &["kill-pane", "-t", "%999"],
            &["set-buffer", "-b", "after", "x"],
        ]),
    ];
    // A NUL inside an argument must not split it into two (tmux packs argv
    // NUL-separated): "-b x y" would name a buffer and set another's value.
    let nul = chain(&[&["set-buffer", "-b", "nul", "a\0-b\0evil"]]);
    let a = wire.run(&nul).unwrap_err();
    assert_eq!(a, client.run(&nul).unwrap_err());
    assert!(format!("{a}").contains("nul byte"), "{a}");
    for c in &cases {
        let a = wire.run(c).unwrap_err();
        let b = client.run(c).unwrap_err();
        assert_eq!(a, b, "{c:?}");
    }
    assert!(matches!(
        wire.run(&cases[0]).unwrap_err(),
        TmuxError::Gone(_)
    ));
    let buffers = s.tmux(&["list-buffers", "-F", "#{buffer_name}"]);
    assert!(
        buffers.contains("before") && !buffers.contains("after"),
        "{buffers}"
    );
}

#[test]
fn stdin_reaches_the_server_whole() {
    let s = Server::new();
    s.user_session("w", 80, 24);
    let (wire, _) = both(&s);
    // 1 MB of every byte value but NUL, over many protocol messages.
    let data: Vec<u8> = (0..1_000_000u32).map(|i| (i % 255 + 1) as u8).collect();
    wire.run_with_stdin(&chain(&[&["load-buffer", "-b", "big", "-"]]), &data)
        .unwrap();
    let out = s
        .tmux_cmd(&["save-buffer", "-b", "big", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout.len(), data.len());
    assert!(out.stdout == data, "the buffer differs from what was sent");
    // A chain too long for one message goes as `source-file -`.
    let mut long = Chain::new();
    for i in 0..400 {
        long.push(Cmd::new("set-buffer").args(["-b", &format!("b{i}"), &"v".repeat(60)]));
    }
    wire.run(&long).unwrap();
    let n = s
        .tmux(&["list-buffers", "-F", "#{buffer_name}"])
        .lines()
        .count();
    assert_eq!(n, 401);
}

#[test]
fn no_tmux_client_process_is_started() {
    // With no `tmux` on PATH, a running server still answers: crew talks to
    // its socket itself.
    let s = Server::new();
    s.user_session("w", 80, 24);
    s.ok(&["spawn", "a", "--", "sh"]);
    let empty = tempfile::tempdir().unwrap();
    let o = s
        .cmd(&["ls", "--json"])
        .env("PATH", empty.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("\"name\": \"a\""), "{}", stdout(&o));
    s.ok(&["send", "a", "echo hi"]);
    // With CREW_TMUX_CLIENT=1 it needs the client, and says so.
    let o = s
        .cmd(&["ls"])
        .env("PATH", empty.path())
        .env("CREW_TMUX_CLIENT", "1")
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(stderr(&o).contains("tmux not found"), "{}", stderr(&o));
}

#[test]
fn no_server_and_strangers_on_the_socket() {
    tmux_under_test();
    let dir = tempfile::tempdir().unwrap();
    // Nobody listens: the real client says so, as before.
    let none = Tmux::new(Socket::Path(dir.path().join("none")), false);
    let c = chain(&[&["list-sessions"]]);
    assert_eq!(none.run(&c).unwrap_err(), TmuxError::NoServer);
    // A server of another protocol version answers MSG_VERSION: crew hands
    // over to the real client, whose own message names the mismatch.
    let path = dir.path().join("old");
    let listener = UnixListener::bind(&path).unwrap();
    // Like tmux: answer at once, then read whatever the client still sends
    // until it hangs up (closing on unread data would reset the connection).
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            std::thread::spawn(move || {
                let mut m = Vec::new();
                m.extend_from_slice(&12u32.to_ne_bytes()); // MSG_VERSION
                m.extend_from_slice(&16u16.to_ne_bytes());
                m.extend_from_slice(&0u16.to_ne_bytes());
                m.extend_from_slice(&7u32.to_ne_bytes()); // protocol 7
                m.extend_from_slice(&1u32.to_ne_bytes());
                let _ = conn.write_all(&m);
                let mut sink = Vec::new();
                let _ = conn.read_to_end(&mut sink);
            });
        }
    });
    let old = Tmux::new(Socket::Path(path), false);
    let e = old.run(&c).unwrap_err();
    assert!(
        format!("{e}").contains("protocol version mismatch"),
        "{e:?}"
    );
}
