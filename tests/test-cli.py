#!/usr/bin/env python3
# test-cli.py: ekacode-cli as a user runs it, checked from the outside.
#
# Usage: test-cli.py PATH/TO/ekacode-cli PATH/TO/fixtures
# Prints TAP.  Every recorded stream must replay to exactly the
# messages the server returned (compared as JSON values), and the
# command's options, output contract and exit codes must hold.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import re
import subprocess
import sys
import tempfile

EXIT_USAGE = 2
TIMEOUT = 240

if len(sys.argv) != 3:
    sys.stderr.write('usage: test-cli.py EKACODE_CLI FIXTURES_DIR\n')
    sys.exit(2)

CLI = sys.argv[1]
FIXTURES = sys.argv[2]
FIXTURE_NAMES = sorted(name for name in os.listdir(FIXTURES)
                       if os.path.isfile(os.path.join(FIXTURES, name, 'events.sse')))


# --------------------------------------------------------------------
# Helpers

def run(*args):
    return subprocess.run([CLI] + list(args), capture_output=True, timeout=TIMEOUT)


def fixture(name, file):
    return os.path.join(FIXTURES, name, file)


def load_json(path):
    with open(path, 'rb') as f:
        return json.load(f)


def json_diff(a, b, path='$'):
    """None when a and b are the same JSON value (objects unordered,
    numbers by value, true is not 1), else where they differ."""
    if isinstance(a, bool) or isinstance(b, bool):
        return None if type(a) is type(b) and a == b else f'{path}: {a!r} != {b!r}'
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return None if a == b else f'{path}: {a!r} != {b!r}'
    if type(a) is not type(b):
        return f'{path}: {type(a).__name__} != {type(b).__name__}'
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f'{path}.{key}: only on one side'
            diff = json_diff(a[key], b[key], f'{path}.{key}')
            if diff:
                return diff
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            diff = json_diff(x, y, f'{path}[{i}]')
            if diff:
                return diff
        if len(a) != len(b):
            return f'{path}: {len(a)} != {len(b)} elements'
        return None
    return None if a == b else f'{path}: {a!r} != {b!r}'


def sse_events(path):
    """The data of every dispatched event of a text/event-stream file (an
    event not ended by a blank line is not dispatched)."""
    with open(path, 'rb') as f:
        text = f.read().decode('utf-8')
    events = []
    data = None
    for line in re.split(r'\r\n|\r|\n', text)[:-1]:
        if line == '':
            if data is not None:
                events.append('\n'.join(data))
            data = None
        elif line.startswith(':'):
            continue
        else:
            field, _, value = line.partition(':')
            if value.startswith(' '):
                value = value[1:]
            if field == 'data':
                data = (data or []) + [value]
    return events


def fold(events, session_id):
    """A plain reference fold of one session's messages, to check the
    CLI's choice of session (validated against messages.json below)."""
    infos = {}
    parts = {}
    for data in events:
        event = json.loads(data)
        kind = event.get('type')
        props = event.get('properties') or {}
        if kind == 'message.updated':
            info = props['info']
            if info.get('sessionID') == session_id:
                infos[info['id']] = info
        elif kind == 'message.removed':
            if props.get('sessionID') == session_id:
                infos.pop(props['messageID'], None)
                parts.pop(props['messageID'], None)
        elif kind == 'message.part.updated':
            part = props['part']
            if part.get('sessionID') == session_id:
                parts.setdefault(part['messageID'], {})[part['id']] = dict(part)
        elif kind == 'message.part.delta':
            if props.get('sessionID') == session_id and props['messageID'] in infos:
                part = parts.get(props['messageID'], {}).get(props['partID'])
                if part is not None:
                    field = props['field']
                    part[field] = (part.get(field) or '') + props['delta']
        elif kind == 'message.part.removed':
            if props.get('sessionID') == session_id:
                parts.get(props['messageID'], {}).pop(props['partID'], None)
    order = sorted(infos, key=lambda mid: (infos[mid].get('time', {}).get('created', 0), mid))
    return [{'info': infos[mid], 'parts': [parts[mid][pid] for pid in sorted(parts.get(mid, {}))]}
            for mid in order]


def child_sessions(events):
    children = []
    for data in events:
        event = json.loads(data)
        if event.get('type') in ('session.created', 'session.updated'):
            info = event['properties']['info']
            if info.get('parentID') and info['id'] not in children:
                children.append(info['id'])
    return children


def replay_dump(events_path, *extra):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'out.json')
        result = run('replay', events_path, '--dump', out, *extra)
        dumped = load_json(out) if result.returncode == 0 and os.path.exists(out) else None
    return result, dumped


# --------------------------------------------------------------------
# The checks: each returns None when it holds, else what went wrong

def check_dump(name):
    result, dumped = replay_dump(fixture(name, 'events.sse'))
    if result.returncode != 0:
        return f'exit {result.returncode}: {result.stderr.decode(errors="replace")}'
    if b'malformed' in result.stderr:
        return f'malformed events reported: {result.stderr.decode(errors="replace")}'
    return json_diff(dumped, load_json(fixture(name, 'messages.json')))


def check_dump_explicit_session(name):
    session_id = load_json(fixture(name, 'session.json'))['id']
    result, dumped = replay_dump(fixture(name, 'events.sse'), '--session', session_id)
    if result.returncode != 0:
        return f'exit {result.returncode}: {result.stderr.decode(errors="replace")}'
    return json_diff(dumped, load_json(fixture(name, 'messages.json')))


def check_oracle(name):
    # the reference fold agrees with the server, so it can judge --session
    session_id = load_json(fixture(name, 'session.json'))['id']
    folded = fold(sse_events(fixture(name, 'events.sse')), session_id)
    return json_diff(folded, load_json(fixture(name, 'messages.json')))


def check_child_session():
    events_path = fixture('subagent', 'events.sse')
    events = sse_events(events_path)
    children = child_sessions(events)
    if len(children) != 1:
        return f'expected one child session in the subagent recording, found {children}'
    child = children[0]
    result, dumped = replay_dump(events_path, '--session', child)
    if result.returncode != 0:
        return f'exit {result.returncode}: {result.stderr.decode(errors="replace")}'
    if not dumped:
        return 'the child session dumped no messages'
    if any(m['info'].get('sessionID') != child for m in dumped):
        return 'a message of another session in the dump'
    parent = load_json(fixture('subagent', 'messages.json'))
    if not json_diff(dumped, parent):
        return 'the child dump is the parent session'
    return json_diff(dumped, fold(events, child))


def check_dump_stdout():
    result = run('replay', fixture('question', 'events.sse'), '--dump', '-')
    if result.returncode != 0:
        return f'exit {result.returncode}'
    try:
        dumped = json.loads(result.stdout)
    except ValueError as e:
        return f'stdout is not JSON: {e}'
    return json_diff(dumped, load_json(fixture('question', 'messages.json')))


def check_stats(name):
    result = run('replay', fixture(name, 'events.sse'), '--stats')
    if result.returncode != 0:
        return f'exit {result.returncode}: {result.stderr.decode(errors="replace")}'
    lines = result.stdout.decode().splitlines()
    if len(lines) != 1:
        return f'expected exactly one line on stdout, got {len(lines)}: {lines!r}'
    try:
        stats = json.loads(lines[0])
    except ValueError as e:
        return f'not JSON: {lines[0]!r} ({e})'
    if not isinstance(stats, dict):
        return f'not an object: {lines[0]!r}'
    keys = {'events', 'seconds', 'events_per_s', 'max_rss_mb'}
    if not keys <= set(stats):
        return f'keys {sorted(stats)} do not include {sorted(keys)}'
    for key in stats:
        value = stats[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f'{key} is not a number: {value!r}'
        if value < 0:
            return f'{key} is negative: {value!r}'
    expected = len(sse_events(fixture(name, 'events.sse')))
    if stats['events'] != expected:
        return f'events {stats["events"]} != {expected} events in the stream'
    if stats['max_rss_mb'] <= 0:
        return f'max_rss_mb {stats["max_rss_mb"]} is not positive'
    return None


def check_stats_with_dump():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'out.json')
        result = run('replay', fixture('tools', 'events.sse'), '--dump', out, '--stats')
        if result.returncode != 0:
            return f'exit {result.returncode}'
        lines = result.stdout.decode().splitlines()
        if len(lines) != 1:
            return f'expected exactly the stats line on stdout, got {lines!r}'
        return json_diff(load_json(out), load_json(fixture('tools', 'messages.json')))


def check_usage_error(args, words=None):
    result = run(*args)
    stderr = result.stderr.decode(errors='replace')
    if result.returncode != EXIT_USAGE:
        return f'exit {result.returncode}, expected {EXIT_USAGE} (stderr: {stderr!r})'
    if not re.search(r'[A-Za-z]{3,}', stderr):
        return f'no error in words on stderr: {stderr!r}'
    if words and not all(w in stderr for w in words):
        return f'stderr does not mention {words}: {stderr!r}'
    return None


def check_missing_file():
    with tempfile.TemporaryDirectory() as tmp:
        missing = os.path.join(tmp, 'no-such-stream.sse')
        return check_usage_error(['replay', missing], ['no-such-stream.sse'])


def check_unknown_session():
    result, _ = replay_dump(fixture('error', 'events.sse'), '--session', 'ses_doesnotexist')
    stderr = result.stderr.decode(errors='replace')
    if result.returncode == 0:
        return 'exit 0 for a session that is not in the stream'
    if 'ses_doesnotexist' not in stderr:
        return f'stderr does not name the session: {stderr!r}'
    return None


# --------------------------------------------------------------------

checks = []
for name in FIXTURE_NAMES:
    checks.append((f'replay {name} --dump equals messages.json', lambda n=name: check_dump(n)))
for name in FIXTURE_NAMES:
    checks.append((f'replay {name} --session ID --dump equals messages.json',
                   lambda n=name: check_dump_explicit_session(n)))
for name in FIXTURE_NAMES:
    checks.append((f'reference fold of {name} equals messages.json', lambda n=name: check_oracle(n)))
checks += [
    ('replay subagent --session CHILD dumps the child session', check_child_session),
    ('replay --dump - writes the JSON to stdout', check_dump_stdout),
    ('replay --stats prints one JSON line (long)', lambda: check_stats('long')),
    ('replay --stats prints one JSON line (tools, unterminated last event)', lambda: check_stats('tools')),
    ('replay --stats with --dump', check_stats_with_dump),
    ('replay of a missing file exits 2 with an error', check_missing_file),
    ('replay with a bad option exits 2', lambda: check_usage_error(
        ['replay', fixture('error', 'events.sse'), '--no-such-option'])),
    ('replay without a file exits 2', lambda: check_usage_error(['replay'])),
    ('replay with two files exits 2', lambda: check_usage_error(
        ['replay', fixture('error', 'events.sse'), fixture('tools', 'events.sse')])),
    ('an unknown command exits 2', lambda: check_usage_error(['no-such-command'])),
    ('no command at all exits 2', lambda: check_usage_error([])),
    ('replay --session of an unknown session fails', check_unknown_session),
]

print(f'1..{len(checks)}')
failed = 0
for number, (description, check) in enumerate(checks, 1):
    try:
        problem = check()
    except Exception as e:  # a crash of the check is a failure too
        problem = f'{type(e).__name__}: {e}'
    if problem is None:
        print(f'ok {number} - {description}')
    else:
        failed += 1
        print(f'not ok {number} - {description}')
        for line in str(problem).splitlines():
            print(f'# {line}')
    sys.stdout.flush()

sys.exit(1 if failed else 0)
