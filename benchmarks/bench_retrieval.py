"""Embedder comparison: dense-retrieval quality on the shared claim sets and encoding speed.

Quality: for each claim set, all gold evidence passages of the file are embedded (no distractors)
and every claim retrieves by cosine; recall@10 and MRR of its own evidence (see
newsproof.evaluation.retrieval). Speed: texts per second encoding 1000 Climate-FEVER claims and
evidence sentences, by wall clock and per CPU-second (robust when the machine is shared).

Usage: python benchmarks/bench_retrieval.py [--embedders minilm-static,minilm-onnx,minilm-st] [--limit N]
(run under `taskset -c 0,1` to pin to two cores).
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from newsproof.evaluation.retrieval import load_eval_set
from newsproof.evidence.embed import get_embedder
from newsproof.paths import shared_data_dir

SETS = ("climate_fever", "averitec", "covidfact", "liar_plus")


def dense_quality(embedder, name: str, limit: int | None) -> dict[str, float]:
    """recall@10 and MRR of dense search over one set's gold passages."""
    eval_set = load_eval_set(shared_data_dir() / "claims" / name / "data.jsonl", limit)
    texts = [f"{p.title}. {p.text}" if p.title else p.text for p in eval_set.passages]
    passages = embedder.encode(texts)
    queries = embedder.encode(eval_set.queries)
    top = np.argsort(-(queries @ passages.T), axis=1)[:, :10]
    ids = [p.id for p in eval_set.passages]
    recall, rr = [], []
    for row, gold in zip(top, eval_set.gold, strict=True):
        ranked = [ids[i] for i in row]
        recall.append(len(gold & set(ranked)) / min(len(gold), 10))
        rr.append(next((1 / r for r, pid in enumerate(ranked, 1) if pid in gold), 0.0))
    return {"recall@10": round(float(np.mean(recall)), 4), "mrr": round(float(np.mean(rr)), 4)}


def encode_speed(embedder, n: int = 1000) -> dict[str, float]:
    """Texts/s encoding `n` Climate-FEVER texts (half claims, half evidence): wall and per CPU-second."""
    eval_set = load_eval_set(shared_data_dir() / "claims" / "climate_fever" / "data.jsonl")
    texts = eval_set.queries[: n // 2] + [p.text for p in eval_set.passages[: n - n // 2]]
    wall, cpu = time.perf_counter(), time.process_time()
    embedder.encode(texts)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"texts_per_s": round(len(texts) / wall, 1), "texts_per_cpu_s": round(len(texts) / cpu, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embedders", default="minilm-static,minilm-onnx,minilm-st")
    parser.add_argument("--limit", type=int, default=None, help="claims per set (default: all with evidence)")
    parser.add_argument("--speed-only", action="store_true", help="only measure encoding speed")
    args = parser.parse_args()
    for name in args.embedders.split(","):
        embedder = get_embedder(name)
        embedder.warm_up()
        embedder.encode(["warm up"])
        row: dict = {"embedder": name, "dim": embedder.dim, **encode_speed(embedder)}
        if not args.speed_only:
            row.update((set_name, dense_quality(embedder, set_name, args.limit)) for set_name in SETS)
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
