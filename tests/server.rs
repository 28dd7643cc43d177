//! The server under crew, on every tmux release: messages that fit each
//! release's limits, a socket checked before a byte goes to it, and a server
//! that dies while crew uses it reported, never quietly replaced.

mod common;
use common::*;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixListener;

/// More agents than 3.7's 1000 arguments allow in one message for a chain
/// of their commands (a send is several commands each), yet small enough
/// in bytes that a byte budget alone would send each chain whole.
const MANY: usize = 260;

#[test]
fn chains_of_many_agents_fit_every_release() {
    let s = Server::new();
    s.user_session("w", 120, 40);
    let names: Vec<String> = (0..MANY).map(|i| format!("a{i}")).collect();
    let mut args: Vec<&str> = vec!["spawn"];
    args.extend(names.iter().map(String::as_str));
    args.extend(["--", "cat"]);
    let out = s.ok(&args);
    assert_eq!(out.lines().count(), MANY, "{out}");
    assert_eq!(s.ls().len(), MANY);

    // One message to every agent, whole: each screen shows it once.
    s.ok(&["send", "--all", "--no-enter", "hello-all"]);
    let screens = s.ok(&["ls", "--wide", "--json"]);
    let v: Vec<serde_json::Value> = serde_json::from_str(&screens).unwrap();
    s.eventually("every agent shows the text", 20, || {
        let v: Vec<serde_json::Value> =
            serde_json::from_str(&s.ok(&["ls", "--wide", "--json"])).unwrap();
        v.iter()
            .filter(|a| {
                a["last_line"]
                    .as_str()
                    .is_some_and(|l| l.contains("hello-all"))
            })
            .count()
            == MANY
    });
    assert_eq!(v.len(), MANY);

    // Stranded in the user's session (a2, a20…a29, a200…a259), then
    // parked again by `recover`.
    let stranded: Vec<serde_json::Value> = s
        .ls()
        .into_iter()
        .filter(|a| a["name"].as_str().unwrap().starts_with("a2"))
        .collect();
    let mut argv: Vec<String> = vec![];
    for a in &stranded {
        if !argv.is_empty() {
            argv.push(";".into());
        }
        let w = a["window_id"].as_str().unwrap();
        argv.extend(["move-window", "-d", "-s", w, "-t", "w:"].map(String::from));
    }
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    s.tmux(&argv);
    assert!(s
        .ls()
        .iter()
        .filter(|a| a["name"].as_str().unwrap().starts_with("a2"))
        .all(|a| a["where"] == "elsewhere"));
    let out = s.ok(&["recover"]);
    assert_eq!(
        out.lines().filter(|l| l.starts_with("parked a2")).count(),
        stranded.len(),
        "{out}"
    );
    assert!(s.ls().iter().all(|a| a["where"] == "parked"));

    // Saved and brought back with every tag, then all killed.
    let saved = s.path().join("saved.json");
    std::fs::write(&saved, s.ok(&["ls", "--json"])).unwrap();
    let o = s.crew(&["kill", "--all"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(s.ls().len(), 0);
    let out = s.ok(&["recover", "--from", saved.to_str().unwrap()]);
    assert_eq!(out.lines().count(), MANY, "{out}");
    assert_eq!(s.ls().len(), MANY);

    // Queued for every agent in one command. Read back from tmux itself:
    // any crew status read would start delivering them.
    let out = s.ok(&["send", "--queue", "a*", "queued-msg"]);
    assert_eq!(out.lines().count(), MANY, "{out}");
    let queues = s.tmux(&["list-panes", "-a", "-F", "#{@crew-name} #{@crew-queue}"]);
    assert_eq!(
        queues
            .lines()
            .filter(|l| l.starts_with('a') && l.len() > l.find(' ').unwrap() + 1)
            .count(),
        MANY,
        "{queues}"
    );
    let o = s.crew(&["kill", "--all"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(s.ls().len(), 0);
}

/// A planted "server": it counts the connections it gets.
fn planted(path: &std::path::Path) -> UnixListener {
    let l = UnixListener::bind(path).unwrap();
    l.set_nonblocking(true).unwrap();
    l
}

fn connections(l: &UnixListener) -> usize {
    std::iter::from_fn(|| l.accept().ok()).count()
}

#[test]
fn an_unsafe_socket_directory_is_refused_before_a_byte_is_sent() {
    let s = Server::new();
    let dir = s.socket_path().parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let l = planted(&s.socket_path());
    for args in [
        &["ls"][..],
        &["spawn", "x", "--", "cat"],
        &["kill", "--all"],
    ] {
        let o = s.crew(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stdout(&o));
        let e = stderr(&o);
        assert!(
            e.contains(&format!(
                "the tmux socket directory {} has unsafe permissions",
                dir.display()
            )) && e.contains("mode 0777")
                && e.contains("chmod 700"),
            "{e}"
        );
    }
    assert_eq!(connections(&l), 0, "crew talked to the planted server");
    assert!(
        !s.socket_path().with_extension("crew-lock").exists()
            && std::fs::read_dir(&dir).unwrap().count() == 1,
        "crew wrote into the unsafe directory"
    );

    // Another user's directory, closed to others, is refused as well.
    if rustix::process::geteuid().is_root() {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        std::os::unix::fs::chown(&dir, Some(65534), None).unwrap();
        let e = stderr(&s.crew(&["ls"]));
        assert!(e.contains("owner uid 65534"), "{e}");
        assert_eq!(connections(&l), 0);
        std::os::unix::fs::chown(&dir, Some(0), None).unwrap();
    }

    // Something that is not a socket where the socket should be.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    drop(l);
    std::fs::remove_file(s.socket_path()).unwrap();
    std::fs::write(s.socket_path(), "").unwrap();
    let e = stderr(&s.crew(&["ls"]));
    assert!(
        e.contains(&format!("{} is not a socket", s.socket_path().display())),
        "{e}"
    );
    // Once it is safe, crew works there.
    std::fs::remove_file(s.socket_path()).unwrap();
    s.ok(&["spawn", "x", "--", "cat"]);
    assert_eq!(s.ls().len(), 1);
}

/// True while a server answers on the test's socket.
fn server_up(s: &Server) -> bool {
    s.tmux_cmd(&["list-sessions"])
        .output()
        .unwrap()
        .status
        .success()
}

#[test]
fn a_server_that_dies_under_crew_is_reported_not_replaced() {
    // The server ends itself the moment crew makes its parking session.
    let s = Server::new();
    s.user_session("w", 100, 30);
    s.tmux(&["set-hook", "-g", "session-created", "kill-server"]);
    let o = s.crew(&["spawn", "x", "--", "cat"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("the tmux server exited while crew was using it"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
    assert!(!server_up(&s), "crew started a fresh server in its place");

    // With `window-size manual`, 3.3a to 3.6b crash on `new-session -d`:
    // whatever the release does, crew either spawns on the user's server
    // or says that it died, and never carries on with a new one.
    let s = Server::new();
    s.user_session("w", 100, 30);
    s.tmux(&["set", "-g", "window-size", "manual"]);
    let o = s.crew(&["spawn", "x", "--", "cat"]);
    if o.status.success() {
        assert!(s.tmux(&["list-sessions"]).contains("w:"));
        assert_eq!(s.ls().len(), 1);
    } else {
        assert!(
            stderr(&o).contains("the tmux server exited while crew was using it"),
            "{}",
            stderr(&o)
        );
        assert!(!server_up(&s), "crew started a fresh server in its place");
    }
}

/// Parked agents that are all the parking session holds go with one
/// `kill-session` (tmux removes a window per `kill-pane` in a pass over
/// every window), and the session is made again in the same chain: the
/// server stays up, with the placeholder. A window of the user's there,
/// or a client looking at it, keeps the session and its windows.
#[test]
fn kill_all_ends_a_full_parking_session_at_once_and_keeps_it() {
    let s = Server::new();
    s.ok(&["spawn", "a", "b", "c", "--", "sleep 3600"]);
    // Ends every agent; says whether it went by kill-session (else by
    // kill-pane), and how many agents it named.
    let kill_all = || -> (bool, usize) {
        let o = s.crew(&["-v", "kill", "--all"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let sent = stderr(&o);
        let by_session = sent.contains("kill-session");
        assert_ne!(by_session, sent.contains("kill-pane"), "{sent}");
        assert_eq!(s.ls().len(), 0);
        (by_session, stdout(&o).lines().count())
    };
    assert_eq!(kill_all(), (true, 3));
    // The only session on this server, made again: the server is up.
    let sessions = s.tmux(&["list-sessions", "-F", "#{session_name}"]);
    assert_eq!(sessions.trim(), "crew", "{sessions}");
    let windows = s.tmux(&["list-windows", "-t", "crew:", "-F", "#{@crew-role}"]);
    assert_eq!(windows.trim(), "placeholder", "{windows}");

    // A window the user put in the parking session stays, and so does the
    // session: the agents go one pane at a time.
    s.ok(&["spawn", "d", "e", "--", "sleep 3600"]);
    s.tmux(&[
        "new-window",
        "-d",
        "-t",
        "crew:",
        "-n",
        "mine",
        "sleep 3600",
    ]);
    assert_eq!(kill_all(), (false, 2));
    let windows = s.tmux(&["list-windows", "-t", "crew:", "-F", "#{window_name}"]);
    assert!(windows.lines().any(|w| w == "mine"), "{windows}");

    // A session grouped with it shares its windows: ending the parking
    // session would leave them there, so they go pane by pane.
    s.tmux(&["kill-window", "-t", "crew:mine"]);
    s.ok(&["spawn", "f", "g", "--", "sleep 3600"]);
    s.tmux(&["new-session", "-d", "-t", "crew", "-s", "peek"]);
    // Listed once each, parked (tmux lists the shared panes twice).
    let ls = s.ls();
    assert_eq!(ls.len(), 2, "{ls:?}");
    assert!(ls.iter().all(|a| a["where"] == "parked"), "{ls:?}");
    assert_eq!(kill_all(), (false, 2));
    let left = s.tmux(&["list-panes", "-a", "-F", "#{@crew-name}"]);
    assert!(left.lines().all(str::is_empty), "{left}");
}
