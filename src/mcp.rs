//! The MCP front end: crew's commands as tools for an agent that leads
//! agents, on stdio, through the official Rust SDK (`rmcp`).
//!
//! Each tool call runs this very crew binary once with the command's own
//! argv (and `--json` where the command has it), so a tool has exactly the
//! command's rules, messages and exit codes and takes one snapshot → plan →
//! apply like any other invocation; the server itself keeps no state. A
//! non-zero exit becomes a tool error carrying crew's `crew: …`/`hint: …`
//! lines, which is what a model needs to correct itself. Running the binary
//! rather than the `cmd/` functions keeps the commands free to print, read
//! stdin and exit as they do for people.

use crate::ctx::Ctx;
use anyhow::{Context, Result};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde_json::{json, Map, Value};
use std::path::PathBuf;
use std::process::Stdio;

#[derive(Clone)]
struct Crew {
    exe: PathBuf,
    /// Global flags of `crew … mcp`, given to every tool call.
    globals: Vec<String>,
}

pub fn serve(ctx: &Ctx) -> Result<()> {
    let exe = std::env::current_exe().context("could not find crew's own binary")?;
    let mut globals: Vec<String> = ctx.tmux.server_flags().to_vec();
    if let Some(src) = &ctx.config.source {
        globals.push(format!("--config={}", src.display()));
    }
    // --host (CREW_HOST reaches the children by itself).
    let mut args = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned());
    while let Some(a) = args.next() {
        if a == "--host" {
            if let Some(h) = args.next() {
                globals.push(format!("--host={h}"));
            }
        } else if a.starts_with("--host=") {
            globals.push(a);
        }
    }
    let server = Crew { exe, globals };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("could not start the MCP server's runtime")?;
    rt.block_on(async move {
        let running = server
            .serve(rmcp::transport::stdio())
            .await
            .context("MCP handshake failed")?;
        running.waiting().await.context("MCP server failed")?;
        Ok(())
    })
}

fn schema(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => unreachable!("schemas are objects"),
    }
}

fn names_schema(what: &str) -> Value {
    json!({
        "type": "array",
        "items": {"type": "string"},
        "description": format!("{what}: agent names or shell-style globs ('review-*'); NAME@HOST for an agent on another host")
    })
}

fn tools() -> Vec<Tool> {
    let t = |name: &'static str, desc: &'static str, s: Value| Tool::new(name, desc, schema(s));
    vec![
        t(
            "ls",
            "List agents as JSON: name, status (working, idle, permission, question, exited, unknown), where, pane_id, pid, command, cwd, profile, created, restarts.",
            json!({"type": "object", "properties": {
                "names": names_schema("Agents to list (default: all)"),
                "hosts": {"type": "array", "items": {"type": "string"}, "description": "Ask these hosts over ssh and merge their rows (each row gets `host`)"}
            }}),
        ),
        t(
            "spawn",
            "Start an agent in a new tmux pane (parked). Without command: the profile's command, else $SHELL. A command of several words runs as argv, one word through the shell.",
            json!({"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string", "description": "1-64 letters, digits, '-' and '_'; NAME@HOST spawns on another host"},
                "command": {"type": "array", "items": {"type": "string"}, "description": "The command and its arguments"},
                "profile": {"type": "string", "description": "Profile for the command and status detection (claude, codex, gemini, aider, opencode, shell)"},
                "cwd": {"type": "string", "description": "Working directory (must exist)"},
                "env": {"type": "array", "items": {"type": "string"}, "description": "KEY=VALUE pairs for the agent's environment"},
                "restart": {"type": "string", "enum": ["never", "on-failure", "always"]}
            }}),
        ),
        t(
            "send",
            "Type a message into agents and submit it, byte-exact; returns when the agent has taken it. Refused for an agent asking permission or a question (use approve/deny) or one that exited.",
            json!({"type": "object", "properties": {
                "names": names_schema("Agents to send to"),
                "all": {"type": "boolean", "description": "Send to every agent"},
                "text": {"type": "string", "description": "The message"},
                "keys": {"type": "array", "items": {"type": "string"}, "description": "tmux key names to press instead of text (C-c, Escape, Up, Enter)"},
                "no_enter": {"type": "boolean", "description": "Type but do not submit"},
                "wait_idle": {"type": "number", "description": "First wait up to this many seconds for the agent to be idle"}
            }}),
        ),
        t(
            "read",
            "An agent's screen as text (works on exited agents). `new`: only what appeared since the previous read with `new`.",
            json!({"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"},
                "lines": {"type": "integer", "minimum": 0, "description": "The last N lines, scrollback included"},
                "all": {"type": "boolean", "description": "The whole scrollback"},
                "new": {"type": "boolean", "description": "Only what is new since the last read with new"},
                "ansi": {"type": "boolean", "description": "Keep colours as ANSI escapes"}
            }}),
        ),
        t(
            "wait",
            "Block until every named agent reaches a state: idle (default), exited, attention (permission or question) or any. A timeout is an error.",
            json!({"type": "object", "properties": {
                "names": names_schema("Agents to wait for"),
                "all": {"type": "boolean"},
                "until": {"type": "string", "enum": ["idle", "exited", "attention", "any"]},
                "timeout": {"type": "number", "description": "Seconds"}
            }}),
        ),
        t(
            "approve",
            "Approve the permission dialog agents are showing, with the keys their profile names. Refused when an agent is not asking.",
            json!({"type": "object", "required": ["names"], "properties": {
                "names": names_schema("Agents to approve")
            }}),
        ),
        t(
            "deny",
            "Deny the permission dialog agents are showing, optionally telling them why.",
            json!({"type": "object", "required": ["names"], "properties": {
                "names": names_schema("Agents to deny"),
                "message": {"type": "string", "description": "What to do instead"}
            }}),
        ),
        t(
            "kill",
            "Stop agents (TERM, a grace period, then KILL) and remove their panes.",
            json!({"type": "object", "properties": {
                "names": names_schema("Agents to kill"),
                "all": {"type": "boolean"},
                "force": {"type": "boolean", "description": "No grace period"},
                "grace": {"type": "number", "description": "Seconds to wait after TERM (default 5)"}
            }}),
        ),
    ]
}

/// A tool call's arguments, read with the types the schema promises.
struct Args<'a>(&'a Map<String, Value>);

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

/// The crew argv for a tool call, and what goes on its stdin.
fn argv(tool: &str, a: &Args) -> Result<(Vec<String>, Option<Vec<u8>>), String> {
    let mut v: Vec<String> = vec![tool.to_string()];
    let mut input = None;
    let secs = |f: f64| format!("{f}");
    match tool {
        "ls" => {
            v.push("--json".into());
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
            if let Some(t) = a.num("timeout")? {
                v.push(format!("--timeout={}", secs(t)));
            }
            v.push("--".into());
            v.extend(a.names("names")?);
        }
        "approve" | "deny" => {
            v.push("--json".into());
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
            for f in ["all", "force"] {
                if a.flag(f)? {
                    v.push(format!("--{f}"));
                }
            }
            if let Some(g) = a.num("grace")? {
                v.push(format!("--grace={}", secs(g)));
            }
            v.push("--".into());
            v.extend(a.names("names")?);
        }
        other => return Err(format!("no tool named {other}")),
    }
    Ok((v, input))
}

impl Crew {
    async fn call(&self, tool: &str, args: &Map<String, Value>) -> CallToolResult {
        let (argv, input) = match argv(tool, &Args(args)) {
            Ok(x) => x,
            Err(e) => return CallToolResult::error(vec![ContentBlock::text(e)]),
        };
        match self.run(&argv, input).await {
            Ok((0, out, _)) => CallToolResult::success(vec![ContentBlock::text(out)]),
            Ok((code, out, err)) => {
                let mut text = err.trim_end().to_string();
                if !out.trim().is_empty() {
                    text = format!("{}\n{text}", out.trim_end());
                }
                text.push_str(&format!("\n(exit status {code})"));
                CallToolResult::error(vec![ContentBlock::text(text)])
            }
            Err(e) => CallToolResult::error(vec![ContentBlock::text(format!("crew: {e:#}"))]),
        }
    }

    async fn run(&self, argv: &[String], input: Option<Vec<u8>>) -> Result<(i32, String, String)> {
        use tokio::io::AsyncWriteExt;
        let mut cmd = tokio::process::Command::new(&self.exe);
        cmd.arg("--color=never")
            .args(&self.globals)
            .args(argv)
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = cmd.spawn().context("could not run crew")?;
        if let Some(data) = input {
            let mut stdin = child.stdin.take().expect("piped");
            tokio::spawn(async move {
                let _ = stdin.write_all(&data).await;
            });
        }
        let out = child.wait_with_output().await?;
        Ok((
            out.status.code().unwrap_or(1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ))
    }
}

impl ServerHandler for Crew {
    fn get_info(&self) -> ServerConfig {
        let mut info = ServerConfig::new(ServerCapabilities::builder().enable_tools().build());
        info.server_info = Implementation::new("crew", crate::remote::VERSION);
        info.instructions = Some(
            "crew runs AI coding agents in tmux panes. spawn starts one, send gives it a task, \
             wait blocks until it is idle, read shows its screen, approve/deny answer its \
             permission dialogs, kill stops it. ls shows every agent's status."
                .into(),
        );
        info
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(tools()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        if !tools().iter().any(|t| t.name == request.name) {
            return Err(ErrorData::invalid_params(
                format!("no tool named {}", request.name),
                None,
            ));
        }
        let args = request.arguments.unwrap_or_default();
        Ok(self.call(&request.name, &args).await.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(tool: &str, v: Value) -> Result<(Vec<String>, Option<Vec<u8>>), String> {
        argv(tool, &Args(&schema(v)))
    }

    #[test]
    fn argv_of_tools() {
        let (v, input) = of("send", json!({"names": ["a", "b"], "text": "-k ; $(x)"})).unwrap();
        assert_eq!(v, ["send", "--json", "a", "b", "--", "-"]);
        assert_eq!(input.unwrap(), b"-k ; $(x)");
        let (v, _) = of("send", json!({"names": ["a"], "keys": ["C-c"]})).unwrap();
        assert_eq!(v, ["send", "--json", "--keys", "a", "--", "C-c"]);
        let (v, _) = of("kill", json!({"names": ["a"], "force": true})).unwrap();
        assert_eq!(v, ["kill", "--force", "--", "a"]);
        let (v, _) = of(
            "spawn",
            json!({"name": "a", "command": ["sh", "-c", "x"], "cwd": "-d"}),
        )
        .unwrap();
        assert_eq!(v, ["spawn", "a", "--cwd=-d", "--", "sh", "-c", "x"]);
        let (v, _) = of("read", json!({"name": "a", "new": true})).unwrap();
        assert_eq!(v, ["read", "--new", "--", "a"]);
        let (v, _) = of("deny", json!({"names": ["a"], "message": "no"})).unwrap();
        assert_eq!(v, ["deny", "--json", "--message=no", "--", "a"]);
        // A name that would be read as a flag is refused.
        assert!(of("kill", json!({"names": ["--all"]}))
            .unwrap_err()
            .contains("invalid agent name"));
        assert!(of("send", json!({"names": ["a"]})).is_err());
        assert!(of("wait", json!({"timeout": "soon"})).is_err());
        assert!(of("ls", json!({"names": 3})).is_err());
    }

    #[test]
    fn every_tool_has_an_object_schema() {
        let names: Vec<String> = tools().iter().map(|t| t.name.to_string()).collect();
        assert_eq!(
            names,
            ["ls", "spawn", "send", "read", "wait", "approve", "deny", "kill"]
        );
        for t in tools() {
            assert_eq!(t.input_schema["type"], "object", "{}", t.name);
        }
    }
}
