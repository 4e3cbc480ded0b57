#!/bin/bash
# The case board with 1,000 and 100,000 cases against a bare libadwaita
# window: start to first frame, frame times while a column scrolls,
# resident memory. Run under build-aux/headless.sh (Xvfb, D-Bus, keyring):
#
#   build-aux/headless.sh tests/bench/bench-board.sh build-release
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

build=${1:-build-release}
runs=${RUNS:-5}
sizes=${SIZES:-1000 100000}
bench=$build/tests/bench/bench-board
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export GSETTINGS_SCHEMA_DIR=$build/data GSETTINGS_BACKEND=memory
export GDK_BACKEND=x11 GSK_RENDERER=cairo GTK_A11Y=none

first_frame () {   # prints the ms from exec to the first frame
  local start end
  start=$(date +%s%N)
  end=$("$@" | awk '/^first-frame-ns/ { print $2; exit }')
  echo $(( (end - start) / 1000000 ))
}

median () { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

for n in $sizes; do
  export XDG_DATA_HOME=$work/$n XDG_CONFIG_HOME=$work/$n-config XDG_CACHE_HOME=$work/$n-cache
  "$bench" fill $n >/dev/null
done

for n in $sizes; do
  export XDG_DATA_HOME=$work/$n XDG_CONFIG_HOME=$work/$n-config XDG_CACHE_HOME=$work/$n-cache
  bare=$(for i in $(seq $runs); do first_frame "$bench" bare; done | median)
  board=$(for i in $(seq $runs); do first_frame "$bench" board; done | median)
  start=$(date +%s%N)
  "$bench" board > "$work/run-$n.txt"
  filled=$(awk '/^board-filled-ns/ { print $2 }' "$work/run-$n.txt")
  echo "== $n cases"
  echo "first frame: bare window ${bare} ms, board ${board} ms (median of $runs)"
  echo "board filled: $(( (filled - start) / 1000000 )) ms after exec"
  grep -E '^(cases-in-column|frame-|rss-)' "$work/run-$n.txt"
done
