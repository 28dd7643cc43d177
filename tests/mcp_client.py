"""A real MCP client (the `mcp` package from PyPI) driving `crew mcp` on stdio.

Usage: mcp_client.py CREW SOCKET_NAME ECHOER LOG FAKE_AGENT CONTROL FAKE_LOG
Env: TMUX_TMPDIR etc. for the crew server; MCP_EXTRA_ARGS, a JSON list of
global flags for `crew mcp` (e.g. ["--host", "box"]). Prints one JSON object per step
(tool name, isError, text) for tests/mcp.rs to judge.
"""

import asyncio
import json
import os
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


def attr(obj, snake, camel):
    """mcp 2.x names fields in snake_case, 1.x in camelCase."""
    return getattr(obj, snake) if hasattr(obj, snake) else getattr(obj, camel)


def say(step, **kw):
    print(json.dumps({"step": step, **kw}), flush=True)


async def main():
    crew, sock, echoer, log, fake, control, fake_log = sys.argv[1:8]
    env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
    # crew mcp run from a pane of the server (the lead agent's), for show/park.
    if os.environ.get("MCP_TMUX"):
        env["TMUX"], env["TMUX_PANE"] = os.environ["MCP_TMUX"], os.environ["MCP_TMUX_PANE"]
    env["SHELL"] = "/bin/sh"
    extra = json.loads(os.environ.get("MCP_EXTRA_ARGS", "[]"))
    params = StdioServerParameters(command=crew, args=[*extra, "-L", sock, "mcp"], env=env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            info = attr(init, "server_info", "serverInfo")
            say("initialize", server=info.name, version=info.version)
            tools = await session.list_tools()
            say("list_tools", names=[t.name for t in tools.tools],
                schemas={t.name: attr(t, "input_schema", "inputSchema") for t in tools.tools})

            async def call(step, tool, args):
                r = await session.call_tool(tool, args)
                text = "".join(c.text for c in r.content if c.type == "text")
                say(step, tool=tool, is_error=bool(attr(r, "is_error", "isError")), text=text)

            await call("spawn_shell", "spawn", {"name": "sh1"})
            await call("spawn_echoer", "spawn", {"name": "echo", "command": [echoer, log]})
            await call("ls", "ls", {})
            await call("wait_idle", "wait", {"names": ["sh1"], "until": "idle", "timeout": 20})
            await call("send_shell", "send", {"names": ["sh1"], "text": "echo hello-$((6*7))"})
            await call("wait_after", "wait", {"names": ["sh1"], "until": "idle", "timeout": 20})
            await call("read", "read", {"name": "sh1"})
            await call("read_new", "read", {"name": "sh1", "new": True})
            await call("read_new_again", "read", {"name": "sh1", "new": True})
            await call("send_exact", "send", {"names": ["echo"], "text": "a;b $(x) 'q' \"d\" #{pane_id} -k Enter"})
            await call("send_missing", "send", {"names": ["nope"], "text": "hi"})
            await call("kill_flaglike", "kill", {"names": ["--all"]})
            await call("wait_timeout", "wait", {"names": ["echo"], "until": "exited", "timeout": 0.3})
            await call("approve_shell", "approve", {"names": ["sh1"]})

            # A fake Claude Code that asks for permission: approve, then deny.
            await call("spawn_fake", "spawn", {"name": "boss", "profile": "claude",
                                               "command": [fake, control, fake_log]})
            await call("fake_idle", "wait", {"names": ["boss"], "until": "idle", "timeout": 20})
            for n, (tool, args) in enumerate([("approve", {}), ("deny", {"message": "use trash/ instead"})]):
                with open(control, "w") as f:
                    f.write(f"permission {n}")
                await call(f"fake_asks_{tool}", "wait", {"names": ["boss"], "until": "attention", "timeout": 20})
                await call(f"send_to_dialog_{tool}", "send", {"names": ["boss"], "text": "yes"})
                await call(tool, tool, {"names": ["boss"], **args})
                with open(control, "w") as f:  # approved: it works until told it is done
                    f.write(f"idle {n}")
                await call(f"fake_idle_{tool}", "wait", {"names": ["boss"], "until": "idle", "timeout": 20})
            # A menu question: answer picks option 2.
            with open(control, "w") as f:
                f.write("question 9")
            await call("fake_asks_question", "wait", {"names": ["boss"], "until": "attention", "timeout": 20})
            await call("answer_bad", "answer", {"name": "boss", "choice": 12})
            await call("answer", "answer", {"name": "boss", "choice": 2})
            with open(control, "w") as f:
                f.write("idle 9")
            await call("fake_idle_answer", "wait", {"names": ["boss"], "until": "idle", "timeout": 20})
            # A lead agent: the first of two to be idle, a question answered in
            # one call, and the turn events of the one that worked.
            with open(control, "w") as f:
                f.write("working 11")
            await asyncio.sleep(0.5)
            await call("wait_first", "wait", {"names": ["boss", "sh1", "echo"], "until": "idle", "first": True, "timeout": 20})
            await call("ask", "ask", {"name": "sh1", "text": "echo asked-$((3*4))", "timeout": 20})
            await call("ask_dialogless_missing", "ask", {"name": "nope", "text": "hi"})
            with open(control, "w") as f:
                f.write("idle 11")
            await call("boss_done", "wait", {"names": ["boss"], "until": "idle", "timeout": 20})
            await call("ls_turns", "ls", {"names": ["boss"]})

            if os.environ.get("MCP_LOCAL_EXTRAS"):
                repo, byhand = os.environ["MCP_REPO"], os.environ["MCP_BYHAND"]
                # A queued message is typed when the agent is next idle.
                await call("send_queue", "send", {"names": ["sh1"], "text": "echo queued-$((2*3))", "queue": True})
                await call("wait_queue", "wait", {"names": ["sh1"], "until": "idle", "timeout": 20})
                await call("queue_missing", "queue", {"name": "nope"})
                for _ in range(100):
                    await call("read_queue", "read", {"name": "sh1"})
                    r = await session.call_tool("read", {"name": "sh1"})
                    if "queued-6" in "".join(c.text for c in r.content if c.type == "text"):
                        break
                    await asyncio.sleep(0.1)
                await call("queue_after", "queue", {"name": "sh1"})
                # Teams and worktrees on spawn; ls, wait and kill by team.
                await call("spawn_team", "spawn", {"name": "w1", "team": "tm", "worktree": True,
                                                   "cwd": repo, "command": ["sleep", "600"]})
                await call("ls_team", "ls", {"team": "tm"})
                await call("restart", "restart", {"names": ["sh1"]})
                await call("adopt", "adopt", {"pane": byhand, "name": "byhand"})
                await call("rename", "rename", {"old": "byhand", "new": "hand2"})
                await call("show", "show", {"names": ["sh1"], "layout": "tiled"})
                await call("park", "park", {"names": ["sh1"]})
                await call("recover_dry", "recover", {"dry_run": True})
                await call("kill_team", "kill", {"team": "tm", "force": True, "rm_worktree": True})
                await call("kill_hand", "kill", {"names": ["hand2"], "force": True})

            await call("kill", "kill", {"names": ["sh1", "echo", "boss"], "force": True})
            await call("ls_after", "ls", {})


asyncio.run(main())
