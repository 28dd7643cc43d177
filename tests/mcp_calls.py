"""A real MCP client (the `mcp` package from PyPI) making a list of tool calls.

Usage: mcp_calls.py CREW SOCKET_NAME CALLS
CALLS is a JSON list of [step, tool, arguments]. Prints one JSON object per
call (step, tool, is_error, text) for the Rust test to judge.
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


async def main():
    crew, sock, calls = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
    params = StdioServerParameters(command=crew, args=["-L", sock, "mcp"], env=env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            for step, tool, args in calls:
                r = await session.call_tool(tool, args)
                text = "".join(c.text for c in r.content if c.type == "text")
                is_error = bool(attr(r, "is_error", "isError"))
                print(json.dumps({"step": step, "tool": tool, "is_error": is_error, "text": text}), flush=True)


asyncio.run(main())
