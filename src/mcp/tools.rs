//! The tools `crew mcp` offers, with their JSON schemas: one per command an
//! agent that leads agents has a use for.

use rmcp::model::Tool;
use serde_json::{json, Map, Value};

pub(super) fn schema(v: Value) -> Map<String, Value> {
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

pub(super) fn tools() -> Vec<Tool> {
    let t = |name: &'static str, desc: &'static str, s: Value| Tool::new(name, desc, schema(s));
    vec![
        t(
            "ls",
            "List agents as JSON: name, status (working, idle, permission, question, exited, unknown), where, pane_id, pid, command, cwd, profile, created, restarts.",
            json!({"type": "object", "properties": {
                "names": names_schema("Agents to list (default: all)"),
                "team": {"type": "string", "description": "Only the agents of this team"},
                "hosts": {"type": "array", "items": {"type": "string"}, "description": "Ask these hosts over ssh and merge their rows (each row gets `host`)"}
            }}),
        ),
        t(
            "spawn",
            "Start an agent in a new tmux pane (parked), with this server's environment plus `env`. Without command: the profile's command, else $SHELL. A command of several words runs as argv, one word through the shell.",
            json!({"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string", "description": "1-64 letters, digits, '-' and '_'; NAME@HOST spawns on another host"},
                "command": {"type": "array", "items": {"type": "string"}, "description": "The command and its arguments"},
                "profile": {"type": "string", "description": "Profile for the command and status detection (claude, codex, gemini, aider, opencode, shell)"},
                "cwd": {"type": "string", "description": "Working directory (must exist)"},
                "env": {"type": "array", "items": {"type": "string"}, "description": "KEY=VALUE pairs for the agent's environment"},
                "restart": {"type": "string", "enum": ["never", "on-failure", "always"]},
                "team": {"type": "string", "description": "Put the agent in this team, parked in a session named after it"},
                "worktree": {"type": ["boolean", "string"], "description": "true: start it in a new git worktree on branch crew/NAME; a string: on that branch"}
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
                "wait_idle": {"type": "number", "description": "First wait up to this many seconds for the agent to be idle"},
                "team": {"type": "string", "description": "Send to every agent of this team"},
                "queue": {"type": "boolean", "description": "Leave the message for when the agent is next idle, and return at once"}
            }}),
        ),
        t(
            "ask",
            "Send a message to one agent and return its reply when the turn it began ends, as JSON {name, status, timed_out, reply}: waits for the agent to be idle first, never types into a dialog; `reply` is the text the agent added (cleaned as `read` cleans it, without its input box and the echo of the message). A turn that ends in a dialog returns status permission or question with the dialog as the reply (answer it with approve, deny or answer). A timeout is an error carrying what it said so far.",
            json!({"type": "object", "required": ["name", "text"], "properties": {
                "name": {"type": "string", "description": "The agent (NAME@HOST for one on another host)"},
                "text": {"type": "string", "description": "The message"},
                "timeout": {"type": "number", "description": "Seconds to wait in all (idle first, then the turn)"}
            }}),
        ),
        t(
            "read",
            "An agent's screen as text (works on exited agents). `new`: only what appeared since the previous read with `new`.",
            json!({"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"},
                "lines": {"type": "integer", "minimum": 0, "description": "The last N lines of what the agent said, scrollback included (blank runs count as one)"},
                "all": {"type": "boolean", "description": "The whole scrollback"},
                "new": {"type": "boolean", "description": "Only what is new since the last read with new"},
                "ansi": {"type": "boolean", "description": "Keep colours as ANSI escapes"}
            }}),
        ),
        t(
            "wait",
            "Block until every named agent reaches a state: idle (default), exited, attention (permission or question) or any; with `first`, until any one of them does, and say which (lines `NAME STATUS`). A timeout is an error; so is an agent that exits or is removed while waited for.",
            json!({"type": "object", "properties": {
                "names": names_schema("Agents to wait for"),
                "all": {"type": "boolean"},
                "until": {"type": "string", "enum": ["idle", "exited", "attention", "any"]},
                "first": {"type": "boolean", "description": "Return when the first of them reaches the state (whichever finishes or needs help first)"},
                "timeout": {"type": "number", "description": "Seconds"},
                "team": {"type": "string", "description": "Wait for every agent of this team"}
            }}),
        ),
        t(
            "approve",
            "Approve the permission dialog agents are showing, with the keys their profile names. Refused when an agent is not asking.",
            json!({"type": "object", "properties": {
                "names": names_schema("Agents to approve"),
                "all": {"type": "boolean", "description": "Every agent asking for permission"}
            }}),
        ),
        t(
            "deny",
            "Deny the permission dialog agents are showing, optionally telling them why.",
            json!({"type": "object", "properties": {
                "names": names_schema("Agents to deny"),
                "all": {"type": "boolean", "description": "Every agent asking for permission"},
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
                "grace": {"type": "number", "description": "Seconds to wait after TERM (default 5)"},
                "team": {"type": "string", "description": "Every agent of this team; the team ends (its session goes)"},
                "rm_worktree": {"type": "boolean", "description": "Also remove the agents' --worktree folders and branches (refused if they hold uncommitted work, unless force)"}
            }}),
        ),
        t(
            "answer",
            "Pick option N (1-9) of the menu an agent is asking (a question or a permission dialog), with the keys its profile names; checked afterwards. Refused when the agent is not asking.",
            json!({"type": "object", "required": ["name", "choice"], "properties": {
                "name": {"type": "string"},
                "choice": {"type": "integer", "minimum": 1, "maximum": 9}
            }}),
        ),
        t(
            "restart",
            "Restart agents in place with their recorded command (back in their conversation where the profile knows how), with this server's environment plus their recorded env.",
            json!({"type": "object", "properties": {
                "names": names_schema("Agents to restart"),
                "all": {"type": "boolean"},
                "team": {"type": "string", "description": "Every agent of this team"},
                "fresh": {"type": "boolean", "description": "Start a new conversation instead of resuming"}
            }}),
        ),
        t(
            "adopt",
            "Make an existing tmux pane (a tool started by hand) an agent under a name.",
            json!({"type": "object", "required": ["pane", "name"], "properties": {
                "pane": {"type": "string", "description": "The pane's id, like %21"},
                "name": {"type": "string"},
                "profile": {"type": "string"},
                "team": {"type": "string"}
            }}),
        ),
        t(
            "queue",
            "The messages waiting for an agent to be idle (left by send with queue), as JSON; `clear` drops them.",
            json!({"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"},
                "clear": {"type": "boolean"}
            }}),
        ),
        t(
            "show",
            "Bring agents into view beside the pane crew mcp runs in (its tmux window), in the order given; whatever else was on view there is parked.",
            json!({"type": "object", "required": ["names"], "properties": {
                "names": names_schema("Agents to show"),
                "layout": {"type": "string", "enum": ["tiled", "main-vertical", "main-horizontal", "even-horizontal", "even-vertical"]},
                "focus": {"type": "boolean", "description": "Move the focus into the first agent"},
                "zoom": {"type": "boolean", "description": "Zoom the first agent (tmux's zoom)"}
            }}),
        ),
        t(
            "park",
            "Send agents on view back to their parking windows; no names: what is on view beside this pane.",
            json!({"type": "object", "properties": {
                "names": names_schema("Agents to park"),
                "all": {"type": "boolean"}
            }}),
        ),
        t(
            "rename",
            "Rename an agent (refused when the new name is taken).",
            json!({"type": "object", "required": ["old", "new"], "properties": {
                "old": {"type": "string"},
                "new": {"type": "string"}
            }}),
        ),
        t(
            "recover",
            "Repair what crashes leave (restart exited agents by their policy, re-tag, re-park); `from`: re-create the agents of a saved `ls` JSON file.",
            json!({"type": "object", "properties": {
                "dry_run": {"type": "boolean", "description": "Only say what would be done"},
                "from": {"type": "string", "description": "A file holding a saved ls JSON array"}
            }}),
        ),
        t(
            "diff",
            "What an agent spawned with a worktree changed, against the branch it started from: its commits and its uncommitted work, new files included, as plain `git diff` text (empty when it changed nothing). Refused for an agent without a worktree.",
            json!({"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"},
                "stat": {"type": "boolean", "description": "Only the summary: files and lines added and removed"}
            }}),
        ),
        t(
            "merge",
            "Merge a worktree agent's branch into the branch it started from, where that branch is checked out. Refused, with nothing changed, when the agent has uncommitted work (have it commit first), the checkout has uncommitted changes, or the merge conflicts (it is aborted; have the agent rebase and resolve).",
            json!({"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"},
                "rebase": {"type": "boolean", "description": "Rebase the agent's branch onto the base first, then fast-forward (no merge commit)"},
                "ff_only": {"type": "boolean", "description": "Only a fast-forward"},
                "kill": {"type": "boolean", "description": "Then end the agent and remove its worktree and branch (as kill with rm_worktree)"}
            }}),
        ),
    ]
}
