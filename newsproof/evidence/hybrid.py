"""Hybrid passage retrieval: BM25 + dense vectors fused by reciprocal rank, optional MMR diversity.

Also `embed_store`, which gives every passage of a store a vector for an embedder, incrementally:
only passages still missing a vector for that model are embedded, so an interrupted run resumes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np

from newsproof.evidence.embed import Embedder
from newsproof.evidence.protocol import EvidenceStore, Hit, SearchFilters
from newsproof.models import Passage

if TYPE_CHECKING:
    from newsproof.evidence.ann import AnnIndex

ANN_OVERFETCH = 4


def passage_text(passage: Passage) -> str:
    """The text a passage is embedded from: title and body."""
    return f"{passage.title}. {passage.text}" if passage.title else passage.text


def rrf_fuse(rankings: dict[str, Sequence[Hit]], rrf_k: int = 60,
             weights: dict[str, float] | None = None) -> list[Hit]:
    """Reciprocal rank fusion: score(p) = sum over rankings of weight / (rrf_k + rank of p)."""
    fused: dict[str, float] = {}
    parts: dict[str, dict[str, float]] = {}
    passages: dict[str, Passage] = {}
    for name, hits in rankings.items():
        weight = (weights or {}).get(name, 1.0)
        for rank, hit in enumerate(hits, 1):
            pid = hit.passage.id
            passages.setdefault(pid, hit.passage)
            fused[pid] = fused.get(pid, 0.0) + weight / (rrf_k + rank)
            parts.setdefault(pid, {})[name] = hit.scores.get(name, hit.score)
    order = sorted(fused, key=lambda pid: (-fused[pid], pid))
    return [Hit(passage=passages[pid], score=fused[pid], rank=i, scores={**parts[pid], "rrf": fused[pid]})
            for i, pid in enumerate(order, 1)]


def mmr(query_vec: np.ndarray, doc_vecs: np.ndarray, k: int, lambda_: float = 0.7) -> list[int]:
    """Maximal marginal relevance: indices of `k` documents trading relevance against redundancy."""
    if len(doc_vecs) == 0:
        return []
    relevance = doc_vecs @ query_vec
    chosen: list[int] = []
    redundancy = np.full(len(doc_vecs), -np.inf)
    candidates = np.ones(len(doc_vecs), dtype=bool)
    for _ in range(min(k, len(doc_vecs))):
        penalty = np.where(np.isfinite(redundancy), redundancy, 0.0)
        score = np.where(candidates, lambda_ * relevance - (1 - lambda_) * penalty, -np.inf)
        best = int(np.argmax(score))
        chosen.append(best)
        candidates[best] = False
        redundancy = np.maximum(redundancy, doc_vecs @ doc_vecs[best])
    return chosen


class HybridRetriever:
    """BM25 (store.search_passages) + dense (an ANN index, else store.search_dense) fused by reciprocal rank.

    `ann="auto"` uses the store's ANN index for the embedder when one exists (see
    `newsproof.evidence.ann`), None always searches exactly; an AnnIndex is used as given. The index
    is caught up with the store before each dense query.
    """

    def __init__(self, store: EvidenceStore, embedder: Embedder, k_lexical: int = 50, k_dense: int = 50,
                 rrf_k: int = 60, weights: dict[str, float] | None = None, mmr_lambda: float | None = None,
                 ann: AnnIndex | Literal["auto"] | None = "auto") -> None:
        self.store = store
        self.embedder = embedder
        self.k_lexical = k_lexical
        self.k_dense = k_dense
        self.rrf_k = rrf_k
        self.weights = weights or {"bm25": 1.0, "dense": 1.0}
        self.mmr_lambda = mmr_lambda
        self.ann = ann

    def warm_up(self) -> None:
        """Load the embedder."""
        self.embedder.warm_up()

    def lexical(self, query: str, k: int = 10, filters: SearchFilters | None = None) -> list[Hit]:
        """BM25 hits only."""
        return self.store.search_passages(query, k, filters)

    def ann_index(self) -> AnnIndex | None:
        """The ANN index in use (opened on first call when `ann="auto"`), caught up with the store."""
        if self.ann == "auto":
            from newsproof.evidence.ann import open_ann

            self.ann = open_ann(self.store, self.embedder.name, self.embedder.dim)
        if self.ann is not None and self.ann.sync(self.store, self.embedder.name):
            self.ann.save()
        return self.ann

    def dense(self, query: str, k: int = 10, filters: SearchFilters | None = None,
              vector: np.ndarray | None = None) -> list[Hit]:
        """Dense hits only: cosine among the embedder's vectors, through the ANN index when there is one
        (exact search when filters leave fewer than `k` of its over-fetched neighbours)."""
        vec = self.embedder.encode([query])[0] if vector is None else vector
        ann = self.ann_index()
        if ann is not None:
            found = ann.search(vec, k * ANN_OVERFETCH if filters else k)
            scores = dict(found)
            passages = [p for p in self.store.get_passages([pid for pid, _ in found]) if _admits(filters, p)][:k]
            if len(passages) >= min(k, len(found)) or not filters:
                return [Hit(passage=p, score=scores[p.id], rank=i, scores={"dense": scores[p.id]})
                        for i, p in enumerate(passages, 1)]
        return self.store.search_dense(vec.tolist(), self.embedder.name, k, filters)

    def search(self, query: str, k: int = 10, filters: SearchFilters | None = None) -> list[Hit]:
        """Top `k` passages by fused rank (then MMR-reordered when `mmr_lambda` is set)."""
        vector = self.embedder.encode([query])[0]
        fused = rrf_fuse({"bm25": self.lexical(query, self.k_lexical, filters),
                          "dense": self.dense(query, self.k_dense, filters, vector)},
                         self.rrf_k, self.weights)
        if self.mmr_lambda is None or not fused:
            return fused[:k]
        pool = fused[: 3 * k]
        doc_vecs = self.embedder.encode([passage_text(h.passage) for h in pool])
        order = mmr(vector, doc_vecs, k, self.mmr_lambda)
        return [Hit(passage=pool[i].passage, score=pool[i].score, rank=r, scores=pool[i].scores)
                for r, i in enumerate(order, 1)]


def _admits(filters: SearchFilters | None, passage: Passage) -> bool:
    """Whether a passage passes the date/source/kind filters (dates compared as ISO prefixes)."""
    if filters is None:
        return True
    date = passage.date or ""
    return ((not filters.date_from or (bool(date) and date >= filters.date_from))
            and (not filters.date_to or (bool(date) and date[: len(filters.date_to)] <= filters.date_to))
            and (not filters.sources or passage.source in filters.sources)
            and (not filters.kinds or passage.kind in filters.kinds))


def embed_store(store: EvidenceStore, embedder: Embedder, batch_size: int = 512, progress: bool = True,
                ann: AnnIndex | Literal["auto"] | None = "auto", ann_save_every: int = 50_000) -> int:
    """Embed every passage that has no vector for `embedder` yet; return how many were embedded.

    Each batch is written in its own transaction, so killing the run loses at most one batch and the
    next run continues where it stopped. The vectors also go into the ANN index: `ann="auto"` extends
    the store's index when it exists and creates it once the store holds ANN_MIN_VECTORS passages
    (usearch installed); it is caught up with the store first, saved every `ann_save_every` passages
    and at the end.
    """
    from newsproof.evidence.ann import ANN_MIN_VECTORS, open_ann
    from newsproof.progress import make_progress

    embedder.warm_up()
    passages = store.stats().get("passages", 0) if ann == "auto" or progress else 0
    if ann == "auto":
        ann = open_ann(store, embedder.name, embedder.dim, create=passages >= ANN_MIN_VECTORS)
    elif ann is not None and ann.sync(store, embedder.name):
        ann.save()
    total = max(passages - store.embedding_count(embedder.name), 0)
    done = 0
    with make_progress(progress, unit="passages") as bar:
        task = bar.add_task(f"embedding ({embedder.name})", total=total or None)
        while True:
            batch = store.passages_missing_embeddings(embedder.name, limit=batch_size)
            if not batch:
                break
            vectors = embedder.encode([passage_text(p) for p in batch])
            added = store.write_embeddings(zip([p.id for p in batch], vectors, strict=True), embedder.name)
            if added == 0:
                break
            done += added
            if ann is not None:
                ann.add([p.id for p in batch], vectors)
                if done % ann_save_every < added:
                    ann.save()
            if done > (bar.tasks[0].total or 0):
                bar.update(task, total=done)
            bar.update(task, advance=added)
    if ann is not None and done:
        ann.save()
    return done
