//! spawn, ls, read, kill and exit codes on a real tmux server per test.

mod common;
use common::*;
use std::collections::HashSet;

#[test]
fn spawn_argv_and_shell_forms() {
    let s = Server::new();
    let out = s.ok(&[
        "spawn",
        "argv",
        "--",
        "sh",
        "-c",
        "echo argv-ran; exec sleep 300",
    ]);
    assert!(out.starts_with("spawned argv (%"), "{out}");
    s.ok(&[
        "spawn",
        "shelly",
        "--",
        "echo shell-ran $((1+2)); exec sleep 300",
    ]);
    s.eventually("both printed", 10, || {
        s.ok(&["read", "argv"]).contains("argv-ran")
            && s.ok(&["read", "shelly"]).contains("shell-ran 3")
    });
    let a = s.agent("argv").unwrap();
    assert_eq!(
        a["argv"],
        serde_json::json!(["sh", "-c", "echo argv-ran; exec sleep 300"])
    );
    assert_eq!(a["shell"], false);
    let b = s.agent("shelly").unwrap();
    assert_eq!(b["shell"], true);
    assert_eq!(b["where"], "parked");
    assert_eq!(b["session"], "crew");
}

#[test]
fn spawn_cwd_env_and_crew_agent() {
    let s = Server::new();
    let dir = s.path().join("work dir");
    std::fs::create_dir(&dir).unwrap();
    s.ok(&[
        "spawn",
        "envy",
        "-c",
        dir.to_str().unwrap(),
        "-e",
        "FOO=bar baz",
        "-e",
        "EMPTY=",
        "--",
        "sh",
        "-c",
        "echo \"[$PWD][$FOO][$CREW_AGENT][${EMPTY-unset}]\"; exec sleep 300",
    ]);
    let want = format!(
        "[{}][bar baz][envy][]",
        dir.canonicalize().unwrap().display()
    );
    s.eventually("env printed", 10, || {
        s.ok(&["read", "envy"]).contains(&want)
    });
    let a = s.agent("envy").unwrap();
    assert_eq!(a["cwd"], dir.canonicalize().unwrap().display().to_string());
    assert_eq!(a["env"], serde_json::json!(["FOO=bar baz", "EMPTY="]));

    // A missing directory is refused before anything is created.
    let o = s.crew(&["spawn", "nodir", "-c", "/no/such/dir", "--", "true"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/no/such/dir"), "{}", stderr(&o));
    assert!(s.agent("nodir").is_none());
    let o = s.crew(&["spawn", "badenv", "-e", "NOEQUALS", "--", "true"]);
    assert_eq!(o.status.code(), Some(2));
}

/// An agent gets the environment of the crew command that starts it (spawn,
/// restart, recover), as running its command in that shell would, even when
/// the tmux server was started earlier from another environment; `-e` wins
/// over it; nothing of it is kept in the pane's tags.
#[test]
fn agents_get_the_callers_environment() {
    let s = Server::new();
    // The server starts here, without MYVAR.
    s.ok(&["spawn", "before", "--", "sleep 600"]);
    let script = "echo \"[$MYVAR][$KEY][$CREW_AGENT]\"; exec sleep 600";
    let with = |args: &[&str], myvar: &str| {
        let o = s
            .cmd(args)
            .env("MYVAR", myvar)
            .env("KEY", "from-shell")
            .output()
            .unwrap();
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        stdout(&o)
    };
    let secret = "s3cret x;#{pane_id}$(touch /tmp/no)";
    with(
        &[
            "spawn",
            "e",
            "-e",
            "KEY=from-flag",
            "--",
            "sh",
            "-c",
            script,
        ],
        secret,
    );
    let want = format!("[{secret}][from-flag][e]");
    s.eventually("spawn: the caller's MYVAR", 10, || {
        s.ok(&["read", "e"]).contains(&want)
    });
    // Never stored where every client of the server can read it.
    let pane = s.pane_of("e");
    let opts = s.tmux(&["show-options", "-p", "-t", &pane]);
    assert!(!opts.contains("s3cret"), "{opts}");
    let opts = s.tmux(&["show-options", "-w", "-t", &pane]);
    assert!(!opts.contains("s3cret"), "{opts}");

    // restart: the environment of the crew that restarts it.
    let out = with(&["restart", "e"], "second");
    assert!(out.contains("restarted e ("), "{out}");
    s.eventually("restart: the restarter's MYVAR", 10, || {
        s.ok(&["read", "e"]).contains("[second][from-flag][e]")
    });

    // recover --from: the environment of the crew that recovers.
    let saved = s.path().join("agents.json");
    std::fs::write(&saved, s.ok(&["ls", "--json", "e"])).unwrap();
    s.ok(&["kill", "--force", "e"]);
    let out = with(&["recover", "--from", saved.to_str().unwrap()], "third");
    assert!(out.contains("re-created e ("), "{out}");
    s.eventually("recover: the recoverer's MYVAR", 10, || {
        s.ok(&["read", "e"]).contains("[third][from-flag][e]")
    });
    // Without MYVAR in the caller, the agent has none (the server never had it).
    let o = s
        .cmd(&["restart", "e"])
        .env_remove("MYVAR")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    s.eventually("restart without MYVAR", 10, || {
        s.ok(&["read", "e"]).contains("[][from-flag][e]")
    });
}

#[test]
fn duplicate_refused_with_exit_1() {
    let s = Server::new();
    s.ok(&["spawn", "dup", "--", "sleep 300"]);
    let before = s.panes().len();
    let o = s.crew(&["spawn", "dup", "--", "sleep 300"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    assert_eq!(s.panes().len(), before, "nothing created");
}

#[test]
fn concurrent_spawns() {
    let s = Server::new();
    // Ten distinct names at once: all succeed.
    let kids: Vec<_> = (0..10)
        .map(|i| {
            s.cmd(&["spawn", &format!("c{i}"), "--", "sleep 300"])
                .spawn()
                .unwrap()
        })
        .collect();
    for k in kids {
        let o = k.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let names: HashSet<String> = s
        .ls()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names.len(), 10);
    // Five of one name at once: exactly one agent, four clean refusals.
    let kids: Vec<_> = (0..5)
        .map(|_| {
            s.cmd(&["spawn", "same", "--", "sleep 300"])
                .spawn()
                .unwrap()
        })
        .collect();
    let codes: Vec<i32> = kids
        .into_iter()
        .map(|k| k.wait_with_output().unwrap().status.code().unwrap())
        .collect();
    assert_eq!(codes.iter().filter(|c| **c == 0).count(), 1, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == 1).count(), 4, "{codes:?}");
    let tagged = s.panes().iter().filter(|p| p.3 == "same").count();
    assert_eq!(tagged, 1);
}

#[test]
fn exited_at_once_is_listed_with_status() {
    let s = Server::new();
    s.ok(&["spawn", "quick", "--", "sh", "-c", "exit 7"]);
    s.ok(&["spawn", "sig", "--", "sh", "-c", "kill -9 $$"]);
    // tmux may drop the output of a process that exits within microseconds
    // of writing it, so the one whose screen is read lingers a moment.
    s.ok(&[
        "spawn",
        "said",
        "--",
        "sh",
        "-c",
        "echo bye; sleep 0.3; exit 0",
    ]);
    s.eventually("all exited", 10, || {
        s.ls().iter().all(|a| a["status"] == "exited")
    });
    assert_eq!(s.agent("quick").unwrap()["exit_status"], 7);
    assert_eq!(s.agent("sig").unwrap()["exit_signal"], 9);
    assert_eq!(s.agent("said").unwrap()["exit_status"], 0);
    assert!(s.ok(&["read", "said"]).contains("bye"));
    let table = s.ok(&["ls"]);
    assert!(
        table.contains("exited(7)") && table.contains("exited(sig 9)"),
        "{table}"
    );
}

#[test]
fn ls_table_quiet_and_json() {
    let s = Server::new();
    s.ok(&[
        "spawn",
        "alpha",
        "--restart",
        "on-failure",
        "--",
        "sleep 300",
    ]);
    s.ok(&["spawn", "beta", "--", "sleep", "300"]);
    let table = s.ok(&["ls"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    for col in ["NAME", "STATUS", "WHERE", "PANE", "PID", "AGE", "COMMAND"] {
        assert!(lines[0].contains(col), "{table}");
    }
    assert!(
        lines[1].starts_with("alpha")
            && lines[1].contains("parked")
            && lines[1].contains("sleep 300")
    );
    assert!(!table.contains('\x1b'), "no colour when piped");
    assert_eq!(s.ok(&["ls", "-q"]), "alpha\nbeta\n");
    assert_eq!(s.ok(&["ls", "-q", "b*"]), "beta\n");
    assert_eq!(s.ok(&["ls", "-q", "zz*"]), "");

    let rows = s.ls();
    assert_eq!(rows.len(), 2);
    let a = &rows[0];
    assert_eq!(a["name"], "alpha");
    assert!(a["pane_id"].as_str().unwrap().starts_with('%'));
    assert!(a["pid"].as_u64().unwrap() > 1);
    assert!(a["status"].is_string());
    assert!(a["exit_status"].is_null());
    assert_eq!(a["where"], "parked");
    assert_eq!(a["session"], "crew");
    assert!(a["window_id"].as_str().unwrap().starts_with('@'));
    assert_eq!(a["command"], "sleep 300");
    assert_eq!(
        a["cwd"],
        std::env::current_dir().unwrap().display().to_string()
    );
    assert_eq!(a["profile"], "shell");
    assert_eq!(a["restart"], "on-failure");
    assert_eq!(a["restarts"], 0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(now.abs_diff(a["created"].as_u64().unwrap()) < 60);
    // The pid is the agent's process.
    let pid = a["pid"].as_u64().unwrap();
    assert!(std::path::Path::new(&format!("/proc/{pid}")).exists());
    // Colour when asked.
    assert!(s.ok(&["--color", "always", "ls"]).contains('\x1b'));
}

#[test]
fn no_server_means_empty_ls() {
    let s = Server::new();
    assert_eq!(s.ok(&["ls", "--json"]).trim(), "[]");
    assert_eq!(s.ok(&["ls"]), "");
    let o = s.crew(&["read", "nobody"]);
    assert_eq!(o.status.code(), Some(3));
}

#[test]
fn read_modes() {
    let s = Server::new();
    s.ok(&[
        "spawn",
        "r",
        "--",
        "sh",
        "-c",
        "for i in $(seq 1 300); do echo line$i; done; exec sleep 300",
    ]);
    s.eventually("printed", 10, || s.ok(&["read", "r"]).contains("line300"));
    let screen = s.ok(&["read", "r"]);
    assert!(
        screen.ends_with("line300\n"),
        "trailing blanks dropped: {screen:?}"
    );
    assert!(!screen.contains("line1\n"), "only the visible screen");
    assert_eq!(
        s.ok(&["read", "r", "-n", "3"]),
        "line298\nline299\nline300\n"
    );
    let all = s.ok(&["read", "r", "--all"]);
    assert!(all.starts_with("line1\n") && all.ends_with("line300\n"));
    assert_eq!(all.lines().count(), 300);
}

/// A tool that leaves its reply in the scrollback and draws its prompt at
/// the bottom of an emptied screen (Codex): `read -n N` gives the last N
/// lines of what was said, a run of blank rows counting as one line.
#[test]
fn read_n_skips_the_screens_blank_rows() {
    let s = Server::new();
    s.ok(&[
        "spawn",
        "rev5",
        "--",
        "sh",
        "-c",
        "for i in $(seq 1 30); do echo said$i; done; \
         for i in $(seq 1 90); do echo; done; \
         echo '› Ask Codex to do anything'; echo; echo '  ? for shortcuts'; exec sleep 300",
    ]);
    s.eventually("printed", 10, || {
        s.ok(&["read", "rev5"]).contains("for shortcuts")
    });
    assert_eq!(
        s.ok(&["read", "rev5", "-n", "6"]),
        "said29\nsaid30\n\n› Ask Codex to do anything\n\n  ? for shortcuts\n"
    );
    let twelve = s.ok(&["read", "rev5", "-n", "12"]);
    assert_eq!(twelve.lines().count(), 12, "{twelve:?}");
    assert!(twelve.starts_with("said23\n"), "{twelve:?}");
    // The screen itself, and --all, stay as they are.
    let all = s.ok(&["read", "rev5", "--all"]);
    assert!(all.contains("said30\n\n\n\n"), "{all:?}");
}

#[test]
fn read_joins_wrapped_lines_and_keeps_ansi_on_request() {
    let s = Server::new();
    let long = "x".repeat(400);
    s.ok(&[
        "spawn",
        "w",
        "--",
        "sh",
        "-c",
        &format!("printf '\\033[31mred\\033[0m\\n{long}\\n'; exec sleep 300"),
    ]);
    s.eventually("printed", 10, || s.ok(&["read", "w"]).contains("red"));
    let plain = s.ok(&["read", "w"]);
    assert!(plain.lines().any(|l| l == long), "wrapped line joined");
    assert!(!plain.contains('\x1b'));
    assert!(s.ok(&["read", "w", "--ansi"]).contains("\x1b["));
}

#[test]
fn read_new_twice() {
    let s = Server::new();
    s.ok(&["spawn", "n", "--", "sh"]);
    s.ok(&["send", "n", "echo first-output"]);
    s.eventually("first", 10, || {
        s.ok(&["read", "n"]).contains("first-output\n")
    });
    let one = s.ok(&["read", "n", "--new"]);
    assert!(one.contains("first-output"));
    assert_eq!(s.ok(&["read", "n", "--new"]), "", "nothing new");
    s.ok(&["send", "n", "echo second-output"]);
    s.eventually("second", 10, || {
        s.ok(&["read", "n"]).contains("second-output\n")
    });
    let two = s.ok(&["read", "n", "--new"]);
    assert!(two.contains("second-output"), "{two}");
    assert!(!two.contains("first-output"), "{two}");
}

#[test]
fn read_follow_ends_when_agent_exits() {
    let s = Server::new();
    s.ok(&[
        "spawn",
        "f",
        "--",
        "sh",
        "-c",
        "sleep 1; echo one; sleep 1; echo two; exit 0",
    ]);
    let o = s.crew(&["read", "f", "--follow"]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.contains("one") && out.contains("two"), "{out}");
    assert_eq!(
        out.matches("one").count(),
        1,
        "no line printed twice: {out}"
    );
}

#[test]
fn kill_graceful_force_and_untouchable() {
    let s = Server::new();
    let user = s.user_session("mine", 120, 40);
    s.tmux(&["split-window", "-t", &user, "sh"]);
    s.ok(&["spawn", "polite", "--", "sleep", "300"]);
    s.ok(&[
        "spawn",
        "stubborn",
        "--",
        "sh",
        "-c",
        "trap '' TERM HUP; while :; do sleep 0.1; done",
    ]);
    s.ok(&["spawn", "gone", "--", "sh", "-c", "exit 2"]);
    let stubborn_pid = s.agent("stubborn").unwrap()["pid"].as_u64().unwrap();
    s.eventually("gone exited", 10, || {
        s.agent("gone").unwrap()["status"] == "exited"
    });

    let t = std::time::Instant::now();
    let out = s.ok(&["kill", "polite"]);
    assert!(out.starts_with("killed polite"), "{out}");
    assert!(t.elapsed().as_secs_f64() < 4.0, "TERM ends sleep at once");

    let out = s.ok(&["kill", "stubborn", "--grace", "1"]);
    assert!(out.starts_with("killed stubborn"));
    s.eventually("stubborn process dead", 5, || {
        !std::path::Path::new(&format!("/proc/{stubborn_pid}")).exists()
    });

    let out = s.ok(&["kill", "--all"]);
    assert!(
        out.contains("removed gone") && out.contains("exited 2"),
        "{out}"
    );
    assert!(s.ls().is_empty());
    // The user's two untagged panes are untouched.
    let mine: Vec<_> = s.panes().into_iter().filter(|p| p.2 == "mine").collect();
    assert_eq!(mine.len(), 2);
    // Nothing left to kill: `--all` that matches nothing succeeds, quietly.
    let o = s.crew(&["kill", "--all"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

#[test]
fn kill_force_skips_the_grace() {
    let s = Server::new();
    s.ok(&[
        "spawn",
        "hard",
        "--",
        "sh",
        "-c",
        "trap '' TERM HUP; while :; do sleep 0.1; done",
    ]);
    let pid = s.agent("hard").unwrap()["pid"].as_u64().unwrap();
    let t = std::time::Instant::now();
    s.ok(&["kill", "hard", "--force", "--grace", "30"]);
    assert!(t.elapsed().as_secs() < 10);
    s.eventually("dead", 5, || {
        !std::path::Path::new(&format!("/proc/{pid}")).exists()
    });
}

#[test]
fn exit_codes_and_did_you_mean() {
    let s = Server::new();
    s.ok(&["spawn", "reviewer", "--", "sleep 300"]);
    let o = s.crew(&["read", "reviwer"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("no agent named reviwer"));
    assert!(
        stderr(&o).contains("did you mean reviewer?"),
        "{}",
        stderr(&o)
    );
    // A far-off name gets no suggestion: `z` is not almost `oc`.
    s.ok(&["spawn", "oc", "--", "sleep 300"]);
    let o = s.crew(&["ls", "z"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("no agent named z"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("did you mean"), "{}", stderr(&o));
    let o = s.crew(&["read", "co"]);
    assert!(stderr(&o).contains("did you mean oc?"), "{}", stderr(&o));
    s.ok(&["kill", "--force", "oc"]);
    for bad in ["", "a.b", "%1", "=x", "{last}", "has space", "-lead"] {
        let o = s.crew(&["spawn", bad, "--", "true"]);
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", stderr(&o));
    }
    let o = s.crew(&["spawn", &"n".repeat(65), "--", "true"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("1-64"), "{}", stderr(&o));
    assert_eq!(s.crew(&["kill", "nope*"]).status.code(), Some(3));
    assert_eq!(s.crew(&["ls", "--bogus"]).status.code(), Some(2));
    assert_eq!(s.ls().len(), 1, "bad input created nothing");
}

#[test]
fn tmux_missing_is_a_clear_error() {
    let s = Server::new();
    let o = s
        .cmd(&["spawn", "x", "--", "/bin/true"])
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("tmux not found in PATH"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("hint: install tmux"));
}

#[test]
fn closed_stdout_is_not_an_error() {
    let s = Server::new();
    for i in 0..30 {
        s.ok(&["spawn", &format!("p{i}"), "--", "sleep 300"]);
    }
    let mut child = s
        .cmd(&["ls", "--json"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let st = child.wait().unwrap();
    assert!(st.success(), "{st:?}");
}

#[test]
fn crew_leaves_no_files() {
    let s = Server::new();
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let o = s
            .cmd(args)
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join(".config"))
            .env("XDG_DATA_HOME", home.path().join(".local/share"))
            .env("XDG_STATE_HOME", home.path().join(".local/state"))
            .env("XDG_CACHE_HOME", home.path().join(".cache"))
            .env("XDG_RUNTIME_DIR", home.path().join("run"))
            .output()
            .unwrap();
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    };
    run(&["spawn", "clean", "--", "sh"]);
    run(&["send", "clean", "echo hi"]);
    run(&["read", "clean", "--new"]);
    run(&["ls", "--json"]);
    run(&["kill", "clean"]);
    // HOME holds the one file crew keeps (the list `recover` restores after
    // a reboot), and it lists no agent now.
    let state = home.path().join(".local/state/crew");
    let files: Vec<_> = std::fs::read_dir(&state)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&files[0]).unwrap()).unwrap();
    assert_eq!(
        saved["servers"][0]["agents"],
        serde_json::json!([]),
        "{saved:#}"
    );
    let mut top: Vec<String> = std::fs::read_dir(home.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, [".local"], "HOME holds nothing else");
    // Beside the socket: the socket and crew's lock file, nothing else.
    let sock_dir = s.socket_path().parent().unwrap().to_path_buf();
    let mut files: Vec<String> = std::fs::read_dir(&sock_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, vec![s.name.clone(), format!("{}.crew-lock", s.name)]);
}

/// tmux calls a crew command makes, counted from `-v` (one line each).
fn tmux_starts(o: &std::process::Output) -> usize {
    stderr(o)
        .lines()
        .filter(|l| l.starts_with("tmux -u "))
        .count()
}

#[test]
fn verbose_prints_every_tmux_command() {
    let s = Server::new();
    s.ok(&["spawn", "v", "--", "sleep 600"]);
    let o = s.crew(&["-v", "ls", "--json"]);
    assert!(o.status.success());
    let first = stderr(&o).lines().next().unwrap_or("").to_string();
    assert!(
        first.starts_with(&format!("tmux -u -L {} display-message -p ", s.name))
            && first.contains(" ';' list-panes -a -F "),
        "{first}"
    );
}

#[test]
fn tmux_calls_do_not_grow_with_agents() {
    let s = Server::new();
    let leader = s.user_session("work", 250, 80);
    let counts = |n: usize| {
        for i in 0..n {
            s.ok(&["spawn", &format!("g{n}-{i}"), "--", "sh"]);
        }
        let glob = format!("g{n}-*");
        // Commands that read statuses also record a changed one (one more
        // tmux call, whatever the number of agents): count once the shells
        // have settled at their prompts and that is recorded.
        s.eventually("shells at their prompts", 30, || {
            let out = s.ok(&["ls", "--json", &glob]);
            let v: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
            v.iter().all(|a| a["status"] == "idle")
        });
        s.ok(&["ls", &glob]);
        let mut c = vec![];
        for args in [
            vec!["-v", "ls", "--json"],
            vec!["-v", "ls", "--json", &glob],
            vec!["-v", "send", &glob, "--", "echo hi"],
            vec!["-v", "read", &format!("g{n}-0")],
        ] {
            let o = s.crew(&args);
            assert!(o.status.success(), "{args:?}: {}", stderr(&o));
            c.push(tmux_starts(&o));
        }
        let o = s.crew_in(
            &leader,
            &["-v", "show", &format!("g{n}-0"), &format!("g{n}-1")],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        c.push(tmux_starts(&o));
        let o = s.crew_in(&leader, &["-v", "park"]);
        c.push(tmux_starts(&o));
        let o = s.crew(&["-v", "kill", "--force", &glob]);
        assert!(o.status.success(), "{}", stderr(&o));
        c.push(tmux_starts(&o));
        c
    };
    let few = counts(2);
    let many = counts(40);
    assert_eq!(
        few, many,
        "tmux calls per command: 2 agents {few:?}, 40 agents {many:?}"
    );
    println!("tmux calls [ls, ls glob, send, read, show, park, kill]: {few:?}");
}

#[test]
fn explicit_server_ignores_tmux_env() {
    let s = Server::new();
    s.ok(&["spawn", "here", "--", "sleep 600"]);
    // Inside some other tmux: -L still means our server, and $TMUX_PANE of
    // the other server is not taken for a leader.
    let o = s
        .cmd(&["ls", "-q"])
        .env("TMUX", "/nonexistent/other-socket,1,0")
        .env("TMUX_PANE", "%0")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "here\n");
}

#[test]
fn too_old_tmux_names_both_versions() {
    let s = Server::new();
    let bin = s.path().join("oldbin");
    std::fs::create_dir(&bin).unwrap();
    // A tmux 2.9 that has no server running, as an old install would say.
    let shim = bin.join("tmux");
    std::fs::write(
        &shim,
        "#!/bin/sh\nfor a; do [ \"$a\" = -V ] && { echo 'tmux 2.9'; exit 0; }; done\necho \"no server running on /tmp/x\" >&2; exit 1\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&shim, std::fs::Permissions::from_mode(0o755)).unwrap();
    let o = s
        .cmd(&["spawn", "x", "--", "true"])
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("tmux 2.9 is too old") && e.contains("3.2 or newer"),
        "{e}"
    );
}

/// Live (non-zombie) processes in a process group, from /proc.
fn group_members(pgid: u64) -> Vec<u64> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u64>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|st| {
                let f: Vec<&str> = st[st.rfind(')').unwrap() + 1..]
                    .split_whitespace()
                    .collect();
                f[2] == pgid.to_string() && f[0] != "Z"
            })
        })
        .collect()
}

#[test]
fn kill_removes_what_is_left_of_the_group() {
    let s = Server::new();
    // The leader dies on TERM; its child ignores TERM and HUP.
    s.ok(&[
        "spawn",
        "family",
        "--",
        "sh",
        "-c",
        "sh -c 'trap \"\" TERM HUP; exec sleep 300' & wait",
    ]);
    let pg = s.agent("family").unwrap()["pid"].as_u64().unwrap();
    s.eventually("two processes in the group", 10, || {
        group_members(pg).len() == 2
    });
    let out = s.ok(&["kill", "family", "--grace", "1"]);
    assert!(out.starts_with("killed family"), "{out}");
    s.eventually("the whole group is gone", 5, || {
        group_members(pg).is_empty()
    });
}

#[test]
fn wait_reports_a_removed_agent_as_gone_for_every_state() {
    let s = Server::new();
    for until in ["exited", "any", "idle", "attention"] {
        s.ok(&["spawn", "w", "--", "sleep 600"]);
        let waiter = s
            .cmd(&["wait", "w", "--until", until, "--timeout", "30"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Let the wait see the agent first, then remove its pane while it
        // still runs (`--force`: no grace in which it could be seen exited).
        std::thread::sleep(std::time::Duration::from_millis(500));
        s.ok(&["kill", "--force", "w"]);
        let o = waiter.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(3), "--until {until}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("w is gone (killed or removed) while waiting for it"),
            "--until {until}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn kill_all_from_inside_an_agent_ends_every_one_and_says_so() {
    let s = Server::new();
    s.ok(&["spawn", "a", "b", "--", "sleep 600"]);
    let out = s.path().join("lead.out");
    // A lead agent that ends the whole crew, itself included, as a lead
    // agent (or its MCP call) would.
    let script = format!(
        "sleep 0.3; {} -S {} kill --all > {} 2>&1; sleep 600",
        crew_bin().display(),
        s.socket_path().display(),
        out.display()
    );
    s.ok(&["spawn", "lead", "--", "sh", "-c", &script]);
    s.eventually("every agent is gone", 20, || s.ls().is_empty());
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with("killed a (%") && lines[1].starts_with("killed b (%"),
        "{text}"
    );
    assert!(
        lines[2].starts_with("killed lead (%")
            && lines[2].contains("crew ran inside it: ended last"),
        "{text}"
    );
    // No pane of theirs is left behind.
    assert!(s.panes().iter().all(|p| p.3.is_empty()), "{:?}", s.panes());
}
