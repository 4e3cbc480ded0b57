#!/usr/bin/env bash
# The scheduler with many open cases: supportdesk-server --demo with N
# cases (default 100000) and --test-clock, then the test clock moved one
# simulated hour at a time. Prints the server's start (demo fill plus the
# scheduler reading every case once) and, per simulated hour, the server
# CPU time it took and how long the clock move (which runs everything that
# came due) took to answer. Flat per-hour figures mean the scheduler does
# not scan every case on each wake-up.
#   tests/bench/bench-scheduler.sh BUILD_DIR [N] [HOURS]
set -euo pipefail
build=${1:?build dir}; n=${2:-100000}; hours=${3:-12}
dir=$(mktemp -d); trap 'kill $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
start=$(date +%s.%N)
"$build/src/server/supportdesk-server" --db "$dir/bench.db" --demo --demo-cases "$n" --test-clock \
  --listen 127.0.0.1:0 > "$dir/out" 2> "$dir/log" &
pid=$!
until grep -q listening "$dir/out" 2>/dev/null; do sleep 0.2; kill -0 $pid; done
base=$(sed -n 's/.*listening on \(.*\)$/\1/p' "$dir/out")
echo "start with $n cases: $(echo "$(date +%s.%N) - $start" | bc) s"
token=$(curl -s -X POST -H 'Content-Type: application/json' \
  -d '{"login":"admin","password":"supportdesk-demo"}' "$base/auth/token" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
cpu () { awk '{print $14 + $15}' /proc/$pid/stat; }
now=$(date +%s)
for h in $(seq 1 "$hours"); do
  when=$(date -u -d "@$((now + h * 3600))" +%Y-%m-%dT%H:%M:%SZ)
  before=$(cpu)
  t=$(curl -s -o /dev/null -w '%{time_total}' -X POST -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d "{\"now\":\"$when\"}" "$base/test/clock")
  sleep 1
  echo "hour $h: server CPU $(( $(cpu) - before )) ticks (1/100 s), clock move answered in ${t} s"
done
