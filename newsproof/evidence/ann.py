"""Approximate nearest-neighbour index for dense search at scale: usearch HNSW (int8) beside the store.

Brute-force numpy search scans every vector per query (1M x 384 float32 = 1.5 GB, ~120 ms CPU);
the HNSW graph answers in about a millisecond with int8 vectors (a quarter of the memory).

The index is a derived cache of the store's vectors for one model, never a source of truth: it
only reads the store (`iter_embeddings`, `embedding_count`), so it cannot corrupt it. Its file
sits beside an SQLite store (`<store>.<model>.usearch`) or, for other stores, under
`$NEWSPROOF_HOME/ann/`. `embed_store` creates it once a store has ANN_MIN_VECTORS vectors and
extends it as passages are embedded; `HybridRetriever` uses it when it exists and, before each
query, checks the store's vector count and catches up (or rebuilds) when they differ.
Files: `<path>` (usearch graph) and `<path>.ids` (passage ids, one per line, line number = key).
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from newsproof.errors import ModelError

if TYPE_CHECKING:
    from newsproof.evidence.protocol import EvidenceStore

CONNECTIVITY = 16
EXPANSION_ADD = 64
EXPANSION_SEARCH = 128
ANN_MIN_VECTORS = 100_000  # below this, exact numpy search takes a few milliseconds


def _usearch():
    try:
        from usearch.index import Index
    except ImportError as exc:
        raise ModelError("the ANN index needs usearch: pip install 'newsproof[ann]'") from exc
    return Index


def usearch_available() -> bool:
    """Whether the optional usearch package is installed."""
    try:
        _usearch()
    except ModelError:
        return False
    return True


def ann_path(store: EvidenceStore, model: str) -> Path:
    """Where the ANN index of a store's `model` vectors lives."""
    slug = re.sub(r"[^\w.-]+", "_", model)
    path = getattr(store, "path", None)
    if isinstance(path, Path):
        return path.with_name(f"{path.name}.{slug}.usearch")
    from newsproof.paths import home_dir

    return home_dir() / "ann" / f"{hashlib.sha1(store.uri.encode()).hexdigest()[:16]}.{slug}.usearch"


class AnnIndex:
    """HNSW index over L2-normalised vectors keyed by passage id. Thread-safe."""

    def __init__(self, path: str | Path, dim: int) -> None:
        self.path = Path(path)
        self.dim = dim
        self.ids_path = self.path.with_name(self.path.name + ".ids")
        self._lock = threading.RLock()
        self._reset()
        if self.path.is_file() and self.ids_path.is_file():
            self.index_.load(str(self.path))
            if self.index_.ndim != dim:  # built for another embedder: start over
                self._reset()
            else:
                self.ids_ = self.ids_path.read_text("utf-8").split("\n")[: len(self.index_)]
                self.known_ = set(self.ids_)

    def _reset(self) -> None:
        self.index_ = _usearch()(ndim=self.dim, metric="cos", dtype="i8", connectivity=CONNECTIVITY,
                                 expansion_add=EXPANSION_ADD, expansion_search=EXPANSION_SEARCH)
        self.ids_: list[str] = []
        self.known_: set[str] = set()

    def __len__(self) -> int:
        return len(self.ids_)

    def add(self, ids: Sequence[str], vectors: np.ndarray, threads: int = 0) -> int:
        """Add vectors whose id is not in the index yet; return how many were added."""
        with self._lock:
            fresh = [i for i, pid in enumerate(ids) if pid not in self.known_]
            if not fresh:
                return 0
            keys = np.arange(len(self.ids_), len(self.ids_) + len(fresh), dtype=np.uint64)
            self.index_.add(keys, np.ascontiguousarray(vectors[fresh], dtype=np.float32), threads=threads)
            new_ids = [ids[i] for i in fresh]
            self.ids_ += new_ids
            self.known_.update(new_ids)
            return len(fresh)

    def sync(self, store: EvidenceStore, model: str) -> int:
        """Make the index hold exactly the store's `model` vectors: add the missing ones, or rebuild it
        when it holds ids the store lacks (a replaced store). Returns how many vectors were added."""
        with self._lock:
            if store.embedding_count(model) == len(self):
                return 0
            added = seen = 0
            for ids, vectors in store.iter_embeddings(model):
                added += self.add(ids, vectors)
                seen += len(ids)
            if seen == len(self):
                return added
            self._reset()
            return sum(self.add(ids, vectors) for ids, vectors in store.iter_embeddings(model))

    def search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """Best `k` (passage id, cosine similarity) pairs, best first."""
        with self._lock:
            if not self.ids_ or k <= 0:
                return []
            found = self.index_.search(np.asarray(vector, dtype=np.float32), min(k, len(self.ids_)))
            return [(self.ids_[int(key)], 1.0 - float(dist))
                    for key, dist in zip(found.keys, found.distances, strict=True)]

    def save(self) -> bool:
        """Write the (append-only) id list, then the graph, each atomically: a crash in between leaves
        extra ids, which loading drops, so the pair stays consistent. Returns False (and keeps the
        index in memory only) where the folder is not writable."""
        with self._lock:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                for target, write in ((self.ids_path, lambda p: p.write_text("\n".join(self.ids_), "utf-8")),
                                      (self.path, lambda p: self.index_.save(str(p)))):
                    tmp = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
                    write(tmp)
                    tmp.replace(target)
            except OSError:
                return False
            return True


def open_ann(store: EvidenceStore, model: str, dim: int, *, create: bool = False) -> AnnIndex | None:
    """The store's ANN index for `model`, caught up with the store; None when there is none (and
    `create` is false) or usearch is not installed."""
    path = ann_path(store, model)
    if not usearch_available() or not (create or path.is_file()):
        return None
    ann = AnnIndex(path, dim)
    if ann.sync(store, model):
        ann.save()
    return ann
