"""Helpers for tests that run the installed CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTICLES = REPO_ROOT / "tests" / "resources" / "articles"
NEWSPROOF_BIN = str(Path(sys.executable).with_name("newsproof"))


def run_cli(*args: str, stdin: bytes | None = None, timeout: float = 300,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run `newsproof ARGS...` from this interpreter's environment; output as bytes."""
    return subprocess.run([NEWSPROOF_BIN, *args], input=stdin, capture_output=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, check=False)
