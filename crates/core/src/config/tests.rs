//! Tests of the configuration file: parse, merge over the built-ins, errors
//! that name the place, and `crew config` round trips.

use super::*;
use crate::status::{self, PaneFacts, Status};

fn parse(text: &str) -> Result<Config> {
    Config::from_toml(text, Some(Path::new("/home/ann/.config/crew/config.toml")))
}

fn err(text: &str) -> String {
    format!("{:#}", parse(text).unwrap_err())
}

#[test]
fn empty_file_is_the_builtins() {
    let c = parse("").unwrap();
    assert_eq!(c.session, "crew");
    assert_eq!(c.default_profile, None);
    let names: Vec<&str> = c.profiles.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "claude", "codex", "gemini", "aider", "opencode", "pi", "qwen", "vibe", "copilot",
            "shell"
        ]
    );
}

#[test]
fn override_replaces_only_the_given_fields() {
    let c = parse(
        "session = \"agents\"\ndefault_profile = \"codex\"\n\
         [profiles.claude]\nsubmit_delay_ms = 200\nidle = ['^READY$']\n",
    )
    .unwrap();
    assert_eq!(c.session, "agents");
    assert_eq!(c.default_profile.as_deref(), Some("codex"));
    let claude = c.profile("claude").unwrap();
    let stock = profile::builtin_named("claude").unwrap();
    assert_eq!(claude.submit_delay_ms, 200);
    assert_eq!(claude.idle, ["^READY$"]);
    assert_eq!(claude.working, stock.working);
    assert_eq!(claude.command, stock.command);
    assert_eq!(c.profiles[0].name, "claude", "built-ins keep their place");
    // The new pattern is the one in force.
    let f = PaneFacts {
        dead: false,
        dead_status: None,
        dead_signal: None,
        title: "",
        current_command: "claude",
        start_command: "claude",
        quiet_for: None,
        fg: None,
        script_in_front: false,
    };
    assert_eq!(status::status(&f, Some("READY"), claude), Status::Idle);
}

#[test]
fn extends_starts_from_another_profile() {
    let c = parse(
        "[profiles.mytool]\nextends = \"shell\"\ncommand = [\"mytool\", \"--flag\"]\nidle = ['^mytool> $']\n\
         [profiles.mytool-fast]\nextends = \"mytool\"\nsubmit_delay_ms = 10\n\
         [profiles.blank]\ncommand = [\"blank\"]\n",
    )
    .unwrap();
    let t = c.profile("mytool").unwrap();
    assert_eq!(t.command, ["mytool", "--flag"]);
    assert!(t.idle_at_shell, "inherited from shell");
    assert_eq!(
        t.question,
        profile::builtin_named("shell").unwrap().question
    );
    let f = c.profile("mytool-fast").unwrap();
    assert_eq!(f.command, ["mytool", "--flag"]);
    assert_eq!(f.submit_delay_ms, 10);
    let b = c.profile("blank").unwrap();
    assert!(b.working.is_empty() && !b.idle_at_shell);
    assert_eq!(c.profiles.len(), 13);
    // A built-in may be rebased too; its own name means itself.
    let c = parse("[profiles.codex]\nextends = \"codex\"\nscan_lines = 5\n").unwrap();
    assert_eq!(c.profile("codex").unwrap().scan_lines, 5);
}

#[test]
fn off_values_for_options() {
    let c = parse("[profiles.claude]\ninput_box = \"\"\n[profiles.aider]\nquiet_idle_secs = 0\n")
        .unwrap();
    assert_eq!(c.profile("claude").unwrap().input_box, None);
    assert_eq!(c.profile("aider").unwrap().quiet_idle_secs, None);
}

#[test]
fn unknown_key_is_an_error_with_its_place() {
    let e = err("session = \"crew\"\n[profiles.claude]\nsubmit_dealy_ms = 200\n");
    assert!(e.contains("/home/ann/.config/crew/config.toml:3:1"), "{e}");
    assert!(e.contains("submit_dealy_ms"), "{e}");
    let e = err("sesion = \"x\"\n");
    assert!(e.contains("config.toml:1:1") && e.contains("sesion"), "{e}");
}

#[test]
fn syntax_error_has_line_and_column() {
    let e = err("session = \"crew\"\n[profiles.claude]\nscan_lines = = 3\n");
    assert!(e.contains("config.toml:3:14"), "{e}");
    let e = err("[profiles.claude]\nscan_lines = \"many\"\n");
    assert!(e.contains("config.toml:2:14"), "{e}");
}

#[test]
fn invalid_regex_names_profile_and_field() {
    let e = err("[profiles.mytool]\nworking = ['ok', '(unclosed']\n");
    assert!(
        e.contains("config.toml") && e.contains("mytool") && e.contains("`working`"),
        "{e}"
    );
    let e = err("[profiles.claude]\ninput_box = '^> .*$'\n");
    assert!(e.contains("claude") && e.contains("capture group"), "{e}");
}

#[test]
fn other_validation_errors() {
    assert!(err("default_profile = \"nope\"\n").contains("nope"));
    assert!(err("session = \"a.b\"\n").contains("session"));
    assert!(err("[profiles.x]\nextends = \"nope\"\n").contains("nope"));
    assert!(
        err("[profiles.a]\nextends = \"b\"\n[profiles.b]\nextends = \"a\"\n").contains("cycle")
    );
    assert!(err("[profiles.x]\nrestart = \"sometimes\"\n").contains("restart"));
    assert!(err("[profiles.\"has space\"]\n").contains("has space"));
}

#[test]
fn to_toml_round_trips() {
    let c = parse(
        "session = \"agents\"\ndefault_profile = \"mytool\"\n\
         [profiles.claude]\ninput_box = \"\"\nrestart = \"on-failure\"\n\
         [profiles.aider]\nquiet_idle_secs = 0\n\
         [profiles.mytool]\nextends = \"shell\"\ncommand = [\"my tool\", \"it's \\\"quoted\\\"\"]\nidle = ['^mytool> \\$']\n",
    )
    .unwrap();
    let text = c.to_toml();
    let back = Config::from_toml(&text, None).unwrap_or_else(|e| panic!("{e:#}\n{text}"));
    assert_eq!(back.session, c.session);
    assert_eq!(back.default_profile, c.default_profile);
    assert_eq!(
        serde_json::to_value(&back.profiles).unwrap(),
        serde_json::to_value(&c.profiles).unwrap(),
        "{text}"
    );
    assert!(text.contains("[profiles.claude]") && text.contains("[profiles.mytool]"));
    // The built-ins alone round-trip too.
    let d = Config::default();
    let back = Config::from_toml(&d.to_toml(), None).unwrap();
    assert_eq!(
        serde_json::to_value(&back.profiles).unwrap(),
        serde_json::to_value(&d.profiles).unwrap()
    );
}

#[test]
fn hosts_parse_check_and_round_trip() {
    let c = parse(
        "[hosts.gpu1]\nhost = \"gpu1.example.org\"\nuser = \"me\"\nport = 2222\n\
         crew = \"/opt/crew\"\nssh_options = [\"-i\", \"/k\"]\n[hosts.box]\n",
    )
    .unwrap();
    let g = &c.hosts["gpu1"];
    assert_eq!(g.host.as_deref(), Some("gpu1.example.org"));
    assert_eq!(g.port, Some(2222));
    assert_eq!(g.ssh_options, ["-i", "/k"]);
    assert_eq!(c.hosts["box"], HostConfig::default());
    let back = Config::from_toml(&c.to_toml(), None).unwrap();
    assert_eq!(back.hosts, c.hosts);
    assert!(err("[hosts.\"a b\"]\n").contains("host name"));
    assert!(err("[hosts.x]\nhost = \"-oProxyCommand=x\"\n").contains("host"));
    assert!(err("[hosts.x]\nuser = \"a@b\"\n").contains("user"));
    assert!(err("[hosts.x]\nprot = 1\n").contains("prot"));
}

fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
    let map: BTreeMap<String, OsString> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), OsString::from(v)))
        .collect();
    move |k| map.get(k).cloned()
}

#[test]
fn where_the_file_is_looked_for() {
    let dir = std::env::temp_dir().join(format!("crew-config-test-{}", std::process::id()));
    let xdg = dir.join("xdg");
    std::fs::create_dir_all(xdg.join("crew")).unwrap();
    let file = xdg.join("crew").join("config.toml");
    std::fs::write(&file, "session = \"from-xdg\"\n").unwrap();
    let other = dir.join("other.toml");
    std::fs::write(&other, "session = \"from-env\"\n").unwrap();
    let x = xdg.to_str().unwrap();
    let o = other.to_str().unwrap();

    // Default location present.
    let c = load_with(None, env_of(&[("XDG_CONFIG_HOME", x)])).unwrap();
    assert_eq!(
        (c.session.as_str(), c.source.as_deref()),
        ("from-xdg", Some(file.as_path()))
    );
    // HOME fallback: ~/.config/crew/config.toml, here missing -> built-ins.
    let c = load_with(None, env_of(&[("HOME", dir.to_str().unwrap())])).unwrap();
    assert_eq!((c.session.as_str(), c.source), ("crew", None));
    // Nothing at all.
    assert_eq!(load_with(None, env_of(&[])).unwrap().session, "crew");
    // CREW_CONFIG beats XDG, and must exist.
    let c = load_with(None, env_of(&[("CREW_CONFIG", o), ("XDG_CONFIG_HOME", x)])).unwrap();
    assert_eq!(c.session, "from-env");
    let missing = dir.join("missing.toml");
    let e = load_with(None, env_of(&[("CREW_CONFIG", missing.to_str().unwrap())])).unwrap_err();
    assert!(format!("{e:#}").contains("missing.toml"), "{e:#}");
    // --config beats both, and must exist.
    let c = load_with(Some(&other), env_of(&[("XDG_CONFIG_HOME", x)])).unwrap();
    assert_eq!(c.session, "from-env");
    let e = load_with(Some(&missing), env_of(&[])).unwrap_err();
    let e = format!("{e:#}");
    assert!(e.contains("missing.toml") && e.contains("--config"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}
