#!/usr/bin/env python3
# opencode-server.py: run the real `opencode serve` against fake-model.py.
#
#   opencode-server.py install --cache DIR
#   opencode-server.py run   --root DIR [--cache DIR] [--port N] [--password PW] ...
#   opencode-server.py stop | restart | down | up | status --root DIR
#
# `run` stays in the foreground: it installs opencode-ai if needed, lays out
# a throwaway HOME, XDG dirs and project under --root, starts the fake model
# and the server, and prints one JSON line per state change on stdout
# (the first one once GET /global/health answers).  SIGTERM or SIGINT stops
# everything; SIGUSR1 restarts the server on the same port and HOME;
# SIGUSR2 stops the server only (the fake model keeps running) until the
# next SIGUSR1.  The other subcommands send those signals to the `run`
# process of --root and wait for its state file.
#
# Python 3 standard library only.

import argparse
import base64
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

VERSION = "1.18.33"
PACKAGE = "opencode-ai@" + VERSION
HERE = os.path.dirname(os.path.abspath(__file__))

# Everything here keeps the server off the network and away from the
# developer's own opencode setup.
SERVER_ENV = {
    "OPENCODE_DISABLE_AUTOUPDATE": "1",
    "OPENCODE_DISABLE_MODELS_FETCH": "1",
    "OPENCODE_DISABLE_DEFAULT_PLUGINS": "1",
    "OPENCODE_DISABLE_LSP_DOWNLOAD": "1",
    "OPENCODE_DISABLE_SHARE": "1",
    "OPENCODE_DISABLE_CLAUDE_CODE": "1",
    "OPENCODE_DISABLE_EXTERNAL_SKILLS": "1",
    "OPENCODE_DISABLE_PRUNE": "1",
    "OPENCODE_ENABLE_QUESTION_TOOL": "1",
    "OPENCODE_PURE": "1",
}

# Inherited variables that would change what the server does.
DROP_ENV_PREFIXES = ("OPENCODE_", "OPENAI_", "ANTHROPIC_", "GEMINI_",
                     "GOOGLE_", "OPENROUTER_", "GROQ_", "XAI_", "MISTRAL_",
                     "DEEPSEEK_", "AWS_", "AZURE_", "GITHUB_TOKEN", "GH_TOKEN",
                     "XDG_")


def log(msg):
    sys.stderr.write("opencode-server: %s\n" % msg)
    sys.stderr.flush()


# ---------------------------------------------------------------------------
# Installing opencode-ai.

def binary_path(cache):
    pkg = "opencode-linux-x64"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            if " avx2" not in f.read():
                pkg = "opencode-linux-x64-baseline"
    except OSError:
        pass
    return os.path.join(cache, "node_modules", pkg, "bin", "opencode")


def installed_version(binary):
    """The version in the package's package.json, if the binary is there
    (running `opencode --version` costs seconds)."""
    if not os.access(binary, os.X_OK):
        return None
    pkg = os.path.join(os.path.dirname(os.path.dirname(binary)),
                       "package.json")
    try:
        with open(pkg, encoding="utf-8") as f:
            return json.load(f).get("version")
    except (OSError, ValueError):
        return None


def install(cache):
    """Make sure opencode-ai is installed in CACHE; return the binary."""
    cache = os.path.abspath(cache)
    os.makedirs(cache, exist_ok=True)
    binary = binary_path(cache)
    with open(os.path.join(cache, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if installed_version(binary) == VERSION:
            return binary
        npm = shutil.which("npm")
        if not npm:
            raise SystemExit("opencode-server: npm is not installed")
        log("installing %s into %s" % (PACKAGE, cache))
        pkg_json = os.path.join(cache, "package.json")
        if not os.path.exists(pkg_json):
            with open(pkg_json, "w", encoding="utf-8") as f:
                json.dump({"name": "ekacode-live-tests", "private": True}, f)
        cmd = [npm, "install", "--prefix", cache,
               "--cache", os.path.join(cache, ".npm-cache"),
               "--no-audit", "--no-fund", "--no-save",
               "--loglevel", "error", PACKAGE]
        res = subprocess.run(cmd, stdout=sys.stderr, timeout=900)
        if res.returncode != 0:
            raise SystemExit("opencode-server: npm install failed (%d)"
                             % res.returncode)
        shutil.rmtree(os.path.join(cache, ".npm-cache"), ignore_errors=True)
        got = installed_version(binary)
        if got != VERSION:
            raise SystemExit("opencode-server: %s reports version %r"
                             % (binary, got))
    return binary


# ---------------------------------------------------------------------------
# The throwaway world under --root.

class Layout:
    def __init__(self, root):
        self.root = os.path.abspath(root)
        self.home = os.path.join(self.root, "home")
        self.config = os.path.join(self.root, "xdg", "config")
        self.data = os.path.join(self.root, "xdg", "data")
        self.cache = os.path.join(self.root, "xdg", "cache")
        self.state_dir = os.path.join(self.root, "xdg", "state")
        self.project = os.path.join(self.root, "project")
        self.logs = os.path.join(self.root, "logs")
        self.config_file = os.path.join(self.config, "opencode",
                                        "opencode.json")
        self.state_file = os.path.join(self.root, "state.json")

    def make(self, git):
        for d in (self.home, self.config, self.data, self.cache,
                  self.state_dir, self.project, self.logs,
                  os.path.dirname(self.config_file)):
            os.makedirs(d, exist_ok=True)
        readme = os.path.join(self.project, "README.md")
        if not os.path.exists(readme):
            with open(readme, "w", encoding="utf-8") as f:
                f.write("# Scratch project\n\nUsed by ekacode's live tests.\n")
        self.seed_dependencies()
        if git and not os.path.isdir(os.path.join(self.project, ".git")):
            env = self.env({})
            for cmd in (["git", "init", "-q", "-b", "main"],
                        ["git", "add", "README.md"],
                        ["git", "-c", "user.name=ekacode tests",
                         "-c", "user.email=tests@ekacode.invalid",
                         "commit", "-q", "-m", "Initial commit"]):
                subprocess.run(cmd, cwd=self.project, env=env, check=True)

    def seed_dependencies(self):
        """Keep opencode from running npm in its config directory.

        At every boot opencode installs @opencode-ai/plugin into each config
        directory, in the background, from the npm registry -- unless
        node_modules exists and package-lock.json already lists every
        dependency of package.json.  No plugin is used here, so an empty
        node_modules and matching manifests are enough."""
        d = os.path.dirname(self.config_file)
        os.makedirs(os.path.join(d, "node_modules"), exist_ok=True)
        deps = {"@opencode-ai/plugin": VERSION}
        for name, obj in (("package.json", {"dependencies": deps}),
                          ("package-lock.json", {
                              "name": "opencode", "lockfileVersion": 3,
                              "requires": True,
                              "packages": {"": {"dependencies": deps}}})):
            path = os.path.join(d, name)
            if not os.path.exists(path):
                with open(path, "w", encoding="utf-8") as f:
                    json.dump(obj, f, indent=2)
                    f.write("\n")

    def env(self, extra):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(DROP_ENV_PREFIXES)}
        env.update({"HOME": self.home,
                    "XDG_CONFIG_HOME": self.config,
                    "XDG_DATA_HOME": self.data,
                    "XDG_CACHE_HOME": self.cache,
                    "XDG_STATE_HOME": self.state_dir,
                    "GIT_CONFIG_NOSYSTEM": "1"})
        env.update(extra)
        return env


def opencode_config(fake_url):
    return {
        "$schema": "https://opencode.ai/config.json",
        "autoupdate": False,
        "share": "disabled",
        "snapshot": True,
        "enabled_providers": ["fake"],
        "model": "fake/fake",
        "small_model": "fake/fake",
        "provider": {
            "fake": {
                "name": "Fake",
                "npm": "@ai-sdk/openai-compatible",
                "options": {"baseURL": fake_url + "/v1",
                            "apiKey": "fake-key"},
                "models": {
                    "fake": {
                        "name": "Fake",
                        "tool_call": True,
                        "reasoning": True,
                        "attachment": False,
                        "temperature": True,
                        "limit": {"context": 1000000, "output": 32000},
                    },
                },
            },
        },
        # Every tool runs without asking, except the command of the
        # `permission` scenario, so that tests get exactly one request.
        "permission": {
            "bash": {"*": "allow", "echo permitted*": "ask"},
        },
    }


# ---------------------------------------------------------------------------
# Processes.

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def http_call(method, url, auth, timeout, body=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if auth:
        req.add_header("Authorization", auth)
    with urllib.request.urlopen(req, timeout=timeout) as res:
        raw = res.read()
        return json.loads(raw.decode("utf-8")) if raw else None


def http_get(url, auth, timeout):
    return http_call("GET", url, auth, timeout)


def die_with_parent():
    """Child side of fork: get SIGTERM when the harness dies, even by
    SIGKILL, so that no server outlives a crashed test."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def stop_process(proc, timeout=10):
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


class Stack:
    def __init__(self, args, binary, layout):
        self.args = args
        self.binary = binary
        self.layout = layout
        self.fake = None
        self.fake_port = None
        self.server = None
        self.port = args.port or free_port()
        self.auth = None
        if args.password:
            token = "%s:%s" % (args.username, args.password)
            self.auth = "Basic " + base64.b64encode(
                token.encode("utf-8")).decode("ascii")
        self.info = {}

    # -- fake model -------------------------------------------------------

    def start_fake(self):
        cmd = [sys.executable, os.path.join(HERE, "fake-model.py"),
               "--port", str(self.args.fake_port),
               "--log", os.path.join(self.layout.logs, "model-requests.jsonl")]
        if self.args.scenario:
            cmd += ["--scenario", self.args.scenario]
        if self.args.delay is not None:
            cmd += ["--delay", str(self.args.delay)]
        if self.args.model_dump:
            dump = os.path.join(self.layout.logs, "model-requests")
            os.makedirs(dump, exist_ok=True)
            cmd += ["--dump-dir", dump]
        err = open(os.path.join(self.layout.logs, "fake-model.log"), "ab")
        self.fake = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err,
                                     stdin=subprocess.DEVNULL,
                                     start_new_session=True,
                                     preexec_fn=die_with_parent)
        err.close()
        line = self.fake.stdout.readline().decode("utf-8").strip()
        if not line.startswith("PORT="):
            raise SystemExit("opencode-server: fake model did not start")
        self.fake_port = int(line[5:])
        self.fake.stdout.close()

    # -- opencode serve ---------------------------------------------------

    def write_config(self):
        with open(self.layout.config_file, "w", encoding="utf-8") as f:
            json.dump(opencode_config("http://127.0.0.1:%d"
                                      % self.fake_port), f, indent=2)
            f.write("\n")

    def start_server(self):
        extra = dict(SERVER_ENV)
        if self.args.password:
            extra["OPENCODE_SERVER_PASSWORD"] = self.args.password
            extra["OPENCODE_SERVER_USERNAME"] = self.args.username
        env = self.layout.env(extra)
        cmd = [self.binary, "serve", "--hostname", "127.0.0.1",
               "--port", str(self.port), "--log-level", self.args.log_level,
               "--print-logs"]
        out = open(os.path.join(self.layout.logs, "opencode.log"), "ab")
        started = time.monotonic()
        self.server = subprocess.Popen(cmd, cwd=self.layout.project, env=env,
                                       stdout=out, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL,
                                       start_new_session=True,
                                       preexec_fn=die_with_parent)
        out.close()
        base = "http://127.0.0.1:%d" % self.port
        deadline = started + self.args.timeout
        health = None
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise SystemExit("opencode-server: opencode exited with %d, "
                                 "see %s" % (self.server.returncode,
                                             self.layout.logs))
            try:
                # A request sent while the server is still booting may never
                # be answered: always use a short timeout and retry.
                health = http_get(base + "/global/health", self.auth, 2)
                break
            except (OSError, ValueError):
                time.sleep(0.1)
        if health is None:
            raise SystemExit("opencode-server: no answer from %s within %ds"
                             % (base, self.args.timeout))
        health_ms = int((time.monotonic() - started) * 1000)
        if self.args.warm:
            self.warm_up(base)
        ready_ms = int((time.monotonic() - started) * 1000)
        self.info = {
            "event": "ready",
            "url": base,
            "port": self.port,
            "directory": self.layout.project,
            "root": self.layout.root,
            "home": self.layout.home,
            "config": self.layout.config_file,
            "logs": self.layout.logs,
            "pid": self.server.pid,
            "harness_pid": os.getpid(),
            "fake_model_pid": self.fake.pid,
            "fake_model_url": "http://127.0.0.1:%d" % self.fake_port,
            "username": self.args.username if self.args.password else None,
            "password": self.args.password,
            "version": health.get("version"),
            "health_ms": health_ms,
            "ready_ms": ready_ms,
        }
        self.publish(self.info)

    def warm_up(self, base):
        """Pay opencode's one-time costs before a test measures anything.

        The first request for a directory boots its instance, the first
        provider listing loads the catalog, and the first prompt after a
        boot loads the tools and the snapshot machinery (5-20 s on a busy
        2-core machine; later prompts take about a second).  So: one prompt
        in a throwaway session, deleted again."""
        q = "?directory=" + urllib.parse.quote(self.layout.project, safe="")
        t0 = time.monotonic()
        try:
            http_get(base + "/path" + q, self.auth, 120)
            http_get(base + "/config/providers" + q, self.auth, 120)
            sid = http_call("POST", base + "/session" + q, self.auth, 60,
                            {"title": "warm-up"})["id"]
            http_call("POST", base + "/session/%s/message" % sid + q,
                      self.auth, 180,
                      {"parts": [{"type": "text", "text": "scenario:text"}]})
            http_call("DELETE", base + "/session/%s" % sid + q, self.auth, 60)
            http_call("POST", "http://127.0.0.1:%d/fake/reset"
                      % self.fake_port, None, 10, {})
        except (OSError, ValueError, KeyError, TypeError) as e:
            log("warm-up failed after %.1fs: %s" % (time.monotonic() - t0, e))

    def stop_server(self):
        stop_process(self.server)
        self.server = None

    def publish(self, info):
        tmp = self.layout.state_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(info, f)
        os.replace(tmp, self.layout.state_file)
        sys.stdout.write(json.dumps(info) + "\n")
        sys.stdout.flush()

    def stop_all(self):
        self.stop_server()
        stop_process(self.fake)
        self.fake = None


def cmd_run(args):
    layout = Layout(args.root)
    other = harness_pid(layout.root)
    if other is not None and other != os.getpid():
        try:
            os.kill(other, 0)
            raise SystemExit("opencode-server: harness %d already runs "
                             "under %s" % (other, layout.root))
        except ProcessLookupError:
            pass
    layout.make(args.git)
    binary = install(args.cache or os.path.join(layout.root, "npm"))
    stack = Stack(args, binary, layout)
    pending = []

    def on_signal(signum, frame):
        pending.append(signum)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP,
                signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(sig, on_signal)
    with open(os.path.join(layout.root, "harness.pid"), "w") as f:
        f.write("%d\n" % os.getpid())
    try:
        stack.start_fake()
        stack.write_config()
        stack.start_server()
        while True:
            while not pending:
                time.sleep(0.1)
                if stack.server is not None and stack.server.poll() is not None:
                    code = stack.server.returncode
                    stack.server = None
                    stack.publish(dict(stack.info, event="exited", pid=None,
                                       exit_code=code))
            sig = pending.pop(0)
            if sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                break
            if sig == signal.SIGUSR1:
                stack.stop_server()
                stack.start_server()
            elif sig == signal.SIGUSR2:
                stack.stop_server()
                stack.publish(dict(stack.info, event="down", pid=None))
    finally:
        stack.stop_all()
        stack.publish(dict(stack.info, event="stopped", pid=None,
                           fake_model_pid=None))
        try:
            os.unlink(os.path.join(layout.root, "harness.pid"))
        except OSError:
            pass
    return 0


def harness_pid(root):
    try:
        with open(os.path.join(root, "harness.pid"), encoding="utf-8") as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def read_state(root):
    try:
        with open(os.path.join(root, "state.json"), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def signal_and_wait(args, sig, want):
    root = os.path.abspath(args.root)
    pid = harness_pid(root)
    if pid is None:
        log("nothing runs under %s" % root)
        return 1 if want != "stopped" else 0
    before = read_state(root) or {}
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        log("harness %d is gone" % pid)
        return 1
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        st = read_state(root) or {}
        if st.get("event") == want and st != before:
            print(json.dumps(st), flush=True)
            return 0
        if want == "stopped" and harness_pid(root) is None:
            print(json.dumps(st), flush=True)
            return 0
        time.sleep(0.1)
    log("timed out waiting for %s" % want)
    return 1


def main():
    ap = argparse.ArgumentParser(
        description="Run opencode serve %s against the fake model." % VERSION)
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("install", help="install opencode-ai into --cache")
    p.add_argument("--cache", required=True)

    p = sub.add_parser("run", help="start everything, stay in foreground")
    p.add_argument("--root", required=True,
                   help="directory that receives everything created")
    p.add_argument("--cache", help="npm install dir (default ROOT/npm)")
    p.add_argument("--port", type=int, default=0,
                   help="server port (default: a free one)")
    p.add_argument("--fake-port", type=int, default=0)
    p.add_argument("--password", help="sets OPENCODE_SERVER_PASSWORD")
    p.add_argument("--username", default="opencode")
    p.add_argument("--scenario", help="fake model scenario when the prompt "
                                      "names none")
    p.add_argument("--delay", type=float,
                   help="seconds between chunks of the slow scenario")
    p.add_argument("--model-dump", action="store_true",
                   help="keep every model request body in ROOT/logs")
    p.add_argument("--git", action="store_true",
                   help="make the project directory a git repository")
    p.add_argument("--no-warm", dest="warm", action="store_false",
                   help="skip the warm-up (instance boot and one prompt in "
                        "a throwaway session) before ready")
    p.add_argument("--log-level", default="INFO",
                   choices=["DEBUG", "INFO", "WARN", "ERROR"])
    p.add_argument("--timeout", type=float, default=120,
                   help="seconds to wait for /global/health")

    for name, text in (("stop", "stop everything"),
                       ("restart", "restart the server, same port and HOME"),
                       ("down", "stop the server only"),
                       ("up", "start the server again after down"),
                       ("status", "print the state file")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--root", required=True)
        p.add_argument("--timeout", type=float, default=180)

    args = ap.parse_args()
    if args.command == "install":
        print(install(args.cache))
        return 0
    if args.command == "run":
        return cmd_run(args)
    if args.command == "stop":
        return signal_and_wait(args, signal.SIGTERM, "stopped")
    if args.command in ("restart", "up"):
        return signal_and_wait(args, signal.SIGUSR1, "ready")
    if args.command == "down":
        return signal_and_wait(args, signal.SIGUSR2, "down")
    if args.command == "status":
        st = read_state(os.path.abspath(args.root))
        print(json.dumps(st))
        return 0 if st else 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
