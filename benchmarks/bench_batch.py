"""Batch throughput on N real articles: sequential vs 2 worker processes vs Spark local[2].

Articles: human-written news from ../shared/data/mgt (train + dev), the dated news excerpts, then
Reuters-21578 articles if more are needed. Every engine runs the same input end to end (start-up,
model loading and writing included). Ratios are measured in the same run.
Targets (issue #8): 2 workers >= 1.7x sequential; Spark local[2] overhead <= 30% vs 2 workers.

    .venv/bin/python benchmarks/bench_batch.py [--n 1000] [--engines sequential,workers,spark]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

from newsproof.batch.runner import run_local
from newsproof.batch.summary import RunStats
from newsproof.paths import shared_data_dir


def real_articles(n: int) -> list[dict[str, str]]:
    """The first `n` real articles: mgt human texts, news excerpts, then Reuters."""
    data = shared_data_dir()
    if data is None:
        raise SystemExit("../shared/data is missing")
    rows: list[dict[str, str]] = []
    sources = [("mgt/train.jsonl", "mgt-train"), ("mgt/dev.jsonl", "mgt-dev"),
               ("news/pages_news_excerpts.jsonl", "news"), ("news/reuters21578.jsonl", "reuters")]
    for relative, prefix in sources:
        with (data / relative).open(encoding="utf-8") as handle:
            for number, line in enumerate(handle):
                record = json.loads(line)
                if record.get("label", "human") == "human" and len(record.get("text") or "") >= 200:
                    row = {"id": f"{prefix}:{record.get('id', number)}", "text": record["text"]}
                    if record.get("date"):
                        row["date"] = record["date"]
                    rows.append(row)
                    if len(rows) == n:
                        return rows
    return rows


class PeakRss:
    """Sample the resident memory of this process and its descendants until stopped."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self.peaks: dict[int, tuple[str, int]] = {}
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(self.interval):
            for proc in [me, *me.children(recursive=True)]:
                try:
                    name, rss = proc.name(), proc.memory_info().rss
                    times = proc.cpu_times()
                except psutil.Error:
                    continue
                self.cpu[proc.pid] = times.user + times.system
                if rss > self.peaks.get(proc.pid, ("", 0))[1]:
                    self.peaks[proc.pid] = (name, rss)

    def __enter__(self) -> PeakRss:
        me = psutil.Process()
        times = me.cpu_times()
        self.cpu_before = times.user + times.system
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def worker_peak_mb(self, exclude: set[int]) -> float:
        """Largest peak among Python processes not in `exclude`."""
        peaks = [rss for pid, (name, rss) in self.peaks.items() if pid not in exclude and "python" in name]
        return max(peaks, default=0) / 2**20

    def cpu_seconds(self) -> float:
        """CPU time used by this process (since start) and its descendants (as last sampled)."""
        return sum(self.cpu.values()) - self.cpu_before

    def java_peak_mb(self) -> float:
        """Largest peak of a JVM (the Spark driver)."""
        return max((rss for name, rss in self.peaks.values() if "java" in name), default=0) / 2**20


def measure(name: str, run: Callable[[Path], RunStats], in_process: bool, out_dir: Path) -> dict[str, Any]:
    """Run one engine under the memory sampler and collect its figures."""
    with PeakRss() as sampler:
        stats = run(out_dir / f"{name}.jsonl")
    me = os.getpid()
    steady = sorted(stats.finish_times)
    figures = {
        "engine": name, "articles": stats.processed, "failed": stats.failed, "elapsed_s": round(stats.elapsed_s, 1),
        "articles_per_s": round(stats.rate, 3),
        "steady_articles_per_s": round((len(steady) - 1) / (steady[-1] - steady[0]), 3) if len(steady) > 1 else None,
        "first_result_s": round(stats.first_result_s or 0.0, 1),
        "cores_busy": round(sampler.cpu_seconds() / stats.elapsed_s, 2) if stats.elapsed_s else None,
        "peak_rss_per_worker_mb": round(sampler.peaks.get(me, ("", 0))[1] / 2**20 if in_process
                                        else sampler.worker_peak_mb({me}), 0),
    }
    if name == "spark":
        figures["spark_jvm_peak_mb"] = round(sampler.java_peak_mb(), 0)
    print(json.dumps(figures), flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles (default 1000)")
    parser.add_argument("--engines", default="sequential,workers,spark")
    args = parser.parse_args()
    engines = args.engines.split(",")
    rows = real_articles(args.n)
    print(f"{len(rows)} real articles; {psutil.cpu_count()} CPUs; load average before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        source = tmp_dir / "articles.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        inputs = [str(source)]
        runners: dict[str, tuple[Callable[[Path], RunStats], bool]] = {
            "sequential": (lambda out: run_local(inputs, out, workers=1, progress=False), True),
            "workers": (lambda out: run_local(inputs, out, workers=2, progress=False), False),
            "spark": (lambda out: _spark(inputs, out), False),
        }
        results = {name: measure(name, *runners[name], tmp_dir) for name in engines}
    print(f"load average after: {os.getloadavg()}")
    if {"sequential", "workers"} <= results.keys():
        speedup = results["workers"]["articles_per_s"] / results["sequential"]["articles_per_s"]
        print(f"2 workers vs sequential: {speedup:.2f}x (target >= 1.7x); scaling efficiency {speedup / 2:.0%}")
    if {"workers", "spark"} <= results.keys():
        overhead = results["spark"]["elapsed_s"] / results["workers"]["elapsed_s"] - 1
        print(f"Spark local[2] overhead vs 2 workers: {overhead:+.0%} wall time (target <= +30%)")


def _spark(inputs: list[str], out: Path) -> RunStats:
    from newsproof.batch.spark import run_spark

    return run_spark(inputs, str(out), master="local[2]", progress=False)


if __name__ == "__main__":
    main()
