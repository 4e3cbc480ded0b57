#!/usr/bin/env bash
# Runs a command headless: Xvfb, a private D-Bus session and an unlocked
# gnome-keyring, with fresh XDG directories so nothing touches the user's.
# Everything it starts ends with it, and its directories are removed.
#   build-aux/headless.sh COMMAND [ARGS...]
set -euo pipefail

tmp=$(mktemp -d -t supportdesk-headless.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export XDG_RUNTIME_DIR="$tmp/runtime" XDG_DATA_HOME="$tmp/data" \
       XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" HOME="$tmp/home"
mkdir -p "$XDG_RUNTIME_DIR" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$HOME"
chmod 700 "$XDG_RUNTIME_DIR"
export LANG=C.UTF-8 GTK_A11Y=none GDK_BACKEND=x11 GSK_RENDERER=cairo GDK_DEBUG=gl-disable NO_AT_BRIDGE=1

# The keyring daemon runs in the foreground, as a child of the session's
# shell, so that it ends with the session instead of outliving it.
# -noreset: Xvfb otherwise resets when its last client leaves, and a client
# that connects during the reset (the app just after the accessibility bus
# launcher looked at the display) fails with "cannot open display".
status=0
xvfb-run -a -s "-screen 0 1280x1024x24 -nolisten tcp -noreset" \
  dbus-run-session -- bash -c '
    echo -n supportdesk-test |
      gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null &
    keyring=$!
    trap "kill $keyring 2>/dev/null; wait $keyring 2>/dev/null" EXIT
    for _ in $(seq 1 300); do
      [ -S "$XDG_RUNTIME_DIR/keyring/control" ] && break
      kill -0 $keyring 2>/dev/null || { echo "gnome-keyring-daemon did not start" >&2; exit 1; }
      sleep 0.1
    done
    gnome-keyring-daemon --start --components=secrets >/dev/null
    "$@"' headless "$@" || status=$?
exit $status
