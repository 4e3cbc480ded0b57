#!/usr/bin/env bash
# Installs what SupportDesk needs on Debian 12, from Debian's own packages.
#   build-aux/setup-debian.sh           to build and run the app
#   build-aux/setup-debian.sh --tests   also what the tests use: Xvfb, the
#                                       keyring, fonts, sanitizers, and the
#                                       OpenAPI linter (Node.js from Debian)
# Uses sudo when not run as root. Quiet when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  # build
  meson ninja-build pkg-config gcc libc6-dev gettext libglib2.0-dev-bin
  libgtk-4-dev libadwaita-1-dev libjson-glib-dev libical-dev liblunar-date-dev
  libcairo2-dev libpango1.0-dev
  libsoup-3.0-dev libsecret-1-dev libsqlite3-dev libsodium-dev libpq-dev
  libcurl4-openssl-dev
  desktop-file-utils
  # a Chinese font, so that the zh_CN interface is not hex boxes
  fonts-noto-cjk
)
if [ "${1:-}" = "--tests" ]; then
  packages+=(
    # validation and tests
    appstream libxml2-utils
    xvfb xauth dbus dbus-user-session gnome-keyring libsecret-tools
    # the UI tests type real keys through the XTest extension
    libxtst6
    poppler-utils curl flatpak-builder python3 procps
    # fuzzing and sanitizers
    clang libclang-rt-14-dev llvm-14
    # the server suite on PostgreSQL: a throwaway cluster per run
    postgresql
    # the server's mailer and escalations: a real SMTP server on loopback
    python3-aiosmtpd
  )
  # The OpenAPI linter runs on Node.js; Debian's unless one is installed.
  command -v node >/dev/null || packages+=(nodejs)
  command -v npm >/dev/null || packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing: ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ "${1:-}" = "--tests" ] || exit 0

# Redocly CLI, pinned to the 1.x line, which runs on Debian 12's Node.js 18
# and npm 9 (2.x needs Node.js 20.19). Installed inside the source tree, in
# .tools/ (ignored by git), never globally. tests/api/lint-spec.py finds it.
redocly_version=$(sed -n "s/^REDOCLY_CLI_VERSION = '\(.*\)'$/\1/p" tests/api/lint-spec.py)
tools=.tools/redocly-cli-$redocly_version
if [ "$("$tools/node_modules/.bin/redocly" --version 2>/dev/null)" != "$redocly_version" ]; then
  echo "Installing @redocly/cli@$redocly_version into $tools"
  rm -rf "$tools"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-fund --no-audit --no-update-notifier --loglevel=error \
    "@redocly/cli@$redocly_version" >/dev/null
fi
