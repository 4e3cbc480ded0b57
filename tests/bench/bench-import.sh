#!/usr/bin/env bash
# bench-import: POST /import/customers with 1,000 new customers against the
# real supportdesk-server (demo data beside them), median of 3 runs; and how
# long a GET /api/v1/me waits while an import runs.
#   tests/bench/bench-import.sh [BUILD_DIR] [postgresql://…]
set -euo pipefail
build=${1:-build}
db_uri=${2:-}
server="$build/src/server/supportdesk-server"
[ -x "$server" ] || { echo "build first: $server is missing" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
db=${db_uri:-$tmp/bench.db}
"$server" --db "$db" --listen 127.0.0.1:0 --demo > "$tmp/server.log" 2>/dev/null &
pid=$!
for _ in $(seq 1 1200); do grep -q "listening on" "$tmp/server.log" && break; sleep 0.1; done
base=$(grep -o 'http://[0-9.:]*/api/v1' "$tmp/server.log")
token=$(curl -sf -X POST -H 'Content-Type: application/json' \
  -d '{"login":"admin","password":"supportdesk-demo"}' "$base/auth/token" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
tam=$(curl -sf -H "Authorization: Bearer $token" "$base/customers?limit=1" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["tam_id"])')

for run in 1 2 3; do
  python3 - "$tmp/import-$run.json" "$tam" "$run" <<'PY'
import json, sys
path, tam, run = sys.argv[1], sys.argv[2], sys.argv[3]
items = [{"id": f"bulk-{run}-{i:04d}", "name": f"华东电力 {run}-{i}", "tier": "standard",
          "time_zone": "Asia/Shanghai", "calendar_id": "cn-mainland", "tam_id": tam} for i in range(1000)]
json.dump({"items": items}, open(path, "w"), ensure_ascii=False)
PY
done

echo "POST /import/customers, 1,000 rows (${db_uri:+PostgreSQL}${db_uri:-SQLite}):"
for run in 1 2 3; do
  curl -sf -o /dev/null -w '%{time_total}\n' -X POST -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $token" --data-binary "@$tmp/import-$run.json" "$base/import/customers" \
    > "$tmp/import-$run.time" &
  import=$!
  # GET /me while the import runs.
  curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$base/me" > "$tmp/me-$run.time"
  wait $import
  printf '  run %s: import %ss, GET /me during it %ss\n' "$run" "$(cat "$tmp/import-$run.time")" "$(cat "$tmp/me-$run.time")"
done
