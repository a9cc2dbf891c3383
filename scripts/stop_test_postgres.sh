#!/usr/bin/env bash
# Stop the throw-away PostgreSQL cluster started by scripts/start_test_postgres.sh.
set -u
dir="${PGTEST_DIR:-/tmp/pgtest}"
[ -d "$dir" ] || exit 0
if [ "$(id -u)" = 0 ] && id pguser >/dev/null 2>&1; then
  su pguser -c "pg_ctl -D '$dir' -m fast stop" >/dev/null 2>&1 || true
else
  pg_ctl -D "$dir" -m fast stop >/dev/null 2>&1 || true
fi
