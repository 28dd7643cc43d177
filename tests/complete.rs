//! Shell completion of agent names, run through the real bash and zsh
//! completion functions that `COMPLETE=bash crew` / `COMPLETE=zsh crew`
//! print (the one line README tells each shell to source).

mod common;
use common::*;
use std::process::Command;

/// Run `script` in `shell` with the test server's environment.
fn shell(s: &Server, shell: &str, args: &[&str], script: &str) -> String {
    let mut c = Command::new(shell);
    c.args(args).arg(script);
    c.env("TMUX_TMPDIR", s.path())
        .env("XDG_CONFIG_HOME", s.path().join("config"))
        .env("XDG_STATE_HOME", s.path().join("state"))
        .env_remove("TMUX")
        .env_remove("TMUX_PANE")
        .env_remove("CREW_CONFIG");
    let o = c.output().unwrap();
    assert!(o.status.success(), "{shell}: {}", stderr(&o));
    stdout(&o)
}

fn setup() -> Server {
    let s = Server::new();
    for n in ["apple", "apricot", "banana"] {
        s.ok(&["spawn", n, "--", "sleep 600"]);
    }
    s
}

#[test]
fn bash_completes_agent_names_profiles_and_choices() {
    let s = setup();
    let crew = crew_bin().display().to_string();
    let complete = |words: &[&str]| -> Vec<String> {
        let cword = words.len() - 1;
        let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        let script = format!(
            "source <(COMPLETE=bash '{crew}')
COMP_WORDS=({})
COMP_CWORD={cword}
_clap_complete_crew crew '{}' '{}'
printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            quoted.join(" "),
            words[cword],
            words[cword - 1],
        );
        shell(&s, "bash", &["--norc", "-c"], &script)
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        complete(&["crew", "-L", &s.name, "show", "ap"]),
        ["apple", "apricot"]
    );
    assert_eq!(
        complete(&["crew", "-L", &s.name, "kill", ""])
            .into_iter()
            .filter(|c| !c.starts_with('-'))
            .collect::<Vec<_>>(),
        ["apple", "apricot", "banana"]
    );
    assert_eq!(complete(&["crew", "-L", &s.name, "read", "b"]), ["banana"]);
    let profiles = complete(&["crew", "spawn", "x", "--profile", ""]);
    assert!(
        profiles.contains(&"claude".to_string()) && profiles.contains(&"shell".to_string()),
        "{profiles:?}"
    );
    assert_eq!(
        complete(&["crew", "spawn", "x", "--restart", ""]),
        ["never", "on-failure", "always"]
    );
    assert!(complete(&["crew", "show", "a", "--layout", "main-"])
        .contains(&"main-vertical".to_string()));
    // Another server: its own agents (none).
    assert!(complete(&["crew", "-L", "crew-test-nosuch", "show", "ap"]).is_empty());
}

#[test]
fn zsh_completes_agent_names() {
    if !need_program("zsh") {
        return;
    }
    let s = setup();
    let crew = crew_bin().display().to_string();
    // compdef and _describe belong to zsh's completion system, which only
    // runs inside the line editor: stand-ins record what would be offered.
    let script = format!(
        "compdef() {{ : }}
_describe() {{ local a=$3; print -l -- \"${{(@P)a}}\" }}
source <(COMPLETE=zsh '{crew}')
words=(crew -L {} park ap)
CURRENT=5
_clap_dynamic_completer_crew",
        s.name
    );
    let out = shell(&s, "zsh", &["-f", "-c"], &script);
    assert_eq!(out, "apple:parked\napricot:parked\n");
}

/// README's `cargo test` on a machine without zsh (or less, sshd, the Python
/// `mcp` package): the test that needs it says it skipped and passes; under
/// CI=true, where .ci/run installs everything, it fails. Run here on this very
/// test binary with a PATH that has no zsh.
#[test]
fn a_missing_tool_skips_outside_ci_and_fails_under_ci() {
    let bare = tempfile::tempdir().unwrap();
    let run = |ci: Option<&str>| {
        let mut c = Command::new(std::env::current_exe().unwrap());
        c.args(["--exact", "zsh_completes_agent_names"])
            .env("PATH", bare.path())
            .env_remove("CI");
        if let Some(v) = ci {
            c.env("CI", v);
        }
        c.output().unwrap()
    };
    let o = run(None);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("1 passed"), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("SKIPPED zsh_completes_agent_names: it needs `zsh`"),
        "{}",
        stderr(&o)
    );
    let o = run(Some("true"));
    assert!(!o.status.success(), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("needs `zsh`, which is missing under CI=true")
            || stderr(&o).contains("needs `zsh`, which is missing under CI=true"),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
}
