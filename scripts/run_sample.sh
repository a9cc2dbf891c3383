#!/usr/bin/env bash
# The main job: set up (first run only), build the bundled evidence base, check the sample article.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/newsproof check examples/sample_article.txt "$@"
