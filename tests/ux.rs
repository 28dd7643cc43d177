//! The view, the hook, key bindings and the menu as a person meets them: a
//! real tmux client attached in a terminal (a pane of a second private
//! server), keys pressed on it, and what ends up on its screen.

mod common;
use common::*;
use std::path::Path;
use std::time::{Duration, Instant};

/// A real client of `inner`, attached to `session`, in a `w`×`h` terminal
/// (a pane of `outer`). Returns the terminal's pane id in `outer`.
fn attach(outer: &Server, inner: &Server, session: &str, w: u32, h: u32) -> String {
    let cmd = format!(
        "env -u TMUX -u TMUX_PANE tmux -L {} attach -t {session}",
        inner.name
    );
    let term = outer
        .tmux(&[
            "new-session",
            "-d",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
            "-e",
            &format!("TMUX_TMPDIR={}", inner.path().display()),
            "-P",
            "-F",
            "#{pane_id}",
            &cmd,
        ])
        .trim()
        .to_string();
    inner.eventually("a client attached", 10, || {
        inner
            .tmux_cmd(&["list-clients", "-F", "#{client_height}"])
            .output()
            .map(|o| stdout(&o).trim() == h.to_string())
            .unwrap_or(false)
    });
    term
}

/// Wait until the terminal shows a menu titled ` TITLE ` (tmux 3.2 draws
/// the border over a title's last column: `─ TITLE─`).
fn wait_menu(outer: &Server, term: &str, title: &str) {
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        let sc = screen(outer, term);
        if sc.contains(&format!("─ {title} ─")) || sc.contains(&format!("─ {title}─")) {
            return;
        }
        assert!(Instant::now() < end, "no {title} menu on the screen:\n{sc}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn screen(outer: &Server, term: &str) -> String {
    outer.tmux(&["capture-pane", "-p", "-t", term])
}

/// Wait until the terminal shows `needle`; on timeout fail with the screen.
fn wait_screen(outer: &Server, term: &str, needle: &str) {
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        let sc = screen(outer, term);
        if sc.contains(needle) {
            return;
        }
        assert!(Instant::now() < end, "no {needle:?} on the screen:\n{sc}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn fmt(s: &Server, target: &str, f: &str) -> String {
    s.tmux(&["display", "-p", "-t", target, f])
        .trim_end_matches('\n')
        .to_string()
}

/// Panes of a window in tmux's order: (pane id, @crew-name, geometry).
fn panes_of(s: &Server, window: &str) -> Vec<(String, String, String)> {
    s.tmux(&[
        "list-panes",
        "-t",
        window,
        "-F",
        "#{pane_id}\t#{@crew-name}\t#{pane_width}x#{pane_height}+#{pane_left}+#{pane_top}",
    ])
    .lines()
    .map(|l| {
        let f: Vec<&str> = l.split('\t').collect();
        (f[0].into(), f[1].into(), f[2].into())
    })
    .collect()
}

fn ok_in(s: &Server, pane: &str, args: &[&str]) -> String {
    let o = s.crew_in(pane, args);
    assert!(o.status.success(), "crew {args:?}: {}", stderr(&o));
    stdout(&o)
}

fn bind(s: &Server, key: &str, crew_args: &str) {
    let crew = crew_bin().display().to_string();
    s.tmux(&[
        "bind-key",
        "-n",
        key,
        "run-shell",
        &format!("{crew} -L {} {crew_args}", s.name),
    ]);
}

#[test]
fn top_bottom_window_with_less_survives_show_and_park() {
    if !need_program("less") {
        return;
    }
    let inner = Server::new();
    let outer = Server::terminals();
    let leader = inner.user_session("work", 220, 60);
    let text = inner.path().join("notes.txt");
    std::fs::write(&text, "the user's own notes\n".repeat(100)).unwrap();
    let less = inner
        .tmux(&[
            "split-window",
            "-d",
            "-v",
            "-l",
            "15",
            "-t",
            &leader,
            "-P",
            "-F",
            "#{pane_id}",
            &format!("less {}", text.display()),
        ])
        .trim()
        .to_string();
    let term = attach(&outer, &inner, "work", 220, 61);
    let window = fmt(&inner, &leader, "#{window_id}");
    for n in ["a", "b", "c"] {
        inner.ok(&["spawn", n, "--", "sleep 600"]);
    }
    let before = fmt(&inner, &window, "#{window_layout}");
    let less_before = panes_of(&inner, &window)
        .into_iter()
        .find(|p| p.0 == less)
        .unwrap()
        .2;

    // Argument order is the order on screen, and --focus goes to the first.
    ok_in(&inner, &leader, &["show", "c", "a", "b", "--focus"]);
    let during = panes_of(&inner, &window);
    let names: Vec<&str> = during
        .iter()
        .filter(|p| !p.1.is_empty())
        .map(|p| p.1.as_str())
        .collect();
    assert_eq!(names, ["c", "a", "b"], "{during:?}");
    assert_eq!(fmt(&inner, &window, "#{pane_id}"), inner.pane_of("c"));
    // The user's less pane is never laid out among the agents. (With the
    // border line on, tmux takes one row from the top of each pane.)
    let less_during = &during.iter().find(|p| p.0 == less).unwrap().2;
    let (size_b, pos_b) = less_before.split_once('+').unwrap();
    let (size_d, pos_d) = less_during.split_once('+').unwrap();
    assert_eq!(size_b.split('x').next(), size_d.split('x').next());
    assert_eq!(pos_b.split('+').next(), pos_d.split('+').next());
    // The agents share the leader's (top) cell: all above the less pane.
    let less_top: u32 = pos_d.split('+').nth(1).unwrap().parse().unwrap();
    for p in during.iter().filter(|p| !p.1.is_empty()) {
        let (size, pos) = p.2.split_once('+').unwrap();
        let top: u32 = pos.split('+').nth(1).unwrap().parse().unwrap();
        let h: u32 = size.split('x').nth(1).unwrap().parse().unwrap();
        assert!(top + h < less_top, "{p:?} is above the less pane");
    }
    assert!(screen(&outer, &term).contains("the user's own notes"));

    ok_in(&inner, &leader, &["park"]);
    let after = fmt(&inner, &window, "#{window_layout}");
    println!("layout before show: {before}");
    println!("panes during show:  {during:?}");
    println!("layout after park:  {after}");
    assert_eq!(before, after, "the window's own layout is back exactly");

    // And once more with a b c, swapping in between.
    ok_in(&inner, &leader, &["show", "a", "b", "c"]);
    ok_in(&inner, &leader, &["show", "b"]);
    ok_in(
        &inner,
        &leader,
        &["show", "a", "b", "c", "--layout", "tiled"],
    );
    ok_in(&inner, &leader, &["park", "b"]);
    let names: Vec<String> = panes_of(&inner, &window)
        .into_iter()
        .filter(|p| !p.1.is_empty())
        .map(|p| p.1)
        .collect();
    assert_eq!(names, ["a", "c"]);
    ok_in(&inner, &leader, &["park", "--all"]);
    assert_eq!(fmt(&inner, &window, "#{window_layout}"), before);
    assert_eq!(fmt(&inner, &less, "#{pane_in_mode}"), "0");
}

#[test]
fn borders_are_right_at_once_and_after_exit() {
    let s = Server::new();
    let leader = s.user_session("work", 200, 50);
    let flag = s.path().join("go");
    let pwned = s.path().join("pwned");
    let script = format!(
        "printf '\\033]2;%s\\033\\\\' '#(touch {})'; while [ ! -e {} ]; do sleep 0.1; done; exit 3",
        pwned.display(),
        flag.display()
    );
    s.ok(&["spawn", "w1", "--", "sh", "-c", &script]);
    let p = s.pane_of("w1");
    s.eventually("the title is set", 10, || {
        // tmux 3.7 and later write a program's `#` as `_` (their own
        // defence); earlier releases keep it, and crew must not run it.
        let t = fmt(&s, &p, "#{pane_title}");
        t.starts_with("#(touch") || t.starts_with("_(touch")
    });
    ok_in(&s, &leader, &["show", "w1"]);
    // No `ls` anywhere below: the border is what tmux draws.
    let border = fmt(&s, &p, "#{E:pane-border-format}");
    assert!(
        border.contains("w1") && border.contains("working"),
        "{border}"
    );
    // The title the program set (format code here) is shown, never run.
    assert!(
        border.contains("#(touch") || border.contains("_(touch"),
        "{border}"
    );
    assert!(!pwned.exists());
    std::fs::write(&flag, "").unwrap();
    s.eventually("the border says exited", 10, || {
        let b = fmt(&s, &p, "#{E:pane-border-format}");
        b.contains("w1") && b.contains("exited") && !b.contains("working")
    });
    let b = fmt(&s, &p, "#{E:pane-border-format}");
    if fmt(&s, &p, "#{pane_dead_status}") == "3" {
        assert!(b.contains("exited(3)"), "{b}");
    }
    // The leader's own border shows its index and title.
    let lb = fmt(&s, &leader, "#{E:pane-border-format}");
    assert!(!lb.contains("exited") && lb.contains('"'), "{lb}");
}

#[test]
fn the_window_gets_its_own_border_options_back_byte_for_byte() {
    let s = Server::new();
    let leader = s.user_session("work", 200, 50);
    let window = fmt(&s, &leader, "#{window_id}");
    // tmux 3.4 stores a `$` in any option value set by any client with a
    // backslash before it (its bug, fixed in 3.5): no client can give a
    // value holding `$NAME` back byte for byte there.
    let own = if tmux_under_test().starts_with("tmux 3.4") {
        "a HOME ~x\t\"q\" 'sq' \\ ; #{pane_index} ##"
    } else {
        "a $HOME ~x\t\"q\" 'sq' \\ ; #{pane_index} ##"
    };
    s.tmux(&["set", "-w", "-t", &window, "pane-border-format", own]);
    s.tmux(&["set", "-w", "-t", &window, "pane-border-status", "bottom"]);
    s.ok(&["spawn", "a", "--", "sleep 600"]);
    ok_in(&s, &leader, &["show", "a"]);
    ok_in(&s, &leader, &["park"]);
    assert_eq!(
        s.tmux(&["show", "-wv", "-t", &window, "pane-border-format"]),
        format!("{own}\n")
    );
    assert_eq!(
        s.tmux(&["show", "-wv", "-t", &window, "pane-border-status"]),
        "bottom\n"
    );
}

#[test]
fn zoom_is_undone_by_park_and_attach_switches_the_client() {
    let inner = Server::new();
    let outer = Server::terminals();
    let leader = inner.user_session("work", 200, 50);
    let term = attach(&outer, &inner, "work", 200, 51);
    let window = fmt(&inner, &leader, "#{window_id}");
    inner.ok(&[
        "spawn",
        "z",
        "--",
        "sh",
        "-c",
        "echo zoomed-agent; exec sleep 600",
    ]);
    let before = fmt(&inner, &window, "#{window_layout}");
    let out = ok_in(&inner, &leader, &["show", "z", "--zoom"]);
    assert!(
        out.starts_with("shown z (%") && out.contains("zoomed, with the focus: prefix z unzooms"),
        "{out}"
    );
    assert_eq!(fmt(&inner, &window, "#{window_zoomed_flag}"), "1");
    // The way back the line names: prefix z, then prefix ; to the leader,
    // where `crew park` can be typed.
    inner.tmux(&["resize-pane", "-Z", "-t", &window]);
    inner.tmux(&["last-pane", "-t", &window]);
    assert_eq!(fmt(&inner, &window, "#{pane_id}"), leader);
    ok_in(&inner, &leader, &["show", "z", "--zoom"]);
    assert_eq!(fmt(&inner, &window, "#{window_zoomed_flag}"), "1");
    wait_screen(&outer, &term, "zoomed-agent");
    ok_in(&inner, &leader, &["park"]);
    assert_eq!(fmt(&inner, &window, "#{window_zoomed_flag}"), "0");
    assert_eq!(fmt(&inner, &window, "#{window_layout}"), before);

    // attach from inside tmux: this client goes to the agent's window.
    ok_in(&inner, &leader, &["attach", "z"]);
    let zwin = inner.agent("z").unwrap()["window_id"]
        .as_str()
        .unwrap()
        .to_string();
    inner.eventually("the client is on z's window", 10, || {
        inner.tmux(&["list-clients", "-F", "#{window_id}"]).trim() == zwin
    });
    // tmux's own way back.
    inner.tmux(&["switch-client", "-l"]);
    inner.eventually("back on the user's window", 10, || {
        inner.tmux(&["list-clients", "-F", "#{window_id}"]).trim() == window
    });
}

/// tmux 3.3 can lose the SIGCHLD of a pane (README): the pane then reads dead
/// with no status and pane-died never fires. Run what the hook would have.
fn nudge_lost_death(s: &Server, pane: &str, since: &mut Option<Instant>) -> bool {
    let raw = fmt(
        s,
        pane,
        "#{pane_dead}:#{pane_dead_status}#{pane_dead_signal}",
    );
    if raw == "1:" {
        let t = *since.get_or_insert_with(Instant::now);
        if t.elapsed() > Duration::from_secs(2) {
            s.ok(&["hook", "--run", pane]);
            *since = None;
            return true;
        }
    } else {
        *since = None;
    }
    false
}

#[test]
fn hook_is_quiet_restarts_by_policy_and_leaves_hand_placed_agents() {
    let inner = Server::new();
    let outer = Server::terminals();
    let leader = inner.user_session("work", 200, 50);
    let term = attach(&outer, &inner, "work", 200, 51);
    let window = fmt(&inner, &leader, "#{window_id}");
    let out = inner.ok(&["hook", "--install"]);
    assert!(out.contains("pane-died"), "{out}");
    // Installing twice keeps one hook, and says there was nothing to do.
    let again = inner.ok(&["hook", "--install"]);
    assert_eq!(again, "already installed: nothing to do\n");
    let hooks = inner.tmux(&["show-hooks", "-g", "pane-died"]);
    assert_eq!(hooks.lines().count(), 1, "{hooks}");

    // An agent the user placed in their own window by hand.
    inner.ok(&["spawn", "hand", "--", "sleep 600"]);
    inner.tmux(&[
        "join-pane",
        "-d",
        "-s",
        &inner.pane_of("hand"),
        "-t",
        &leader,
    ]);
    // An agent that exits and must not come back, and one that fails once.
    inner.ok(&["spawn", "done", "--", "true"]);
    let count = inner.path().join("count");
    let script = format!(
        "n=$(cat {c} 2>/dev/null || echo 0); n=$((n+1)); echo $n > {c}; [ $n -ge 2 ] && exec sleep 600; sleep 0.3; exit 1",
        c = count.display()
    );
    inner.ok(&["spawn", "flaky", "--restart", "on-failure", "--", &script]);
    let flaky = inner.pane_of("flaky");
    let mut lost = None;
    let mut by_hand = 0;
    inner.eventually("flaky restarted by the hook", 20, || {
        if nudge_lost_death(&inner, &flaky, &mut lost) {
            by_hand += 1;
        }
        let a = inner.agent("flaky").unwrap();
        a["restarts"] == 1 && a["status"] != "exited"
    });
    println!("restarts run by hand because tmux lost the SIGCHLD: {by_hand}");
    let done = inner.agent("done").unwrap();
    assert_eq!(done["status"], "exited");
    assert_eq!(done["restarts"], 0);
    // The hand-placed agent is where the user put it.
    let hand = inner.agent("hand").unwrap();
    assert_eq!(hand["window_id"], window.as_str(), "{hand}");
    // Nothing covers the user's pane.
    assert_eq!(fmt(&inner, &leader, "#{pane_in_mode}"), "0");
    let sc = screen(&outer, &term);
    assert!(
        !sc.contains("nothing to recover") && !sc.contains("parked"),
        "{sc}"
    );

    let out = inner.ok(&["hook", "--uninstall"]);
    assert_eq!(out, "uninstalled\n");
    let again = inner.ok(&["hook", "--uninstall"]);
    assert_eq!(again, "not installed: nothing to do\n");
    let hooks = inner.tmux(&["show-hooks", "-g", "pane-died"]);
    assert!(!hooks.contains("hook --run"), "{hooks}");
}

#[test]
fn restart_backoff_and_limit() {
    let inner = Server::new();
    let outer = Server::terminals();
    inner.user_session("work", 200, 50);
    let term = attach(&outer, &inner, "work", 200, 51);
    inner.ok(&["hook", "--install"]);
    inner.ok(&[
        "spawn",
        "crashy",
        "--restart",
        "always",
        "--",
        "sh",
        "-c",
        "sleep 0.2; exit 1",
    ]);
    let pane = inner.pane_of("crashy");
    let record = |s: &Server| fmt(s, &pane, "#{@crew}");
    let field = |rec: &str, k: &str| -> u64 {
        rec.split('&')
            .find_map(|i| i.strip_prefix(&format!("{k}=")))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    let mut lost = None;
    let mut first_restart = 0;
    let mut streaks = Vec::new();
    inner.eventually("the hook gives up", 60, || {
        nudge_lost_death(&inner, &pane, &mut lost);
        let rec = record(&inner);
        let q = field(&rec, "quick");
        if q > 0 && streaks.last() != Some(&q) {
            streaks.push(q);
            if q == 1 {
                first_restart = field(&rec, "restarted");
            }
        }
        screen(&outer, &term).contains("not restarting it again")
    });
    let rec = record(&inner);
    assert_eq!(field(&rec, "restarts"), 5, "{rec}");
    assert_eq!(field(&rec, "quick"), 5, "{rec}");
    assert_eq!(streaks, [1, 2, 3, 4, 5], "each restart counted once");
    // Waited 1 + 2 + 4 + 8 seconds between them (whole seconds in the tag).
    assert!(
        field(&rec, "restarted") - first_restart >= 14,
        "backoff: {first_restart} .. {rec}"
    );
    assert_eq!(inner.agent("crashy").unwrap()["status"], "exited");
    // A restart by hand starts the count afresh.
    inner.ok(&["recover"]);
    assert!(!record(&inner).contains("quick=5"), "{}", record(&inner));
}

#[test]
fn key_bindings_are_quiet_and_show_errors_in_the_status_line() {
    let inner = Server::new();
    let outer = Server::terminals();
    let leader = inner.user_session("work", 200, 50);
    let term = attach(&outer, &inner, "work", 200, 51);
    inner.ok(&["spawn", "k1", "--", "sleep 600"]);
    ok_in(&inner, &leader, &["show", "k1"]);
    bind(&inner, "F5", "park");
    bind(&inner, "F6", "show nosuch");
    outer.tmux(&["send-keys", "-t", &term, "F5"]);
    inner.eventually("k1 parked by the key", 10, || {
        inner.agent("k1").unwrap()["where"] == "parked"
    });
    outer.tmux(&["send-keys", "-t", &term, "F6"]);
    wait_screen(&outer, &term, "crew: no agent named nosuch");
    assert_eq!(fmt(&inner, &leader, "#{pane_in_mode}"), "0");
    let sc = screen(&outer, &term);
    assert!(!sc.contains("returned"), "{sc}");

    // An error quoting what was typed: shown as text, never run as a format.
    // (`##` in the binding is tmux's own escape: crew gets `#(touch …)`.)
    let pwned = inner.path().join("pwned");
    bind(
        &inner,
        "F7",
        &format!("show '##(touch {})'", pwned.display()),
    );
    outer.tmux(&["send-keys", "-t", &term, "F7"]);
    wait_screen(&outer, &term, "crew: invalid agent name");
    wait_screen(&outer, &term, "#(touch");
    assert!(!pwned.exists(), "the message ran as a format");
}

#[test]
fn menu_refuses_outside_tmux_and_on_a_short_client() {
    let inner = Server::new();
    let o = inner.crew(&["menu"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not inside tmux"), "{}", stderr(&o));

    let outer = Server::terminals();
    let leader = inner.user_session("work", 80, 7);
    let term = attach(&outer, &inner, "work", 80, 8);
    for i in 0..10 {
        inner.ok(&["spawn", &format!("m{i}"), "--", "sleep 600"]);
    }
    bind(&inner, "F5", "menu");
    outer.tmux(&["send-keys", "-t", &term, "F5"]);
    wait_screen(&outer, &term, "rows and this client has 8");
    assert_eq!(fmt(&inner, &leader, "#{pane_in_mode}"), "0");
}

#[test]
fn menu_actions_and_hostile_names_on_a_real_client() {
    if !need_program("less") {
        return;
    }
    let inner = Server::new();
    let outer = Server::terminals();
    let leader = inner.user_session("work", 200, 50);
    let term = attach(&outer, &inner, "work", 200, 51);
    inner.ok(&[
        "spawn",
        "a",
        "--",
        "sh",
        "-c",
        "echo screen-of-a; exec sleep 600",
    ]);
    inner.ok(&["spawn", "b", "--", "sleep 600"]);
    // A pane tagged by hand with a name that is shell and format code.
    let pwned = inner.path().join("pwned");
    let evil = inner
        .tmux(&["new-window", "-d", "-P", "-F", "#{pane_id}", "sleep 600"])
        .trim()
        .to_string();
    let evil_name = format!("x;touch {};#(touch {})", pwned.display(), pwned.display());
    inner.tmux(&["set", "-p", "-t", &evil, "@crew-name", &evil_name]);
    bind(&inner, "F5", "menu");
    let window = fmt(&inner, &leader, "#{window_id}");

    // Show a, then b beside it.
    outer.tmux(&["send-keys", "-t", &term, "F5"]);
    wait_screen(&outer, &term, "Show beside");
    // One separator line between the agents and the actions, not three.
    let sc = screen(&outer, &term);
    let seps = sc.lines().filter(|l| l.contains("├─")).count();
    assert_eq!(seps, 1, "{sc}");
    let at = sc.lines().position(|l| l.contains("├─")).unwrap();
    assert!(
        sc.lines().nth(at + 1).unwrap().contains("Show beside"),
        "{sc}"
    );
    outer.tmux(&["send-keys", "-t", &term, "1"]);
    inner.eventually("a shown", 10, || {
        inner.agent("a").unwrap()["where"] == "shown"
    });
    outer.tmux(&["send-keys", "-t", &term, "F5"]);
    wait_screen(&outer, &term, "Show beside");
    outer.tmux(&["send-keys", "-t", &term, "B"]);
    wait_screen(&outer, &term, "show beside");
    outer.tmux(&["send-keys", "-t", &term, "2"]);
    inner.eventually("a and b shown", 10, || {
        inner.agent("b").unwrap()["where"] == "shown"
            && inner.agent("a").unwrap()["where"] == "shown"
    });
    // Read a in a popup.
    outer.tmux(&["send-keys", "-t", &term, "F5"]);
    wait_screen(&outer, &term, "Read");
    outer.tmux(&["send-keys", "-t", &term, "R"]);
    wait_menu(&outer, &term, "read");
    outer.tmux(&["send-keys", "-t", &term, "1"]);
    // The popup, titled with the agent's name (tmux 3.3 and later: 3.2's
    // popups have no title), over a's screen in less.
    let title = if tmux_under_test().starts_with("tmux 3.2") {
        "┌───"
    } else {
        "┌─ a ─"
    };
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        let sc = screen(&outer, &term);
        let popup = sc.lines().position(|l| l.contains(title));
        if popup.is_some_and(|i| sc.lines().skip(i).any(|l| l.contains("│screen-of-a"))) {
            break;
        }
        assert!(Instant::now() < end, "no popup:\n{sc}");
        std::thread::sleep(Duration::from_millis(50));
    }
    outer.tmux(&["send-keys", "-t", &term, "q"]);
    // Park b. (The popup takes its q and closes; until then it would take
    // the F5 as well: press it until the menu is there.)
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        outer.tmux(&["send-keys", "-t", &term, "F5"]);
        let t = Instant::now() + Duration::from_secs(1);
        while Instant::now() < t && !screen(&outer, &term).contains("Park") {
            std::thread::sleep(Duration::from_millis(50));
        }
        if screen(&outer, &term).contains("Park") {
            break;
        }
        assert!(Instant::now() < end, "{}", screen(&outer, &term));
    }
    outer.tmux(&["send-keys", "-t", &term, "P"]);
    wait_menu(&outer, &term, "park");
    outer.tmux(&["send-keys", "-t", &term, "2"]);
    inner.eventually("b parked", 10, || {
        inner.agent("b").unwrap()["where"] == "parked"
    });
    // Kill b.
    outer.tmux(&["send-keys", "-t", &term, "F5"]);
    wait_screen(&outer, &term, "Kill");
    outer.tmux(&["send-keys", "-t", &term, "K"]);
    wait_menu(&outer, &term, "kill");
    outer.tmux(&["send-keys", "-t", &term, "2"]);
    inner.eventually("b killed", 15, || inner.agent("b").is_none());

    assert!(!pwned.exists(), "a tag's text ran as code");
    assert_eq!(fmt(&inner, &leader, "#{pane_in_mode}"), "0");
    assert_eq!(fmt(&inner, &leader, "#{window_id}"), window);
    let items = ok_in(&inner, &leader, &["menu", "--print"]);
    assert!(!pwned.exists());
    assert!(
        items.contains("x;touch"),
        "the damaged agent is listed: {items}"
    );
}

fn json(out: &str) -> Vec<serde_json::Value> {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn mutating_commands_say_what_they_did() {
    let s = Server::new();
    let leader = s.user_session("work", 200, 50);
    let v = json(&s.ok(&["spawn", "j1", "--json", "--", "sleep 600"]));
    assert_eq!(v.len(), 1);
    assert_eq!(v[0]["action"], "spawned");
    assert_eq!(v[0]["name"], "j1");
    let p1 = v[0]["pane_id"].as_str().unwrap().to_string();
    assert_eq!(
        s.ok(&["spawn", "j2", "--", "sleep 600"]),
        format!("spawned j2 ({})\n", s.pane_of("j2"))
    );
    let v = json(&ok_in(&s, &leader, &["show", "j1", "--json"]));
    assert_eq!(v.len(), 1);
    assert_eq!(
        (v[0]["action"].as_str(), v[0]["pane_id"].as_str()),
        (Some("shown"), Some(p1.as_str()))
    );
    // Swapping prints both halves.
    let out = ok_in(&s, &leader, &["show", "j2"]);
    assert_eq!(
        out,
        format!("parked j1 ({p1})\nshown j2 ({})\n", s.pane_of("j2"))
    );
    // Already shown: nothing done, and it says so (JSON: an empty array).
    assert_eq!(
        ok_in(&s, &leader, &["show", "j2"]),
        "nothing to show: already on view\n"
    );
    assert!(json(&ok_in(&s, &leader, &["show", "j2", "--json"])).is_empty());
    let v = json(&ok_in(&s, &leader, &["park", "--json"]));
    assert_eq!(v[0]["action"], "parked");
    assert_eq!(v[0]["name"], "j2");
    assert!(json(&s.ok(&["park", "--all", "--json"])).is_empty());
    let v = json(&s.ok(&["kill", "j1", "j2", "--force", "--json"]));
    assert_eq!(v.len(), 2);
    assert!(v.iter().all(|d| d["action"] == "killed"), "{v:?}");
}

#[test]
fn ls_fits_sixty_columns_and_has_a_header_when_empty() {
    let inner = Server::new();
    let outer = Server::terminals();
    let crew = crew_bin().display().to_string();
    let run_ls = |tag: &str| -> String {
        let term = outer
            .tmux(&[
                "new-session",
                "-d",
                "-x",
                "60",
                "-y",
                "20",
                "-e",
                &format!("TMUX_TMPDIR={}", inner.path().display()),
                "-P",
                "-F",
                "#{pane_id}",
                &format!(
                    "env -u TMUX {crew} -L {} ls; echo {tag}; sleep 600",
                    inner.name
                ),
            ])
            .trim()
            .to_string();
        let mut sc = String::new();
        inner.eventually("ls ran", 10, || {
            sc = screen(&outer, &term);
            sc.contains(tag)
        });
        sc
    };
    // No server, no agents: the header.
    let sc = run_ls("END0");
    assert!(sc.starts_with("NAME") && sc.contains("COMMAND"), "{sc}");
    inner.ok(&[
        "spawn",
        "alpha",
        "--",
        "sh",
        "-c",
        &format!("{}; exec sleep 600", "echo x ".repeat(30)),
    ]);
    inner.ok(&["spawn", "reviewer-2", "--", "sleep 600"]);
    let sc = run_ls("END1");
    let lines: Vec<&str> = sc.lines().take_while(|l| !l.starts_with("END1")).collect();
    println!("{}", lines.join("\n"));
    assert_eq!(lines.len(), 3, "one line per row, nothing wrapped: {sc}");
    assert!(
        lines[1].starts_with("alpha") && lines[2].starts_with("reviewer-2"),
        "{sc}"
    );
    assert!(
        lines[1].trim_end().ends_with('…'),
        "the command is cut to fit: {sc}"
    );
    for l in &lines {
        assert!(l.chars().count() <= 60, "{l:?}");
    }
    // A name that does not exist is exit 3, a glob that matches none is not.
    assert_eq!(inner.crew(&["ls", "nosuch"]).status.code(), Some(3));
    assert_eq!(inner.ok(&["ls", "zz*", "--json"]).trim(), "[]");
}

#[test]
fn read_of_an_exited_agent_ends_with_tmuxs_line() {
    let s = Server::new();
    s.ok(&["spawn", "gone", "--", "sh", "-c", "echo last words; exit 3"]);
    s.eventually("exited", 10, || {
        s.agent("gone").unwrap()["status"] == "exited"
    });
    // tmux writes its line when it reaps the process, which can come after
    // the pane reads dead (and never, when tmux 3.3 loses the SIGCHLD; the
    // README says so): wait for tmux's own status first.
    let pane = s.pane_of("gone");
    let end = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let reaped = loop {
        let st = s.tmux(&["display", "-p", "-t", &pane, "#{pane_dead_status}"]);
        if !st.trim().is_empty() {
            break true;
        }
        if std::time::Instant::now() > end {
            break false;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let out = s.ok(&["read", "gone"]);
    let last = out.lines().last().unwrap_or("");
    assert!(out.contains("last words"), "{out}");
    if reaped {
        assert!(last.starts_with("Pane is dead (status 3"), "{out}");
    } else {
        println!("tmux lost the SIGCHLD: no Pane is dead line to check");
    }
}

#[test]
fn long_waits_show_a_live_line_on_a_terminal_only() {
    let inner = Server::new();
    let outer = Server::terminals();
    inner.ok(&["spawn", "busy", "--", "sleep 600"]);
    let crew = crew_bin().display().to_string();
    let term = outer
        .tmux(&[
            "new-session",
            "-d",
            "-x",
            "100",
            "-y",
            "10",
            "-e",
            &format!("TMUX_TMPDIR={}", inner.path().display()),
            "-P",
            "-F",
            "#{pane_id}",
            &format!(
                "env -u TMUX {crew} -L {} wait busy --timeout 4; echo END-$?; sleep 600",
                inner.name
            ),
        ])
        .trim()
        .to_string();
    wait_screen(&outer, &term, "waiting for busy working");
    wait_screen(&outer, &term, "END-124");
    let sc = screen(&outer, &term);
    assert!(
        !sc.contains("waiting"),
        "the line is cleared when done:\n{sc}"
    );
    assert!(sc.contains("timed out"), "{sc}");
    // Not a terminal: nothing but the error.
    let o = inner.crew(&["wait", "busy", "--timeout", "1.5"]);
    assert_eq!(o.status.code(), Some(124));
    assert!(!stderr(&o).contains("waiting"), "{}", stderr(&o));
}

#[test]
fn help_suggestions_and_man_pages() {
    let s = Server::new();
    let o = s.crew(&["sho"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("'show'") && !e.contains("'hook'"), "{e}");
    let help = s.ok(&["show", "--help"]);
    let (own, global) = help
        .split_once("Global options:")
        .expect("a global section");
    assert!(
        own.contains("--zoom") && !own.contains("-L <") && !own.contains("--color"),
        "{help}"
    );
    assert!(
        global.contains("-L <SOCKET_NAME>") && global.contains("--color"),
        "{help}"
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let top = std::fs::read_to_string(root.join("crew.1")).unwrap();
    for section in [
        "SYNOPSIS",
        "EXIT STATUS",
        "ENVIRONMENT",
        "FILES",
        "SEE ALSO",
    ] {
        assert!(
            top.contains(&format!(".SH {section}")) || top.contains(&format!(".SH \"{section}\"")),
            "{section}"
        );
    }
    assert!(top.contains("\\fBcrew\\fR [OPTIONS] <COMMAND>"), "{top}");
    for e in std::fs::read_dir(&root).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(!text.contains("crew\\-help"), "{}", p.display());
        let name = p.file_stem().unwrap().to_string_lossy().into_owned();
        let roff_name = name.replace('-', "\\-");
        let referenced = top.contains(&format!("{roff_name}(1)")) || name == "crew";
        assert!(referenced, "crew(1) names {name}(1)");
    }
    let menu = s.ok(&["menu", "--help"]);
    assert!(
        menu.contains("tab-separated") && !menu.contains("the tmux command instead"),
        "{menu}"
    );
}

#[test]
fn a_shown_agents_border_follows_its_status_on_a_real_client() {
    let inner = Server::new();
    let outer = Server::terminals();
    let leader = inner.user_session("work", 160, 30);
    let term = attach(&outer, &inner, "work", 160, 31);
    // tmux runs the border's job at most once per status-interval.
    inner.tmux(&["set", "-g", "status-interval", "1"]);
    inner.ok(&["spawn", "sh1", "--", "sh"]);
    let p = inner.pane_of("sh1");
    inner.eventually("sh1 at its prompt", 10, || {
        inner.agent("sh1").unwrap()["status"] == "idle"
    });
    ok_in(&inner, &leader, &["show", "sh1"]);
    wait_screen(&outer, &term, " sh1 idle");
    // Typed by hand into the agent: no crew command runs from here on.
    inner.tmux(&["send-keys", "-t", &p, "sleep 600", "Enter"]);
    wait_screen(&outer, &term, " sh1 working");
    inner.tmux(&["send-keys", "-t", &p, "C-c"]);
    wait_screen(&outer, &term, " sh1 idle");
    inner.tmux(&["send-keys", "-t", &p, "exit 4", "Enter"]);
    wait_screen(&outer, &term, " sh1 exited");
}

/// Someone looking at the parking session keeps it: kill --all removes the
/// agents one pane at a time and the client stays, on the placeholder.
#[test]
fn kill_all_keeps_a_watched_parking_session() {
    let inner = Server::new();
    let outer = Server::terminals();
    inner.ok(&["spawn", "a", "b", "--", "sleep 3600"]);
    let _term = attach(&outer, &inner, "crew", 120, 40);
    let o = inner.crew(&["-v", "kill", "--all"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let sent = stderr(&o);
    assert!(
        sent.contains("kill-pane") && !sent.contains("kill-session"),
        "{sent}"
    );
    assert_eq!(inner.ls().len(), 0);
    let clients = inner.tmux(&["list-clients", "-F", "#{session_name}"]);
    assert_eq!(clients.trim(), "crew", "{clients}");
}
