"""`newsproof update` throughput: N items listed in one RSS feed on a local site, through fetch (SSRF-safe
fetcher, conditional GET, robots.txt), extraction (trafilatura + htmldate via the ingest code), indexing and
embedding (minilm-onnx unless --embedder says otherwise), into a fresh SQLite store.

The site (tests/update/feed_site.py) runs in its own process on 127.0.0.1 so it does not share the GIL with
the updater. Peak memory is the updater process's maximum resident set size.
Targets (issue #23): >= 20 items/s on 2 cores, <= 1 GB. `--phases` adds where the first run's time went:
seconds in fetch, extract, index and embed, summed over the threads that ran them (wall and the calling
thread's CPU; onnxruntime's own threads are not in the CPU figures), with each phase's share.

    .venv/bin/python benchmarks/bench_update.py [--n 1000] [--workers 4] [--embedder minilm-onnx] [--phases]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "update"))


# phase -> (module, attribute) of the functions timed for it; a method is "Class.method"
PHASES = {
    "fetch": [("newsproof.update.politeness", "PoliteClient.get"), ("newsproof.update.politeness", "PoliteClient.allowed")],
    "extract": [("newsproof.update.articles", "ingest_bytes"), ("newsproof.update.articles", "page_claimreviews"),
                ("newsproof.update.articles", "passages_of"), ("newsproof.update.articles", "canonical_link")],
    "index": [("newsproof.evidence.sqlite_store", f"SQLiteStore.{name}") for name in (
        "write_passages", "delete_passages", "passage_ids_for_url", "write_embeddings", "write_checked_claims")]
    + [("newsproof.update.state", f"UpdateState.{name}") for name in ("item", "save_items", "holder_of")],
    "embed": [("newsproof.evidence.embed", "get_embedder")],  # its answer's `encode` is timed
}


class PhaseClock:
    """Seconds per phase, summed over threads: wall and the calling thread's CPU."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = dict.fromkeys(PHASES, 0.0)
        self.cpu: dict[str, float] = dict.fromkeys(PHASES, 0.0)
        self._lock = threading.Lock()

    def timed(self, phase: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return func(*args, **kwargs)
            finally:
                with self._lock:
                    self.wall[phase] += time.perf_counter() - wall
                    self.cpu[phase] += time.thread_time() - cpu
        return run

    def install(self) -> None:
        """Wrap the functions of PHASES (the embedder factory's answer gets a timed `encode`)."""
        import importlib

        for phase, targets in PHASES.items():
            for module_name, attribute in targets:
                owner: Any = importlib.import_module(module_name)
                *path, name = attribute.split(".")
                for part in path:
                    owner = getattr(owner, part)
                original = getattr(owner, name)
                setattr(owner, name, self._embedding(original) if phase == "embed" else self.timed(phase, original))

    def _embedding(self, factory: Callable[..., Any]) -> Callable[..., Any]:
        def make(*args: Any, **kwargs: Any) -> Any:
            embedder = factory(*args, **kwargs)
            embedder.encode = self.timed("embed", embedder.encode)
            return embedder
        return make

    def report(self) -> dict[str, Any]:
        """Seconds and shares per phase."""
        out: dict[str, Any] = {}
        for kind, seconds in (("wall", self.wall), ("cpu", self.cpu)):
            total = sum(seconds.values()) or 1.0
            out[kind] = {p: {"s": round(v, 2), "share": round(v / total, 3)} for p, v in seconds.items()}
        return out


def _serve(n: int, queue: multiprocessing.Queue) -> None:
    from feed_site import FeedSite

    site = FeedSite(n_stories=n).start()
    queue.put((site.base, site.host))
    while True:
        time.sleep(3600)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="Items in the feed.")
    parser.add_argument("--workers", type=int, default=4, help="Parallel fetches (all to one host).")
    parser.add_argument("--embedder", default=None, help="Embedder (default: minilm-onnx).")
    parser.add_argument("--phases", action="store_true", help="Also report the first run's time per phase.")
    args = parser.parse_args()
    clock = PhaseClock() if args.phases else None

    spawn = multiprocessing.get_context("spawn")
    queue = spawn.Queue()
    server = spawn.Process(target=_serve, args=(args.n, queue), daemon=True)
    server.start()
    base, host = queue.get(timeout=120)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["NEWSPROOF_HOME"] = tmp
        from newsproof.config import load_config
        from newsproof.update import run_update
        from newsproof.update.settings import options_from_config

        config = load_config()
        config = {**config, "update": {**config["update"], "host_delay_s": 0.0, "per_host": args.workers}}
        options = options_from_config(config, feeds=[f"{base}/rss.xml"], store_uri=f"{tmp}/bench.sqlite",
                                      state_path=Path(tmp) / "state.sqlite", progress=False, allow_private=True,
                                      workers=args.workers, embedder=args.embedder,
                                      resolver=lambda name, port: ["127.0.0.1"] if name == host else [])
        if clock is not None:
            clock.install()
        started, cpu = time.perf_counter(), time.process_time()
        summary = run_update(options, config)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        phases = clock.report() if clock is not None else None
        again = run_update(options, config)
    server.terminate()
    items = summary.items
    print(json.dumps({
        "items": args.n, "new": items.new, "failed": items.failed, "passages": items.passages_written,
        "embedded": items.embedded, "seconds": round(seconds, 1), "items_per_s": round(items.new / seconds, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "second_run": {"new": again.items.new, "unchanged": again.items.unchanged, "seconds": round(again.seconds, 1)},
        "cpus": os.cpu_count(), "workers": args.workers, "process_cpu_s": round(cpu, 1),
        **({"phases": phases} if phases else {}),
    }, indent=2))


if __name__ == "__main__":
    main()
