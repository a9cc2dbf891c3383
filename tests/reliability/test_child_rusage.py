"""The hostile-input harness measures a child's own peak memory, not the size of the test process."""

from __future__ import annotations

import sys
from pathlib import Path

from support.hostile import run_child


def test_child_peak_rss_ignores_the_parents_size(tmp_path: Path) -> None:
    ballast = bytearray(800 * 1024 * 1024)  # the test process is now > 800 MB resident
    ballast[:: 4096] = b"x" * len(ballast[:: 4096])
    small = run_child([sys.executable, "-c", "pass"], timeout=60, workdir=tmp_path / "small")
    big = run_child([sys.executable, "-c", "b = bytearray(300 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"],
                    timeout=60, workdir=tmp_path / "big")
    del ballast
    assert small.returncode == 0 and big.returncode == 0
    assert small.max_rss_mb < 100
    assert 300 < big.max_rss_mb < 400


def test_child_killed_by_a_signal_reports_it(tmp_path: Path) -> None:
    outcome = run_child([sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"],
                        timeout=60, workdir=tmp_path)
    assert outcome.returncode == -11
