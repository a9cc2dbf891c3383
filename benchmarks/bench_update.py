"""`newsproof update` throughput: N items listed in one RSS feed on a local site, through fetch (SSRF-safe
fetcher, conditional GET, robots.txt), extraction (trafilatura + htmldate via the ingest code), indexing and
embedding (minilm-onnx unless --embedder says otherwise), into a fresh SQLite store.

The site (tests/update/feed_site.py) runs in its own process on 127.0.0.1 so it does not share the GIL with
the updater. Peak memory is the updater process's maximum resident set size.
Targets (issue #23): >= 20 items/s on 2 cores, <= 1 GB.

    .venv/bin/python benchmarks/bench_update.py [--n 1000] [--workers 4] [--embedder minilm-onnx]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "update"))


def _serve(n: int, queue: multiprocessing.Queue) -> None:
    from feed_site import FeedSite

    site = FeedSite(n_stories=n).start()
    queue.put((site.base, site.host))
    while True:
        time.sleep(3600)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="Items in the feed.")
    parser.add_argument("--workers", type=int, default=4, help="Parallel fetches (all to one host).")
    parser.add_argument("--embedder", default=None, help="Embedder (default: minilm-onnx).")
    args = parser.parse_args()

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
        started = time.perf_counter()
        summary = run_update(options, config)
        seconds = time.perf_counter() - started
        again = run_update(options, config)
    server.terminate()
    items = summary.items
    print(json.dumps({
        "items": args.n, "new": items.new, "failed": items.failed, "passages": items.passages_written,
        "embedded": items.embedded, "seconds": round(seconds, 1), "items_per_s": round(items.new / seconds, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "second_run": {"new": again.items.new, "unchanged": again.items.unchanged, "seconds": round(again.seconds, 1)},
        "cpus": os.cpu_count(), "workers": args.workers,
    }, indent=2))


if __name__ == "__main__":
    main()
