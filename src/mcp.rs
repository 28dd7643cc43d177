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

mod argv;
mod frame;
mod tools;

use argv::{argv, Args};
use tools::tools;

use crate::ctx::Ctx;
use anyhow::{Context, Result};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde_json::{Map, Value};
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
            .serve(frame::transport())
            .await
            .context("MCP handshake failed")?;
        running.waiting().await.context("MCP server failed")?;
        Ok(())
    })
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
            "crew runs AI coding agents in tmux panes. spawn starts one, send gives it a task \
             (or queues it), ask sends and returns the reply when the turn ends, wait blocks \
             until agents are idle (first: until the first of them is), read shows its screen, approve/deny \
             answer its permission dialogs and answer picks a menu option, diff/merge review \
             a worktree agent's work and merge its branch, restart/kill stop or restart it, \
             show/park bring it beside you or away, adopt/rename/queue/recover manage the \
             rest. ls shows every agent's status."
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
    use super::tools::schema;
    use super::*;
    use serde_json::json;

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
            [
                "ls", "spawn", "send", "ask", "read", "wait", "approve", "deny", "kill", "answer",
                "restart", "adopt", "queue", "show", "park", "rename", "recover", "diff", "merge"
            ]
        );
        for t in tools() {
            assert_eq!(t.input_schema["type"], "object", "{}", t.name);
        }
    }

    /// Every tool's argv, with each property its schema offers, is one the
    /// CLI accepts: the same command with the same flags.
    #[test]
    fn every_tools_argv_parses_as_the_cli() {
        use clap::Parser;
        let calls = [
            ("ls", json!({"names": ["a"], "team": "t", "hosts": ["h"]})),
            (
                "spawn",
                json!({"name": "a", "command": ["x"], "profile": "shell", "cwd": "/",
                "env": ["K=V"], "restart": "never", "team": "t", "worktree": "b"}),
            ),
            ("spawn", json!({"name": "a", "worktree": true})),
            (
                "send",
                json!({"names": ["a"], "text": "x", "no_enter": true, "wait_idle": 3}),
            ),
            ("send", json!({"team": "t", "text": "x", "queue": true})),
            ("send", json!({"all": true, "keys": ["Enter"]})),
            ("read", json!({"name": "a", "lines": 5, "ansi": true})),
            ("wait", json!({"team": "t", "until": "any", "timeout": 1})),
            ("approve", json!({"all": true})),
            ("deny", json!({"names": ["a"], "message": "m"})),
            (
                "kill",
                json!({"team": "t", "force": true, "grace": 1, "rm_worktree": true}),
            ),
            ("answer", json!({"name": "a", "choice": 2})),
            ("restart", json!({"names": ["a"], "fresh": true})),
            ("restart", json!({"team": "t"})),
            (
                "adopt",
                json!({"pane": "%1", "name": "a", "profile": "shell", "team": "t"}),
            ),
            ("queue", json!({"name": "a", "clear": true})),
            (
                "show",
                json!({"names": ["a", "b"], "layout": "tiled", "focus": true, "zoom": true}),
            ),
            ("park", json!({"all": true})),
            ("rename", json!({"old": "a", "new": "b"})),
            ("recover", json!({"dry_run": true, "from": "f.json"})),
            ("diff", json!({"name": "a", "stat": true})),
            (
                "merge",
                json!({"name": "a", "rebase": true, "ff_only": false, "kill": true}),
            ),
            ("merge", json!({"name": "a", "ff_only": true})),
        ];
        for (tool, args) in calls {
            let (v, _) = of(tool, args.clone()).unwrap();
            let r = crate::cli::Cli::try_parse_from(
                std::iter::once("crew".to_string()).chain(v.clone()),
            );
            assert!(r.is_ok(), "{tool} {args}: {v:?}: {}", r.err().unwrap());
        }
        let (v, _) = of("answer", json!({"name": "a", "choice": 2})).unwrap();
        assert_eq!(v, ["answer", "--json", "--", "a", "2"]);
        assert!(of("answer", json!({"name": "a", "choice": 0})).is_err());
        assert!(of("adopt", json!({"pane": "-x", "name": "a"})).is_err());
        assert!(of("rename", json!({"old": "a", "new": "--all"})).is_err());
        // diff is plain text for a model: no pager (and crew mcp's own
        // --color=never); a name like a flag is refused.
        let (v, _) = of("diff", json!({"name": "a"})).unwrap();
        assert_eq!(v, ["diff", "--no-pager", "--", "a"]);
        let (v, _) = of("merge", json!({"name": "a", "kill": true})).unwrap();
        assert_eq!(v, ["merge", "--json", "--kill", "--", "a"]);
        assert!(of("merge", json!({"name": "--rebase"})).is_err());
        assert!(of("diff", json!({})).is_err());
    }
}
