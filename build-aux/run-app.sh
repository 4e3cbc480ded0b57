#!/usr/bin/env bash
# Sets up a Debian 12 machine, builds SupportDesk, starts the demo server on
# loopback, signs in as the demo TAM and starts the app from the build tree
# (nothing is installed outside it). Extra arguments go to the app.
set -euo pipefail
cd "$(dirname "$0")/.."

bash build-aux/setup-debian.sh
if [ ! -f build/build.ninja ]; then
  out=$(meson setup build 2>&1) || { echo "$out" | tail -20 >&2; exit 1; }
fi
out=$(ninja -C build 2>&1) || { echo "$out" | tail -30 >&2; exit 1; }

data="${XDG_DATA_HOME:-$HOME/.local/share}/supportdesk"
mkdir -p "$data"
log=$(mktemp)
server_pid=
cleanup () { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -f "$log"; }
trap cleanup EXIT

# The demo server keeps its data between runs; port 8080 when it is free.
start_server () {
  ./build/src/server/supportdesk-server --db "$data/demo-server.db" --listen "127.0.0.1:$1" --demo >"$log" 2>/dev/null &
  server_pid=$!
  for _ in $(seq 1 600); do
    grep -q "listening on" "$log" && return 0
    kill -0 "$server_pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
start_server 8080 || start_server 0 || { echo "the demo server did not start" >&2; exit 1; }
url=$(grep -o 'http://[0-9.:]*' "$log" | head -1)
sed -n '/Sign in with/,/admin/p' "$log"

# Sign in as the demo TAM; the token goes to the desktop's keyring.
if echo "supportdesk-demo" | ./build/src/cli/supportdesk-cli login --server "$url" --login li.na; then
  ./build/src/cli/supportdesk-cli sync --server "$url/api/v1" --login li.na || true
else
  echo "Sign in from the app: server $url, login li.na, password supportdesk-demo"
fi

meson devenv -C build ./src/app/supportdesk "$@"
