"""Evidence-store scale benchmark on a synthetic-but-realistic corpus.

The corpus is made of the real passages of the shared data (news archive, encyclopedia excerpts,
conflict events, claim-set evidence), duplicated and perturbed until it has `--size` passages:
each copy keeps a random window of the sentences, drops ~5% of the words, changes the numbers
and shifts the date, so every copy is a distinct, plausible passage.

Measured per backend (SQLite file; PostgreSQL when NEWSPROOF_PG_URL or --pg-url is set):
lexical indexing throughput, dense indexing throughput (embedding + writing), on-disk size, peak
memory (RSS of this process, cumulative over backends), and query latency p50/p95 (wall and CPU)
for BM25, hybrid search with brute-force dense and hybrid search through the usearch ANN index,
with claims of the shared claim sets as queries. Example: python benchmarks/bench_store_scale.py --size 200000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from newsproof.evidence import open_store
from newsproof.evidence.ann import AnnIndex
from newsproof.evidence.embed import get_embedder
from newsproof.evidence.hybrid import HybridRetriever, passage_text
from newsproof.evidence.loaders import expand_paths, load_file
from newsproof.evidence.store_common import batched, content_id
from newsproof.models import Passage
from newsproof.paths import shared_data_dir

_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
SOURCES = ("news", "kb/wikipedia", "kb/conflict_events.jsonl", "claims/climate_fever", "claims/averitec")


def base_passages(data: Path, limit: int = 200_000) -> list[Passage]:
    """The real passages the synthetic corpus is grown from."""
    out: list[Passage] = []
    for path in expand_paths([data / s for s in SOURCES if (data / s).exists()]):
        out += [p for p in load_file(path) if isinstance(p, Passage) and len(p.text) > 40]
        if len(out) >= limit:
            break
    return out[:limit]


def perturb(passage: Passage, copy: int, rng: random.Random) -> Passage:
    """A plausible variant: sentence window, ~5% words dropped, numbers changed, date shifted."""
    sentences = _SENTENCE.split(passage.text)
    start = rng.randrange(len(sentences))
    window = " ".join(sentences[start : start + rng.randint(2, 6)])
    words = [w for w in window.split() if rng.random() > 0.05] or window.split()
    text = _NUMBER.sub(lambda m: str(rng.randint(1, 10 * (int(m.group(0)[0]) + 1) ** 3)), " ".join(words))
    date = passage.date
    if date and len(date) >= 4 and date[:4].isdigit():
        date = f"{int(date[:4]) + rng.randint(-3, 3):04d}{date[4:]}"
    return Passage(id=content_id("syn", passage.id, copy, text), text=text, title=passage.title,
                   source=passage.source, url=passage.url, date=date, kind=passage.kind)


def corpus(base: list[Passage], size: int, seed: int = 0) -> Iterator[Passage]:
    """`size` passages: the base passages once, then perturbed copies round-robin."""
    rng = random.Random(seed)
    for i in range(size):
        source = base[i % len(base)]
        yield source if i < len(base) else perturb(source, i // len(base), rng)


def disk_size(path: Path) -> int:
    """Bytes of a SQLite file with its WAL and shared-memory files."""
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def percentiles(samples: list[float], prefix: str = "") -> dict[str, float]:
    """p50/p95 in milliseconds."""
    arr = np.asarray(samples) * 1000
    return {f"{prefix}p50_ms": round(float(np.percentile(arr, 50)), 1),
            f"{prefix}p95_ms": round(float(np.percentile(arr, 95)), 1)}


def timed(fn, *args, **kwargs) -> tuple[float, float]:
    """Wall and CPU seconds (all threads of this process) of one call; CPU time is robust to a busy machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn(*args, **kwargs)
    return time.perf_counter() - wall, time.process_time() - cpu


def queries(data: Path, n: int, seed: int = 0) -> list[str]:
    """Claims from the shared claim sets, as search queries."""
    claims = [json.loads(line)["claim"] for name in ("climate_fever", "averitec", "covidfact")
              for line in (data / "claims" / name / "data.jsonl").open(encoding="utf-8")]
    return random.Random(seed).sample(claims, n)


def embed_batch(store, embedder, batch: list[Passage], ann: AnnIndex | None) -> None:
    """Embed and store one batch of passages (and add it to the ANN index)."""
    vectors = embedder.encode([passage_text(p) for p in batch])
    store.write_embeddings(zip([p.id for p in batch], vectors, strict=True), embedder.name)
    if ann is not None:
        ann.add([p.id for p in batch], vectors)


def run_backend(uri: str, base: list[Passage], args: argparse.Namespace, path: Path | None, tmp: Path) -> dict:
    """Index the corpus into `uri`, embed it (+ ANN index), query it; return the figures."""
    embedder = get_embedder(args.embedder)
    embedder.warm_up()
    ann = AnnIndex(tmp / f"{'sqlite' if path else 'pg'}.usearch", embedder.dim) if args.ann else None
    store = open_store(uri)
    out: dict = {"store": uri.split("@")[-1], "size": args.size, "embedder": embedder.name}
    wall = cpu = 0.0
    for batch in batched(corpus(base, args.size), 10_000):
        w, c = timed(store.write_passages, batch)
        wall, cpu = wall + w, cpu + c
    out["lexical_index_per_s"], out["lexical_index_per_cpu_s"] = round(args.size / wall), round(args.size / cpu)
    wall = cpu = 0.0
    for batch in batched(corpus(base, args.size), 4096):
        w, c = timed(embed_batch, store, embedder, batch, ann)
        wall, cpu = wall + w, cpu + c
    out["dense_index_per_s"], out["dense_index_per_cpu_s"] = round(args.size / wall), round(args.size / cpu)
    if ann is not None:
        ann.save()
        out["ann_disk_mb"] = round(disk_size(ann.path) / 1e6, 1)
    if path is not None:
        out["disk_mb"] = round(disk_size(path) / 1e6, 1)
    retriever = HybridRetriever(store, embedder)
    qs = queries(shared_data_dir(), args.queries)
    start = time.perf_counter()
    retriever.search(qs[0], k=10)  # loads the vector matrix
    out["first_hybrid_query_s"] = round(time.perf_counter() - start, 2)
    lexical = [timed(retriever.lexical, q, 10) for q in qs]
    hybrid = [timed(retriever.search, q, k=10) for q in qs]
    runs = [("lexical", lexical), ("hybrid", hybrid)]
    if ann is not None:
        with_ann = HybridRetriever(store, embedder, ann=ann)
        runs.append(("hybrid_ann", [timed(with_ann.search, q, k=10) for q in qs]))
    for name, samples in runs:
        out[name] = {**percentiles([w for w, _ in samples]), **percentiles([c for _, c in samples], "cpu_")}
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000, help="passages in the synthetic corpus")
    parser.add_argument("--embedder", default="minilm-static", help="embedder for the dense index")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--dir", type=Path, default=None, help="where the SQLite file goes (default: a temp dir)")
    parser.add_argument("--ann", action=argparse.BooleanOptionalAction, default=True, help="also build/query a usearch index")
    parser.add_argument("--pg-url", default=os.environ.get("NEWSPROOF_PG_URL"), help="throw-away PostgreSQL database")
    args = parser.parse_args()
    data = shared_data_dir()
    if data is None:
        parser.error("the shared data folder is needed (NEWSPROOF_SHARED_DATA)")
    base = base_passages(data)
    print(json.dumps({"base_passages": len(base)}), flush=True)
    with tempfile.TemporaryDirectory(dir=args.dir, prefix="newsproof-scale-") as tmp:
        path = Path(tmp) / "scale.sqlite"
        print(json.dumps(run_backend(str(path), base, args, path, Path(tmp))), flush=True)
        if args.pg_url:
            print(json.dumps(run_backend(args.pg_url, base, args, None, Path(tmp))), flush=True)


if __name__ == "__main__":
    main()
