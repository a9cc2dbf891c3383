#!/usr/bin/env bash
# Start (or reuse) a throwaway PostgreSQL cluster for the test suite and print its URL.
# Usage: export NEWSPROOF_PG_URL="$(scripts/start_test_postgres.sh)"
# Env: PGTEST_DIR (default /tmp/pgtest), PGTEST_PORT (5499), PGTEST_DB (newsproof_test).
# Stop it: su pguser -s /bin/bash -c "pg_ctl -D /tmp/pgtest stop -m fast" (or plain pg_ctl when not root).
# initdb refuses to run as root, so as root the cluster is owned by a user `pguser` (created if missing).
set -euo pipefail
DIR="${PGTEST_DIR:-/tmp/pgtest}"
PORT="${PGTEST_PORT:-5499}"
DB="${PGTEST_DB:-newsproof_test}"
LOG="${DIR}.log"

BIN="$(dirname "$(command -v initdb 2>/dev/null || true)")"
if [ ! -x "$BIN/initdb" ]; then
  BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
fi
[ -x "$BIN/initdb" ] || { echo "start_test_postgres: no initdb found (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then su pguser -s /bin/bash -c "$1"; else bash -c "$1"; fi
}
if [ "$(id -u)" = 0 ] && ! id pguser >/dev/null 2>&1; then
  useradd -m pguser
fi
if [ ! -f "$DIR/PG_VERSION" ]; then
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown pguser "$DIR"
  as_owner "'$BIN/initdb' -D '$DIR' -U postgres --auth=trust" >/dev/null
fi
touch "$LOG"
[ "$(id -u)" = 0 ] && chown pguser "$LOG"
if ! as_owner "'$BIN/pg_ctl' -D '$DIR' status" >/dev/null 2>&1; then
  as_owner "'$BIN/pg_ctl' -D '$DIR' -o '-p $PORT -k /tmp -c listen_addresses=127.0.0.1' -l '$LOG' -w start" >/dev/null
fi
if ! psql -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1; then
  psql -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE DATABASE $DB" >/dev/null
fi
echo "postgresql://postgres@127.0.0.1:$PORT/$DB"
