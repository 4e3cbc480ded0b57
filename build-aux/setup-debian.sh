#!/usr/bin/env bash
# Installs what SupportDesk needs to build, run and test on Debian 12.
# Uses sudo when not run as root. Quiet when everything is already there.
set -euo pipefail

packages=(
  # build
  meson ninja-build pkg-config gcc libc6-dev gettext libglib2.0-dev-bin
  libgtk-4-dev libadwaita-1-dev libjson-glib-dev libical-dev
  libcairo2-dev libpango1.0-dev
  libsoup-3.0-dev libsecret-1-dev libsqlite3-dev libsodium-dev
  libcairo2-dev libpango1.0-dev
  # validation and tests
  desktop-file-utils appstream libxml2-utils
  xvfb xauth dbus dbus-user-session gnome-keyring libsecret-tools
  fonts-noto-cjk poppler-utils curl flatpak-builder python3
  # fuzzing and sanitizers
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing: ${missing[*]}"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
