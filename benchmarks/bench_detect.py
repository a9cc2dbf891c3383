"""Speed of the default detector on ~600-word articles, against a wordfreq-only baseline.

`score()` runs single-threaded, so one process uses one core; the 2-core figure scores the same
articles in `--workers` processes (each warmed up before timing).

Run: .venv/bin/python benchmarks/bench_detect.py [--n 200] [--workers 2] [--detector NAME]
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from newsproof.detect import get_detector
from newsproof.detect.features import frequency_table
from newsproof.detect.text import require_english, words
from newsproof.detect.train.data import load_corpus
from newsproof.errors import InputError
from newsproof.paths import shared_data_dir


def articles(n: int, target_words: int = 600) -> list[str]:
    """`n` English articles of ~600+ words, built by joining consecutive dev texts as paragraphs."""
    root = shared_data_dir()
    if root is None:
        raise SystemExit("shared/data/mgt is needed for the benchmark")
    texts = load_corpus(root / "mgt" / "dev.jsonl").texts
    out, buf, i = [], [], 0
    while len(out) < n:
        buf.append(texts[i % len(texts)])
        i += 1
        if sum(len(t.split()) for t in buf) >= target_words:
            article, buf = "\n\n".join(buf), []
            try:
                require_english(article)  # a few dev texts are scraped junk or not English
            except InputError:
                continue
            out.append(article)
    return out


def baseline(text: str) -> float:
    """Wordfreq-only feature: mean Zipf frequency of the words."""
    freq = frequency_table()
    return float(np.mean([np.log10(max(freq.get(w.lower(), 0.0), 1e-9)) + 9 for w in words(text)]))


def rate(fn, docs: list[str]) -> float:  # type: ignore[no-untyped-def]
    """Documents per second for fn over docs."""
    start = time.perf_counter()
    for doc in docs:
        fn(doc)
    return len(docs) / (time.perf_counter() - start)


_WORKER_DETECTOR = None


def _warm_worker(name: str) -> None:
    global _WORKER_DETECTOR
    _WORKER_DETECTOR = get_detector(name)
    _WORKER_DETECTOR.warm_up()
    frequency_table()


def _worker_score(doc: str) -> float:
    assert _WORKER_DETECTOR is not None
    return _WORKER_DETECTOR.score(doc).probability


def parallel_rate(docs: list[str], workers: int, name: str) -> float:
    """Documents per second for detector `name`'s score() spread over `workers` warmed-up processes."""
    with ProcessPoolExecutor(workers, initializer=_warm_worker, initargs=(name,)) as pool:
        list(pool.map(_worker_score, docs[: 4 * workers]))  # every worker loaded and warm
        start = time.perf_counter()
        list(pool.map(_worker_score, docs, chunksize=8))
        return len(docs) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="processes for the multi-core figure (0: skip)")
    parser.add_argument("--detector", default="default", help="detector registry name")
    args = parser.parse_args()
    docs = articles(args.n)
    detector = get_detector(args.detector)
    detector.warm_up()
    frequency_table()
    detector.score(docs[0])
    mean_words = np.mean([len(words(d)) for d in docs])
    full = rate(detector.score, docs)
    batch_start = time.perf_counter()
    detector.probabilities(docs)
    batch = len(docs) / (time.perf_counter() - batch_start)
    base = rate(baseline, docs)
    print(f"{len(docs)} articles, mean {mean_words:.0f} words")
    print(f"{detector.name} score(): {full:.1f} articles/s (signals + paragraph scores)")
    print(f"{detector.name} probabilities() batch: {batch:.1f} articles/s")
    if args.workers:
        print(f"{detector.name} score() in {args.workers} processes: {parallel_rate(docs, args.workers, args.detector):.1f} articles/s")
    print(f"baseline wordfreq-only mean Zipf: {base:.1f} articles/s")
    print(f"ratio score()/baseline: {full / base:.3f}")


if __name__ == "__main__":
    main()
