#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Lints the OpenAPI description with Redocly CLI.

    lint-spec.py SPEC

Uses the pinned version that `build-aux/setup-debian.sh --tests` installs
in the source tree (.tools/redocly-cli-<version>), else `redocly` from PATH
when it is the pinned version, else `npx --yes @redocly/cli@<pinned>`;
exits 77 (skipped) when none is available. Runs in the source root, so that
a redocly.yaml there applies. The 1.x line is pinned because it runs on
Debian 12's Node.js 18; 2.x needs Node.js 20.19. With
SUPPORTDESK_REQUIRE_LINT=1 (as CI sets it) a missing linter fails instead
of skipping.
"""

import os
import re
import shutil
import subprocess
import sys

REDOCLY_CLI_VERSION = '1.34.5'
SKIP = 1 if os.environ.get('SUPPORTDESK_REQUIRE_LINT') == '1' else 77
NO_NETWORK = re.compile(r'npm (ERR!|error) (code )?(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH)')


def command(root):
    local = os.path.join(root, '.tools', f'redocly-cli-{REDOCLY_CLI_VERSION}',
                         'node_modules', '.bin', 'redocly')
    if os.access(local, os.X_OK):
        return [local]
    redocly = shutil.which('redocly')
    if redocly:
        found = subprocess.run([redocly, '--version'], capture_output=True, text=True, check=False)
        if found.returncode == 0 and found.stdout.strip() == REDOCLY_CLI_VERSION:
            return [redocly]
    npx = shutil.which('npx')
    if npx:
        return [npx, '--yes', f'@redocly/cli@{REDOCLY_CLI_VERSION}']
    return None


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    spec = os.path.abspath(sys.argv[1])
    root = os.path.dirname(os.path.dirname(os.path.dirname(spec)))
    redocly = command(root)
    if redocly is None:
        print(f'SKIP: neither redocly {REDOCLY_CLI_VERSION} nor npx is on PATH; '
              f'run build-aux/setup-debian.sh --tests')
        return SKIP

    env = dict(os.environ, REDOCLY_TELEMETRY='off', REDOCLY_SUPPRESS_UPDATE_NOTICE='true',
               NO_UPDATE_NOTIFIER='1', npm_config_update_notifier='false')
    argv = redocly + ['lint', '--format', 'stylish', '--max-problems', '1000', spec]
    print('+', ' '.join(argv), flush=True)
    result = subprocess.run(argv, cwd=root, env=env, check=False, timeout=600,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(result.stdout)
    if result.returncode != 0 and redocly[0].endswith('npx') and NO_NETWORK.search(result.stdout):
        print(f'SKIP: npx could not fetch @redocly/cli@{REDOCLY_CLI_VERSION} (offline?)')
        return SKIP
    return 0 if result.returncode == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
