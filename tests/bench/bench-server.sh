#!/usr/bin/env bash
# bench-server: wrk against the real supportdesk-server with 10,000 cases.
#   tests/bench/bench-server.sh [BUILD_DIR] [SECONDS]
# Measures the change feed (pages of 500, with SLA clocks computed per case)
# and a single case read; prints requests/s and the 99th-percentile latency.
set -euo pipefail
build=${1:-build}
seconds=${2:-10}
server="$build/src/server/supportdesk-server"
[ -x "$server" ] || { echo "build first: $server is missing" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
"$server" --db "$tmp/bench.db" --listen 127.0.0.1:0 --demo --demo-cases 10000 > "$tmp/server.log" 2>/dev/null &
pid=$!
for _ in $(seq 1 1200); do grep -q "listening on" "$tmp/server.log" && break; sleep 0.1; done
base=$(grep -o 'http://[0-9.:]*/api/v1' "$tmp/server.log")

token=$(curl -sf -X POST -H 'Content-Type: application/json' \
  -d '{"login":"admin","password":"supportdesk-demo"}' "$base/auth/token" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
case_id=$(curl -sf -H "Authorization: Bearer $token" "$base/cases?limit=1" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')

run () {
  local name=$1 url=$2
  local out
  out=$(wrk -t2 -c8 -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$url")
  local rps p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  printf '%-40s %10s req/s   p99 %s\n' "$name" "$rps" "$p99"
}

echo "supportdesk-server, 10,000 cases, wrk -t2 -c8 -d${seconds}s"
run "GET /changes?limit=500 (first page)" "$base/changes?limit=500"
run "GET /cases/{id}" "$base/cases/$case_id"

# The whole feed, page by page, as a first sync reads it.
python3 - "$base" "$token" <<'PY'
import json, sys, time, urllib.request
base, token = sys.argv[1], sys.argv[2]
start = time.monotonic(); after = 0; entries = 0; pages = 0
while True:
    request = urllib.request.Request(f"{base}/changes?after={after}&limit=1000",
                                     headers={"Authorization": "Bearer " + token})
    page = json.load(urllib.request.urlopen(request))
    pages += 1; entries += len(page["changes"]); after = page["next"]
    if not page["has_more"]:
        break
print(f"{'whole change feed':40s} {entries} entries in {pages} pages: {time.monotonic() - start:.2f} s")
PY
