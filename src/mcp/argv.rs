//! A tool call's arguments as the argv of the crew command it runs, checked
//! as the command line would be (names, flags never smuggled in as values).

use serde_json::{Map, Value};

/// A tool call's arguments, read with the types the schema promises.
pub(super) struct Args<'a>(pub(super) &'a Map<String, Value>);

impl Args<'_> {
    fn str(&self, k: &str) -> Result<Option<String>, String> {
        match self.0.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("`{k}` must be a string")),
        }
    }
    fn strs(&self, k: &str) -> Result<Vec<String>, String> {
        match self.0.get(k) {
            None | Some(Value::Null) => Ok(vec![]),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| format!("`{k}` must be an array of strings"))
                })
                .collect(),
            Some(Value::String(s)) => Ok(vec![s.clone()]),
            Some(_) => Err(format!("`{k}` must be an array of strings")),
        }
    }
    fn flag(&self, k: &str) -> Result<bool, String> {
        match self.0.get(k) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(format!("`{k}` must be a boolean")),
        }
    }
    fn num(&self, k: &str) -> Result<Option<f64>, String> {
        match self.0.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_f64()
                .filter(|f| f.is_finite() && *f >= 0.0)
                .map(Some)
                .ok_or_else(|| format!("`{k}` must be a non-negative number")),
            Some(_) => Err(format!("`{k}` must be a number")),
        }
    }
    /// Agent names go where crew reads names; one that looks like a flag
    /// would be read as one, so it is refused with crew's own rule.
    fn names(&self, k: &str) -> Result<Vec<String>, String> {
        let v = self.strs(k)?;
        for n in &v {
            check_name(n)?;
        }
        Ok(v)
    }
}

fn check_name(n: &str) -> Result<(), String> {
    if n.starts_with('-') || n.is_empty() {
        return Err(format!(
            "crew: invalid agent name {n:?}: {}",
            crate::names::RULE
        ));
    }
    Ok(())
}

/// `--team=T` when the call names a team (in `=` form: a team that looks
/// like a flag stays a value, and crew's own rule judges it).
fn team(v: &mut Vec<String>, a: &Args) -> Result<(), String> {
    if let Some(t) = a.str("team")? {
        v.push(format!("--team={t}"));
    }
    Ok(())
}

/// The crew argv for a tool call, and what goes on its stdin.
pub(super) fn argv(tool: &str, a: &Args) -> Result<(Vec<String>, Option<Vec<u8>>), String> {
    let mut v: Vec<String> = vec![tool.to_string()];
    let mut input = None;
    let secs = |f: f64| format!("{f}");
    match tool {
        "ls" => {
            v.push("--json".into());
            team(&mut v, a)?;
            let hosts = a.strs("hosts")?;
            if !hosts.is_empty() {
                v.push(format!("--hosts={}", hosts.join(",")));
            }
            v.extend(a.names("names")?);
        }
        "spawn" => {
            let name = a.str("name")?.ok_or("`name` is required")?;
            check_name(&name)?;
            v.push(name);
            if let Some(p) = a.str("profile")? {
                v.push(format!("--profile={p}"));
            }
            if let Some(c) = a.str("cwd")? {
                v.push(format!("--cwd={c}"));
            }
            for e in a.strs("env")? {
                v.push(format!("--env={e}"));
            }
            if let Some(r) = a.str("restart")? {
                v.push(format!("--restart={r}"));
            }
            team(&mut v, a)?;
            match a.0.get("worktree") {
                None | Some(Value::Null) | Some(Value::Bool(false)) => {}
                Some(Value::Bool(true)) => v.push("--worktree".into()),
                Some(Value::String(b)) => v.push(format!("--worktree={b}")),
                Some(_) => return Err("`worktree` must be a boolean or a branch name".into()),
            }
            let cmd = a.strs("command")?;
            if !cmd.is_empty() {
                v.push("--".into());
                v.extend(cmd);
            }
        }
        "send" => {
            v.push("--json".into());
            let names = a.names("names")?;
            let keys = a.strs("keys")?;
            let text = a.str("text")?;
            if a.flag("all")? {
                v.push("--all".into());
            }
            if a.flag("no_enter")? {
                v.push("--no-enter".into());
            }
            if a.flag("queue")? {
                v.push("--queue".into());
            }
            team(&mut v, a)?;
            if let Some(s) = a.num("wait_idle")? {
                v.push(format!("--wait-idle={}", secs(s)));
            }
            match (text, keys.is_empty()) {
                (Some(_), false) => return Err("give `text` or `keys`, not both".into()),
                (None, true) => return Err("`text` (or `keys`) is required".into()),
                (Some(t), true) => {
                    // The message goes on stdin: byte-exact and of any size.
                    if t.is_empty() {
                        return Err("crew: the message is empty; nothing was sent".into());
                    }
                    v.extend(names);
                    v.extend(["--".into(), "-".into()]);
                    input = Some(t.into_bytes());
                }
                (None, false) => {
                    v.push("--keys".into());
                    v.extend(names);
                    v.push("--".into());
                    v.extend(keys);
                }
            }
        }
        "ask" => {
            let name = a.str("name")?.ok_or("`name` is required")?;
            check_name(&name)?;
            let text = a.str("text")?.ok_or("`text` is required")?;
            if text.is_empty() {
                return Err("crew: the message is empty; nothing was sent".into());
            }
            v.push("--json".into());
            if let Some(t) = a.num("timeout")? {
                v.push(format!("--timeout={}", secs(t)));
            }
            // The message goes on stdin: byte-exact and of any size.
            v.extend(["--".into(), name, "-".into()]);
            input = Some(text.into_bytes());
        }
        "read" => {
            let name = a.str("name")?.ok_or("`name` is required")?;
            check_name(&name)?;
            if let Some(n) = a.num("lines")? {
                v.push(format!("--lines={}", n as u64));
            }
            for f in ["all", "new", "ansi"] {
                if a.flag(f)? {
                    v.push(format!("--{f}"));
                }
            }
            v.push("--".into());
            v.push(name);
        }
        "wait" => {
            if a.flag("all")? {
                v.push("--all".into());
            }
            if let Some(u) = a.str("until")? {
                v.push(format!("--until={u}"));
            }
            if a.flag("first")? {
                v.push("--first".into());
            }
            if let Some(t) = a.num("timeout")? {
                v.push(format!("--timeout={}", secs(t)));
            }
            team(&mut v, a)?;
            v.push("--".into());
            v.extend(a.names("names")?);
        }
        "approve" | "deny" => {
            v.push("--json".into());
            if a.flag("all")? {
                v.push("--all".into());
            }
            if let Some(m) = a.str("message")? {
                if tool == "approve" {
                    return Err("approve takes no message".into());
                }
                v.push(format!("--message={m}"));
            }
            v.push("--".into());
            v.extend(a.names("names")?);
        }
        "kill" => {
            for (f, flag) in [
                ("all", "--all"),
                ("force", "--force"),
                ("rm_worktree", "--rm-worktree"),
            ] {
                if a.flag(f)? {
                    v.push(flag.into());
                }
            }
            if let Some(g) = a.num("grace")? {
                v.push(format!("--grace={}", secs(g)));
            }
            team(&mut v, a)?;
            v.push("--".into());
            v.extend(a.names("names")?);
        }
        "diff" => {
            // Plain text: no pager (`crew mcp` gives --color=never itself).
            let name = a.str("name")?.ok_or("`name` is required")?;
            check_name(&name)?;
            v.push("--no-pager".into());
            if a.flag("stat")? {
                v.push("--stat".into());
            }
            v.extend(["--".into(), name]);
        }
        "merge" => {
            v.push("--json".into());
            let name = a.str("name")?.ok_or("`name` is required")?;
            check_name(&name)?;
            for (f, flag) in [
                ("rebase", "--rebase"),
                ("ff_only", "--ff-only"),
                ("kill", "--kill"),
            ] {
                if a.flag(f)? {
                    v.push(flag.into());
                }
            }
            v.extend(["--".into(), name]);
        }
        "answer" => {
            v.push("--json".into());
            let name = a.str("name")?.ok_or("`name` is required")?;
            check_name(&name)?;
            let choice = match a.0.get("choice") {
                Some(Value::Number(n)) => n.as_u64().filter(|c| (1..=9).contains(c)),
                _ => None,
            }
            .ok_or("`choice` must be an integer from 1 to 9")?;
            v.extend(["--".into(), name, choice.to_string()]);
        }
        "restart" => {
            for f in ["all", "fresh"] {
                if a.flag(f)? {
                    v.push(format!("--{f}"));
                }
            }
            team(&mut v, a)?;
            v.push("--".into());
            v.extend(a.names("names")?);
        }
        "adopt" => {
            let pane = a.str("pane")?.ok_or("`pane` is required")?;
            let name = a.str("name")?.ok_or("`name` is required")?;
            check_name(&name)?;
            if pane.starts_with('-') {
                return Err(format!("crew: {pane:?} is not a pane id (like %21)"));
            }
            if let Some(p) = a.str("profile")? {
                v.push(format!("--profile={p}"));
            }
            team(&mut v, a)?;
            v.extend(["--".into(), pane, name]);
        }
        "queue" => {
            v.push("--json".into());
            let name = a.str("name")?.ok_or("`name` is required")?;
            check_name(&name)?;
            if a.flag("clear")? {
                v.push("--clear".into());
            }
            v.extend(["--".into(), name]);
        }
        "show" => {
            v.push("--json".into());
            for f in ["focus", "zoom"] {
                if a.flag(f)? {
                    v.push(format!("--{f}"));
                }
            }
            if let Some(l) = a.str("layout")? {
                v.push(format!("--layout={l}"));
            }
            v.push("--".into());
            v.extend(a.names("names")?);
        }
        "park" => {
            v.push("--json".into());
            if a.flag("all")? {
                v.push("--all".into());
            }
            v.push("--".into());
            v.extend(a.names("names")?);
        }
        "rename" => {
            let old = a.str("old")?.ok_or("`old` is required")?;
            let new = a.str("new")?.ok_or("`new` is required")?;
            check_name(&old)?;
            check_name(&new)?;
            v.extend(["--".into(), old, new]);
        }
        "recover" => {
            v.push("--json".into());
            if a.flag("dry_run")? {
                v.push("--dry-run".into());
            }
            if let Some(f) = a.str("from")? {
                v.push(format!("--from={f}"));
            }
        }
        other => return Err(format!("no tool named {other}")),
    }
    Ok((v, input))
}
