#!/usr/bin/env bash
# Sets up a Debian 12 machine, builds SupportDesk and starts it from the
# build tree (nothing is installed outside it). Extra arguments go to the app.
set -euo pipefail
cd "$(dirname "$0")/.."

bash build-aux/setup-debian.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null

exec meson devenv -C build ./src/app/supportdesk "$@"
