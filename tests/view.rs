//! show / park / menu, run "inside tmux" the way a person does: TMUX and
//! TMUX_PANE point at a leader pane of the test's private server.

mod common;
use common::*;
use std::collections::HashMap;

struct View<'a> {
    s: &'a Server,
    leader: String,
    window: String,
}

impl<'a> View<'a> {
    fn new(s: &'a Server, w: u32, h: u32) -> View<'a> {
        let leader = s.user_session("work", w, h);
        let window = s
            .tmux(&["display", "-p", "-t", &leader, "#{window_id}"])
            .trim()
            .to_string();
        View { s, leader, window }
    }

    fn crew(&self, args: &[&str]) -> std::process::Output {
        self.s.crew_in(&self.leader, args)
    }

    fn ok(&self, args: &[&str]) -> String {
        let o = self.crew(args);
        assert!(o.status.success(), "crew {args:?}: {}", stderr(&o));
        stdout(&o)
    }

    /// Agents beside the leader, in pane order.
    fn shown(&self) -> Vec<String> {
        self.s
            .panes()
            .into_iter()
            .filter(|p| p.1 == self.window && !p.3.is_empty())
            .map(|p| p.3)
            .collect()
    }

    fn focused(&self) -> String {
        self.s
            .tmux(&["display", "-p", "-t", &self.window, "#{pane_id}"])
            .trim()
            .to_string()
    }

    /// Every agent is in exactly one pane, either beside the leader or alone
    /// in its own parking window; the leader is still in its window.
    fn check(&self) {
        let panes = self.s.panes();
        let mut count: HashMap<String, usize> = HashMap::new();
        let mut per_window: HashMap<String, usize> = HashMap::new();
        for p in &panes {
            *per_window.entry(p.1.clone()).or_default() += 1;
            if !p.3.is_empty() {
                *count.entry(p.3.clone()).or_default() += 1;
            }
        }
        for (name, n) in &count {
            assert_eq!(*n, 1, "{name} in {n} panes");
        }
        for p in panes.iter().filter(|p| !p.3.is_empty()) {
            if p.1 != self.window {
                assert_eq!(p.2, "crew", "{} is parked in the parking session", p.3);
                assert_eq!(per_window[&p.1], 1, "{} alone in its window", p.3);
            }
        }
        assert!(panes
            .iter()
            .any(|p| p.0 == self.leader && p.1 == self.window));
        for a in self.s.ls() {
            let shown = self
                .shown()
                .contains(&a["name"].as_str().unwrap().to_string());
            assert_eq!(a["where"], if shown { "shown" } else { "parked" }, "{a}");
        }
    }
}

fn spawn_sleepers(s: &Server, names: &[&str]) {
    for n in names {
        s.ok(&["spawn", n, "--", "sleep 600"]);
    }
}

#[test]
fn show_swap_layout_park() {
    let s = Server::new();
    let v = View::new(&s, 200, 50);
    spawn_sleepers(&s, &["a", "b"]);

    v.ok(&["show", "a"]);
    assert_eq!(v.shown(), ["a"]);
    assert_eq!(v.focused(), v.leader, "the leader keeps the focus");
    // About 30/70: leader left, agent right.
    let widths = s.tmux(&[
        "list-panes",
        "-t",
        &v.window,
        "-F",
        "#{pane_id} #{pane_width} #{pane_left}",
    ]);
    let leader_w: u32 = widths
        .lines()
        .find(|l| l.starts_with(&v.leader))
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    assert!((50..=70).contains(&leader_w), "leader about 30%: {widths}");
    assert_eq!(
        s.tmux(&["show", "-wv", "-t", &v.window, "pane-border-status"])
            .trim(),
        "top"
    );
    v.check();

    v.ok(&["show", "b"]);
    assert_eq!(v.shown(), ["b"]);
    v.check();

    v.ok(&["show", "a", "b"]);
    let mut both = v.shown();
    both.sort();
    assert_eq!(both, ["a", "b"]);
    v.check();

    // Already shown: nothing changes (same panes, same layout).
    let before = s.tmux(&[
        "list-panes",
        "-t",
        &v.window,
        "-F",
        "#{pane_id} #{pane_width}x#{pane_height}",
    ]);
    v.ok(&["show", "a", "b"]);
    let after = s.tmux(&[
        "list-panes",
        "-t",
        &v.window,
        "-F",
        "#{pane_id} #{pane_width}x#{pane_height}",
    ]);
    assert_eq!(before, after);

    let out = v.ok(&["park", "--all"]);
    assert!(
        out.contains("parked a") && out.contains("parked b"),
        "{out}"
    );
    assert!(v.shown().is_empty());
    // The border setting is the window's own again.
    assert_eq!(
        s.tmux(&["show", "-wv", "-t", &v.window, "pane-border-status"])
            .trim(),
        ""
    );
    v.check();

    // park with no name parks what is on view here.
    v.ok(&["show", "b"]);
    v.ok(&["park"]);
    assert!(v.shown().is_empty());
    // Parking a parked agent is a no-op.
    assert_eq!(v.ok(&["park", "a"]), "nothing to park\n");
    v.check();
}

#[test]
fn focus_moves_only_when_asked() {
    let s = Server::new();
    let v = View::new(&s, 200, 50);
    spawn_sleepers(&s, &["a", "b"]);
    v.ok(&["show", "a", "--focus"]);
    let a_pane = s.pane_of("a");
    assert_eq!(v.focused(), a_pane);
    v.ok(&["show", "b"]);
    assert_eq!(v.focused(), v.leader);
}

#[test]
fn layouts_and_borders_show_names() {
    let s = Server::new();
    let v = View::new(&s, 200, 50);
    spawn_sleepers(&s, &["a", "b", "c"]);
    v.ok(&["show", "a", "b", "c", "--layout", "even-vertical"]);
    let tops: Vec<u32> = s
        .tmux(&["list-panes", "-t", &v.window, "-F", "#{pane_left}"])
        .lines()
        .map(|l| l.parse().unwrap())
        .collect();
    assert!(
        tops.iter().all(|l| *l == 0),
        "even-vertical stacks all panes: {tops:?}"
    );
    // park re-applies the view's layout to what remains.
    v.ok(&["park", "c"]);
    let lefts: Vec<u32> = s
        .tmux(&["list-panes", "-t", &v.window, "-F", "#{pane_left}"])
        .lines()
        .map(|l| l.parse().unwrap())
        .collect();
    assert!(lefts.iter().all(|l| *l == 0), "{lefts:?}");
    let border = s.tmux(&["display", "-p", "-t", &v.window, "#{pane-border-format}"]);
    assert!(border.contains("@crew-name"), "{border}");
    v.check();
}

#[test]
fn show_moves_an_agent_from_another_view() {
    let s = Server::new();
    let v = View::new(&s, 200, 50);
    let other = s
        .tmux(&[
            "new-window",
            "-d",
            "-t",
            "work:",
            "-P",
            "-F",
            "#{pane_id}",
            "sh",
        ])
        .trim()
        .to_string();
    spawn_sleepers(&s, &["a"]);
    let o = s.crew_in(&other, &["show", "a"]);
    assert!(o.status.success(), "{}", stderr(&o));
    v.ok(&["show", "a"]);
    assert_eq!(v.shown(), ["a"]);
    let other_win = s
        .tmux(&["display", "-p", "-t", &other, "#{window_id}"])
        .trim()
        .to_string();
    assert_eq!(s.tmux(&["list-panes", "-t", &other_win]).lines().count(), 1);
    // The other view got its border setting back.
    assert_eq!(
        s.tmux(&["show", "-wv", "-t", &other_win, "pane-border-status"])
            .trim(),
        ""
    );
    v.check();
}

#[test]
fn concurrent_shows_stay_consistent() {
    let s = Server::new();
    let v = View::new(&s, 200, 50);
    spawn_sleepers(&s, &["a", "b", "c"]);
    for round in 0..30 {
        let names = [["a", "b"], ["b", "c"], ["c", "a"]][round % 3];
        let kids: Vec<_> = names
            .iter()
            .map(|n| {
                let mut c = s.cmd(&["show", n]);
                c.env("TMUX", format!("{},1,0", s.socket_path().display()))
                    .env("TMUX_PANE", &v.leader);
                c.spawn().unwrap()
            })
            .collect();
        for k in kids {
            assert!(k.wait_with_output().unwrap().status.success());
        }
        // One of the two won; exactly one agent is on view.
        assert_eq!(v.shown().len(), 1, "round {round}: {:?}", v.shown());
        v.check();
    }
}

#[test]
fn outside_tmux_without_a_terminal() {
    let s = Server::new();
    spawn_sleepers(&s, &["a"]);
    let o = s.crew(&["show", "a"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("not inside tmux and not on a terminal"), "{e}");
    assert!(e.contains("hint: run `crew show a` inside tmux"), "{e}");
    assert_eq!(s.agent("a").unwrap()["where"], "parked");
}

#[test]
fn small_view_fits_or_refuses_unchanged() {
    let s = Server::new();
    // An 80x24 terminal with a status line: the window is 80x23.
    let v = View::new(&s, 80, 23);
    let names: Vec<String> = (1..=8).map(|i| format!("s{i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    spawn_sleepers(&s, &refs);
    for n in [1usize, 2, 4] {
        v.ok(&[&["show"][..], &refs[..n]].concat());
        assert_eq!(v.shown().len(), n);
        v.check();
    }
    let before = s.tmux(&[
        "list-panes",
        "-a",
        "-F",
        "#{pane_id} #{window_id} #{pane_width}x#{pane_height}",
    ]);
    let o = v.crew(&[&["show"][..], &refs[..]].concat());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no room for 8 agents in main-vertical beside this pane (80x23)"),
        "{}",
        stderr(&o)
    );
    let after = s.tmux(&[
        "list-panes",
        "-a",
        "-F",
        "#{pane_id} #{window_id} #{pane_width}x#{pane_height}",
    ]);
    assert_eq!(before, after, "a refusal changes nothing");
    // Tiled fits eight.
    v.ok(&[&["show", "--layout", "tiled"][..], &refs[..]].concat());
    assert_eq!(v.shown().len(), 8);
    v.check();
}

/// A narrow leader (49 columns of a 200x50 window, the rest the user's):
/// its cell is the room; the agents need MIN_W×MIN_H of it, not the leader,
/// so each layout that gives them that is taken, and a refusal names the
/// pane's size and only layouts that do fit.
#[test]
fn a_narrow_leader_shows_in_every_layout_that_fits() {
    let s = Server::new();
    let v = View::new(&s, 200, 50);
    s.tmux(&[
        "split-window",
        "-d",
        "-h",
        "-l",
        "150",
        "-t",
        &v.leader,
        "sh",
    ]);
    let width = |p: &str| s.tmux(&["display", "-p", "-t", p, "#{pane_width}x#{pane_height}"]);
    assert_eq!(width(&v.leader).trim(), "49x50");
    let names: Vec<String> = (1..=12).map(|i| format!("n{i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    spawn_sleepers(&s, &refs);
    for layout in [
        None,
        Some("tiled"),
        Some("main-horizontal"),
        Some("main-vertical"),
    ] {
        let mut args = vec!["show", "n1"];
        if let Some(l) = layout {
            args.extend(["--layout", l]);
        }
        v.ok(&args);
        assert_eq!(v.shown(), ["n1"], "{layout:?}");
        let (w, h) = {
            let t = width(&s.pane_of("n1"));
            let (w, h) = t.trim().split_once('x').unwrap();
            (w.parse::<u32>().unwrap(), h.parse::<u32>().unwrap())
        };
        assert!(w >= 20 && h >= 5, "{layout:?}: {w}x{h}\n{}", s.dump());
        // The user's wide pane keeps its place.
        v.check();
        v.ok(&["park"]);
    }
    // Three in even-horizontal do not fit in 49 columns; the hint names
    // layouts that do, and nothing changes.
    let before = s.tmux(&[
        "list-panes",
        "-a",
        "-F",
        "#{pane_id} #{window_id} #{pane_width}x#{pane_height}",
    ]);
    let o = v.crew(&["show", "n1", "n2", "n3", "--layout", "even-horizontal"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains(
            "no room for 3 agents in even-horizontal beside this pane (49x50): each needs 20x5"
        ),
        "{e}"
    );
    assert!(e.contains("--layout main-vertical"), "{e}");
    assert!(!e.contains("--layout even-horizontal"), "{e}");
    let after = s.tmux(&[
        "list-panes",
        "-a",
        "-F",
        "#{pane_id} #{window_id} #{pane_width}x#{pane_height}",
    ]);
    assert_eq!(before, after);
    for l in ["main-vertical", "even-vertical"] {
        if e.contains(&format!("--layout {l}")) {
            v.ok(&["show", "n1", "n2", "n3", "--layout", l]);
            assert_eq!(v.shown().len(), 3);
            v.ok(&["park"]);
        }
    }
    // Twelve fit no layout there: the hint says so.
    let o = v.crew(&[&["show"][..], &refs[..]].concat());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("make the pane or window larger"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn fifty_agents_one_after_another() {
    let s = Server::new();
    let v = View::new(&s, 200, 50);
    let names: Vec<String> = (0..50).map(|i| format!("m{i}")).collect();
    for n in &names {
        s.ok(&["spawn", n, "--", "sleep 600"]);
    }
    for n in &names {
        v.ok(&["show", n]);
        assert_eq!(v.shown(), std::slice::from_ref(n));
    }
    v.check();
    v.ok(&["park", "--all"]);
    v.check();
    assert_eq!(s.ls().len(), 50);
}

#[test]
fn menu_names_every_agent_and_its_items_show() {
    let s = Server::new();
    let v = View::new(&s, 200, 50);
    spawn_sleepers(&s, &["alpha", "beta"]);
    let out = v.ok(&["menu", "--print"]);
    let items: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    // Two agents, then the actions.
    assert_eq!(items.len(), 6, "{out}");
    let keys: Vec<&str> = items.iter().map(|i| i[0]).collect();
    assert_eq!(keys, ["1", "2", "B", "P", "R", "K"], "{out}");
    assert!(
        items[0][1].starts_with("alpha") && items[1][1].starts_with("beta"),
        "{out}"
    );
    assert!(items[0][1].contains("parked"));
    // Run beta's item the way tmux would: parse it as a tmux command.
    let cmd_file = s.path().join("item.conf");
    std::fs::write(&cmd_file, format!("{}\n", items[1][2])).unwrap();
    s.tmux(&["source-file", cmd_file.to_str().unwrap()]);
    s.eventually("beta shown", 10, || v.shown() == ["beta"]);
    v.check();
}

/// A terminal for crew: a pane of a second private server, running a
/// command with the inner server's TMUX_TMPDIR.
fn terminal(outer: &Server, inner: &Server, cmd: &str) -> String {
    outer
        .tmux(&[
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "40",
            "-e",
            &format!("TMUX_TMPDIR={}", inner.path().display()),
            "-P",
            "-F",
            "#{pane_id}",
            cmd,
        ])
        .trim()
        .to_string()
}

#[test]
fn outside_tmux_show_attaches_a_real_terminal_and_the_menu_opens_on_it() {
    let inner = Server::new();
    let outer = Server::terminals();
    inner.ok(&[
        "spawn",
        "a",
        "--",
        "sh",
        "-c",
        "echo agent-a-screen; exec sleep 600",
    ]);
    inner.ok(&[
        "spawn",
        "b",
        "--",
        "sh",
        "-c",
        "echo agent-b-screen; exec sleep 600",
    ]);
    let crew = crew_bin().display().to_string();
    let term = terminal(
        &outer,
        &inner,
        &format!("{crew} -L {} show a; sleep 600", inner.name),
    );
    let a_win = inner.agent("a").unwrap()["window_id"]
        .as_str()
        .unwrap()
        .to_string();
    inner.eventually("a client attached on a's window", 10, || {
        inner
            .tmux_cmd(&["list-clients", "-F", "#{session_name} #{window_id}"])
            .output()
            .map(|o| stdout(&o).trim() == format!("crew {a_win}"))
            .unwrap_or(false)
    });
    inner.eventually("the terminal shows agent a", 10, || {
        outer
            .tmux(&["capture-pane", "-p", "-t", &term])
            .contains("agent-a-screen")
    });

    // The menu, opened by a key on that client, lists both agents.
    inner.tmux(&[
        "bind-key",
        "-n",
        "F5",
        "run-shell",
        &format!("{crew} -L {} menu", inner.name),
    ]);
    outer.tmux(&["send-keys", "-t", &term, "F5"]);
    inner.eventually("the menu is drawn", 10, || {
        let screen = outer.tmux(&["capture-pane", "-p", "-t", &term]);
        screen.contains("crew")
            && screen.contains("a ")
            && screen.contains("b ")
            && screen.contains("parked")
    });
    // Choosing b (key 2) shows it on this client.
    outer.tmux(&["send-keys", "-t", &term, "2"]);
    let b_win = inner.agent("b").unwrap()["window_id"]
        .as_str()
        .unwrap()
        .to_string();
    inner.eventually("the client switched to b", 10, || {
        inner
            .tmux_cmd(&["list-clients", "-F", "#{window_id}"])
            .output()
            .map(|o| stdout(&o).trim() == b_win)
            .unwrap_or(false)
    });
    inner.eventually("the terminal shows agent b", 10, || {
        outer
            .tmux(&["capture-pane", "-p", "-t", &term])
            .contains("agent-b-screen")
    });
}

#[test]
fn spawn_show_and_focus() {
    let s = Server::new();
    let v = View::new(&s, 200, 50);
    let o = v.crew(&["spawn", "new1", "--show", "--", "sleep 600"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(v.shown(), ["new1"]);
    assert_eq!(v.focused(), v.leader);
    let o = v.crew(&["spawn", "new2", "--focus", "--", "sleep 600"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(v.shown(), ["new2"]);
    let p = s.pane_of("new2");
    assert_eq!(v.focused(), p);
    v.check();
}

#[test]
fn from_a_focused_agent_the_view_is_its_leaders() {
    let s = Server::new();
    let v = View::new(&s, 200, 50);
    spawn_sleepers(&s, &["a", "b"]);
    v.ok(&["show", "a", "--focus"]);
    let a_pane = s.pane_of("a");
    // As a key binding would run it, from the focused agent's pane.
    let o = s.crew_in(&a_pane, &["show", "b"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(v.shown(), ["b"]);
    let b_pane = s.pane_of("b");
    let o = s.crew_in(&b_pane, &["park"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(v.shown().is_empty());
    v.check();
}
