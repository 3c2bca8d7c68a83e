#!/usr/bin/env python3
# live-check.py: drive every fake-model scenario through a real opencode.
#
#   live-check.py --root DIR [--cache DIR] [--only text,tools] [--firehose N]
#   live-check.py --url http://127.0.0.1:PORT --directory DIR [--password PW]
#
# Without --url it starts opencode-server.py under --root, and stops it at the
# end.  For each scenario it creates a session, listens on /event, sends the
# prompt with prompt_async, answers permission and question requests over
# REST, waits for the session to go idle and checks GET /session/{id}/message.
# It ends with the plain line "N passed, N failed".  Timings go to stderr.
#
# Python 3 standard library only.

import argparse
import base64
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


class Client:
    def __init__(self, url, directory, password=None, username="opencode"):
        self.url = url.rstrip("/")
        self.directory = directory
        self.auth = None
        if password:
            self.auth = "Basic " + base64.b64encode(
                ("%s:%s" % (username, password)).encode()).decode()

    def path(self, path, **query):
        query.setdefault("directory", self.directory)
        return "%s?%s" % (path, urllib.parse.urlencode(query))

    def call(self, method, path, body=None, timeout=60, **query):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + self.path(path, **query),
                                     data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if self.auth:
            req.add_header("Authorization", self.auth)
        with urllib.request.urlopen(req, timeout=timeout) as res:
            raw = res.read()
            return json.loads(raw) if raw else None


class Events:
    """Reads GET /event in a thread and keeps every event."""

    def __init__(self, client, url=None):
        self.client = client
        self.url = urllib.parse.urlparse(url or client.url)
        self.events = []
        self.cond = threading.Condition()
        self.closed = False
        self.connections = 0
        self.stop = False
        self.conn = None
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self, reconnect=True):
        while not self.stop:
            try:
                self.read_once()
            except (OSError, http.client.HTTPException):
                pass
            with self.cond:
                self.closed = True
                self.cond.notify_all()
            if not reconnect or self.stop:
                return
            time.sleep(0.2)

    def read_once(self):
        # A request that reaches opencode while it is still booting may
        # never be answered: give up on it after a few seconds.
        conn = http.client.HTTPConnection(self.url.hostname, self.url.port,
                                          timeout=5)
        self.conn = conn
        headers = {"Accept": "text/event-stream"}
        if self.client.auth:
            headers["Authorization"] = self.client.auth
        conn.request("GET", self.client.path("/event"), headers=headers)
        res = conn.getresponse()
        conn.sock.settimeout(40)  # heartbeats come every 10 s
        if res.status != 200:
            raise OSError("event stream answered %d" % res.status)
        with self.cond:
            self.connections += 1
            self.closed = False
        data = []
        while True:
            line = res.fp.readline()
            if not line:
                break
            line = line.decode("utf-8").rstrip("\r\n")
            if line.startswith("data:"):
                data.append(line[5:].lstrip(" "))
            elif line == "" and data:
                ev = json.loads("\n".join(data))
                data = []
                with self.cond:
                    self.events.append(ev)
                    self.cond.notify_all()

    def wait(self, pred, timeout, start=0):
        """Wait for an event at index >= start for which pred is true."""
        deadline = time.monotonic() + timeout
        i = start
        with self.cond:
            while True:
                while i < len(self.events):
                    if pred(self.events[i]):
                        return i, self.events[i]
                    i += 1
                left = deadline - time.monotonic()
                if left <= 0:
                    return None, None
                self.cond.wait(left)

    def close(self):
        self.stop = True
        if self.conn is not None:
            try:
                self.conn.sock.shutdown(2)
            except (OSError, AttributeError):
                pass


def of_session(sid, *types):
    def pred(ev):
        p = ev.get("properties") or {}
        return ev.get("type") in types and (
            p.get("sessionID") == sid or
            (p.get("info") or {}).get("sessionID") == sid)
    return pred


def is_idle(sid):
    def pred(ev):
        p = ev.get("properties") or {}
        return (ev.get("type") == "session.status" and
                p.get("sessionID") == sid and
                (p.get("status") or {}).get("type") == "idle")
    return pred


class Check:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.notes = []

    def ok(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: " + what, flush=True)
        return cond


def parts_of(messages, role="assistant"):
    out = []
    for m in messages:
        if m["info"]["role"] == role:
            out.extend(m["parts"])
    return out


def tools_of(messages):
    return [(p["tool"], p["state"]["status"], p["state"])
            for p in parts_of(messages) if p["type"] == "tool"]


def final_text(messages):
    texts = [p["text"] for p in parts_of(messages) if p["type"] == "text"]
    return texts[-1] if texts else ""


def settled_messages(client, sid, timeout=10):
    """The history once the last assistant message is completed.

    On a provider error opencode sends session.status idle (and
    session.error) before the message.updated that stores the error."""
    deadline = time.monotonic() + timeout
    while True:
        msgs = client.call("GET", "/session/%s/message" % sid)
        last = msgs[-1]["info"] if msgs else {}
        if last.get("role") == "assistant" and \
                last.get("time", {}).get("completed"):
            return msgs
        if time.monotonic() > deadline:
            return msgs
        time.sleep(0.1)


def run_prompt(client, events, text, timeout, on_event=None, sid=None):
    """Send TEXT to a new session; return (sid, messages, events, seconds)."""
    if sid is None:
        sid = client.call("POST", "/session", {})["id"]
    start_index = len(events.events)
    t0 = time.monotonic()
    client.call("POST", "/session/%s/prompt_async" % sid,
                {"parts": [{"type": "text", "text": text}]})
    deadline = t0 + timeout
    i = start_index
    seen_busy = False
    while time.monotonic() < deadline:
        idx, ev = events.wait(lambda e: True, deadline - time.monotonic(), i)
        if ev is None:
            break
        i = idx + 1
        p = ev.get("properties") or {}
        if on_event:
            on_event(ev)
        if ev["type"] == "session.status" and p.get("sessionID") == sid:
            st = (p.get("status") or {}).get("type")
            if st in ("busy", "retry"):
                seen_busy = True
            elif st == "idle" and seen_busy:
                secs = time.monotonic() - t0
                msgs = settled_messages(client, sid)
                return sid, msgs, events.events[start_index:i], secs
    raise TimeoutError("session %s did not go idle within %ds" % (sid, timeout))


def timing(name, secs, extra=""):
    sys.stderr.write("live-check: %-12s %6.2fs %s\n" % (name, secs, extra))
    sys.stderr.flush()


# ---------------------------------------------------------------------------
# Scenarios.

def check_text(c, client, events, args):
    sid, msgs, evs, secs = run_prompt(client, events, "scenario:text", 60)
    timing("text", secs)
    parts = parts_of(msgs)
    types = [p["type"] for p in parts]
    c.ok("reasoning" in types, "text: a reasoning part")
    c.ok(final_text(msgs).startswith("Hello! This is the **fake** model"),
         "text: final text %r" % final_text(msgs)[:80])
    c.ok(msgs[-1]["info"].get("finish") == "stop", "text: finish stop")
    deltas = [e for e in evs if e["type"] == "message.part.delta"]
    c.ok(len(deltas) > 10, "text: streamed as deltas (%d)" % len(deltas))
    s = client.call("GET", "/session/%s" % sid)
    c.ok(s.get("title") == "Scripted text scenario",
         "text: title generated by the fake model (%r)" % s.get("title"))


def check_tools(c, client, events, args):
    sid, msgs, evs, secs = run_prompt(client, events, "scenario:tools", 120)
    timing("tools", secs)
    got = [(t, s) for t, s, _ in tools_of(msgs)]
    want = [("write", "completed"), ("todowrite", "completed"),
            ("read", "completed"), ("glob", "completed"),
            ("grep", "completed"), ("edit", "completed"),
            ("bash", "completed"), ("read", "error")]
    c.ok(got == want, "tools: tool calls %r" % (got,))
    for t, s, st in tools_of(msgs):
        if s == "error" and t != "read":
            print("  %s error: %s" % (t, st.get("error")))
    path = os.path.join(args.directory, "hello.c")
    try:
        with open(path, encoding="utf-8") as f:
            content = f.read()
    except OSError:
        content = ""
    c.ok("hello, world" in content, "tools: hello.c was written and edited")
    c.ok(final_text(msgs).startswith("Done. Summary"), "tools: final text")
    todos = client.call("GET", "/session/%s/todo" % sid)
    c.ok(len(todos) == 3, "tools: three todos (%d)" % len(todos))
    c.ok(any(e["type"] == "todo.updated" for e in evs), "tools: todo.updated")
    bash = [st for t, s, st in tools_of(msgs) if t == "bash"]
    c.ok(bool(bash) and "hello.c" in bash[0].get("output", ""),
         "tools: bash ls output lists hello.c")


def check_task(c, client, events, args):
    sid, msgs, evs, secs = run_prompt(client, events, "scenario:task", 120)
    timing("task", secs)
    tasks = [st for t, s, st in tools_of(msgs) if t == "task"]
    c.ok(len(tasks) == 1 and tasks[0]["status"] == "completed",
         "task: task tool completed")
    child = (tasks[0].get("metadata") or {}).get("sessionId") if tasks else None
    c.ok(bool(child), "task: metadata.sessionId names the child")
    kids = client.call("GET", "/session/%s/children" % sid)
    c.ok([k["id"] for k in kids] == [child], "task: one child session")
    if child:
        cm = client.call("GET", "/session/%s/message" % child)
        c.ok(final_text(cm).startswith("Child report"),
             "task: the child answered (%r)" % final_text(cm)[:60])
        c.ok([t for t, s, _ in tools_of(cm)] == ["glob"],
             "task: the child used a tool")
    c.ok("Child report" in final_text(msgs),
         "task: the parent saw the child's report")


def check_question(c, client, events, args):
    asked = []

    def on_event(ev):
        if ev["type"] == "question.asked":
            asked.append(ev["properties"])
            client.call("POST", "/question/%s/reply" % ev["properties"]["id"],
                        {"answers": [["Rust"]]})

    sid, msgs, evs, secs = run_prompt(client, events, "scenario:question",
                                      60, on_event)
    timing("question", secs)
    c.ok(len(asked) == 1, "question: one question.asked")
    if asked:
        q = asked[0]["questions"][0]
        c.ok(q["header"] == "Language" and len(q["options"]) == 2,
             "question: shape %r" % (q,))
    c.ok(any(e["type"] == "question.replied" for e in evs),
         "question: question.replied")
    c.ok("Rust" in final_text(msgs),
         "question: answer reached the model (%r)" % final_text(msgs)[:120])


def check_permission(c, client, events, args, reply="once"):
    asked = []

    def on_event(ev):
        if ev["type"] == "permission.asked":
            asked.append(ev["properties"])
            client.call("POST", "/permission/%s/reply" % ev["properties"]["id"],
                        {"reply": reply})

    name = "permission" if reply != "reject" else "reject"
    sid, msgs, evs, secs = run_prompt(client, events, "scenario:permission",
                                      60, on_event)
    timing(name, secs)
    c.ok(len(asked) == 1 and asked[0]["permission"] == "bash",
         "%s: one bash permission.asked (%r)" % (name, asked))
    bash = [(s, st) for t, s, st in tools_of(msgs) if t == "bash"]
    if reply == "reject":
        c.ok(bool(bash) and bash[0][0] == "error", "reject: bash error")
        c.ok(msgs[-1]["info"]["role"] == "assistant" and
             msgs[-1]["info"].get("finish") == "tool-calls",
             "reject: the loop stopped after the rejection")
    else:
        c.ok(bool(bash) and bash[0][0] == "completed" and
             "permitted" in bash[0][1].get("output", ""),
             "permission: bash ran")
        c.ok("permitted" in final_text(msgs), "permission: final text")


def check_error(c, client, events, args):
    sid, msgs, evs, secs = run_prompt(client, events, "scenario:error", 60)
    timing("error", secs)
    err = msgs[-1]["info"].get("error") or {}
    c.ok(err.get("name") == "APIError" and
         (err.get("data") or {}).get("statusCode") == 401,
         "error: APIError 401 (%r)" % (err,))
    c.ok(any(e["type"] == "session.error" for e in evs), "error: session.error")


def check_retry(c, client, events, args):
    sid, msgs, evs, secs = run_prompt(client, events, "scenario:retry", 60)
    timing("retry", secs)
    retry = [e for e in evs if e["type"] == "session.status" and
             e["properties"]["status"]["type"] == "retry"]
    c.ok(len(retry) >= 1, "retry: session.status retry")
    c.ok(final_text(msgs) == "Answer after a retry.", "retry: answered")


def check_slow_abort(c, client, events, args):
    sid = client.call("POST", "/session", {})["id"]
    start = len(events.events)
    t0 = time.monotonic()
    client.call("POST", "/session/%s/prompt_async" % sid,
                {"parts": [{"type": "text",
                            "text": "scenario:slow delay=0.05"}]})
    idx, ev = events.wait(of_session(sid, "message.part.delta"), 60, start)
    c.ok(ev is not None, "slow: deltas arrive")
    time.sleep(1.0)
    client.call("POST", "/session/%s/abort" % sid)
    idx, ev = events.wait(is_idle(sid), 30, start)
    timing("slow+abort", time.monotonic() - t0)
    msgs = client.call("GET", "/session/%s/message" % sid)
    err = msgs[-1]["info"].get("error") or {}
    c.ok(err.get("name") == "MessageAbortedError",
         "slow: aborted (%r)" % (err,))
    n = len(final_text(msgs))
    c.ok(0 < n < 10000, "slow: partial text kept (%d chars)" % n)


def check_long(c, client, events, args):
    sid, msgs, evs, secs = run_prompt(client, events, "scenario:long", 120)
    deltas = sum(1 for e in evs if e["type"] == "message.part.delta")
    timing("long", secs, "%d deltas" % deltas)
    text = final_text(msgs)
    c.ok(text.startswith("# Long answer") and len(text) > 20000,
         "long: text (%d chars)" % len(text))
    c.ok(deltas >= 4000, "long: deltas (%d)" % deltas)


def check_firehose(c, client, events, args):
    n = args.firehose
    sid, msgs, evs, secs = run_prompt(client, events,
                                      "scenario:firehose count=%d" % n, 900)
    deltas = sum(1 for e in evs if e["type"] == "message.part.delta")
    timing("firehose", secs, "%d deltas for %d tokens" % (deltas, n))
    text = final_text(msgs)
    c.ok(len(text) == n, "firehose: %d chars (want %d)" % (len(text), n))


def check_restart(c, client, events, args):
    if not args.harness:
        return
    before = client.call("GET", "/session")
    mark = len(events.events)
    conns = events.connections
    t0 = time.monotonic()
    out = subprocess.run([sys.executable,
                          os.path.join(HERE, "opencode-server.py"),
                          "restart", "--root", args.root],
                         capture_output=True, text=True, timeout=120)
    timing("restart", time.monotonic() - t0)
    c.ok(out.returncode == 0, "restart: harness restart (%s)" % out.stderr)
    after = client.call("GET", "/session")
    c.ok({s["id"] for s in before} == {s["id"] for s in after},
         "restart: sessions survive")
    # The old event stream is gone; a new one must come up.
    idx, ev = events.wait(lambda e: e["type"] == "server.connected", 30,
                          mark)
    c.ok(ev is not None and events.connections > conns,
         "restart: event stream reconnected")
    sid, msgs, evs, secs = run_prompt(client, events, "scenario:text", 60)
    timing("after-restart", secs)
    c.ok(final_text(msgs).startswith("Hello!"), "restart: prompt works")


def check_cut(c, client, events, args):
    target = urllib.parse.urlparse(client.url)
    proc = subprocess.Popen([sys.executable,
                             os.path.join(HERE, "cut-proxy.py"),
                             "--target", "127.0.0.1:%d" % target.port,
                             "--cut-after", "1", "--match", "/event",
                             "--quiet"],
                            stdout=subprocess.PIPE)
    try:
        port = int(proc.stdout.readline().decode().strip()[5:])
        cut_events = Events(client, "http://127.0.0.1:%d" % port)
        time.sleep(3.5)
        n = cut_events.connections
        c.ok(n >= 3, "cut: /event through the proxy reconnected %d times" % n)
        cut_events.close()
    finally:
        proc.terminate()
        proc.wait()


CHECKS = [
    ("text", check_text),
    ("tools", check_tools),
    ("task", check_task),
    ("question", check_question),
    ("permission", check_permission),
    ("reject", lambda c, cl, ev, a: check_permission(c, cl, ev, a, "reject")),
    ("error", check_error),
    ("retry", check_retry),
    ("slow", check_slow_abort),
    ("long", check_long),
    ("firehose", check_firehose),
    ("cut", check_cut),
    ("restart", check_restart),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", help="start the harness under this directory")
    ap.add_argument("--cache", help="opencode-ai install dir for the harness")
    ap.add_argument("--url")
    ap.add_argument("--directory")
    ap.add_argument("--password")
    ap.add_argument("--git", action="store_true",
                    help="let the harness make the project a git repository")
    ap.add_argument("--only", help="comma-separated checks")
    ap.add_argument("--firehose", type=int, default=20000,
                    help="tokens of the firehose check (opencode takes "
                         "about 0.5 ms a token on an idle 2-core machine)")
    args = ap.parse_args()

    harness = None
    args.harness = False
    if not args.url:
        if not args.root:
            ap.error("give --url and --directory, or --root")
        cmd = [sys.executable, os.path.join(HERE, "opencode-server.py"),
               "run", "--root", args.root]
        if args.cache:
            cmd += ["--cache", args.cache]
        if args.password:
            cmd += ["--password", args.password]
        if args.git:
            cmd += ["--git"]
        t0 = time.monotonic()
        harness = subprocess.Popen(cmd, stdout=subprocess.PIPE)
        info = json.loads(harness.stdout.readline())
        timing("boot", time.monotonic() - t0,
               "(health %d ms, ready %d ms)" % (info["health_ms"],
                                                info["ready_ms"]))
        args.url = info["url"]
        args.directory = info["directory"]
        args.harness = True
    client = Client(args.url, args.directory, args.password)
    events = Events(client)
    c = Check()
    only = set(args.only.split(",")) if args.only else None
    try:
        events.wait(lambda e: e["type"] == "server.connected", 30)
        for name, func in CHECKS:
            if only and name not in only:
                continue
            try:
                func(c, client, events, args)
            except Exception as e:  # report and go on with the next check
                c.ok(False, "%s: %s: %s" % (name, type(e).__name__, e))
    finally:
        events.close()
        if harness is not None:
            harness.send_signal(signal.SIGTERM)
            harness.wait(60)
    print("%d passed, %d failed" % (c.passed, c.failed), flush=True)
    return 0 if c.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
