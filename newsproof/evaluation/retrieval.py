"""`newsproof eval retrieval`: recall@5/10 and MRR of gold evidence for BM25, dense and hybrid search.

The gold evidence passages of every claim in a claims file (the shared `claims/` JSONL format) are
indexed together with distractor passages from the bundled evidence sources (news archive and
encyclopedia excerpts) into a throw-away store; each claim is then a query whose relevant passages
are its own evidence. recall@k = |gold in top k| / min(|gold|, k), averaged over claims; MRR uses the
rank of the first gold passage (0 when it is not in the top 10).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsproof.errors import Errors, InputError
from newsproof.evidence.embed import get_embedder
from newsproof.evidence.hybrid import HybridRetriever, embed_store, rrf_fuse
from newsproof.evidence.loaders.generic import read_jsonl
from newsproof.evidence.protocol import EvidenceStore, Hit
from newsproof.evidence.store_common import content_id
from newsproof.models import Passage
from newsproof.paths import shared_data_dir

DISTRACTOR_SOURCES = ("news/wikipedia_current_events.jsonl", "news/headlines_fwd_2021_2022.jsonl",
                      "news/reuters21578.jsonl", "news/pages_news_excerpts.jsonl", "kb/wikipedia/wikipedia_excerpts.jsonl")
BOILERPLATE_TITLE_SHARE = 0.2
DEPTH = 10


@dataclass
class EvalSet:
    """Queries with their gold passage ids, and the gold passages to index."""

    queries: list[str]
    gold: list[set[str]]
    passages: list[Passage]
    skipped: int


def load_eval_set(path: Path, limit: int | None = None) -> EvalSet:
    """Read a claims JSONL file; claims without evidence text are skipped (and counted).

    A title shared by more than a fifth of the evidence (e.g. "PolitiFact ruling") is boilerplate
    and left out of the passage.
    """
    if not path.is_file():
        raise InputError(Errors.E106.format(source=str(path)))
    rows: list[tuple[str, list[dict]]] = []
    skipped = 0
    for record in read_jsonl(path):
        evidence = [e for e in record.get("evidence") or [] if isinstance(e, dict) and (e.get("text") or "").strip()]
        if not evidence or not (record.get("claim") or "").strip():
            skipped += 1
            continue
        rows.append((record["claim"], evidence))
        if limit is not None and len(rows) >= limit:
            break
    titles = Counter(e.get("title") for _, ev in rows for e in ev)
    n_evidence = sum(titles.values())
    boilerplate = {t for t, c in titles.items() if c > BOILERPLATE_TITLE_SHARE * n_evidence and n_evidence > 20}
    passages: dict[str, Passage] = {}
    gold: list[set[str]] = []
    for _, evidence in rows:
        ids = set()
        for e in evidence:
            text = " ".join(e["text"].split())
            title = e.get("title") if e.get("title") not in boilerplate else None
            pid = content_id("ev", text)
            passages.setdefault(pid, Passage(id=pid, text=text, title=title, url=e.get("url"),
                                             source=f"eval:{path.name}", kind="evidence"))
            ids.add(pid)
        gold.append(ids)
    return EvalSet([q for q, _ in rows], gold, list(passages.values()), skipped)


def distractor_passages(limit: int, data_dir: Path | None = None) -> Iterator[Passage]:
    """Up to `limit` passages from the bundled news and encyclopedia sources, interleaved file by file."""
    from newsproof.evidence.loaders import load_file

    data_dir = data_dir or shared_data_dir()
    if data_dir is None or limit <= 0:
        return
    streams = [(p for p in load_file(data_dir / name) if isinstance(p, Passage))
               for name in DISTRACTOR_SOURCES if (data_dir / name).is_file()]
    emitted = 0
    while streams and emitted < limit:
        for stream in list(streams):
            passage = next(stream, None)
            if passage is None:
                streams.remove(stream)
            elif passage.text.strip():
                emitted += 1
                yield passage
                if emitted >= limit:
                    return


def score_run(runs: list[list[Hit]], gold: list[set[str]]) -> dict[str, float]:
    """recall@5, recall@10 and MRR over the ranked hit lists."""
    if not runs:
        return {"recall@5": 0.0, "recall@10": 0.0, "mrr": 0.0}
    r5, r10, rr = [], [], []
    for hits, relevant in zip(runs, gold, strict=True):
        ids = [h.passage.id for h in hits[:DEPTH]]
        r5.append(len(relevant & set(ids[:5])) / min(len(relevant), 5))
        r10.append(len(relevant & set(ids)) / min(len(relevant), 10))
        rr.append(next((1.0 / i for i, pid in enumerate(ids, 1) if pid in relevant), 0.0))
    return {"recall@5": round(float(np.mean(r5)), 4), "recall@10": round(float(np.mean(r10)), 4),
            "mrr": round(float(np.mean(rr)), 4)}


def run_queries(retriever: HybridRetriever, queries: list[str]) -> dict[str, list[list[Hit]]]:
    """BM25, dense and fused rankings (top 10) for every query."""
    vectors = retriever.embedder.encode(queries) if queries else []
    runs: dict[str, list[list[Hit]]] = {"bm25": [], "dense": [], "hybrid": []}
    for query, vector in zip(queries, vectors, strict=True):
        lexical = retriever.lexical(query, retriever.k_lexical)
        dense = retriever.dense(query, retriever.k_dense, vector=vector)
        runs["bm25"].append(lexical[:DEPTH])
        runs["dense"].append(dense[:DEPTH])
        runs["hybrid"].append(rrf_fuse({"bm25": lexical, "dense": dense}, retriever.rrf_k, retriever.weights)[:DEPTH])
    return runs


def index_eval_store(store: EvidenceStore, eval_set: EvalSet, distractors: int, embedder_name: str | None,
                     progress: bool = False) -> None:
    """Write gold and distractor passages into `store` and embed them."""
    store.write_passages(eval_set.passages)
    store.write_passages(distractor_passages(distractors))
    embed_store(store, get_embedder(embedder_name), progress=progress)


def evaluate_retrieval(data: Path, *, store_uri: str | None = None, embedder: str | None = None,
                       distractors: int = 10000, limit: int | None = None, rrf_k: int = 60,
                       dense_weight: float = 1.0, progress: bool = False) -> dict:
    """Index gold + distractor passages into a temporary (or the given, throw-away) store and score all three."""
    from newsproof.evidence import open_store

    eval_set = load_eval_set(data, limit)
    with tempfile.TemporaryDirectory(prefix="newsproof-eval-") as tmp:
        store = open_store(store_uri or str(Path(tmp) / "eval.sqlite"))
        try:
            index_eval_store(store, eval_set, distractors, embedder, progress)
            retriever = HybridRetriever(store, get_embedder(embedder), rrf_k=rrf_k,
                                        weights={"bm25": 1.0, "dense": dense_weight})
            runs = run_queries(retriever, eval_set.queries)
            passages = store.stats().get("passages", 0)
        finally:
            store.close()
    result: dict = {name: score_run(r, eval_set.gold) for name, r in runs.items()}
    result.update(n=len(eval_set.queries), skipped=eval_set.skipped, passages=passages,
                  embedder=retriever.embedder.name, data=str(data))
    return result
