//! `cargo bench`: wall time and tmux process counts of crew commands on a
//! private tmux server, next to the raw tmux floor measured in the same run.
//! Prints figures and ratios; asserts nothing about time.

#[path = "../tests/common/sshd.rs"]
mod sshd;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 15;

/// For `sshd`: here the tmux under test is already first on PATH (`main`).
fn tmux_under_test() {}

struct Server {
    name: String,
    dir: PathBuf,
}

impl Server {
    fn new(tag: &str) -> Server {
        let dir = std::env::temp_dir().join(format!("crew-bench-{}-{tag}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Server {
            name: format!("crew-bench-{}-{tag}", std::process::id()),
            dir,
        }
    }

    fn env(&self, c: &mut Command) {
        c.env("TMUX_TMPDIR", &self.dir)
            .env("XDG_CONFIG_HOME", self.dir.join("config"))
            .env("XDG_STATE_HOME", self.dir.join("state"))
            .env_remove("TMUX")
            .env_remove("TMUX_PANE")
            .stdin(Stdio::null());
    }

    fn crew(&self, args: &[&str]) -> Command {
        let mut c = Command::new(crew_bin());
        self.env(&mut c);
        c.arg("-L").arg(&self.name).args(args);
        c
    }

    fn tmux(&self, args: &[String]) -> Command {
        let mut c = Command::new("tmux");
        self.env(&mut c);
        c.arg("-L").arg(&self.name).args(args);
        c
    }

    fn socket(&self) -> String {
        let uid = rustix::process::getuid().as_raw();
        self.dir
            .join(format!("tmux-{uid}"))
            .join(&self.name)
            .display()
            .to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self
            .tmux(&["kill-server".into()])
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The crew under test: this build, or `$CREW_BENCH_BIN` (an older build,
/// to print before-and-after figures from one run of this benchmark).
fn crew_bin() -> String {
    std::env::var("CREW_BENCH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_crew").to_string())
}

fn run_ok(c: &mut Command) -> Vec<u8> {
    let o = c
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{:?}: {}",
        c,
        String::from_utf8_lossy(&o.stderr)
    );
    o.stdout
}

fn median(mut f: impl FnMut()) -> Duration {
    f(); // warm up
    let mut v: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    v.sort();
    v[RUNS / 2]
}

/// tmux calls a crew command makes (over the socket, or a client process
/// each with `CREW_TMUX_CLIENT=1`): `-v` prints one line per call.
fn tmux_starts(s: &Server, args: &[&str]) -> usize {
    let mut full = vec!["-v"];
    full.extend_from_slice(args);
    let o = s
        .crew(&full)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stderr)
        .lines()
        .filter(|l| l.starts_with("tmux "))
        .count()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn bench_ls(n: usize) {
    let s = Server::new(&format!("ls{n}"));
    for i in 0..n {
        // Agents that look like a shell at a prompt, so status needs no screen
        // for half and a screen for the other half (a profile that scans).
        let args: Vec<String> = if i % 2 == 0 {
            vec!["spawn".into(), format!("a{i}"), "--".into(), "sh".into()]
        } else {
            vec![
                "spawn".into(),
                format!("a{i}"),
                "--profile".into(),
                "claude".into(),
                "--".into(),
                "sh".into(),
            ]
        };
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        run_ok(&mut s.crew(&refs));
    }
    let ls = median(|| {
        run_ok(&mut s.crew(&["ls", "--json"]));
    });
    let list_only = median(|| {
        run_ok(&mut s.tmux(&["list-panes".into(), "-a".into()]));
    });
    let panes: Vec<String> = String::from_utf8(run_ok(&mut s.tmux(&[
        "list-panes".into(),
        "-a".into(),
        "-F".into(),
        "#{pane_id}".into(),
    ])))
    .unwrap()
    .lines()
    .map(String::from)
    .collect();
    let mut chain: Vec<String> = Vec::new();
    for p in &panes {
        if !chain.is_empty() {
            chain.push(";".into());
        }
        chain.extend([
            "capture-pane".into(),
            "-p".into(),
            "-J".into(),
            "-t".into(),
            p.clone(),
        ]);
    }
    let floor = median(|| {
        run_ok(&mut s.tmux(&["list-panes".into(), "-a".into()]));
        run_ok(&mut s.tmux(&chain));
    });
    let starts = tmux_starts(&s, &["ls", "--json"]);
    println!(
        "ls --json  {n:>4} agents: median {:>9}   tmux calls {starts}   raw list-panes -a {:>9} (x{:.1})   floor list-panes + chained capture {:>9} (x{:.2})",
        ms(ls),
        ms(list_only),
        ls.as_secs_f64() / list_only.as_secs_f64(),
        ms(floor),
        ls.as_secs_f64() / floor.as_secs_f64()
    );
}

/// `status-line` runs every second or two from tmux's status-right: its time
/// with 0, 1 and 100 agents (half judged by a screen capture), next to the raw
/// `list-panes -a` of the same server.
fn bench_status_line(n: usize) {
    let s = Server::new(&format!("sl{n}"));
    // One spawn for all (multi-name), then a placeholder pane exists too.
    for (half, profile) in [(0, "shell"), (1, "claude")] {
        let names: Vec<String> = (0..n)
            .filter(|i| i % 2 == half)
            .map(|i| format!("a{i}"))
            .collect();
        if names.is_empty() {
            continue;
        }
        let mut args: Vec<&str> = vec!["spawn"];
        args.extend(names.iter().map(String::as_str));
        args.extend(["--profile", profile, "--", "sh"]);
        run_ok(&mut s.crew(&args));
    }
    if n == 0 {
        // A running server with no agents: what tmux's status line meets
        // before the first spawn.
        run_ok(&mut s.tmux(&["new-session".into(), "-d".into()]));
    }
    // The first run records every agent's status; later runs find none new.
    run_ok(&mut s.crew(&["status-line"]));
    let line = median(|| {
        run_ok(&mut s.crew(&["status-line", "--tmux"]));
    });
    let list_only = median(|| {
        run_ok(&mut s.tmux(&["list-panes".into(), "-a".into()]));
    });
    let starts = tmux_starts(&s, &["status-line"]);
    println!(
        "status-line {n:>3} agents: median {:>9}   tmux calls {starts}   raw list-panes -a {:>9} (x{:.1})",
        ms(line),
        ms(list_only),
        line.as_secs_f64() / list_only.as_secs_f64()
    );
}

/// `ls` of one host over ssh (a real sshd on 127.0.0.1, connection
/// sharing on) next to the same `ls` run locally on that host's server.
fn bench_ls_ssh(n: usize) {
    let s = Server::new(&format!("ssh{n}"));
    for i in 0..n {
        run_ok(&mut s.crew(&["spawn", &format!("a{i}"), "--", "sh"]));
    }
    let sshd = sshd::Sshd::start(&s.dir, true);
    let local = sshd::Local::new(&sshd.host_table("box", None));
    let remote = |args: &[&str]| {
        let mut full = vec!["--host", "box"];
        full.extend_from_slice(args);
        let mut c = local.crew(&s.name, &full);
        c.stdin(Stdio::null());
        c
    };
    let rows = run_ok(&mut remote(&["ls", "--json"]));
    let count = serde_json::from_slice::<Vec<serde_json::Value>>(&rows)
        .unwrap()
        .len();
    assert_eq!(count, n);
    let here = median(|| {
        run_ok(&mut s.crew(&["ls", "--json"]));
    });
    // The shared connection is up after the first call (the warm-up).
    let over = median(|| {
        run_ok(&mut remote(&["ls", "--json"]));
    });
    let ssh = |shared: bool| {
        let mut c = Command::new("ssh");
        c.args(sshd.ssh_options()).args(["-o", "BatchMode=yes"]);
        if shared {
            let dir = local.dir.path().join("run/crew-ssh");
            c.args(["-o", "ControlMaster=auto", "-o"])
                .arg(format!("ControlPath={}/%C", dir.display()))
                .args(["-o", "ControlPersist=60"]);
        }
        c.args(["-p", &sshd.port.to_string(), "127.0.0.1", "true"]);
        c
    };
    // The floor: the shared connection running `true` through the remote
    // user's shell (its rc files included); and a fresh login for scale.
    let floor = median(|| {
        run_ok(&mut ssh(true));
    });
    let fresh = median(|| {
        run_ok(&mut ssh(false));
    });
    println!(
        "ls --json  {n:>4} agents over ssh: median {:>9}   same ls on the host {:>9}   floor `ssh HOST true` shared {:>9}   (over ssh = x{:.2} of floor + ls)   fresh ssh login {:>9}",
        ms(over),
        ms(here),
        ms(floor),
        over.as_secs_f64() / (floor + here).as_secs_f64(),
        ms(fresh)
    );
}

fn bench_show() {
    let s = Server::new("show");
    let leader = String::from_utf8(run_ok(&mut s.tmux(&[
        "new-session".into(),
        "-d".into(),
        "-s".into(),
        "work".into(),
        "-x".into(),
        "200".into(),
        "-y".into(),
        "50".into(),
        "-P".into(),
        "-F".into(),
        "#{pane_id}".into(),
        "sh".into(),
    ])))
    .unwrap()
    .trim()
    .to_string();
    for n in ["a", "b"] {
        run_ok(&mut s.crew(&["spawn", n, "--", "sleep 3600"]));
    }
    let inside = |args: &[&str]| {
        let mut c = s.crew(args);
        c.env("TMUX", format!("{},1,0", s.socket()))
            .env("TMUX_PANE", &leader);
        c
    };
    let mut flip = false;
    let swap = median(|| {
        flip = !flip;
        run_ok(&mut inside(&["show", if flip { "a" } else { "b" }]));
    });
    let display = median(|| {
        run_ok(&mut s.tmux(&["display".into(), "-p".into(), "x".into()]));
    });
    // The agent not on view now: a real swap.
    let mut c = inside(&["-v", "show", if flip { "b" } else { "a" }]);
    let o = c
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let starts = String::from_utf8_lossy(&o.stderr)
        .lines()
        .filter(|l| l.starts_with("tmux "))
        .count();
    println!(
        "show swap (park one, show another): median {:>9}   tmux calls {starts}   raw display -p x {:>9}   ratio x{:.1}",
        ms(swap),
        ms(display),
        swap.as_secs_f64() / display.as_secs_f64()
    );
}

/// While `f` runs, how long the slowest answer to `tmux display -p x` from
/// another client took: how long crew's longest chain kept the server from
/// answering anyone else.
fn longest_stall(s: &Server, f: impl FnOnce()) -> Duration {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (name, dir) = (s.name.clone(), s.dir.clone());
    let flag = stop.clone();
    let probe = std::thread::spawn(move || {
        let mut worst = Duration::ZERO;
        while !flag.load(std::sync::atomic::Ordering::Relaxed) {
            let t = Instant::now();
            let _ = Command::new("tmux")
                .env("TMUX_TMPDIR", &dir)
                .env_remove("TMUX")
                .args(["-L", &name, "display", "-p", "x"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            worst = worst.max(t.elapsed());
            std::thread::sleep(Duration::from_millis(5));
        }
        worst
    });
    f();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    probe.join().unwrap()
}

/// A saved `crew ls --json` of `n` agents.
fn saved_agents(s: &Server, n: usize) -> PathBuf {
    let cwd = s.dir.display().to_string();
    let items: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"name":"r{i}","argv":["sleep","3600"],"shell":false,"cwd":"{cwd}","env":[],"profile":"shell","restart":"never","restarts":0}}"#
            )
        })
        .collect();
    let path = s.dir.join("saved.json");
    std::fs::write(&path, format!("[{}]", items.join(","))).unwrap();
    path
}

fn timed(f: impl FnOnce()) -> Duration {
    let t = Instant::now();
    f();
    t.elapsed()
}

/// Raw tmux: groups of commands (one agent's each) as chains of at most
/// `per` groups and 1000 arguments (what tmux 3.7 takes in one message),
/// one client each, one after another.
fn raw_chains(s: &Server, groups: &[Vec<Vec<String>>], per: usize) -> Duration {
    let mut chains: Vec<Vec<String>> = vec![];
    let mut argv: Vec<String> = vec![];
    let mut in_chain = 0;
    for g in groups {
        let words: usize = g.iter().map(|c| c.len() + 1).sum();
        if in_chain == per || (!argv.is_empty() && argv.len() + words > 1000) {
            chains.push(std::mem::take(&mut argv));
            in_chain = 0;
        }
        for c in g {
            if !argv.is_empty() {
                argv.push(";".into());
            }
            argv.extend(c.iter().cloned());
        }
        in_chain += 1;
    }
    chains.push(argv);
    timed(|| {
        for argv in &chains {
            run_ok(&mut s.tmux(argv));
        }
    })
}

fn words(w: &[&str]) -> Vec<String> {
    w.iter().map(|w| w.to_string()).collect()
}

/// Sessions crew's commands are sent as raw chains into, one per round.
fn tagged_create(s: &Server, n: usize, session: &str) -> Vec<Vec<Vec<String>>> {
    let cwd = s.dir.display().to_string();
    (0..n)
        .map(|i| {
            let t = format!("{session}:{}", i + 1);
            let name = format!("f{i}");
            let agent = format!("CREW_AGENT={name}");
            let record = format!("v=2&cmd=sleep 3600&shell=0&cwd={cwd}&env=&profile=shell&created=1796345651&restart=never&restarts=0");
            vec![
                words(&["new-window", "-d", "-t", &t, "-n", &name, "-c", &cwd]
                    .into_iter()
                    .chain(["-P", "-F", "#{pane_id}", "-e", &agent, "sleep", "3600"])
                    .collect::<Vec<_>>()),
                words(&["set-option", "-p", "-t", &t, "--", "remain-on-exit", "on"]),
                words(&["set-option", "-w", "-t", &t, "--", "@crew-role", "parking"]),
                words(&["set-option", "-p", "-t", &t, "--", "@crew", &record]),
                words(&["set-option", "-p", "-t", &t, "--", "@crew-name", &name]),
            ]
        })
        .collect()
}

/// The ids of a session's windows after its first, and of its panes with
/// their process ids.
fn windows_and_panes(s: &Server, session: &str) -> (Vec<String>, Vec<(String, i32)>) {
    let out = String::from_utf8(run_ok(&mut s.tmux(&words(&[
        "list-panes",
        "-s",
        "-t",
        &format!("{session}:"),
        "-F",
        "#{window_id} #{pane_id} #{pane_pid}",
    ]))))
    .unwrap();
    let mut windows = vec![];
    let mut panes = vec![];
    for l in out.lines().skip(1) {
        let f: Vec<&str> = l.split(' ').collect();
        windows.push(f[0].to_string());
        panes.push((f[1].to_string(), f[2].parse().unwrap()));
    }
    (windows, panes)
}

/// The same job as `kill --all`, raw: TERM every pane's process group at
/// once, wait until tmux has reaped them all, then `kill-pane` chains of 60.
fn raw_term_wait_kill(s: &Server, panes: &[(String, i32)]) -> Duration {
    timed(|| {
        for (_, pid) in panes {
            let _ = rustix::process::kill_process_group(
                rustix::process::Pid::from_raw(*pid).unwrap(),
                rustix::process::Signal::TERM,
            );
        }
        while panes
            .iter()
            .any(|(_, pid)| std::path::Path::new(&format!("/proc/{pid}")).exists())
        {
            std::thread::sleep(Duration::from_millis(2));
        }
        let kill: Vec<Vec<Vec<String>>> = panes
            .iter()
            .map(|(p, _)| vec![words(&["kill-pane", "-t", p])])
            .collect();
        raw_chains(s, &kill, 60);
    })
}

/// What one round of the scale benchmark measured (times, and the longest
/// time the server answered no one during the step).
#[derive(Default, Clone)]
struct Round {
    recover: Duration,
    recover_stall: Duration,
    kill: Duration,
    kill_stall: Duration,
    plain: Duration,
    plain_kill: Duration,
    tagged: Duration,
    tagged_kill: Duration,
    tagged_kill_stall: Duration,
}

fn median_of(rounds: &[Round], f: impl Fn(&Round) -> Duration) -> Duration {
    let mut v: Vec<Duration> = rounds.iter().map(f).collect();
    v.sort();
    v[v.len() / 2]
}

fn worst_of(rounds: &[Round], f: impl Fn(&Round) -> Duration) -> Duration {
    rounds.iter().map(f).max().unwrap_or_default()
}

/// recover --from, ls, send --all and kill --all at scale, with the longest
/// time the server answered nobody else, next to the raw tmux floors of
/// creating and ending as many windows on the same server: plain
/// `new-window` chains of 60 then `kill-window` chains of 60, and crew's
/// own commands for a parked agent as raw chains (the window, then
/// remain-on-exit, the window's role and the two tags: each `set-option`
/// costs tmux a pass over every window) then TERM, wait and `kill-pane`.
/// A server grows slower with use (its heap), so the three jobs run in
/// rounds, each round in another order, and the medians are compared.
fn bench_scale(n: usize) {
    const ROUNDS: usize = 3;
    let s = Server::new(&format!("scale{n}"));
    // Keeps the server up between rounds (kill --all may end every agent).
    run_ok(&mut s.tmux(&words(&["new-session", "-d", "-s", "keep"])));
    let saved = saved_agents(&s, n);
    let mut rounds = vec![Round::default(); ROUNDS];
    for (r, round) in rounds.iter_mut().enumerate() {
        for job in (0..3).map(|j| (j + r) % 3) {
            match job {
                0 => {
                    round.recover_stall = longest_stall(&s, || {
                        round.recover = timed(|| {
                            run_ok(&mut s.crew(&["recover", "--from", saved.to_str().unwrap()]));
                        });
                    });
                    if r == 0 {
                        let ls = median(|| {
                            run_ok(&mut s.crew(&["ls", "--json"]));
                        });
                        let starts = tmux_starts(&s, &["ls", "--json"]);
                        println!(
                            "ls --json      {n:>5} agents: {:>10}   tmux calls {starts}",
                            ms(ls)
                        );
                        let msg = "line one\nline two";
                        let starts = tmux_starts(&s, &["send", "--all", "--no-enter", "--", msg]);
                        println!("send --all (multi-line) {n:>5} agents: tmux calls {starts}");
                    }
                    round.kill_stall = longest_stall(&s, || {
                        round.kill = timed(|| {
                            run_ok(&mut s.crew(&["kill", "--all"]));
                        });
                    });
                }
                1 => {
                    let session = format!("plain{r}");
                    run_ok(&mut s.tmux(&words(&["new-session", "-d", "-s", &session])));
                    let create: Vec<Vec<Vec<String>>> = (0..n)
                        .map(|i| {
                            let t = format!("{session}:{}", i + 1);
                            vec![words(&["new-window", "-d", "-t", &t, "sleep", "3600"])]
                        })
                        .collect();
                    round.plain = raw_chains(&s, &create, 60);
                    let (windows, _) = windows_and_panes(&s, &session);
                    let kill: Vec<Vec<Vec<String>>> = windows
                        .iter()
                        .map(|id| vec![words(&["kill-window", "-t", id])])
                        .collect();
                    round.plain_kill = raw_chains(&s, &kill, 60);
                    run_ok(&mut s.tmux(&words(&["kill-session", "-t", &session])));
                }
                _ => {
                    let session = format!("tagged{r}");
                    run_ok(&mut s.tmux(&words(&["new-session", "-d", "-s", &session])));
                    round.tagged = raw_chains(&s, &tagged_create(&s, n, &session), 60);
                    let (_, panes) = windows_and_panes(&s, &session);
                    round.tagged_kill_stall = longest_stall(&s, || {
                        round.tagged_kill = raw_term_wait_kill(&s, &panes);
                    });
                    run_ok(&mut s.tmux(&words(&["kill-session", "-t", &session])));
                }
            }
        }
    }
    let med = |f: fn(&Round) -> Duration| median_of(&rounds, f);
    let worst = |f: fn(&Round) -> Duration| worst_of(&rounds, f);
    let x = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    let (recover, kill) = (med(|r| r.recover), med(|r| r.kill));
    println!(
        "recover --from {n:>5} agents: {:>10}   longest time the server answered no one: {:>9}   (median of {ROUNDS} rounds, worst stall)",
        ms(recover),
        ms(worst(|r| r.recover_stall))
    );
    println!(
        "kill --all     {n:>5} agents: {:>10}   longest time the server answered no one: {:>9}",
        ms(kill),
        ms(worst(|r| r.kill_stall))
    );
    println!(
        "floor {n:>5} windows: new-window chains of 60 {:>10} (recover --from x{:.2})   crew's own commands as raw chains {:>10} (x{:.2})",
        ms(med(|r| r.plain)),
        x(recover, med(|r| r.plain)),
        ms(med(|r| r.tagged)),
        x(recover, med(|r| r.tagged)),
    );
    println!(
        "floor {n:>5} windows: kill-window chains of 60 {:>10} (kill --all x{:.2})   TERM all, wait, kill-pane chains of 60 {:>10} (x{:.2}, the server answered no one for {})",
        ms(med(|r| r.plain_kill)),
        x(kill, med(|r| r.plain_kill)),
        ms(med(|r| r.tagged_kill)),
        x(kill, med(|r| r.tagged_kill)),
        ms(worst(|r| r.tagged_kill_stall))
    );
}

/// One dashboard refresh (`Board::take`: one snapshot, one capture chain of
/// every agent's screen) timed in this process, and the tmux calls per
/// refresh counted from a real `crew -v dash` running in a pane.
fn bench_dash(n: usize) {
    let s = Server::new(&format!("dash{n}"));
    for i in 0..n {
        run_ok(&mut s.crew(&["spawn", &format!("d{i}"), "--", "sh"]));
    }
    let log = s.dir.join("dash.log");
    let script = s.dir.join("dash.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nexec '{}' -v -L '{}' dash 2>'{}'\n",
            crew_bin(),
            s.name,
            log.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let leader = String::from_utf8(run_ok(&mut s.tmux(&[
        "new-session".into(),
        "-d".into(),
        "-s".into(),
        "work".into(),
        "-x".into(),
        "200".into(),
        "-y".into(),
        "50".into(),
        "-P".into(),
        "-F".into(),
        "#{pane_id}".into(),
        script.display().to_string(),
    ])))
    .unwrap()
    .trim()
    .to_string();
    // The library reads the socket directory from the environment.
    std::env::set_var("TMUX_TMPDIR", &s.dir);
    let tmux = crew::tmux::Tmux::new(crew::tmux::Socket::Name(s.name.clone()), false);
    let config = crew::config::Config::default();
    let refresh = median(|| {
        let b = crew::board::Board::take(&tmux, &config, &leader).unwrap();
        assert_eq!(b.rows.len(), n);
    });
    let list_only = median(|| {
        run_ok(&mut s.tmux(&["list-panes".into(), "-a".into()]));
    });
    // Whole refreshes of the running dashboard: its log split at each snapshot.
    let per_refresh = |text: &str| {
        let mut counts: Vec<usize> = vec![];
        let mut cur: Option<usize> = None;
        for l in text.lines().filter(|l| l.starts_with("tmux -u ")) {
            if l.contains(" list-panes -a -F ") {
                counts.extend(cur);
                cur = Some(1);
            } else if let Some(c) = cur.as_mut() {
                *c += 1;
            }
        }
        counts
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut counts = vec![];
    while Instant::now() < deadline {
        counts = per_refresh(&std::fs::read_to_string(&log).unwrap_or_default());
        if counts.len() >= 4 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = s
        .tmux(&["kill-pane".into(), "-t".into(), leader])
        .stderr(Stdio::null())
        .status();
    println!(
        "dash refresh {n:>4} agents: median {:>9}   tmux calls per refresh {:?}   raw list-panes -a {:>9} (x{:.1})",
        ms(refresh),
        counts.get(1..).unwrap_or_default(),
        ms(list_only),
        refresh.as_secs_f64() / list_only.as_secs_f64()
    );
}

/// The tmux releases to measure on: `$CREW_BENCH_TMUX` (comma-separated:
/// `system`, a release of ../shared/tmux such as `3.7c`, or a bin folder),
/// else the system tmux and, where ../shared/tmux is, the newest release.
fn releases() -> Vec<(String, Option<PathBuf>)> {
    let build = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/tmux/build");
    let want = std::env::var("CREW_BENCH_TMUX").unwrap_or_else(|_| {
        if build.exists() {
            "system,3.7c".into()
        } else {
            "system".into()
        }
    });
    want.split(',')
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            "system" => (w.to_string(), None),
            w if w.contains('/') => (w.to_string(), Some(PathBuf::from(w))),
            w => {
                let o = run_ok(Command::new(&build).arg(w));
                let bin = String::from_utf8(o).unwrap().trim().to_string();
                (w.to_string(), Some(PathBuf::from(bin)))
            }
        })
        .collect()
}

fn main() {
    // `cargo test` runs benches in test mode with --bench absent: skip there.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for (_, bin) in releases() {
        // crew, the raw floors and the library all run the `tmux` on PATH.
        let mut dirs: Vec<PathBuf> = bin.into_iter().collect();
        dirs.extend(std::env::split_paths(&path));
        std::env::set_var("PATH", std::env::join_paths(dirs).unwrap());
        bench_all();
        println!();
    }
}

fn bench_all() {
    println!(
        "crew benchmark: median of {RUNS} runs, private tmux server, {}",
        String::from_utf8_lossy(&run_ok(Command::new("tmux").arg("-V"))).trim()
    );
    println!("crew under test: {}", crew_bin());
    // `cargo bench -- ssh` runs the benchmarks whose name holds "ssh".
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let want = |name: &str| only.is_empty() || only.iter().any(|o| name.contains(o.as_str()));
    if want("ls") {
        for n in [10, 100, 500] {
            bench_ls(n);
        }
    }
    if want("ls-ssh") {
        bench_ls_ssh(100);
    }
    if want("show") {
        bench_show();
    }
    if want("status-line") {
        for n in [0, 1, 100] {
            bench_status_line(n);
        }
    }
    if want("scale") {
        let scale: usize = std::env::var("CREW_BENCH_SCALE")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1000);
        bench_scale(scale);
    }
    if want("dash") {
        for n in [10, 100, 500] {
            bench_dash(n);
        }
    }
}
