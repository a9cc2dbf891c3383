"""The one retrieval stage `check` uses: passages for a query from an evidence store.

`hybrid` (the default) fuses BM25 and dense rankings exactly as `eval retrieval` measures them
(`HybridRetriever`); it needs the store's vectors for the embedder, so a store without them is
searched by BM25 alone, and `mode_` says which ran. `bm25` never loads the embedder.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from newsproof.config import section
from newsproof.errors import ConfigError, Errors
from newsproof.evidence.protocol import Hit, SearchFilters

MODES = ("hybrid", "bm25")
Mode = Literal["hybrid", "bm25"]


class Retriever:
    """Top-k passages per query through one configured method; built light, loaded by `warm_up`."""

    def __init__(self, store: Any, mode: str = "hybrid", embedder: str | None = None) -> None:
        if mode not in MODES:
            raise ConfigError(Errors.E301.format(value=mode, name="verify.retrieval", choices=", ".join(MODES)))
        self.store = store
        self.mode = mode
        self.embedder = embedder
        self.hybrid_: Any = None
        self.mode_: Mode | None = None

    def warm_up(self) -> None:
        """Decide the method the store allows, and load the embedder when it is hybrid."""
        if self.mode_ is not None:
            return
        self.mode_ = "bm25"
        if self.mode == "hybrid":
            from newsproof.evidence.embed import get_embedder
            from newsproof.evidence.hybrid import HybridRetriever

            embedder = get_embedder(self.embedder)
            if self.store.embedding_count(embedder.name) > 0:
                self.hybrid_ = HybridRetriever(self.store, embedder)
                self.hybrid_.warm_up()
                self.mode_ = "hybrid"

    def search(self, query: str, k: int = 10, filters: SearchFilters | None = None) -> list[Hit]:
        """The top `k` passages for one query."""
        self.warm_up()
        if self.hybrid_ is None:
            return self.store.search_passages(query, k, filters)
        return self.hybrid_.search(query, k, filters)

    def search_many(self, queries: Sequence[str], k: int = 10) -> list[list[Hit]]:
        """The top `k` passages for each query, in order."""
        return [self.search(query, k) for query in queries]


def build_retriever(store: Any, config: dict[str, Any]) -> Retriever:
    """The retrieval stage named by the `[verify]` config (`retrieval`, `embedder`; a partial section is completed)."""
    config = section("verify", config)
    return Retriever(store, mode=config["retrieval"], embedder=config["embedder"] or None)
