#!/usr/bin/env bash
# Sets up a Debian 12 machine, builds SupportDesk and runs every test
# headless, twice: a normal build and one with AddressSanitizer and
# UndefinedBehaviorSanitizer. Screenshots of the real window (English and
# Chinese) land in build/screenshots/. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

bash build-aux/setup-debian.sh --tests || { echo "0 passed, 1 failed"; exit 1; }

# The OpenAPI linter was installed above; api-spec-lint must not skip here.
export SUPPORTDESK_REQUIRE_LINT=1

status=0
run_suite () {
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null || return 1
  else
    meson setup "$dir" "$@" >/dev/null || return 1
  fi
  ninja -C "$dir" >/dev/null || { ninja -C "$dir" | tail -30; return 1; }
  SUPPORTDESK_SCREENSHOT_DIR=${SCREENSHOTS:-} \
    bash build-aux/headless.sh meson test -C "$dir" --print-errorlogs --num-processes 2 \
      --timeout-multiplier "${TIMEOUT_MULTIPLIER:-1}" ${SUITES:-}
}

echo "== build and test =="
# The feed-ordering test (docs/storage.md) runs its writers for 60 s here.
SUPPORTDESK_FEED_TEST_SECONDS=60 SCREENSHOTS="$top/build/screenshots" run_suite build || status=1

echo "== build and test with -Db_sanitize=address,undefined =="
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0
export LSAN_OPTIONS=suppressions=$top/build-aux/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The same symboliser on every machine, so that suppressions match alike.
export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
# Sanitized code runs several times slower: every timeout is tripled.
SCREENSHOTS="" TIMEOUT_MULTIPLIER=3 run_suite build-asan -Db_sanitize=address,undefined -Db_lundef=false || status=1

echo "== the development profile (.Devel app id, devel style) =="
SCREENSHOTS="" SUITES="--suite data --suite ui" run_suite build-devel -Dprofile=development || status=1

python3 - "$top/build" "$top/build-asan" "$top/build-devel" <<'PY' || status=1
import json, os, sys
passed = failed = skipped = 0
for d in sys.argv[1:]:
    log = os.path.join(d, "meson-logs", "testlog.json")
    if not os.path.exists(log):
        failed += 1
        print(f"no test log in {d}: the build failed")
        continue
    for line in open(log):
        r = json.loads(line)["result"]
        if r in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif r == "SKIP":
            skipped += 1
        else:
            failed += 1
if skipped:
    print(f"{skipped} skipped")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
exit $status
