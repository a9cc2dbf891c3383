"""Benchmark `check`: warm latency on a ~1,000-word article and cold CLI start-to-report.

Baseline measured in the same run: a bare spaCy parse of the same text (the floor any
claim extraction pays). Targets (issue #3): warm check <= 2 s, cold CLI <= 10 s on 2 cores.

    .venv/bin/python benchmarks/bench_check.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support.cli import ARTICLES, NEWSPROOF_BIN, REPO_ROOT  # noqa: E402

from newsproof.pipeline import Checker  # noqa: E402


def thousand_word_article() -> str:
    """The sample article plus real accurate reporting, repeated up to ~1,000 words."""
    parts = [(REPO_ROOT / "examples" / "sample_article.txt").read_text()]
    body = (ARTICLES / "accurate_strike.txt").read_text().split("\n", 2)[2]
    while len(" ".join(parts).split()) < 1000:
        parts.append(body)
    return "\n\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    text = thousand_word_article()
    words = len(text.split())

    checker = Checker()
    started = time.perf_counter()
    checker.warm_up()
    warm_up_s = time.perf_counter() - started
    nlp = checker.extractor_.nlp_
    checks, parses = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        report = checker.check_bytes(text.encode(), kind="text")
        checks.append(time.perf_counter() - started)
        started = time.perf_counter()
        nlp(text)
        parses.append(time.perf_counter() - started)
    check_s, parse_s = statistics.median(checks), statistics.median(parses)

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write(text)
    started = time.perf_counter()
    subprocess.run([NEWSPROOF_BIN, "check", handle.name, "--format", "json"], capture_output=True, check=False)
    cold_s = time.perf_counter() - started
    Path(handle.name).unlink()

    print(f"article: {words} words, {len(report.claims)} claims")
    print(f"warm-up (models + store): {warm_up_s:.2f} s")
    print(f"warm check: median {check_s:.3f} s over {args.runs} runs (target <= 2 s)")
    print(f"baseline spaCy parse of the same text: median {parse_s:.3f} s; check/parse ratio {check_s / parse_s:.2f}x")
    print(f"stage timings of the last run (ms): {report.timings_ms}")
    print(f"cold CLI start to JSON report: {cold_s:.2f} s (target <= 10 s)")


if __name__ == "__main__":
    main()
