#!/usr/bin/env bash
# The full test suite: set up (first run only) with every extra, then run pytest.
# PostgreSQL tests run when NEWSPROOF_PG_URL is set (.ci/run starts a throw-away cluster);
# browser tests need Debian's chromium (installed here when apt-get is available).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh torch,postgres,spark,loaders,ann,test
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "newsproof: chromium not installed; browser tests will be skipped" >&2
fi
exec .venv/bin/python -m pytest "$@"
