#!/usr/bin/env python3
"""A fake model server for the conformance harness (tests/agents/run).

Speaks just enough of four wire protocols for the real coding tools to hold a
conversation with it on 127.0.0.1:
  - Anthropic Messages (POST .../v1/messages, SSE)          Claude Code
  - OpenAI Responses (POST .../responses, SSE)              Codex CLI
  - OpenAI Chat Completions (POST .../chat/completions)     opencode, aider,
                                                            pi, Qwen Code, Mistral Vibe
  - Gemini generateContent / streamGenerateContent          Gemini CLI

Replies stream slowly (--delay seconds) so the tools show a working phase.
A trigger word in the last user message changes the answer:
  QUICK   -> a short reply in 0.1 s (quicker than any look at the screen)
  RUNCMD  -> a shell tool call (the tool raises its approval dialog)
  ASKUSER -> an ask-the-user tool call (a question dialog), where the tool
             offers one; aider (no tools) gets a reply naming a repository
             file, which makes it ask whether to add the file.
Every request is appended to --log as one JSON line: the path, the API, the
body, the last user message as the tool sent it, the conversation it names
(`session`: Claude Code's metadata session_id, Codex's prompt_cache_key) and
the token usage the reply reports (`usage`: IN input, OUT output tokens,
nothing cached), which the harness sums to check crew's figures.

Standard library only. Never talks to anything but its own clients.
"""

import argparse
import json
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SHELL_TOOLS = ["Bash", "shell_command", "exec_command", "shell", "run_shell_command", "bash"]
ASK_TOOLS = ["AskUserQuestion", "ask_user", "question", "request_user_input", "ask_user_question"]
CMD = "touch crew-harness.txt && echo crew-harness-ran"
# The usage every model reply reports, whatever the API.
IN, OUT = 100, 20
LOCK = threading.Lock()


def now():
    return time.time()


# --- reading requests -------------------------------------------------------


def text_of(content):
    """The text parts of a message content in any of the four shapes."""
    if content is None:
        return []
    if isinstance(content, str):
        return [content]
    if isinstance(content, dict):
        content = [content]
    out = []
    for part in content:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, dict):
            if part.get("type") in ("text", "input_text", "output_text") and "text" in part:
                out.append(part["text"])
            elif "text" in part and "type" not in part:
                out.append(part["text"])  # Gemini parts
    return out


def has_tool_result(msg):
    """The message answers a tool call."""
    role = msg.get("role")
    if role in ("tool", "function"):
        return True
    t = msg.get("type")
    if t in ("function_call_output", "custom_tool_call_output", "local_shell_call_output"):
        return True
    c = msg.get("content")
    if isinstance(c, list):
        for p in c:
            if isinstance(p, dict) and (p.get("type") == "tool_result" or "functionResponse" in p):
                return True
    return False


def user_messages(api, body):
    """(each user message as its list of text parts, whether the last item
    only answers a tool call). Claude Code puts words typed after a refused
    tool call into the same message as the tool_result: those count."""
    if api in ("anthropic", "chat"):
        msgs = body.get("messages", [])
    elif api == "responses":
        inp = body.get("input", [])
        msgs = [{"role": "user", "content": inp}] if isinstance(inp, str) else inp
    else:  # gemini
        msgs = [
            {"role": c.get("role", "user"), "content": c.get("parts", [])}
            for c in body.get("contents", [])
        ]
    msgs = [m for m in msgs if isinstance(m, dict)]
    users = []
    last_is_tool = False
    for m in msgs:
        tool = has_tool_result(m)
        texts = text_of(m.get("content")) if m.get("role") == "user" else []
        if texts:
            users.append(texts)
        last_is_tool = tool and not texts
    return users, last_is_tool


def tool_names(api, body):
    names = []
    for t in body.get("tools", []) or []:
        if not isinstance(t, dict):
            continue
        if api == "gemini":
            for f in t.get("functionDeclarations", []) or []:
                names.append(f.get("name"))
        elif "function" in t and isinstance(t["function"], dict):
            names.append(t["function"].get("name"))
        else:
            names.append(t.get("name"))
    return [n for n in names if n]


def tool_schema(api, body, name):
    """The declared parameters (JSON schema) of tool `name`, or None."""
    for t in body.get("tools", []) or []:
        if not isinstance(t, dict):
            continue
        decls = t.get("functionDeclarations", []) if api == "gemini" else [t.get("function", t)]
        for f in decls or []:
            if isinstance(f, dict) and f.get("name") == name:
                return f.get("parameters") or f.get("input_schema") or f.get("parametersJsonSchema")
    return None


def fit(api, body, name, args):
    """Drop the arguments a tool's schema forbids (`additionalProperties:
    false`): Mistral Vibe's `bash` takes only command and timeout_seconds,
    where opencode's `bash` requires a description."""
    schema = tool_schema(api, body, name)
    if not isinstance(schema, dict) or schema.get("additionalProperties", True) is not False:
        return args
    props = schema.get("properties")
    if not isinstance(props, dict) or not props:
        return args
    return {k: v for k, v in args.items() if k in props}


def shell_args(name):
    if name == "Bash":
        return {"command": CMD, "description": "Print a marker"}
    if name == "shell_command":
        return {
            "command": CMD,
            "sandbox_permissions": "require_escalated",
            "justification": "The harness needs to see the approval dialog.",
        }
    if name == "exec_command":
        return {
            "cmd": CMD,
            "sandbox_permissions": "require_escalated",
            "justification": "The harness needs to see the approval dialog.",
        }
    if name == "shell":
        return {
            "command": ["bash", "-lc", CMD],
            "sandbox_permissions": "require_escalated",
            "justification": "The harness needs to see the approval dialog.",
        }
    if name == "run_shell_command":
        return {"command": CMD, "description": "Print a marker"}
    return {"command": CMD, "description": "Print a marker"}


def ask_args(name, schema=None):
    # GitHub Copilot CLI's ask_user takes {message, requestedSchema}: an
    # elicitation form (MCP's shape), one enum field here.
    props = schema.get("properties") if isinstance(schema, dict) else None
    if name == "ask_user" and isinstance(props, dict) and "requestedSchema" in props:
        return {
            "message": "Which colour should the button be?",
            "requestedSchema": {
                "type": "object",
                "properties": {"colour": {"type": "string", "title": "Colour", "enum": ["Red", "Blue"],
                                          "description": "The button's colour"}},
                "required": ["colour"],
            },
        }
    # Qwen Code's and Mistral Vibe's ask_user_question take Claude Code's shape.
    if name in ("AskUserQuestion", "ask_user_question"):
        return {
            "questions": [
                {
                    "question": "Which colour should the button be?",
                    "header": "Colour",
                    "multiSelect": False,
                    "options": [
                        {"label": "Red", "description": "A red button"},
                        {"label": "Blue", "description": "A blue button"},
                    ],
                }
            ]
        }
    if name == "ask_user":
        return {
            "questions": [
                {
                    "question": "Which colour should the button be?",
                    "header": "Colour",
                    "type": "choice",
                    "multiSelect": False,
                    "options": [
                        {"label": "Red", "description": "A red button"},
                        {"label": "Blue", "description": "A blue button"},
                    ],
                }
            ]
        }
    if name == "question":
        return {
            "questions": [
                {
                    "question": "Which colour should the button be?",
                    "header": "Colour",
                    "options": [
                        {"label": "Red", "description": "A red button"},
                        {"label": "Blue", "description": "A blue button"},
                    ],
                }
            ]
        }
    # request_user_input (Codex, plan mode)
    return {
        "questions": [
            {
                "id": "colour",
                "header": "Colour",
                "question": "Which colour should the button be?",
                "options": [
                    {"label": "Red", "description": "A red button"},
                    {"label": "Blue", "description": "A blue button"},
                ],
            }
        ]
    }


def decide(api, body, delay):
    """What to answer: ("text", str, seconds) or ("call", name, args, seconds)."""
    users, last_is_tool = user_messages(api, body)
    names = tool_names(api, body)
    last = "\n".join(users[-1]) if users else ""
    # Requests without tools are the tools' side jobs (titles, summaries,
    # next-speaker checks): answer at once so they never look like work.
    main = bool(names) or (api == "chat" and not side_job(body))
    secs = delay if main else 0.0
    if not main:
        if wants_json(api, body):
            return ("text", json.dumps({"reasoning": "Simple request.", "next_speaker": "user",
                                        "model_choice": "flash", "complexity_score": 10}), 0.0)
        return ("text", "Harness conversation", 0.0)
    if last_is_tool:
        return ("text", "The command finished. Done.", secs)
    if "QUICK" in last:
        # A reply quicker than any look at the screen.
        return ("text", "Quick answer. Done.", 0.1)
    if "RUNCMD" in last:
        shell = next((n for n in SHELL_TOOLS if n in names), None)
        if shell:
            return ("call", shell, fit(api, body, shell, shell_args(shell)), secs)
        # No tools (aider): propose a shell command in prose.
        return ("text", "Run this:\n\n```bash\n" + CMD + "\n```\n", secs)
    if "ASKUSER" in last:
        ask = next((n for n in ASK_TOOLS if n in names), None)
        if ask:
            return ("call", ask, fit(api, body, ask, ask_args(ask, tool_schema(api, body, ask))), secs)
        return ("text", "To answer that I need to see notes.txt first.", secs)
    return ("text", "I read your message. This is the fake model answering slowly. Done.", secs)


def side_job(body):
    """A tool-less chat request that is not the conversation (opencode's title
    generator); aider's conversation has no tools either."""
    system = " ".join("\n".join(text_of(m.get("content"))) for m in body.get("messages", [])
                      if isinstance(m, dict) and m.get("role") == "system")
    low = system.lower()
    return ("title generator" in system or "generate a title" in low
            # Mistral Vibe's session titles.
            or "name coding-agent sessions" in low)


def wants_json(api, body):
    if api == "gemini":
        gc = body.get("generationConfig", {}) or {}
        return gc.get("responseMimeType") == "application/json" or "responseJsonSchema" in gc or "responseSchema" in gc
    return False


def session_of(api, body):
    """The conversation a request names, where the tool names one."""
    if api == "anthropic":
        meta = (body.get("metadata") or {}).get("user_id")
        try:
            return json.loads(meta).get("session_id", "") if isinstance(meta, str) else ""
        except (ValueError, AttributeError):
            return ""
    if api == "responses":
        return body.get("prompt_cache_key") or ""
    return ""


def chunks(text, n=10):
    size = max(1, len(text) // n)
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


# --- the server -------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "crew-fake-model/1"

    def log_message(self, fmt, *args):  # quiet
        pass

    def record(self, api, body, answer=None):
        with LOCK:
            self.server.seq += 1
            self.req_id = self.server.seq
        entry = {"id": self.req_id, "t": now(), "method": self.command, "path": self.path, "api": api}
        if body is not None:
            users, last_is_tool = user_messages(api, body) if api != "other" else ([], False)
            entry["users"] = users
            entry["last_is_tool"] = last_is_tool
            entry["tools"] = tool_names(api, body) if api != "other" else []
            entry["body"] = body
        if answer is not None:
            entry["answer"] = list(answer[:3])
            entry["main"] = answer[-1] > 0
            entry["session"] = session_of(api, body)
            entry["usage"] = {"input": IN, "output": OUT}
        self.write_log(entry)

    def write_log(self, entry):
        with LOCK:
            with open(self.server.log_path, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def finish(self):
        """The reply was sent whole: the harness compares this time with `crew wait`."""
        self.write_log({"done": self.req_id, "t": now()})

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            raw = b""
            while True:
                line = self.rfile.readline().strip()
                size = int(line.split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    break
                raw += self.rfile.read(size)
                self.rfile.readline()
        enc = self.headers.get("Content-Encoding", "")
        if enc == "gzip":
            import gzip

            raw = gzip.decompress(raw)
        elif enc == "zstd":
            return {"_undecoded": "zstd", "_bytes": len(raw)}
        try:
            return json.loads(raw.decode("utf-8")) if raw else {}
        except ValueError:
            return {"_raw": raw.decode("utf-8", "replace")}

    def send_json(self, obj, code=200):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def start_sse(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def event(self, data, name=None):
        out = ""
        if name:
            out += "event: " + name + "\n"
        out += "data: " + (data if isinstance(data, str) else json.dumps(data)) + "\n\n"
        self.wfile.write(out.encode())
        self.wfile.flush()

    def do_GET(self):
        self.record("other", None)
        p = self.path.split("?")[0]
        if p.endswith("/models"):
            return self.send_json({"object": "list", "data": [{"id": "x", "object": "model", "owned_by": "crew"}]})
        self.send_json({"error": {"message": "not here", "type": "not_found"}}, 404)

    def do_HEAD(self):
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        p = self.path.split("?")[0]
        body = self.read_body()
        if p.endswith("/messages/count_tokens"):
            self.record("anthropic-count", body)
            return self.send_json({"input_tokens": 100})
        if p.endswith("/messages"):
            return self.anthropic(body)
        if p.endswith("/chat/completions"):
            return self.chat(body)
        if p.endswith("/responses"):
            return self.openai_responses(body)
        if ":countTokens" in p:
            self.record("gemini-count", body)
            return self.send_json({"totalTokens": 100})
        if ":streamGenerateContent" in p or ":generateContent" in p:
            return self.gemini(body, ":streamGenerateContent" in p)
        self.record("other", body)
        self.send_json({"error": {"message": "not here", "type": "not_found"}}, 404)

    # Anthropic Messages ------------------------------------------------------

    def anthropic(self, body):
        ans = decide("anthropic", body, self.server.delay)
        self.record("anthropic", body, ans)
        mid = "msg_" + uuid.uuid4().hex[:12]
        model = body.get("model", "claude-fake")
        usage = {"input_tokens": IN, "output_tokens": OUT, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
        if ans[0] == "text":
            block = {"type": "text", "text": ans[1]}
            stop = "end_turn"
        else:
            block = {"type": "tool_use", "id": "toolu_" + uuid.uuid4().hex[:12], "name": ans[1], "input": ans[2]}
            stop = "tool_use"
        if not body.get("stream"):
            return self.send_json(
                {"id": mid, "type": "message", "role": "assistant", "model": model, "content": [block],
                 "stop_reason": stop, "stop_sequence": None, "usage": usage}
            )
        secs = ans[-1]
        self.start_sse()
        self.event({"type": "message_start", "message": {"id": mid, "type": "message", "role": "assistant", "model": model,
                    "content": [], "stop_reason": None, "stop_sequence": None, "usage": usage}}, "message_start")
        if ans[0] == "text":
            self.event({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}, "content_block_start")
            parts = chunks(ans[1])
            for c in parts:
                time.sleep(secs / len(parts))
                self.event({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": c}}, "content_block_delta")
        else:
            time.sleep(secs)
            self.event({"type": "content_block_start", "index": 0,
                        "content_block": {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}}, "content_block_start")
            self.event({"type": "content_block_delta", "index": 0,
                        "delta": {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}}, "content_block_delta")
        self.event({"type": "content_block_stop", "index": 0}, "content_block_stop")
        self.event({"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": None}, "usage": {"output_tokens": OUT}}, "message_delta")
        self.event({"type": "message_stop"}, "message_stop")
        self.finish()

    # OpenAI Chat Completions ---------------------------------------------------

    def chat(self, body):
        ans = decide("chat", body, self.server.delay)
        self.record("chat", body, ans)
        cid = "chatcmpl-" + uuid.uuid4().hex[:12]
        model = body.get("model", "x")
        created = int(now())
        usage = {"prompt_tokens": IN, "completion_tokens": OUT, "total_tokens": IN + OUT}
        if ans[0] == "text":
            msg = {"role": "assistant", "content": ans[1]}
            finish = "stop"
        else:
            call = {"id": "call_" + uuid.uuid4().hex[:12], "type": "function",
                    "function": {"name": ans[1], "arguments": json.dumps(ans[2])}}
            msg = {"role": "assistant", "content": None, "tool_calls": [call]}
            finish = "tool_calls"
        if not body.get("stream"):
            return self.send_json({"id": cid, "object": "chat.completion", "created": created, "model": model,
                                   "choices": [{"index": 0, "message": msg, "finish_reason": finish}], "usage": usage})
        secs = ans[-1]
        self.start_sse()

        def chunk(delta, fin=None):
            self.event({"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                        "choices": [{"index": 0, "delta": delta, "finish_reason": fin}]})

        chunk({"role": "assistant", "content": ""})
        if ans[0] == "text":
            parts = chunks(ans[1])
            for c in parts:
                time.sleep(secs / len(parts))
                chunk({"content": c})
        else:
            time.sleep(secs)
            c = msg["tool_calls"][0]
            chunk({"tool_calls": [{"index": 0, "id": c["id"], "type": "function",
                                   "function": {"name": c["function"]["name"], "arguments": c["function"]["arguments"]}}]})
        chunk({}, finish)
        if (body.get("stream_options") or {}).get("include_usage"):
            self.event({"id": cid, "object": "chat.completion.chunk", "created": created, "model": model, "choices": [], "usage": usage})
        self.event("[DONE]")
        self.finish()

    # OpenAI Responses ----------------------------------------------------------

    def openai_responses(self, body):
        ans = decide("responses", body, self.server.delay)
        self.record("responses", body, ans)
        rid = "resp_" + uuid.uuid4().hex[:12]
        model = body.get("model", "x")
        usage = {"input_tokens": IN, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": OUT,
                 "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": IN + OUT}
        if ans[0] == "text":
            item = {"type": "message", "id": "msg_" + uuid.uuid4().hex[:12], "role": "assistant", "status": "completed",
                    "content": [{"type": "output_text", "text": ans[1], "annotations": []}]}
        else:
            item = {"type": "function_call", "id": "fc_" + uuid.uuid4().hex[:12], "call_id": "call_" + uuid.uuid4().hex[:12],
                    "name": ans[1], "arguments": json.dumps(ans[2]), "status": "completed"}
        resp = {"id": rid, "object": "response", "created_at": int(now()), "model": model, "status": "in_progress", "output": []}
        if not body.get("stream", True):
            resp.update(status="completed", output=[item], usage=usage)
            return self.send_json(resp)
        secs = ans[-1]
        self.start_sse()
        self.event({"type": "response.created", "response": resp}, "response.created")
        self.event({"type": "response.in_progress", "response": resp}, "response.in_progress")
        if ans[0] == "text":
            empty = dict(item, content=[], status="in_progress")
            self.event({"type": "response.output_item.added", "output_index": 0, "item": empty}, "response.output_item.added")
            self.event({"type": "response.content_part.added", "item_id": item["id"], "output_index": 0, "content_index": 0,
                        "part": {"type": "output_text", "text": "", "annotations": []}}, "response.content_part.added")
            parts = chunks(ans[1])
            for c in parts:
                time.sleep(secs / len(parts))
                self.event({"type": "response.output_text.delta", "item_id": item["id"], "output_index": 0,
                            "content_index": 0, "delta": c}, "response.output_text.delta")
            self.event({"type": "response.output_text.done", "item_id": item["id"], "output_index": 0, "content_index": 0,
                        "text": ans[1]}, "response.output_text.done")
        else:
            time.sleep(secs)
            self.event({"type": "response.output_item.added", "output_index": 0, "item": dict(item, arguments="", status="in_progress")},
                       "response.output_item.added")
        self.event({"type": "response.output_item.done", "output_index": 0, "item": item}, "response.output_item.done")
        done = dict(resp, status="completed", output=[item], usage=usage)
        self.event({"type": "response.completed", "response": done}, "response.completed")
        self.finish()

    # Gemini --------------------------------------------------------------------

    def gemini(self, body, stream):
        ans = decide("gemini", body, self.server.delay)
        self.record("gemini", body, ans)
        usage = {"promptTokenCount": IN, "candidatesTokenCount": OUT, "totalTokenCount": IN + OUT}
        if ans[0] == "text":
            part = {"text": ans[1]}
        else:
            part = {"functionCall": {"name": ans[1], "args": ans[2]}}

        def cand(parts, fin=None):
            c = {"content": {"role": "model", "parts": parts}, "index": 0}
            if fin:
                c["finishReason"] = fin
            out = {"candidates": [c], "modelVersion": "gemini-fake"}
            if fin:
                out["usageMetadata"] = usage
            return out

        if not stream:
            return self.send_json(cand([part], "STOP"))
        secs = ans[-1]
        self.start_sse()
        if ans[0] == "text":
            parts = chunks(ans[1])
            for i, c in enumerate(parts):
                time.sleep(secs / len(parts))
                self.event(cand([{"text": c}], "STOP" if i == len(parts) - 1 else None))
        else:
            time.sleep(secs)
            self.event(cand([part], "STOP"))
        self.finish()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--log", required=True)
    ap.add_argument("--delay", type=float, default=4.0, help="seconds a main reply takes to stream")
    ap.add_argument("--port-file", help="write the chosen port here once listening")
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.log_path = a.log
    srv.delay = a.delay
    srv.seq = 0
    if a.port_file:
        with open(a.port_file + ".tmp", "w") as f:
            f.write(str(srv.server_address[1]))
        import os

        os.replace(a.port_file + ".tmp", a.port_file)
    print("fake model on 127.0.0.1:%d" % srv.server_address[1], file=sys.stderr, flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
