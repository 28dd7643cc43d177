//! Input edge cases a new user meets: a command without `--`, a command
//! that does not exist, an agent whose profile this configuration lacks.

mod common;
use common::*;

#[test]
fn spawn_says_where_the_command_goes() {
    let s = Server::new();
    let o = s.crew(&["spawn", "api2", "python3", "-i"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(
            "hint: the agent's command goes after `--`: crew spawn api2 [OPTIONS] -- python3"
        ),
        "{}",
        stderr(&o)
    );
    // A command that is not there: refused before anything is created.
    let o = s.crew(&["spawn", "x", "--", "nosuchcommand-crew-test"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("command not found: nosuchcommand-crew-test"));
    let o = s.crew(&["spawn", "x", "--", "nosuchcommand-crew-test", "--flag"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(s.crew(&["ls", "--json"]).stdout.starts_with(b"[]"));
}

#[test]
fn a_profile_this_config_lacks_is_named() {
    let s = Server::new();
    let cfg = s.path().join("crew.toml");
    std::fs::write(
        &cfg,
        "[profiles.mytool]\nextends = \"shell\"\nidle = ['^mytool> $']\n",
    )
    .unwrap();
    let o = s
        .cmd(&["spawn", "m", "--profile", "mytool", "--", "sleep 600"])
        .env("CREW_CONFIG", &cfg)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let o = s.cmd(&["ls"]).env("CREW_CONFIG", &cfg).output().unwrap();
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    // Without that file: listed, and the difference is said.
    let o = s.crew(&["ls", "--json"]);
    assert!(o.status.success());
    assert!(
        stderr(&o).contains("profile mytool is not in this configuration"),
        "{}",
        stderr(&o)
    );
}
