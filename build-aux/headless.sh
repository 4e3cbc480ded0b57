#!/usr/bin/env bash
# Runs a command headless: Xvfb, a private D-Bus session and an unlocked
# gnome-keyring, with fresh XDG directories so nothing touches the user's.
#   build-aux/headless.sh COMMAND [ARGS...]
set -euo pipefail

tmp=$(mktemp -d -t supportdesk-headless.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export XDG_RUNTIME_DIR="$tmp/runtime" XDG_DATA_HOME="$tmp/data" \
       XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" HOME="$tmp/home"
mkdir -p "$XDG_RUNTIME_DIR" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$HOME"
chmod 700 "$XDG_RUNTIME_DIR"
export LANG=C.UTF-8 GTK_A11Y=none GDK_BACKEND=x11 GSK_RENDERER=cairo GDK_DEBUG=gl-disable NO_AT_BRIDGE=1

exec xvfb-run -a -s "-screen 0 1280x1024x24 -nolisten tcp" \
  dbus-run-session -- bash -c '
    echo -n supportdesk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    gnome-keyring-daemon --start --components=secrets >/dev/null
    exec "$@"' headless "$@"
