//! `crew dash` on real tmux: the dashboard runs in a pane of a private
//! server, driven with `send-keys` and read back with `capture-pane`.

mod common;
use common::*;
use std::path::PathBuf;

struct Dash<'a> {
    s: &'a Server,
    pane: String,
    pidfile: PathBuf,
    log: PathBuf,
}

fn sq(p: &std::path::Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', r"'\''"))
}

impl<'a> Dash<'a> {
    /// A session `work` of `w`×`h` whose pane runs the dashboard (stderr,
    /// with `-v`, to a log), through a script a respawn can run again.
    fn start(s: &'a Server, w: u32, h: u32, env: &str) -> Dash<'a> {
        let pidfile = s.path().join("dash.pid");
        let log = s.path().join("dash.log");
        let script = s.script(
            "dash.sh",
            &format!(
                "#!/bin/sh\necho $$ > {}\nexec env {env} {} -v -L {} dash 2>>{}\n",
                sq(&pidfile),
                sq(&crew_bin()),
                s.name,
                sq(&log)
            ),
        );
        let pane = s.session_running("work", w, h, &[script.to_str().unwrap()]);
        let d = Dash {
            s,
            pane,
            pidfile,
            log,
        };
        d.wait("the dashboard's first table", |t| {
            t.contains("crew dash") && (t.contains("NAME") || t.contains("no agents"))
        });
        d
    }

    fn screen(&self) -> String {
        self.s.tmux(&["capture-pane", "-p", "-t", &self.pane])
    }

    fn wait(&self, what: &str, mut f: impl FnMut(&str) -> bool) -> String {
        let mut last = String::new();
        let end = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::time::Instant::now() < end {
            last = self.screen();
            if f(&last) {
                return last;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!(
            "timed out waiting for {what}; the dashboard shows:\n{last}\nlog tail:\n{}",
            self.log_text()
                .lines()
                .rev()
                .filter(|l| !l.starts_with("tmux -u") && !l.starts_with(' '))
                .take(30)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.s.tmux(&["send-keys", "-t", &self.pane, k]);
        }
    }

    fn literal(&self, text: &str) {
        self.s
            .tmux(&["send-keys", "-t", &self.pane, "-l", "--", text]);
    }

    /// The table row of agent `name`: a line `[>] [!]N NAME …` (or, where
    /// the number column was dropped, `[>] NAME STATUS`).
    fn row(screen: &str, name: &str) -> Option<String> {
        screen
            .lines()
            .find(|l| {
                let mut w = l.split_whitespace().skip_while(|w| *w == ">").peekable();
                if w.peek()
                    .is_some_and(|n| n.trim_start_matches('!').parse::<usize>().is_ok())
                {
                    w.next();
                }
                w.next() == Some(name)
            })
            .map(String::from)
    }

    /// Agents in the dashboard's window, in pane order.
    fn beside(&self) -> Vec<String> {
        self.s
            .tmux(&["list-panes", "-t", &self.pane, "-F", "#{@crew-name}"])
            .lines()
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect()
    }

    fn wait_beside(&self, want: &[&str]) {
        let mut w: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        w.sort();
        let end = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let mut b = vec![];
        while std::time::Instant::now() < end {
            b = self.beside();
            b.sort();
            if b == w {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!(
            "timed out waiting for {w:?} beside the dashboard (there: {b:?}); it shows:\n{}\n{}",
            self.screen(),
            self.s.dump()
        );
    }

    fn active_pane(&self) -> String {
        self.s
            .tmux(&[
                "list-panes",
                "-t",
                &self.pane,
                "-F",
                "#{pane_active} #{pane_id}",
            ])
            .lines()
            .find_map(|l| l.strip_prefix("1 "))
            .unwrap_or("")
            .to_string()
    }

    fn layout(&self) -> String {
        self.s
            .tmux(&[
                "display-message",
                "-p",
                "-t",
                &self.pane,
                "#{window_layout}",
            ])
            .trim()
            .to_string()
    }

    fn pid(&self) -> i32 {
        std::fs::read_to_string(&self.pidfile)
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// tmux calls made per refresh: the log split at each snapshot
    /// (a refresh begins with one), whole refreshes only.
    fn per_refresh(&self) -> Vec<usize> {
        let text = self.log_text();
        let starts: Vec<&str> = text.lines().filter(|l| l.starts_with("tmux -u ")).collect();
        let mut counts = vec![];
        let mut cur: Option<usize> = None;
        for l in starts {
            if l.contains(" list-panes -a -F ") {
                if let Some(c) = cur {
                    counts.push(c);
                }
                cur = Some(1);
            } else if let Some(c) = cur.as_mut() {
                *c += 1;
            }
        }
        counts
    }

    fn refreshes(&self) -> usize {
        self.log_text()
            .lines()
            .filter(|l| l.starts_with("tmux -u ") && l.contains(" list-panes -a -F "))
            .count()
    }
}

/// Agents whose screens end in a line of their own and stay still.
fn spawn_still(s: &Server, name: &str) {
    s.ok(&[
        "spawn",
        name,
        "--",
        &format!("echo; echo last-of-{name}; exec sleep 600"),
    ]);
}

#[test]
fn refused_outside_tmux() {
    let s = Server::new();
    let o = s.crew(&["dash"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("crew: crew dash runs inside tmux"), "{e}");
    assert!(e.contains("hint: "), "{e}");
}

#[test]
fn table_selection_focus_and_quit() {
    let s = Server::new();
    for n in ["alpha", "bravo", "charlie"] {
        spawn_still(&s, n);
    }
    s.ok(&["spawn", "failed", "--", "echo bye-failed; exit 3"]);
    s.eventually("failed exited", 10, || {
        s.agent("failed").unwrap()["status"] == "exited"
    });
    let d = Dash::start(&s, 200, 40, "");
    // The pane stays after the dashboard quits, to compare the layout.
    s.tmux(&["set-option", "-t", &d.pane, "-p", "remain-on-exit", "on"]);
    // A pane of the user's own beside the dashboard, at a size of its own.
    s.tmux(&["split-window", "-d", "-h", "-l", "37", "-t", &d.pane, "sh"]);
    let before = d.layout();

    let t = d.wait("every agent with status and last line", |t| {
        ["alpha", "bravo", "charlie"]
            .iter()
            .all(|n| Dash::row(t, n).is_some_and(|r| r.contains(&format!("last-of-{n}"))))
            && Dash::row(t, "failed").is_some_and(|r| r.contains("exited(3)"))
    });
    for n in ["alpha", "bravo", "charlie"] {
        let r = Dash::row(&t, n).unwrap();
        assert!(r.contains("working") && r.contains("parked"), "{r}\n{t}");
    }
    assert!(d.beside().is_empty());

    // j selects the first row and shows it; the focus stays on the dashboard.
    d.keys(&["j"]);
    d.wait_beside(&["alpha"]);
    assert_eq!(d.active_pane(), d.pane);
    d.wait("alpha marked selected", |t| {
        Dash::row(t, "alpha").is_some_and(|r| r.starts_with('>'))
    });
    // The next one replaces it; the first goes back to parking.
    d.keys(&["Down"]);
    d.wait_beside(&["bravo"]);
    assert_eq!(d.active_pane(), d.pane);
    let alpha = s.agent("alpha").unwrap();
    assert_eq!(alpha["where"], "parked", "{alpha}");
    // By number.
    d.keys(&["3"]);
    d.wait_beside(&["charlie"]);
    // Tab: a second agent beside the first.
    d.keys(&["Tab"]);
    d.wait_beside(&["charlie", "failed"]);
    assert_eq!(d.active_pane(), d.pane);
    d.wait("charlie still selected", |t| {
        Dash::row(t, "charlie").is_some_and(|r| r.starts_with('>'))
    });

    // Enter moves the focus into the agent.
    d.keys(&["Enter"]);
    let charlie = s.pane_of("charlie");
    s.eventually("focus on charlie", 30, || d.active_pane() == charlie);
    s.tmux(&["select-pane", "-t", &d.pane]);

    // q parks what was shown and gives the window back as it was.
    d.keys(&["q"]);
    s.eventually("the dashboard exited", 30, || {
        !std::path::Path::new(&format!("/proc/{}", d.pid())).exists()
    });
    d.wait_beside(&[]);
    assert_eq!(d.layout(), before, "window layout after q");
    assert_eq!(s.ls().len(), 4, "no agent lost");
}

#[test]
fn send_is_byte_exact_and_kill_asks_first() {
    let s = Server::new();
    let log = s.path().join("echo.log");
    std::fs::write(&log, b"").unwrap();
    s.ok(&[
        "spawn",
        "echo",
        "--",
        example("echoer").to_str().unwrap(),
        log.to_str().unwrap(),
    ]);
    s.eventually("echoer ready", 10, || {
        s.ok(&["read", "echo"]).contains("echoer ready")
    });
    spawn_still(&s, "victim");
    let d = Dash::start(&s, 160, 40, "");
    d.wait("both rows", |t| {
        Dash::row(t, "echo").is_some() && Dash::row(t, "victim").is_some()
    });

    d.keys(&["j"]);
    d.wait_beside(&["echo"]);
    let msg = "it's \"$HOME\" `x` \\ ; #{pane_id} %s ~ é ü 日本";
    d.keys(&["s"]);
    d.wait("the send prompt", |t| t.contains("send to echo>"));
    d.literal(msg);
    d.wait("the message typed", |t| t.contains("日本"));
    d.keys(&["Enter"]);
    let want = [msg.as_bytes(), b"\r"].concat();
    s.eventually("the message in the echoer's log", 30, || {
        std::fs::read(&log).unwrap() == want
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(std::fs::read(&log).unwrap(), want, "byte-exact, once");

    // x, then anything but y: nothing happens.
    d.keys(&["j"]);
    d.wait_beside(&["victim"]);
    d.keys(&["x"]);
    d.wait("the kill question", |t| t.contains("kill victim? y/N"));
    d.keys(&["n"]);
    d.wait("not killed", |t| t.contains("victim not killed"));
    assert!(s.agent("victim").is_some());
    // x, y: killed with kill's own message.
    d.keys(&["x"]);
    d.wait("the kill question", |t| t.contains("kill victim? y/N"));
    d.keys(&["y"]);
    s.eventually("victim gone", 30, || s.agent("victim").is_none());
    d.wait("kill's message and the row gone", |t| {
        t.contains("killed victim") && Dash::row(t, "victim").is_none()
    });
}

#[test]
fn sigkill_loses_nothing_and_a_new_dash_shows_the_same() {
    let s = Server::new();
    for n in ["one", "two", "three"] {
        spawn_still(&s, n);
    }
    let d = Dash::start(&s, 160, 40, "");
    s.tmux(&["set-option", "-t", &d.pane, "-p", "remain-on-exit", "on"]);
    d.keys(&["j", "j"]);
    d.wait_beside(&["three"]);
    let norm = |t: &str| {
        let age = regex::Regex::new(r" \d+[smhd] ").unwrap();
        t.lines()
            .filter(|l| l.contains("last-of-"))
            .map(|l| age.replace_all(l, " AGE ").to_string())
            .collect::<Vec<_>>()
    };
    let before = d.wait("three selected and shown, the others parked", |t| {
        Dash::row(t, "three").is_some_and(|r| r.starts_with('>') && r.contains("shown"))
            && ["one", "two"]
                .iter()
                .all(|n| Dash::row(t, n).is_some_and(|r| r.contains("parked")))
    });
    let agents_before = s.ls();

    rustix::process::kill_process(
        rustix::process::Pid::from_raw(d.pid()).unwrap(),
        rustix::process::Signal::KILL,
    )
    .unwrap();
    s.eventually("the dashboard's pane dead", 10, || {
        s.tmux(&["display-message", "-p", "-t", &d.pane, "#{pane_dead}"])
            .trim()
            == "1"
    });
    let after = s.ls();
    assert_eq!(after.len(), agents_before.len(), "no agent lost");
    for a in &after {
        assert_eq!(a["status"], "working", "{a}");
    }
    d.wait_beside(&["three"]);

    // A new dashboard in the same pane picks up the same picture.
    std::fs::remove_file(&d.pidfile).unwrap();
    s.tmux(&["respawn-pane", "-t", &d.pane]);
    let again = d.wait("the same table, three selected", |t| {
        Dash::row(t, "three").is_some_and(|r| r.starts_with('>')) && norm(t).len() == 3
    });
    assert_eq!(norm(&again), norm(&before));
    d.wait_beside(&["three"]);
}

#[test]
fn narrow_terminal_drops_columns_and_no_color() {
    let s = Server::new();
    s.ok(&[
        "spawn",
        "a-rather-long-agent-name",
        "--",
        "echo; echo a-last-line-that-is-long-enough-to-be-cut-somewhere; exec sleep 600",
    ]);
    spawn_still(&s, "b");
    let d = Dash::start(&s, 80, 24, "NO_COLOR=1");
    let t = d.wait("all columns at 80 columns", |t| {
        t.contains("LAST LINE") && t.contains("WHERE") && t.contains("a-last-line")
    });
    for l in t.lines() {
        assert!(l.chars().count() <= 80, "{l}");
    }
    // No colour escapes at all under NO_COLOR (attributes only).
    let ansi = s.tmux(&["capture-pane", "-p", "-e", "-t", &d.pane]);
    let fg = regex::Regex::new(r"\x1b\[[0-9;]*(3[0-7]|9[0-7]|38;)").unwrap();
    assert!(!fg.is_match(&ansi), "colour under NO_COLOR:\n{ansi:?}");

    // Beside an agent the dashboard has 30% of 80 columns: columns go, rows
    // stay one line each with the full name and status.
    d.keys(&["j"]);
    d.wait_beside(&["a-rather-long-agent-name"]);
    let t = d.wait("the narrow table", |t| {
        !t.contains("LAST LINE")
            && !t.contains("WHERE")
            && t.contains("NAME")
            && Dash::row(t, "b").is_some()
    });
    let width: usize = s
        .tmux(&["display-message", "-p", "-t", &d.pane, "#{pane_width}"])
        .trim()
        .parse()
        .unwrap();
    assert!(width < 30, "{width}");
    assert!(
        t.contains("NAME") && t.contains("STATUS"),
        "width {width}:\n{t}"
    );
    assert!(!t.contains("WHERE") && !t.contains("AGE"), "{t}");
    let b = Dash::row(&t, "b").unwrap_or_else(|| panic!("row b:\n{t}"));
    assert!(b.contains("working"), "{b}");
    assert_eq!(
        t.lines().filter(|l| l.contains("working")).count(),
        2,
        "one line per agent:\n{t}"
    );
}

/// In a dashboard 25 columns wide (a 200x50 window) a refusal is read
/// whole: the message wraps over as many rows as it needs.
#[test]
fn a_long_message_wraps_in_a_narrow_dashboard() {
    let s = Server::new();
    spawn_still(&s, "a");
    let d = Dash::start(&s, 200, 50, "NO_COLOR=1");
    s.tmux(&["split-window", "-d", "-h", "-l", "174", "-t", &d.pane, "sh"]);
    let squeeze = |t: &str| t.split_whitespace().collect::<String>();
    d.keys(&["1"]);
    let want =
        squeeze("no room for 1 agent in main-vertical beside this pane (25x50): each needs 20x5");
    let t = d.wait("the whole refusal", |t| squeeze(t).contains(&want));
    assert!(squeeze(&t).contains("--layoutmain-horizontal"), "{t}");
    for l in t.lines() {
        assert!(l.chars().count() <= 25, "{l}");
    }
}

#[test]
fn colour_by_default() {
    let s = Server::new();
    spawn_still(&s, "c");
    let d = Dash::start(&s, 100, 20, "");
    d.wait("the row", |t| Dash::row(t, "c").is_some());
    let ansi = s.tmux(&["capture-pane", "-p", "-e", "-t", &d.pane]);
    // working is cyan, as in `ls`.
    assert!(
        ansi.contains("\x1b[36m") || ansi.contains("\x1b[38;5;6m"),
        "{ansi:?}"
    );
}

#[test]
fn five_hundred_agents_two_tmux_calls_per_refresh() {
    let s = Server::new();
    for i in 0..500 {
        s.ok(&["spawn", &format!("w{i:03}"), "--", "sh"]);
    }
    let d = Dash::start(&s, 160, 50, "");
    d.wait("500 agents", |t| t.contains("500 agents"));
    // A snapshot and a capture chain; more only in a refresh that writes
    // tags (screen hashes when first seen, in paced chains), so it settles
    // at two.
    s.eventually("three refreshes in a row at two tmux calls", 120, || {
        let per = d.per_refresh();
        per.len() >= 3 && per[per.len() - 3..].iter().all(|&c| c == 2)
    });
    let per = d.per_refresh();
    println!("tmux calls per refresh at 500 agents: {per:?}");

    // A key pressed as a refresh starts is answered before the next one.
    let n = d.refreshes();
    s.eventually("a refresh starting", 30, || d.refreshes() > n);
    let at = d.refreshes();
    d.keys(&["?"]);
    d.wait("the keys box", |t| {
        t.contains("park what is shown and quit")
    });
    let after = d.refreshes();
    assert!(
        after <= at + 1,
        "the key was answered after {} more refreshes",
        after - at
    );
    // And moving scrolls: the last row is reachable.
    d.keys(&["Space"]);
    d.wait("the keys box closed", |t| {
        !t.contains("park what is shown and quit")
    });
    d.keys(&["G"]);
    d.wait_beside(&["w499"]);
    d.wait("w499 selected on screen", |t| {
        Dash::row(t, "w499").is_some_and(|r| r.starts_with('>'))
    });
}

/// The fake agent under the claude profile; its control file sets its state.
struct Fake {
    control: PathBuf,
    log: PathBuf,
    raw: PathBuf,
}

impl Fake {
    fn start(s: &Server, name: &str) -> Fake {
        let control = s.path().join(format!("{name}.ctl"));
        let log = s.path().join(format!("{name}.log"));
        let raw = s.path().join(format!("{name}.raw"));
        std::fs::write(&control, "").unwrap();
        let raw_env = format!("FAKE_RAW_LOG={}", raw.display());
        let bin = example("fake_agent");
        s.ok(&[
            "spawn",
            name,
            "--profile",
            "claude",
            "-e",
            &raw_env,
            "--",
            bin.to_str().unwrap(),
            control.to_str().unwrap(),
            log.to_str().unwrap(),
        ]);
        let f = Fake { control, log, raw };
        f.until(s, name, "idle");
        f
    }

    fn set(&self, s: &Server, name: &str, state: &str) {
        let n = std::fs::read_to_string(&self.control)
            .unwrap_or_default()
            .len();
        std::fs::write(&self.control, format!("{state} {n}")).unwrap();
        self.until(s, name, state);
    }

    fn until(&self, s: &Server, name: &str, state: &str) {
        s.eventually(&format!("{name} {state}"), 15, || {
            s.agent(name).is_some_and(|a| a["status"] == state)
        });
    }

    fn log(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(String::from)
            .collect()
    }
}

#[test]
fn attention_first_title_and_approve_deny_keys() {
    let s = Server::new();
    spawn_still(&s, "aaa");
    let f = Fake::start(&s, "zed");
    f.set(&s, "zed", "permission");
    let d = Dash::start(&s, 160, 40, "");
    // The agent waiting sorts first (before `aaa`), marked with `!`.
    let t = d.wait("zed first, waiting", |t| {
        Dash::row(t, "zed").is_some_and(|r| r.contains("permission") && r.contains("!1"))
    });
    assert!(Dash::row(&t, "aaa").unwrap().contains(" 2 "), "{t}");
    let title = || {
        s.tmux(&["display-message", "-p", "-t", &d.pane, "#{pane_title}"])
            .trim()
            .to_string()
    };
    s.eventually("the count in the pane title", 10, || {
        title() == "crew dash: 1 waiting"
    });

    d.keys(&["1"]);
    d.wait_beside(&["zed"]);
    // Text into a dialog is refused, with send's own message.
    d.keys(&["s"]);
    d.wait("the send prompt", |t| t.contains("send to zed>"));
    d.literal("hello");
    d.keys(&["Enter"]);
    d.wait("send's refusal", |t| t.contains("waits for permission"));
    assert!(f.log().is_empty(), "{:?}", f.log());

    // a: the profile's approve key, approve's own message.
    d.keys(&["a"]);
    s.eventually("approved", 15, || f.log() == ["permission\tapproved"]);
    assert_eq!(std::fs::read(&f.raw).unwrap(), b"1", "claude's approve key");
    d.wait("approve's message", |t| t.contains("approved zed (%"));
    s.eventually("no one waiting in the title", 10, || title() == "crew dash");

    // d: denied.
    f.set(&s, "zed", "permission");
    d.keys(&["d"]);
    s.eventually("denied", 15, || {
        f.log() == ["permission\tapproved", "permission\tdenied"]
    });
}

#[test]
fn read_filter_spawn_and_park_keys() {
    let s = Server::new();
    spawn_still(&s, "one");
    spawn_still(&s, "two");
    let out = s.path().join("paged.txt");
    let zoomed = s.path().join("zoomed.txt");
    // A pager that notes whether it has the whole window, then keeps the text.
    let pager = format!(
        "tmux display -p -t \"$TMUX_PANE\" '#{{window_zoomed_flag}}' > {}; cat > {}",
        zoomed.display(),
        out.display()
    );
    let env = format!("PAGER={}", sq(std::path::Path::new(&pager)));
    let d = Dash::start(&s, 160, 40, &env);
    d.wait("both rows", |t| {
        Dash::row(t, "one").is_some() && Dash::row(t, "two").is_some()
    });

    // r: `crew read --all` through $PAGER, then the table again.
    d.keys(&["j"]);
    d.wait_beside(&["one"]);
    d.keys(&["r"]);
    s.eventually("the pager got one's scrollback", 30, || {
        std::fs::read_to_string(&out).is_ok_and(|t| t.contains("last-of-one"))
    });
    d.wait("the table back", |t| Dash::row(t, "two").is_some());
    assert_eq!(std::fs::read_to_string(&zoomed).unwrap().trim(), "1");
    s.eventually("unzoomed after", 10, || {
        s.tmux(&[
            "display-message",
            "-p",
            "-t",
            &d.pane,
            "#{window_zoomed_flag}",
        ])
        .trim()
            == "0"
    });

    // /: only matching names; Esc shows all again.
    d.keys(&["/"]);
    d.literal("tw");
    d.wait("filtered", |t| {
        Dash::row(t, "two").is_some() && Dash::row(t, "one").is_none()
    });
    d.keys(&["Enter"]);
    d.keys(&["Escape"]);
    d.wait("unfiltered", |t| {
        Dash::row(t, "two").is_some() && Dash::row(t, "one").is_some()
    });

    // n: name, profile, command; spawned and shown beside.
    d.keys(&["n"]);
    d.wait("the name prompt", |t| t.contains("new agent's name>"));
    d.literal("three");
    d.keys(&["Enter"]);
    d.wait("the profile prompt", |t| {
        t.contains("profile (empty: default)>")
    });
    d.keys(&["Enter"]);
    d.wait("the command prompt", |t| {
        t.contains("command (empty: the profile's)>")
    });
    d.literal("echo; echo made-by-dash; exec sleep 600");
    d.keys(&["Enter"]);
    d.wait_beside(&["three"]);
    d.wait("its row", |t| {
        Dash::row(t, "three").is_some_and(|r| r.contains("made-by-dash"))
    });
    // A name spawn would refuse is refused here too, before anything runs.
    d.keys(&["n"]);
    d.literal("-bad");
    d.keys(&["Enter"]);
    d.wait("the name refused", |t| t.contains("invalid agent name"));

    // p: parked, nothing beside.
    d.wait("three selected", |t| {
        Dash::row(t, "three").is_some_and(|r| r.starts_with('>'))
    });
    d.keys(&["p"]);
    d.wait_beside(&[]);
    assert_eq!(s.agent("three").unwrap()["where"], "parked");
}

#[test]
fn term_and_a_killed_pane_give_the_terminal_back_and_park() {
    let s = Server::new();
    for n in ["one", "two"] {
        spawn_still(&s, n);
    }
    // TERM: the dashboard's pane gets its screen, cursor and title back,
    // and what it showed goes back to parking.
    let d = Dash::start(&s, 160, 40, "");
    s.tmux(&["set-option", "-t", &d.pane, "-p", "remain-on-exit", "on"]);
    // The title the pane had before the dashboard: tmux's default, the host.
    let title = s.tmux(&["display-message", "-p", "-t", &d.pane, "#{host}"]);
    d.keys(&["j"]);
    d.wait_beside(&["one"]);
    // What the dashboard writes to its terminal from here on (tmux's own
    // "Pane is dead" handling comes after and hides the cursor itself).
    let raw = s.path().join("dash.raw");
    s.tmux(&[
        "pipe-pane",
        "-o",
        "-t",
        &d.pane,
        &format!("cat > {}", sq(&raw)),
    ]);
    std::thread::sleep(std::time::Duration::from_millis(200));
    rustix::process::kill_process(
        rustix::process::Pid::from_raw(d.pid()).unwrap(),
        rustix::process::Signal::TERM,
    )
    .unwrap();
    s.eventually("the dashboard ended", 10, || {
        s.tmux(&["display-message", "-p", "-t", &d.pane, "#{pane_dead}"])
            .trim()
            == "1"
    });
    let f = s.tmux(&[
        "display-message",
        "-p",
        "-t",
        &d.pane,
        "#{alternate_on} #{pane_title}",
    ]);
    assert_eq!(f, format!("0 {}", title.trim()) + "\n", "screen and title");
    let out = String::from_utf8_lossy(&std::fs::read(&raw).unwrap()).into_owned();
    assert!(
        out.contains("\x1b[?1049l") && out.contains("\x1b[?25h"),
        "the alternate screen left and the cursor shown: {out:?}"
    );
    assert!(
        s.ls().iter().all(|a| a["where"] == "parked"),
        "{:?}",
        s.ls()
    );
    s.tmux(&["kill-session", "-t", "work"]);

    // The pane killed under it (tmux kill-pane: HUP): its agents parked.
    let d = Dash::start(&s, 160, 40, "");
    d.keys(&["j", "j"]);
    d.wait_beside(&["two"]);
    s.tmux(&["kill-pane", "-t", &d.pane]);
    s.eventually("what it showed parked", 10, || {
        s.ls().iter().all(|a| a["where"] == "parked")
    });
}

#[test]
fn worktree_agents_show_their_changes_and_d_pages_the_diff() {
    let s = Server::new();
    let r = s.path().join("app");
    std::fs::create_dir_all(&r).unwrap();
    git(&r, &["init", "-q", "-b", "main"]);
    std::fs::write(r.join("a.txt"), "one\n").unwrap();
    git(&r, &["add", "a.txt"]);
    git(&r, &["commit", "-q", "-m", "init"]);
    s.ok(&[
        "spawn",
        "wt",
        "-c",
        r.to_str().unwrap(),
        "--worktree",
        "--",
        "echo; echo last-of-wt; exec sleep 600",
    ]);
    spawn_still(&s, "plain");
    let wt = s.path().join("app.worktrees").join("wt");
    std::fs::write(wt.join("a.txt"), "one\nagent-line\n").unwrap();
    git(&wt, &["commit", "-q", "-am", "agent"]);
    std::fs::write(wt.join("new.txt"), "fresh\nfile\n").unwrap();
    let paged = s.path().join("diff.txt");
    let pager = format!("cat > {}", paged.display());
    let env = format!("GIT_PAGER={}", sq(std::path::Path::new(&pager)));
    let d = Dash::start(&s, 160, 30, &env);
    // Committed and uncommitted, the new file included; none for `plain`.
    let t = d.wait("wt's change size", |t| {
        Dash::row(t, "wt").is_some_and(|r| r.contains("2 files +3 -0"))
    });
    assert!(t.contains("CHANGES"), "{t}");
    assert!(!Dash::row(&t, "plain").unwrap().contains("file"), "{t}");

    // D: `crew diff` in git's pager, then the table again.
    d.keys(&["2"]);
    d.wait_beside(&["wt"]);
    d.keys(&["D"]);
    s.eventually("the pager got wt's diff", 30, || {
        std::fs::read_to_string(&paged)
            .is_ok_and(|t| t.contains("agent-line") && t.contains("b/new.txt"))
    });
    // In colour, as git colours for its pager on a terminal.
    assert!(std::fs::read_to_string(&paged).unwrap().contains("\x1b["));
    d.wait("the table back", |t| Dash::row(t, "plain").is_some());
    // An agent without a worktree: said, nothing run.
    d.keys(&["1"]);
    d.wait_beside(&["plain"]);
    // The show's own message first, or it would replace the refusal.
    d.wait("the show's message", |t| t.contains("shown plain"));
    d.keys(&["D"]);
    d.wait("the refusal", |t| t.contains("plain has no worktree"));
}
