#!/bin/sh
# load-run.sh — many connections against supportdesk-server for a while
#
#   tests/server/load-run.sh [BUILD_DIR] [SECONDS] [CONNECTIONS]
#
# Starts the server on a demo database, signs in, warms it up, then runs
# wrk with CONNECTIONS connections (default 200) for SECONDS (default 60)
# on GET /me and, at the same time, on a page of cases. Prints wrk's
# summary and the server's descriptors and memory before, right after,
# and 15 s after the run. A record for docs/performance.md, not a test.
set -eu

build=${1:-build}
seconds=${2:-60}
connections=${3:-200}
server="$build/src/server/supportdesk-server"
tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT

"$server" --db "$tmp/load.db" --listen 127.0.0.1:0 --demo > "$tmp/server.log" 2>/dev/null &
pid=$!
while ! grep -q "listening on" "$tmp/server.log"; do sleep 0.2; done
base=$(sed -n 's/.*listening on \(.*\)$/\1/p' "$tmp/server.log")
token=$(curl -s -H 'Content-Type: application/json' \
             -d '{"login":"li.na","password":"supportdesk-demo"}' "$base/auth/token" |
        sed -n 's/.*"token":"\([^"]*\)".*/\1/p')

state () {
  fds=$(ls /proc/"$pid"/fd | wc -l)
  rss=$(sed -n 's/^VmRSS:[[:space:]]*//p' /proc/"$pid"/status)
  hwm=$(sed -n 's/^VmHWM:[[:space:]]*//p' /proc/"$pid"/status)
  echo "$1: $fds descriptors, VmRSS $rss, VmHWM $hwm"
}

wrk -t1 -c20 -d5s -H "Authorization: Bearer $token" "$base/me" > /dev/null
sleep 2
state "before (after a 5 s warm-up)"
half=$((connections / 2))
wrk -t1 -c"$half" -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$base/me" > "$tmp/me.txt" &
me=$!
wrk -t1 -c"$half" -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$base/cases?limit=10" > "$tmp/cases.txt"
wait "$me"
state "right after"
sleep 15
state "15 s later"
echo "--- GET /me, $half connections"
cat "$tmp/me.txt"
echo "--- GET /cases?limit=10, $half connections"
cat "$tmp/cases.txt"
