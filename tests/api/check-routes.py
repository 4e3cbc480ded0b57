#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that the OpenAPI description and the server have the same routes.

    check-routes.py SPEC SUPPORTDESK-SERVER

Reads the operations under `paths:` of SPEC (an indentation scan: path keys
at two spaces, method keys at four) and the routes `supportdesk-server
--list-routes` prints ("METHOD /api/v1/path"), and fails listing every
route that is in one and not in the other.
"""

import re
import subprocess
import sys
import urllib.parse

METHODS = {'get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'}


def unquote(text):
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in '\'"':
        return text[1:-1]
    return text


def spec_routes(path):
    """Returns ({'METHOD /prefix/path'}, prefix) from the spec."""
    routes = set()
    prefix = None
    section = None
    current = None
    with open(path, encoding='utf-8') as spec:
        for number, line in enumerate(spec, 1):
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            indent = len(line) - len(line.lstrip(' '))
            text = line.strip()
            if indent == 0:
                section = text.split(':', 1)[0]
                current = None
                continue
            if section == 'servers' and prefix is None:
                match = re.match(r'^-?\s*url:\s*(.+)$', text)
                if match:
                    prefix = urllib.parse.urlsplit(unquote(match.group(1))).path.rstrip('/')
            if section != 'paths':
                continue
            if indent == 2:
                key = unquote(text[:-1]) if text.endswith(':') else None
                if key is None or not key.startswith('/'):
                    sys.exit(f'{path}:{number}: expected a path key, found “{text}”')
                current = key
            elif indent == 4 and current is not None:
                key = text.split(':', 1)[0]
                if key in METHODS:
                    routes.add((key.upper(), current))
    return routes, prefix or ''


def server_routes(server):
    result = subprocess.run([server, '--list-routes'], capture_output=True, text=True,
                            timeout=60, check=False)
    if result.returncode != 0:
        sys.exit(f'{server} --list-routes failed ({result.returncode}):\n{result.stderr}')
    routes = set()
    for line in result.stdout.splitlines():
        if not line.strip():
            continue
        method, _, route = line.strip().partition(' ')
        if not route.startswith('/'):
            sys.exit(f'unexpected line from --list-routes: “{line}”')
        routes.add((method.upper(), route))
    if not routes:
        sys.exit('supportdesk-server --list-routes printed no route')
    return routes


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    spec_path, server = sys.argv[1:]
    in_spec, prefix = spec_routes(spec_path)
    in_server = server_routes(server)
    in_spec = {(method, prefix + path) for method, path in in_spec}

    missing = sorted(in_server - in_spec, key=lambda r: (r[1], r[0]))
    extra = sorted(in_spec - in_server, key=lambda r: (r[1], r[0]))
    for method, path in missing:
        print(f'not in {spec_path}: {method} {path}')
    for method, path in extra:
        print(f'not served by supportdesk-server: {method} {path}')
    if missing or extra:
        print(f'FAIL: {len(missing)} route(s) missing from the spec, '
              f'{len(extra)} route(s) the server does not have')
        return 1
    print(f'OK: the spec and the server have the same {len(in_server)} routes')
    return 0


if __name__ == '__main__':
    sys.exit(main())
