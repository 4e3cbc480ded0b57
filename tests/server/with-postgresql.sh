#!/usr/bin/env bash
# with-postgresql.sh COMMAND ARGS… — runs COMMAND beside a throwaway
# PostgreSQL 15 cluster (initdb + pg_ctl in a temporary directory, a Unix
# socket only, no TCP port), with SUPPORTDESK_TEST_DB set to its
# maintenance database (and SUPPORTDESK_PG_BINDIR to the binaries, for
# pg_dump and pg_restore), and removes the cluster after.
#
# The server refuses to run as root, so as root (CI) the cluster runs as
# "nobody". Without the server binaries (Debian's postgresql package;
# build-aux/setup-debian.sh --tests installs it) the test is skipped:
# TAP "1..0 # SKIP" and exit 77 for plain runs.
#
# SUPPORTDESK_PG_BINDIR overrides /usr/lib/postgresql/15/bin.
set -euo pipefail

bindir=${SUPPORTDESK_PG_BINDIR:-/usr/lib/postgresql/15/bin}
if [ ! -x "$bindir/initdb" ] || [ ! -x "$bindir/pg_ctl" ]; then
  echo "1..0 # SKIP no PostgreSQL server in $bindir (install Debian's postgresql package)"
  exit 0
fi

dir=$(mktemp -d /tmp/sd-pg.XXXXXX)
chmod 755 "$dir"
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  chown nobody "$dir"
  run_as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
fi

stop () {
  "${run_as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
trap 'exit 143' TERM INT

# Durability off: a test cluster is thrown away, and the tests measure
# the server's logic, not the disk.
"${run_as[@]}" "$bindir/initdb" -D "$dir/data" -U supportdesk --auth=trust --no-locale -E UTF8 \
  >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
"${run_as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 120 \
  -o "-k $dir -c listen_addresses= -c fsync=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

export SUPPORTDESK_TEST_DB="postgresql:///postgres?host=$dir&user=supportdesk"
export SUPPORTDESK_PG_BINDIR="$bindir"
"$@"
