#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that LeakSanitizer, with the project's suppressions, still reports
a leak planted in our own code.

    check-lsan-canary.py CANARY SUPPRESSIONS

CANARY is lsan-canary built with -fsanitize=address. Without an argument it
must exit 0 (nothing leaks, nothing is reported); with `leak` both planted
leaks (4093 bytes directly, 4091 bytes from a GLib main-loop callback) must
be reported.
"""

import os
import subprocess
import sys


def run(canary, supp, *args):
    env = dict(os.environ)
    env['ASAN_OPTIONS'] = 'detect_leaks=1:abort_on_error=0:exitcode=23'
    env['LSAN_OPTIONS'] = f'suppressions={supp}:print_suppressions=0'
    return subprocess.run([canary, *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    canary, supp = sys.argv[1:]

    clean = run(canary, supp)
    if clean.returncode != 0 or 'LeakSanitizer' in clean.stderr:
        print(f'the canary without a leak failed (exit {clean.returncode}):\n{clean.stderr}')
        return 1

    leaky = run(canary, supp, 'leak')
    print(leaky.stderr)
    missing = [size for size in (4093, 4091)
               if f'Direct leak of {size} byte(s)' not in leaky.stderr]
    if leaky.returncode != 23 or missing:
        print(f'LeakSanitizer missed our planted leak(s) of {missing} bytes '
              f'(exit {leaky.returncode}): a suppression in {supp} hides our own code')
        return 1
    print('both planted leaks were reported')
    return 0


if __name__ == '__main__':
    sys.exit(main())
