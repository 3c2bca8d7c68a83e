#!/usr/bin/env python3
# fake-model.py: a scripted OpenAI-compatible chat-completions server.
#
# Ekacode's live tests point a real `opencode serve` at this server.  It
# plays scripted conversations ("scenarios") the way a real streaming model
# would: reasoning deltas, text deltas, tool calls whose JSON arguments arrive
# in pieces, a finish reason and a usage chunk.
#
# Which scenario: the last user message that contains "scenario:NAME" (plain
# prompt text), else --scenario.  Options may follow anywhere in that message
# as key=value words, e.g. "scenario:slow delay=0.2 chunks=50".
# Which step: the number of assistant messages after that user message.
#
# Python 3 standard library only.

import argparse
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODEL_ID = "fake"

SCENARIO_RE = re.compile(r"scenario:([A-Za-z0-9_-]+)")
OPTION_RE = re.compile(r"(?<![\w:])([a-z_]+)=([^\s,;]+)")

LONG_LINE = ("Streaming text arrives in many small deltas; the client must "
             "keep up without jank. ")


# ---------------------------------------------------------------------------
# Steps.  A step is what the model answers to one request.

class Step:
    def __init__(self, reasoning=None, text=None, tools=None, error=None,
                 firehose=0, delay=0.0, finish=None):
        self.reasoning = reasoning     # str or None
        self.text = text               # str, list of deltas, or None
        self.tools = tools or []       # [(name, args-dict)]
        self.error = error             # (http status, message, type) or None
        self.firehose = firehose       # number of one-character deltas
        self.delay = delay             # seconds between chunks
        self.finish = finish           # override of the finish reason


def words(text):
    """Split text into token-like deltas (a word with its leading space)."""
    return re.findall(r"\s*\S+|\s+", text)


def long_deltas(count):
    """About COUNT deltas of markdown: a heading and numbered paragraphs."""
    out = ["# Long", " answer", "\n\n"]
    para = 0
    while len(out) < count:
        out.append("%d." % para)
        for w in words(" " + LONG_LINE * 3):
            out.append(w)
        out.append("\n\n")
        para += 1
    return out


def tool_output_summary(ctx):
    """Text of the tool results that the request carries for the last step."""
    return " | ".join(r.strip().replace("\n", " ")[:200]
                      for r in ctx["last_tool_results"])


def opt_int(opts, key, default):
    try:
        return int(opts.get(key, default))
    except ValueError:
        return default


def opt_float(opts, key, default):
    try:
        return float(opts.get(key, default))
    except ValueError:
        return default


HELLO_C = ("#include <stdio.h>\n\nint main(void)\n{\n  puts(\"hello\");\n"
           "  return 0;\n}\n")


def scenario_text(ctx, opts):
    return [Step(reasoning="The user wants a short greeting. I will answer "
                           "in plain text with a little markdown.",
                 text="Hello! This is the **fake** model answering.\n\n"
                      "- one\n- two\n\n`code` and done.")]


def in_cwd(ctx, name):
    """An absolute path, as opencode's write and edit tools ask for."""
    cwd = ctx["cwd"]
    return cwd.rstrip("/") + "/" + name if cwd else name


def scenario_tools(ctx, opts):
    hello = in_cwd(ctx, "hello.c")
    return [
        Step(reasoning="The user wants a greeting program. I should create "
                       "the file first, then keep a todo list.",
             text="I'll create the program and plan the work.",
             tools=[("write", {"filePath": hello, "content": HELLO_C}),
                    ("todowrite", {"todos": [
                        {"content": "Write hello.c", "status": "completed",
                         "priority": "high"},
                        {"content": "Change greeting",
                         "status": "in_progress", "priority": "medium"},
                        {"content": "Verify build", "status": "pending",
                         "priority": "low"}]})]),
        Step(text="Now reading it back and looking around.",
             tools=[("read", {"filePath": hello}),
                    ("glob", {"pattern": "**/*.c"}),
                    ("grep", {"pattern": "puts", "include": "*.c"})]),
        Step(tools=[("edit", {"filePath": hello,
                              "oldString": "puts(\"hello\");",
                              "newString": "puts(\"hello, world\");"})]),
        Step(text="Checking the directory.",
             tools=[("bash", {"command": "ls"}),
                    ("read", {"filePath": in_cwd(ctx, "does-not-exist.c")})]),
        Step(text="Done. Summary:\n\n- created `hello.c`\n- changed the "
                  "greeting to **hello, world**\n\n```c\nputs(\"hello, "
                  "world\");\n```\n\n| step | result |\n|---|---|\n"
                  "| write | ok |\n| edit | ok |\n| bash | ok |\n"),
    ]


def scenario_task(ctx, opts):
    return [
        Step(text="Delegating the search to a subagent.",
             tools=[("task", {"description": "Find greeting files",
                              "prompt": "scenario:child Look for files that "
                                        "print greetings and report their "
                                        "names.",
                              "subagent_type": "general"})]),
        Step(text="The subagent reported: " + tool_output_summary(ctx)),
    ]


def scenario_child(ctx, opts):
    # The subagent's own conversation: one look around, then the report.
    return [
        Step(reasoning="I should list the project files.",
             tools=[("glob", {"pattern": "*"})]),
        Step(text="Child report: the project holds README.md."),
    ]


def scenario_question(ctx, opts):
    return [
        Step(text="I need to know your preference.",
             tools=[("question", {"questions": [{
                 "question": "Which language should the example use?",
                 "header": "Language",
                 "options": [
                     {"label": "C", "description": "Plain C99"},
                     {"label": "Rust", "description": "Safe systems language"},
                 ]}]})]),
        Step(text="Your answer reached the model: " + tool_output_summary(ctx)),
    ]


def scenario_permission(ctx, opts):
    return [
        Step(text="I need to run a command.",
             tools=[("bash", {"command": "echo permitted"})]),
        Step(text="The command ran: " + tool_output_summary(ctx)),
    ]


def scenario_error(ctx, opts):
    status = opt_int(opts, "status", 401)
    # opencode retries (5 times, backing off) when the body's error type is
    # "server_error"; type=server_error asks for that.
    return [Step(error=(status, "scripted failure: invalid api key",
                        opts.get("type")))]


def scenario_slow(ctx, opts):
    delay = opt_float(opts, "delay", ctx["args"].delay)
    chunks = opt_int(opts, "chunks", 300)
    return [Step(reasoning="Taking my time.",
                 text=long_deltas(chunks)[:chunks], delay=delay)]


def scenario_long(ctx, opts):
    count = opt_int(opts, "count", 5000)
    return [Step(text=long_deltas(count)[:count],
                 delay=opt_float(opts, "delay", 0.0))]


def scenario_firehose(ctx, opts):
    count = opt_int(opts, "count", ctx["args"].firehose_count)
    return [Step(firehose=max(1, count))]


# -- the live benchmark's sessions (build-aux/bench-live) --------------------

BENCH_WORDS = ("the client keeps every delta in order and draws the answer "
               "as it grows while the window stays smooth under load and "
               "memory stays small for long sessions").split()

BENCH_CODE = ("static int\nsum (const int *values,\n     size_t     n)\n{\n"
              "  int total = 0;\n\n  for (size_t i = 0; i < n; i++)\n"
              "    total += values[i];\n  return total;\n}\n")


def bench_tokens(text):
    """Split text into model-sized tokens: up to 4 characters of a word,
    with the whitespace before it."""
    return re.findall(r"\s*\S{1,4}|\s+", text)


def bench_sentence(n, length):
    """Sentence N: LENGTH words picked from BENCH_WORDS, deterministic."""
    ws = [BENCH_WORDS[(n * 7 + i * 3) % len(BENCH_WORDS)]
          for i in range(length)]
    return ws[0].capitalize() + " " + " ".join(ws[1:]) + "."


def bench_section(n):
    """One section of the ~5,000-delta answer: a heading, paragraphs with
    inline markup, a bullet list, a numbered list and a code block."""
    out = ["## Part %d: %s\n\n" % (n + 1, bench_sentence(n, 4)[:-1])]
    out.append("%s **%s** and `ek_store_apply()` %s %s\n\n"
               % (bench_sentence(n, 12), BENCH_WORDS[n % len(BENCH_WORDS)],
                  bench_sentence(n + 1, 9).lower(), bench_sentence(n + 2, 11)))
    for i in range(4):
        out.append("- %s\n" % bench_sentence(n * 4 + i, 8))
    out.append("\n")
    for i in range(3):
        out.append("%d. %s `item_%d`\n" % (i + 1, bench_sentence(n + i, 10), i))
    out.append("\n```c\n%s```\n\n" % BENCH_CODE)
    out.append("%s %s\n\n" % (bench_sentence(n + 5, 14),
                               bench_sentence(n + 6, 9)))
    return "".join(out)


def bench_long_deltas(count):
    """About COUNT deltas of mixed Markdown (whole sections, so no block is
    left open), shaped like tests/fixtures/long."""
    out = bench_tokens("# A long answer\n\n")
    n = 0
    while len(out) < count:
        section = bench_tokens(bench_section(n))
        if len(out) + len(section) > count and len(out) > count * 0.95:
            break
        out.extend(section)
        n += 1
    return out


def bench_firehose_deltas(count):
    """COUNT one-word deltas: sentences of 25 words (12,000 of them for
    300,000), a paragraph break after every sixth."""
    out = []
    n = 0
    while len(out) < count:
        words_ = bench_sentence(n, 25).split(" ")
        out.append(words_[0] if n % 6 == 0 else " " + words_[0])
        out.extend(" " + w for w in words_[1:])
        if n % 6 == 5:
            out.append("\n\n")
        n += 1
    return out[:count]


def scenario_bench_long(ctx, opts):
    count = opt_int(opts, "count", 5000)
    return [Step(text=bench_long_deltas(count),
                 delay=opt_float(opts, "delay", 0.0))]


def scenario_bench_firehose(ctx, opts):
    count = opt_int(opts, "count", 300000)
    st = Step(text=bench_firehose_deltas(max(1, count)))
    # one token per chunk, BATCH chunks per socket write, PAUSE seconds
    # after each write
    st.batch = max(1, opt_int(opts, "batch", 512))
    st.pause = max(0.0, opt_float(opts, "pause", 0.0))
    return [st]


def scenario_retry(ctx, opts):
    # First attempt of step 0 fails with a retryable 429, later ones work.
    if ctx["attempt"] == 1:
        return [Step(error=(429, "scripted failure: rate limited", None))]
    return [Step(text="Answer after a retry.")]


SCENARIOS = {
    "text": scenario_text,
    "tools": scenario_tools,
    "task": scenario_task,
    "child": scenario_child,
    "question": scenario_question,
    "permission": scenario_permission,
    "error": scenario_error,
    "slow": scenario_slow,
    "long": scenario_long,
    "firehose": scenario_firehose,
    "retry": scenario_retry,
    "bench-long": scenario_bench_long,
    "bench-firehose": scenario_bench_firehose,
}


# ---------------------------------------------------------------------------
# Request analysis.

def content_text(content):
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        out = []
        for part in content:
            if isinstance(part, dict) and isinstance(part.get("text"), str):
                out.append(part["text"])
        return "\n".join(out)
    return ""


def is_title_request(body):
    """opencode's title agent asks for a short title, without tools."""
    if body.get("tools"):
        return False
    for msg in body.get("messages") or []:
        if msg.get("role") == "system":
            text = content_text(msg.get("content")).lower()
            if "title generator" in text or "generate a title" in text \
                    or "thread title" in text:
                return True
    return False


def analyse(body, default_scenario):
    messages = body.get("messages") or []
    anchor = None
    name = None
    for i, msg in enumerate(messages):
        if msg.get("role") != "user":
            continue
        m = SCENARIO_RE.search(content_text(msg.get("content")))
        if m:
            anchor, name = i, m.group(1).lower()
    if anchor is None:
        name = default_scenario
        for i, msg in enumerate(messages):
            if msg.get("role") == "user":
                anchor = i
                break
        if anchor is None:
            anchor = 0
    opts = {}
    if anchor < len(messages):
        opts = dict(OPTION_RE.findall(content_text(
            messages[anchor].get("content"))))
    after = messages[anchor + 1:]
    step = sum(1 for m in after if m.get("role") == "assistant")
    # Tool results answering the latest assistant message.
    results = []
    for msg in reversed(after):
        if msg.get("role") == "tool":
            results.insert(0, content_text(msg.get("content")))
        else:
            break
    key = ""
    if anchor < len(messages):
        key = content_text(messages[anchor].get("content"))
    return name, opts, step, results, key


CWD_RE = re.compile(r"Working directory: ([^\n]+)")


def working_directory(body):
    for msg in body.get("messages") or []:
        if msg.get("role") == "system":
            m = CWD_RE.search(content_text(msg.get("content")))
            if m:
                return m.group(1).strip()
    return ""


# ---------------------------------------------------------------------------
# The HTTP server.

class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.attempts = {}
        self.requests = []
        self.counter = 0

    def attempt(self, key):
        with self.lock:
            self.attempts[key] = self.attempts.get(key, 0) + 1
            return self.attempts[key]

    def record(self, entry):
        with self.lock:
            self.counter += 1
            entry["n"] = self.counter
            self.requests.append(entry)
            if len(self.requests) > 1000:
                del self.requests[:100]
        if self.args.log:
            with self.lock, open(self.args.log, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry) + "\n")

    def next_id(self):
        with self.lock:
            self.counter += 1
            return self.counter


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-model/1"

    def log_message(self, fmt, *args):
        if self.server.state.args.verbose:
            sys.stderr.write("fake-model: " + (fmt % args) + "\n")

    # -- helpers --------------------------------------------------------

    def send_json(self, status, obj):
        data = json.dumps(obj).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return {}
        try:
            return json.loads(raw.decode("utf-8"))
        except ValueError:
            return {}

    # -- routes ---------------------------------------------------------

    def do_GET(self):
        path = self.path.split("?", 1)[0].rstrip("/")
        if path in ("/v1/models", "/models"):
            self.send_json(200, {"object": "list", "data": [
                {"id": MODEL_ID, "object": "model", "created": 0,
                 "owned_by": "ekacode-tests"}]})
        elif path in ("/v1/models/" + MODEL_ID, "/models/" + MODEL_ID):
            self.send_json(200, {"id": MODEL_ID, "object": "model",
                                 "created": 0, "owned_by": "ekacode-tests"})
        elif path == "/fake/requests":
            with self.server.state.lock:
                reqs = list(self.server.state.requests)
            self.send_json(200, reqs)
        elif path in ("", "/health", "/fake/health"):
            self.send_json(200, {"ok": True})
        else:
            self.send_json(404, {"error": {"message": "no route " + path,
                                           "type": "not_found"}})

    def do_POST(self):
        path = self.path.split("?", 1)[0].rstrip("/")
        body = self.read_body()
        if path in ("/v1/chat/completions", "/chat/completions"):
            self.chat(body)
        elif path == "/fake/reset":
            with self.server.state.lock:
                self.server.state.requests.clear()
                self.server.state.attempts.clear()
            self.send_json(200, {"ok": True})
        else:
            self.send_json(404, {"error": {"message": "no route " + path,
                                           "type": "not_found"}})

    def chat(self, body):
        state = self.server.state
        args = state.args
        stream = bool(body.get("stream"))
        tools = [t.get("function", {}).get("name")
                 for t in body.get("tools") or []]
        if args.dump_dir:
            n = state.next_id()
            with open("%s/request-%04d.json" % (args.dump_dir, n), "w",
                      encoding="utf-8") as f:
                json.dump(body, f, indent=1)

        if is_title_request(body):
            name, opts, step, results, key = analyse(body, args.scenario)
            state.record({"kind": "title", "scenario": name,
                          "stream": stream})
            title = "Scripted %s scenario" % name
            self.answer(Step(text=title), body, stream)
            return

        name, opts, step, results, key = analyse(body, args.scenario)
        func = SCENARIOS.get(name)
        ctx = {"args": args, "last_tool_results": results,
               "attempt": state.attempt("%s\0%d" % (key, step)),
               "tools": tools, "cwd": working_directory(body)}
        if func is None:
            steps = [Step(text="Unknown scenario `%s`. Known: %s." % (
                name, ", ".join(sorted(SCENARIOS))))]
        else:
            steps = func(ctx, opts)
        if step < len(steps):
            st = steps[step]
        else:
            st = Step(text="Scenario %s has no step %d; stopping." % (
                name, step))
        missing = [t for t, _ in st.tools if t not in tools]
        state.record({"kind": "chat", "scenario": name, "step": step,
                      "stream": stream, "tools": tools,
                      "missing_tools": missing,
                      "messages": len(body.get("messages") or [])})
        if missing:
            sys.stderr.write("fake-model: scenario %s step %d calls %s, "
                             "which the request does not offer\n"
                             % (name, step, ", ".join(missing)))
        self.answer(st, body, stream)

    # -- answers --------------------------------------------------------

    def answer(self, st, body, stream):
        if st.error:
            status, message, etype = st.error
            if not etype:
                etype = ("invalid_request_error" if status < 500
                         else "server_error")
            err = {"error": {"message": message,
                             "type": etype,
                             "code": "invalid_api_key" if status == 401
                             else None}}
            data = json.dumps(err).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if status == 429:
                self.send_header("Retry-After", "1")
            self.end_headers()
            self.wfile.write(data)
            return
        if stream:
            try:
                self.stream_step(st, body)
            except OSError:  # the client went away (abort, cut)
                self.close_connection = True
        else:
            self.whole_step(st, body)

    def whole_step(self, st, body):
        text = st.text if isinstance(st.text, str) else "".join(st.text or [])
        if st.firehose:
            text = "".join(firehose_delta(i, st.firehose)
                           for i in range(st.firehose))
        msg = {"role": "assistant", "content": text or None}
        if st.reasoning:
            msg["reasoning_content"] = st.reasoning
        if st.tools:
            msg["tool_calls"] = [
                {"id": "call_%d" % i, "type": "function",
                 "function": {"name": n, "arguments": json.dumps(a)}}
                for i, (n, a) in enumerate(st.tools)]
        finish = st.finish or ("tool_calls" if st.tools else "stop")
        self.send_json(200, {
            "id": "chatcmpl-fake", "object": "chat.completion",
            "created": int(time.time()), "model": MODEL_ID,
            "choices": [{"index": 0, "message": msg,
                         "finish_reason": finish}],
            "usage": usage(body, len(words(text or "")))})

    def stream_step(self, st, body):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        cid = "chatcmpl-%d" % self.server.state.next_id()
        created = int(time.time())
        head = ('data: {"id":"%s","object":"chat.completion.chunk",'
                '"created":%d,"model":"%s","choices":[{"index":0,"delta":'
                % (cid, created, MODEL_ID))
        tail = ',"finish_reason":null}]}\n\n'
        out = Writer(self.wfile, st.delay)

        def delta(obj):
            out.event(head + json.dumps(obj, separators=(",", ":")) + tail)

        delta({"role": "assistant", "content": ""})
        ntok = 0
        if st.reasoning:
            for w in words(st.reasoning):
                delta({"reasoning_content": w})
                ntok += 1
        if st.firehose:
            ntok += self.firehose(out, head, tail, st.firehose)
        if st.text and getattr(st, "batch", 0):
            ntok += self.batched(out, head, tail, st.text, st.batch, st.pause)
        elif st.text:
            pieces = words(st.text) if isinstance(st.text, str) else st.text
            for w in pieces:
                delta({"content": w})
                ntok += 1
        for index, (name, args) in enumerate(st.tools):
            arg_text = json.dumps(args)
            delta({"tool_calls": [{
                "index": index, "id": "call_%s_%d" % (cid[9:], index),
                "type": "function",
                "function": {"name": name, "arguments": ""}}]})
            # Arguments arrive in pieces, as real providers send them.
            size = max(4, len(arg_text) // 6)
            for i in range(0, len(arg_text), size):
                delta({"tool_calls": [{
                    "index": index,
                    "function": {"arguments": arg_text[i:i + size]}}]})
            ntok += 1
        finish = st.finish or ("tool_calls" if st.tools else "stop")
        out.event('data: {"id":"%s","object":"chat.completion.chunk",'
                  '"created":%d,"model":"%s","choices":[{"index":0,'
                  '"delta":{},"finish_reason":"%s"}]}\n\n'
                  % (cid, created, MODEL_ID, finish))
        out.event('data: {"id":"%s","object":"chat.completion.chunk",'
                  '"created":%d,"model":"%s","choices":[],"usage":%s}\n\n'
                  % (cid, created, MODEL_ID,
                     json.dumps(usage(body, ntok,
                                      len(words(st.reasoning or ""))))))
        out.event("data: [DONE]\n\n")
        out.finish()

    def firehose(self, out, head, tail, count):
        # Build the events by hand: 400,000 of them must go out fast.
        x = head + '{"content":"x"}' + tail
        nl = head + '{"content":"\\n"}' + tail
        batch = []
        for i in range(count):
            batch.append(nl if firehose_delta(i, count) == "\n" else x)
            if len(batch) >= 512:
                out.event("".join(batch))
                batch = []
        if batch:
            out.event("".join(batch))
        return count


    def batched(self, out, head, tail, pieces, batch, pause):
        # One chunk per piece, written BATCH at a time, PAUSE after each.
        events = [head + '{"content":' + json.dumps(p) + '}' + tail
                  for p in pieces]
        for i in range(0, len(events), batch):
            out.event("".join(events[i:i + batch]))
            if pause > 0:
                out.wfile.flush()
                time.sleep(pause)
        return len(events)


def firehose_delta(i, count):
    return "\n" if (i % 80 == 79 and i != count - 1) else "x"


def usage(body, completion, reasoning=0):
    prompt = len(json.dumps(body.get("messages") or [])) // 4
    return {"prompt_tokens": prompt, "completion_tokens": completion,
            "total_tokens": prompt + completion,
            "prompt_tokens_details": {"cached_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": reasoning}}


class Writer:
    """Writes SSE events as HTTP/1.1 chunks, with an optional delay."""

    def __init__(self, wfile, delay):
        self.wfile = wfile
        self.delay = delay

    def event(self, text):
        data = text.encode("utf-8")
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        if self.delay > 0:
            self.wfile.flush()
            time.sleep(self.delay)

    def finish(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0,
                    help="0 picks a free port (printed as PORT=<n>)")
    ap.add_argument("--scenario", default="text",
                    help="scenario when no message names one")
    ap.add_argument("--delay", type=float, default=0.05,
                    help="seconds between chunks of the slow scenario")
    ap.add_argument("--firehose-count", type=int, default=400000)
    ap.add_argument("--log", help="append one JSON line per request here")
    ap.add_argument("--dump-dir", help="write every request body here")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        ap.error("listens on loopback only")

    httpd = Server((args.host, args.port), Handler)
    httpd.state = State(args)
    print("PORT=%d" % httpd.server_address[1], flush=True)
    try:
        httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


if __name__ == "__main__":
    main()
