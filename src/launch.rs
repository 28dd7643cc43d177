//! The command line an agent is started with: its recorded command plus what
//! its profile adds at launch (hooks that run `crew report`, a conversation
//! id, or the arguments that resume the conversation). Only the recorded
//! command is kept in the tags, so a restart never stacks arguments.

use crate::config::Config;
use crate::tags::Tags;
use crate::tmux::shell_quote;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A new conversation (`session_args` when there is an id).
    Start,
    /// Back into the recorded conversation (`resume_args`).
    Resume,
}

/// A string as the inside of a JSON (or TOML basic) string literal.
fn json_inner(s: &str) -> String {
    let q = serde_json::to_string(s).expect("strings serialize");
    q[1..q.len() - 1].to_string()
}

fn crew_path() -> String {
    std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "crew".into())
}

fn expand(arg: &str, session: &str, exe: &str) -> String {
    arg.replace("{crew_argv}", &json_inner(exe))
        .replace("{crew}", &json_inner(&shell_quote(exe)))
        .replace("{session}", session)
}

/// The agent's profile when its command is the profile's own tool. The
/// profile's flags are its tool's: a command that is some other program
/// judged by the profile's patterns gets none of them.
fn tool_profile<'a>(config: &'a Config, t: &Tags) -> Option<&'a crate::profile::Profile> {
    let p = config.profile(&t.profile)?;
    let first = |argv: &[String]| {
        let w = argv
            .first()
            .and_then(|a| a.split_whitespace().next())
            .unwrap_or("")
            .to_string();
        w.rsplit('/').next().unwrap_or("").to_string()
    };
    (!p.command.is_empty() && first(&t.argv) == first(&p.command)).then_some(p)
}

/// Arguments the profile adds for this launch.
pub fn extra_args(config: &Config, t: &Tags, session: &str, mode: Mode) -> Vec<String> {
    let Some(p) = tool_profile(config, t) else {
        return vec![];
    };
    let exe = crew_path();
    let mut out: Vec<String> = p
        .report_args
        .iter()
        .map(|a| expand(a, session, &exe))
        .collect();
    let wants_id = |args: &[String]| args.iter().any(|a| a.contains("{session}"));
    let more = match mode {
        Mode::Start if !session.is_empty() => &p.session_args,
        Mode::Resume if !session.is_empty() || !wants_id(&p.resume_args) => &p.resume_args,
        // No id was ever learnt: the tool's latest conversation, where it
        // can name that.
        Mode::Resume => &p.resume_last_args,
        _ => return out,
    };
    out.extend(more.iter().map(|a| expand(a, session, &exe)));
    out
}

/// The argv to start: argv plus the extras, or for a shell command line the
/// line with the extras appended shell-quoted.
pub fn argv(config: &Config, t: &Tags, session: &str, mode: Mode) -> Vec<String> {
    // An id that is not id-shaped (a tag set by hand) is not put on a
    // command line: a fresh conversation rather than a stray flag.
    let session = if crate::report::valid_session(session) {
        session
    } else {
        ""
    };
    let extra = extra_args(config, t, session, mode);
    if extra.is_empty() {
        return t.argv.clone();
    }
    if t.shell {
        let mut line = t.argv.first().cloned().unwrap_or_default();
        for a in &extra {
            line.push(' ');
            line.push_str(&shell_quote(a));
        }
        vec![line]
    } else {
        let mut v = t.argv.clone();
        v.extend(extra);
        v
    }
}

/// For a restart in place: the record to keep, the argv to start and a note
/// on the conversation. The conversation resumes when an id is known (or
/// the profile resumes without one); `fresh` starts a new one.
pub fn restart_plan(
    config: &Config,
    ag: &crate::snapshot::Agent,
    fresh: bool,
) -> anyhow::Result<(Tags, Vec<String>, String)> {
    let mut record = ag.tags.clone();
    // A tag set by hand may hold anything: only an id-shaped one resumes.
    let known = Some(crate::report::session(ag))
        .filter(|s| crate::report::valid_session(s))
        .unwrap_or_default();
    let chooses = chooses_session(config, &record);
    let (session, mode) = if fresh || (known.is_empty() && chooses) {
        let id = if chooses {
            crate::report::new_session_id()?
        } else {
            String::new()
        };
        (id, Mode::Start)
    } else {
        (known, Mode::Resume)
    };
    record.session = session.clone();
    let argv = argv(config, &record, &session, mode);
    let resumes = mode == Mode::Resume
        && !extra_args(config, &record, &session, mode).is_empty()
        && config
            .profile(&record.profile)
            .is_some_and(|p| !p.resume_args.is_empty());
    let how = match (resumes, session.is_empty()) {
        (true, false) => format!(", resuming conversation {session}"),
        (true, true) => ", resuming its conversation".to_string(),
        _ => String::new(),
    };
    Ok((record, argv, how))
}

/// `pipe-pane` appending the pane's output to FILE (`spawn --log`): the
/// shell command is quoted for the shell and its `#` escaped, since tmux
/// expands formats in it.
pub fn log_cmd(target: &str, file: &str) -> crate::tmux::Cmd {
    let sh = format!("cat >> {}", shell_quote(file));
    crate::tmux::Cmd::new("pipe-pane").args(["-t", target, &crate::tmux::format_literal(&sh)])
}

/// Whether the agent's tool takes a conversation id crew chooses at spawn.
pub fn chooses_session(config: &Config, t: &Tags) -> bool {
    tool_profile(config, t).is_some_and(|p| p.session_args.iter().any(|a| a.contains("{session}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(profile: &str, argv: &[&str], shell: bool) -> Tags {
        Tags {
            name: "a".into(),
            profile: profile.into(),
            argv: argv.iter().map(|s| s.to_string()).collect(),
            shell,
            ..Tags::default()
        }
    }

    #[test]
    fn claude_start_and_resume() {
        let c = Config::default();
        let t = tags("claude", &["claude", "--model", "x"], false);
        let a = argv(&c, &t, "S1", Mode::Start);
        assert_eq!(&a[..3], &["claude", "--model", "x"]);
        assert_eq!(a[3], "--settings");
        let hooks: serde_json::Value = serde_json::from_str(&a[4]).unwrap();
        let cmd = hooks["hooks"]["Stop"][0]["hooks"][0]["command"]
            .as_str()
            .unwrap();
        assert!(cmd.ends_with(" report idle --hook-input"), "{cmd}");
        // Its status line records tokens, cost and context.
        let sl = hooks["statusLine"]["command"].as_str().unwrap();
        assert!(sl.ends_with(" report usage"), "{sl}");
        assert_eq!(&a[5..], &["--session-id", "S1"]);
        let r = argv(&c, &t, "S1", Mode::Resume);
        assert_eq!(&r[5..], &["--resume", "S1"]);
        // No id known: nothing to resume, a fresh conversation.
        assert_eq!(argv(&c, &t, "", Mode::Resume).len(), 5);
    }

    #[test]
    fn shell_line_quoted() {
        let c = Config::default();
        let t = tags("gemini", &["gemini -m pro"], true);
        assert_eq!(
            argv(&c, &t, "abc-1", Mode::Resume),
            vec!["gemini -m pro --resume abc-1".to_string()]
        );
        // Not id-shaped: never on a command line.
        assert_eq!(
            argv(&c, &t, "x'y", Mode::Resume),
            vec!["gemini -m pro".to_string()]
        );
        let t = tags("aider", &["aider"], true);
        assert_eq!(
            argv(&c, &t, "", Mode::Resume),
            vec!["aider --restore-chat-history".to_string()]
        );
        assert_eq!(argv(&c, &t, "", Mode::Start), vec!["aider".to_string()]);
    }

    #[test]
    fn other_programs_get_no_flags() {
        let c = Config::default();
        let t = tags("claude", &["/x/fake_agent", "ctl"], false);
        assert_eq!(argv(&c, &t, "S", Mode::Start), t.argv);
        let t = tags("claude", &["/usr/local/bin/claude"], false);
        assert_eq!(argv(&c, &t, "S", Mode::Resume).len(), 5);
    }
}
