#!/usr/bin/env python3
# test-live.py: ekacode-cli against the real `opencode serve` 1.18.33.
#
#   test-live.py EKACODE-CLI CACHE-DIR [--only NAME,NAME]
#
# Starts opencode serve (tests/live/opencode-server.py: a throwaway HOME,
# the scripted model of tests/live/fake-model.py, everything on loopback),
# then runs each scenario with `ekacode-cli run --dump` and checks that the
# dump equals the server's own GET /session/{id}/message, field for field.
# Faults: a proxy that cuts the event stream every second, the server
# killed and restarted in the middle of a session, a server with a
# password.  opencode-ai is installed with npm into CACHE-DIR once.
#
# Output is TAP.  Python 3 standard library only.

import argparse
import base64
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
LIVE = os.path.join(HERE, 'live')


class Stack:
    """opencode serve and its scripted model, started by the harness."""

    def __init__(self, root, cache, password=None):
        self.root = root
        self.password = password
        cmd = [sys.executable, os.path.join(LIVE, 'opencode-server.py'), 'run',
               '--root', root, '--cache', cache, '--delay', '0.02']
        if password:
            cmd += ['--password', password]
        self.log = open(os.path.join(root + '.log'), 'w')
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log,
                                     text=True)
        ready = self._next_state()
        if ready.get('event') != 'ready':
            raise RuntimeError('the server did not start: %r' % ready)
        self.url = ready['url']
        self.directory = ready['directory']

    def _next_state(self):
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError('the harness ended; see %s.log' % self.root)
        return json.loads(line)

    def restart(self):
        subprocess.run([sys.executable, os.path.join(LIVE, 'opencode-server.py'),
                        'restart', '--root', self.root], check=True,
                       stdout=subprocess.DEVNULL, timeout=120)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()

    def request(self, method, path, body=None, password=None):
        sep = '&' if '?' in path else '?'
        url = '%s%s%sdirectory=%s' % (self.url, path, sep,
                                     urllib.parse.quote(self.directory, safe=''))
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, method=method)
        if data is not None:
            req.add_header('Content-Type', 'application/json')
        password = password or self.password
        if password:
            token = base64.b64encode(('opencode:%s' % password).encode()).decode()
            req.add_header('Authorization', 'Basic ' + token)
        with urllib.request.urlopen(req, timeout=60) as res:
            text = res.read()
        return json.loads(text) if text else None

    def messages(self, session_id):
        return self.request('GET', '/session/%s/message' % session_id)


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


class Cli:
    def __init__(self, path, tmp):
        self.path = path
        self.tmp = tmp
        self.n = 0

    def dump_path(self):
        self.n += 1
        return os.path.join(self.tmp, 'dump-%d.json' % self.n)

    def start(self, stack, prompt, *extra, url=None, env=None, dump=None):
        cmd = [self.path, 'run', '--server', url or stack.url,
               '--directory', stack.directory]
        cmd += list(extra)
        if dump:
            cmd += ['--dump', dump]
        cmd.append(prompt)
        return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True,
                                env=dict(os.environ, **(env or {})))

    def run(self, stack, prompt, *extra, timeout=180, **kwargs):
        dump = self.dump_path()
        proc = self.start(stack, prompt, *extra, dump=dump, **kwargs)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            raise Failure('ekacode-cli run timed out; stdout: %s; stderr: %s'
                          % (out[-2000:], err[-2000:]))
        return proc.returncode, out, err, dump


def load(path):
    with open(path) as f:
        return json.load(f)


def first_difference(a, b, where='$'):
    if type(a) != type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
        return '%s: %r != %r' % (where, a, b)
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return '%s.%s: only on one side' % (where, k)
            d = first_difference(a[k], b[k], '%s.%s' % (where, k))
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return '%s: %d items != %d items' % (where, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, '%s[%d]' % (where, i))
            if d:
                return d
        return None
    return None if a == b else '%s: %r != %r' % (where, a, b)


def assert_dump_equals_server(stack, dump):
    mine = load(dump)
    check(len(mine) > 0, 'the dump is empty')
    session_id = mine[0]['info']['sessionID']
    # the server may still be writing the last update: give it a moment
    for _ in range(20):
        theirs = stack.messages(session_id)
        diff = first_difference(mine, theirs)
        if diff is None:
            return session_id, mine
        time.sleep(0.25)
    raise Failure('dump differs from GET /session/%s/message at %s' % (session_id, diff))


def parts_of(messages, type_=None):
    for m in messages:
        for p in m['parts']:
            if type_ is None or p['type'] == type_:
                yield p


def tools_of(messages):
    return {p['tool']: p['state']['status'] for p in parts_of(messages, 'tool')}


def create_session(stack):
    return stack.request('POST', '/session', {})['id']


def wait_until(what, fn, timeout=60):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = fn()
        if value:
            return value
        time.sleep(0.1)
    raise Failure('timed out waiting for ' + what)


# ---------------------------------------------------------------------------
# Scenarios: each takes (cli, stack) and raises Failure.

def t_text(cli, stack):
    rc, out, err, dump = cli.run(stack, 'scenario:text')
    check(rc == 0, 'exit %d: %s' % (rc, err))
    _, msgs = assert_dump_equals_server(stack, dump)
    check(any(parts_of(msgs, 'reasoning')), 'no reasoning part')
    check(any(p.get('text') for p in parts_of(msgs[1:], 'text')), 'no reply text')
    check('[thinking]' in out, 'reasoning was not printed')


def t_tools(cli, stack):
    rc, out, err, dump = cli.run(stack, 'scenario:tools', '--permission', 'once')
    check(rc == 0, 'exit %d: %s' % (rc, err))
    _, msgs = assert_dump_equals_server(stack, dump)
    tools = tools_of(msgs)
    for name in ('write', 'edit', 'read', 'bash', 'glob', 'grep', 'todowrite'):
        check(name in tools, 'no %s tool part (have %s)' % (name, sorted(tools)))
    check('[bash] completed: ls' in out or '[bash] completed' in out,
          'no tool line for bash in the output')


def t_task(cli, stack):
    rc, out, err, dump = cli.run(stack, 'scenario:task', '--permission', 'once')
    check(rc == 0, 'exit %d: %s' % (rc, err))
    session_id, msgs = assert_dump_equals_server(stack, dump)
    check('task' in tools_of(msgs), 'no task tool part')
    children = stack.request('GET', '/session/%s/children' % session_id)
    check(len(children) >= 1, 'no child session')


def t_question(cli, stack):
    rc, out, err, dump = cli.run(stack, 'scenario:question')
    check(rc == 0, 'exit %d: %s' % (rc, err))
    _, msgs = assert_dump_equals_server(stack, dump)
    check(tools_of(msgs).get('question') == 'completed', 'the question was not answered')
    check('[question]' in out, 'the answer was not reported')


def permission(mode, expect_status):
    def t(cli, stack):
        rc, out, err, dump = cli.run(stack, 'scenario:permission', '--permission', mode)
        check(rc in (0, 1), 'exit %d: %s' % (rc, err))
        _, msgs = assert_dump_equals_server(stack, dump)
        check(tools_of(msgs).get('bash') == expect_status,
              'bash is %s, not %s' % (tools_of(msgs).get('bash'), expect_status))
        check('[permission]' in out, 'the reply was not reported')
    return t


def t_provider_error(cli, stack):
    rc, out, err, dump = cli.run(stack, 'scenario:error')
    check(rc == 1, 'exit %d, not 1' % rc)
    check(err.strip() != '', 'no error in words on stderr')
    _, msgs = assert_dump_equals_server(stack, dump)
    check(any('error' in m['info'] for m in msgs), 'no message carries the error')


def t_abort(cli, stack):
    session_id = create_session(stack)
    dump = cli.dump_path()
    proc = cli.start(stack, 'scenario:slow delay=0.05 chunks=400', '--session', session_id,
                     dump=dump)
    # the server keeps streamed text to itself until the part ends: wait
    # for busy, then let it stream a while (the scenario takes 20 s)
    wait_until('the session to be busy', lambda: session_id in
               stack.request('GET', '/session/status'), timeout=60)
    time.sleep(3)
    started = time.monotonic()
    aborted = stack.request('POST', '/session/%s/abort' % session_id, {})
    out, err = proc.communicate(timeout=60)
    check(proc.returncode == 1, 'exit %d, not 1: %s; abort answered %r; the run ended %.1f s later; '
          'the server has: %s' % (proc.returncode, err, aborted, time.monotonic() - started,
                                  json.dumps(stack.messages(session_id)[-1]['info'])))
    check('interrupted' in err.lower(), 'the interruption was not said: %s' % err)
    _, msgs = assert_dump_equals_server(stack, dump)
    check(msgs[-1]['info'].get('error', {}).get('name') == 'MessageAbortedError',
          'the last message is not aborted')


def t_busy_prompt(cli, stack):
    session_id = create_session(stack)
    first = cli.start(stack, 'scenario:slow delay=0.02 chunks=150', '--session', session_id)
    wait_until('the session to be busy', lambda: session_id in
               stack.request('GET', '/session/status'), timeout=60)
    rc, out, err, dump = cli.run(stack, 'scenario:text', '--session', session_id)
    first.communicate(timeout=120)
    check(first.returncode == 0, 'first run exit %d' % first.returncode)
    check(rc == 0, 'second run exit %d: %s' % (rc, err))
    _, msgs = assert_dump_equals_server(stack, dump)
    users = [m for m in msgs if m['info']['role'] == 'user']
    check(len(users) == 2, '%d user messages, not 2' % len(users))


def t_cut_connections(cli, stack):
    proxy = subprocess.Popen([sys.executable, os.path.join(LIVE, 'cut-proxy.py'),
                              '--target', stack.url.split('//')[1], '--cut-after', '1.0',
                              '--match', '/event', '--quiet'],
                             stdout=subprocess.PIPE, text=True)
    try:
        port = int(proxy.stdout.readline().strip().split('=')[1])
        rc, out, err, dump = cli.run(stack, 'scenario:slow delay=0.02 chunks=250',
                                     url='http://127.0.0.1:%d' % port)
        check(rc == 0, 'exit %d: %s' % (rc, err))
        _, msgs = assert_dump_equals_server(stack, dump)
        check(len(msgs) >= 2, 'no reply')
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)


def t_restart(cli, stack):
    session_id = create_session(stack)
    dump = cli.dump_path()
    proc = cli.start(stack, 'scenario:slow delay=0.05 chunks=400', '--session', session_id,
                     dump=dump)
    wait_until('the session to be busy', lambda: session_id in
               stack.request('GET', '/session/status'), timeout=60)
    time.sleep(3)
    stack.restart()
    out, err = proc.communicate(timeout=120)
    # the turn died with the server: the client says so, and still ends
    # up holding what the restarted server holds
    check(proc.returncode in (0, 1), 'exit %d: %s' % (proc.returncode, err))
    assert_dump_equals_server(stack, dump)
    # and the session goes on after the restart
    rc, out, err, dump = cli.run(stack, 'scenario:text', '--session', session_id)
    check(rc == 0, 'exit %d after the restart: %s' % (rc, err))
    assert_dump_equals_server(stack, dump)


def t_sessions_and_watch(cli, stack):
    res = subprocess.run([cli.path, 'sessions', '--server', stack.url,
                          '--directory', stack.directory],
                         capture_output=True, text=True, timeout=60)
    check(res.returncode == 0, 'sessions exit %d: %s' % (res.returncode, res.stderr))
    check(res.stdout.count('ses_') >= 1, 'no session listed')
    res = subprocess.run([cli.path, 'watch', '--server', stack.url, '--directory',
                          stack.directory, '--count', '1', '--stats'],
                         capture_output=True, text=True, timeout=60)
    check(res.returncode == 0, 'watch exit %d: %s' % (res.returncode, res.stderr))
    stats = json.loads(res.stdout.strip().splitlines()[-1])
    check(stats['events'] >= 1, 'watch saw no event')


def t_unreachable(cli, stack):
    rc, out, err, dump = cli.run(stack, 'hello', url='http://127.0.0.1:9')
    check(rc == 2, 'exit %d, not 2' % rc)
    check('reach' in err, 'no reason in words: %s' % err)


def t_password(cli, stack):
    rc, out, err, dump = cli.run(stack, 'scenario:text')
    check(rc == 2, 'no password: exit %d, not 2' % rc)
    check('password' in err.lower(), 'no password: %s' % err)
    rc, out, err, dump = cli.run(stack, 'scenario:text', '--password-env', 'EK_TEST_PW',
                                 env={'EK_TEST_PW': 'wrong'})
    check(rc == 2, 'wrong password: exit %d, not 2' % rc)
    check('password' in err.lower() or 'refused' in err.lower(), 'wrong password: %s' % err)
    rc, out, err, dump = cli.run(stack, 'scenario:text', '--password-env', 'EK_TEST_PW',
                                 env={'EK_TEST_PW': stack.password})
    check(rc == 0, 'right password: exit %d: %s' % (rc, err))
    assert_dump_equals_server(stack, dump)


SCENARIOS = [
    ('text with reasoning', t_text),
    ('every built-in tool', t_tools),
    ('task with a child session', t_task),
    ('question', t_question),
    ('permission once', permission('once', 'completed')),
    ('permission reject', permission('reject', 'error')),
    # last: "always" is remembered by the server for what follows
    ('permission always', permission('always', 'completed')),
    ('provider error', t_provider_error),
    ('abort mid-stream', t_abort),
    ('prompt while busy', t_busy_prompt),
    ('event stream cut every second', t_cut_connections),
    ('server restarted mid-session', t_restart),
    ('sessions and watch', t_sessions_and_watch),
    ('unreachable server', t_unreachable),
]
PASSWORD_SCENARIOS = [
    ('password: none, wrong, right', t_password),
]


class _Kept:
    def __init__(self, path):
        self.path = os.path.abspath(path)

    def __enter__(self):
        return self.path

    def __exit__(self, *exc):
        return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('cli')
    ap.add_argument('cache')
    ap.add_argument('--only', help='comma-separated words; run scenarios whose name has one')
    ap.add_argument('--keep', help='work in this directory and keep it (logs, dumps)')
    args = ap.parse_args()

    def wanted(name):
        return not args.only or any(w in name for w in args.only.split(','))

    plain = [s for s in SCENARIOS if wanted(s[0])]
    secured = [s for s in PASSWORD_SCENARIOS if wanted(s[0])]
    print('1..%d' % (len(plain) + len(secured)), flush=True)

    os.makedirs(args.cache, exist_ok=True)
    failed = 0
    n = 0
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
    with (tempfile.TemporaryDirectory(prefix='ekacode-live-') if not args.keep
          else _Kept(args.keep)) as tmp:
        cli = Cli(os.path.abspath(args.cli), tmp)
        for group, password in ((plain, None), (secured, 'sesame-%d' % os.getpid())):
            if not group:
                continue
            stack = None
            try:
                stack = Stack(os.path.join(tmp, 'stack-%s' % ('pw' if password else 'plain')),
                              os.path.abspath(args.cache), password)
            except Exception as e:  # the whole group fails, each in words
                for name, _ in group:
                    n += 1
                    failed += 1
                    print('not ok %d - %s # the server did not start: %s' % (n, name, e),
                          flush=True)
                continue
            try:
                for name, fn in group:
                    n += 1
                    start = time.monotonic()
                    try:
                        fn(cli, stack)
                        print('ok %d - %s (%.1f s)' % (n, name, time.monotonic() - start),
                              flush=True)
                    except Exception as e:
                        failed += 1
                        print('not ok %d - %s' % (n, name), flush=True)
                        for line in (str(e) if isinstance(e, Failure)
                                     else traceback.format_exc()).splitlines():
                            print('# ' + line, flush=True)
            finally:
                stack.stop()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
