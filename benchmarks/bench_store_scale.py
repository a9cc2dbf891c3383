"""Evidence-store scale benchmark on a synthetic-but-realistic corpus.

The corpus is made of the real passages of the shared data (news archive, encyclopedia excerpts,
conflict events, claim-set evidence), duplicated and perturbed until it has `--size` passages:
each copy keeps a random window of the sentences, drops ~5% of the words, changes the numbers
and shifts the date, so every copy is a distinct, plausible passage.

One backend per run (`--backend sqlite`, or `--backend postgresql` with NEWSPROOF_PG_URL / --pg-url:
a throw-away schema is created and dropped), so the peak memory is that backend's. Measured:
lexical indexing throughput; dense indexing of the whole corpus with `--embedder` (default the
fast static embedder), split into encoding, writing and usearch ANN insertion; the default ONNX
embedder's throughput on a `--onnx-subset` of the corpus (same run); on-disk size (store + ANN
index); peak memory (RSS of this process; PostgreSQL's own memory is not included); query latency
p50/p95, wall clock and CPU time of this process, for BM25, hybrid with exact (numpy) dense search
and hybrid through the ANN index, with claims of the shared claim sets as queries (`--queries` unseen claims per
search kind, after the same 50 warm-up claims). `--no-dense` skips everything dense (lexical indexing and search only).
Example: python benchmarks/bench_store_scale.py --size 1000000 --backend sqlite
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
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


def timed(fn, *args, cpu_clock=time.process_time, **kwargs) -> tuple[float, float]:
    """Wall and CPU seconds of one call; CPU time (all threads of this process, plus the PostgreSQL
    server process for that backend) is robust to a busy machine."""
    wall, cpu = time.perf_counter(), cpu_clock()
    fn(*args, **kwargs)
    return time.perf_counter() - wall, cpu_clock() - cpu


def server_cpu_clock(store) -> Callable[[], float]:
    """This process's CPU seconds plus those of the store's PostgreSQL backend process (same machine:
    /proc/PID/schedstat, nanoseconds); just this process's where that cannot be read."""
    path = Path(f"/proc/{store._rows('SELECT pg_backend_pid()')[0][0]}/schedstat")
    if not path.is_file():
        return time.process_time
    return lambda: time.process_time() + int(path.read_text().split()[0]) / 1e9


def queries(data: Path, n: int, seed: int = 0) -> list[str]:
    """Claims from the shared claim sets, as search queries."""
    claims = [json.loads(line)["claim"] for name in ("climate_fever", "averitec", "covidfact")
              for line in (data / "claims" / name / "data.jsonl").open(encoding="utf-8")]
    return random.Random(seed).sample(claims, n)


def store_size_mb(store, path: Path | None) -> float:
    """Megabytes on disk: the SQLite file (+ WAL), or the PostgreSQL schema's tables and indexes."""
    if path is not None:
        return round(disk_size(path) / 1e6, 1)
    rows = store._rows("SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n "
                       "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'")
    return round(float(rows[0][0] or 0) / 1e6, 1)


def index_dense(store, embedder, base: list[Passage], size: int, ann: AnnIndex | None, cpu_clock) -> dict:
    """Embed `size` corpus passages; passages/s overall (wall, CPU) and wall seconds per step."""
    steps = {"encode": 0.0, "write": 0.0, "ann_add": 0.0}
    wall = cpu = 0.0
    for batch in batched(corpus(base, size), 4096):
        w0, c0 = time.perf_counter(), cpu_clock()
        vectors = embedder.encode([passage_text(p) for p in batch])
        w1 = time.perf_counter()
        store.write_embeddings(zip([p.id for p in batch], vectors, strict=True), embedder.name)
        w2 = time.perf_counter()
        if ann is not None:
            ann.add([p.id for p in batch], vectors)
        w3 = time.perf_counter()
        steps["encode"] += w1 - w0
        steps["write"] += w2 - w1
        steps["ann_add"] += w3 - w2
        wall, cpu = wall + w3 - w0, cpu + cpu_clock() - c0
    return {"embedder": embedder.name, "passages": size, "per_s": round(size / wall), "per_cpu_s": round(size / cpu),
            **{f"{k}_s": round(v, 1) for k, v in steps.items() if ann is not None or k != "ann_add"}}


def latency(fn, qs: list[str], cpu_clock) -> dict[str, float]:
    """p50/p95 wall and CPU milliseconds of fn(query) over the queries."""
    samples = [timed(fn, q, cpu_clock=cpu_clock) for q in qs]
    return {**percentiles([w for w, _ in samples]), **percentiles([c for _, c in samples], "cpu_")}


def run_backend(uri: str, base: list[Passage], args: argparse.Namespace, path: Path | None, tmp: Path) -> dict:
    """Index the corpus into `uri`, embed it (+ ANN index) unless --no-dense, query it; return the figures."""
    store = open_store(uri)
    clock = time.process_time if path else server_cpu_clock(store)
    out: dict = {"backend": "sqlite" if path else "postgresql", "size": args.size}
    wall = cpu = 0.0
    for batch in batched(corpus(base, args.size), 10_000):
        w, c = timed(store.write_passages, batch, cpu_clock=clock)
        wall, cpu = wall + w, cpu + c
    out["lexical_index_per_s"], out["lexical_index_per_cpu_s"] = round(args.size / wall), round(args.size / cpu)
    n = args.queries
    qs = queries(shared_data_dir(), 50 + 3 * n)
    warm = qs[:50]
    runs = {"lexical": lambda q: store.search_passages(q, 50)}
    if args.dense:
        runs.update(dense_runs(store, base, args, path, tmp, clock, warm[0], out))
    else:
        out["disk_mb"] = store_size_mb(store, path)
    for i, (name, fn) in enumerate(runs.items()):
        for q in warm:
            fn(q)
        # each search gets unseen queries: no document frequency is cached from an earlier run
        out[name] = latency(fn, qs[50 + i * n: 50 + (i + 1) * n], clock)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    store.close()
    return out


def dense_runs(store, base: list[Passage], args: argparse.Namespace, path: Path | None, tmp: Path, cpu_clock,
               first_query: str, out: dict) -> dict[str, Callable[[str], object]]:
    """Embed the corpus (+ ANN index, + the ONNX subset) into `store`, adding the figures to `out`;
    return the hybrid searches to time."""
    embedder = get_embedder(args.embedder)
    embedder.warm_up()
    ann = AnnIndex(tmp / "scale.usearch", embedder.dim) if args.ann else None
    out["dense_index"] = index_dense(store, embedder, base, args.size, ann, cpu_clock)
    if ann is not None:
        ann.save()
        out["ann_disk_mb"] = round(disk_size(ann.path) / 1e6, 1)
    out["disk_mb"] = store_size_mb(store, path)
    if args.onnx_subset:
        onnx = get_embedder("minilm-onnx")
        onnx.warm_up()
        out["dense_index_onnx_subset"] = index_dense(store, onnx, base, args.onnx_subset, None, cpu_clock)
    exact = HybridRetriever(store, embedder, ann=None)
    start = time.perf_counter()
    exact.search(first_query, k=10)  # loads the vectors into memory
    out["exact_vectors_load_s"] = round(time.perf_counter() - start, 2)
    runs = {"hybrid_exact": lambda q: exact.search(q, k=10)}
    if ann is not None:
        with_ann = HybridRetriever(store, embedder, ann=ann)
        runs["hybrid_ann"] = lambda q: with_ann.search(q, k=10)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000, help="passages in the synthetic corpus")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--embedder", default="minilm-static", help="embedder for the dense index of the whole corpus")
    parser.add_argument("--onnx-subset", type=int, default=5000, help="passages embedded with minilm-onnx (0: skip)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--dir", type=Path, default=None, help="where the SQLite file and ANN index go (default: a temp dir)")
    parser.add_argument("--ann", action=argparse.BooleanOptionalAction, default=True, help="also build/query a usearch index")
    parser.add_argument("--dense", action=argparse.BooleanOptionalAction, default=True,
                        help="embed the corpus and time hybrid search (--no-dense: lexical indexing and search only)")
    parser.add_argument("--pg-url", default=os.environ.get("NEWSPROOF_PG_URL"), help="throw-away PostgreSQL database")
    args = parser.parse_args()
    data = shared_data_dir()
    if data is None:
        parser.error("the shared data folder is needed (NEWSPROOF_SHARED_DATA)")
    if args.backend == "postgresql" and not args.pg_url:
        parser.error("--backend postgresql needs --pg-url or NEWSPROOF_PG_URL")
    base = base_passages(data)
    print(json.dumps({"base_passages": len(base)}), flush=True)
    with tempfile.TemporaryDirectory(dir=args.dir, prefix="newsproof-scale-") as tmp:
        if args.backend == "sqlite":
            path = Path(tmp) / "scale.sqlite"
            print(json.dumps(run_backend(str(path), base, args, path, Path(tmp))), flush=True)
        else:
            sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
            from support.store_suite import postgres_schema_uri

            with postgres_schema_uri(args.pg_url, prefix="np_scale") as uri:
                print(json.dumps(run_backend(uri, base, args, None, Path(tmp))), flush=True)


if __name__ == "__main__":
    main()
