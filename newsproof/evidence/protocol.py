"""The one interface every evidence-store backend satisfies (structurally, no inheritance).

Backends: `newsproof.evidence.sqlite_store.SQLiteStore` (embedded default) and
`newsproof.evidence.postgres_store.PostgresStore` (teams). Open one with
`newsproof.evidence.open_store(uri)`. Behaviour is pinned by the shared conformance
suite in `tests/support/store_suite.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from newsproof.models import CheckedClaim, Entity, Passage

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class SearchFilters:
    """Restrict a search. Dates are ISO strings compared lexically (YYYY[-MM[-DD]])."""

    date_from: str | None = None
    date_to: str | None = None
    sources: Sequence[str] = ()
    kinds: Sequence[str] = ()


@dataclass(frozen=True)
class Hit:
    """A search result: the record and its score (higher is better)."""

    passage: Passage
    score: float
    rank: int = 0
    scores: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class WriteCounts:
    """Records written, by outcome: new ids, changed records of known ids, and records already stored as given."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: WriteCounts) -> WriteCounts:
        return WriteCounts(self.new + other.new, self.updated + other.updated, self.unchanged + other.unchanged)

    def __sub__(self, other: WriteCounts) -> WriteCounts:
        return WriteCounts(self.new - other.new, self.updated - other.updated, self.unchanged - other.unchanged)

    @property
    def changed(self) -> int:
        """New plus updated records."""
        return self.new + self.updated


WRITE_TABLES = ("passages", "entities", "checked_claims")


@runtime_checkable
class EvidenceStore(Protocol):
    """Evidence base: passages (lexical + dense search), KB entities, checked claims.

    Writes upsert by id: a passage or checked claim whose id is stored with the same content
    (a content hash) is left alone, one whose content changed is replaced (a changed passage
    loses its stale vectors, so `passages_missing_embeddings` lists it again), and entities merge
    by id. Re-indexing the same data therefore changes nothing. Every write call is one
    transaction: a crash mid-way leaves the store as it was before the call. `write_counts` and
    `table_write_counts` add up the committed writes of this connection.
    """

    uri: str

    @property
    def write_counts(self) -> WriteCounts:
        """New / updated / unchanged records written through this connection, all tables together."""
        ...

    @property
    def table_write_counts(self) -> dict[str, WriteCounts]:
        """The same per table: passages, entities, checked_claims."""
        ...

    def write_passages(self, passages: Iterable[Passage]) -> int:
        """Upsert passages by id (the last of repeated ids wins); return how many were new or changed."""
        ...

    def delete_passages(self, ids: Sequence[str]) -> int:
        """Remove passages with their search entries and vectors; return how many existed."""
        ...

    def passage_ids_for_url(self, url: str) -> list[str]:
        """Ids of the passages whose url is exactly `url`, sorted."""
        ...

    def write_entities(self, entities: Iterable[Entity]) -> int:
        """Insert or merge (by id) KB entities; return how many were new."""
        ...

    def write_checked_claims(self, claims: Iterable[CheckedClaim]) -> int:
        """Upsert previously fact-checked claims by id; return how many were new or changed."""
        ...

    def get_meta(self, key: str) -> str | None:
        """A value of the store's key-value table (checkpoints and counters)."""
        ...

    def set_meta(self, key: str, value: str | None) -> None:
        """Set (or, with None, remove) a key of the store's key-value table."""
        ...

    def search_passages(self, query: str, k: int = 10, filters: SearchFilters | None = None) -> list[Hit]:
        """Lexical (BM25) search over passages."""
        ...

    def write_embeddings(self, items: Iterable[tuple[str, Sequence[float]]], model: str) -> int:
        """Store dense vectors (float32, L2-normalised) for passage ids, tagged with the model name."""
        ...

    def passages_missing_embeddings(self, model: str, limit: int = 1000) -> list[Passage]:
        """Passages that have no vector for `model` yet (for incremental embedding)."""
        ...

    def iter_embeddings(self, model: str, batch_size: int = 10_000) -> Iterator[tuple[list[str], np.ndarray]]:
        """Every vector of `model` as (passage ids, float32 matrix) batches, in passage-id order
        (for building an ANN index or the in-memory matrix; holds no lock between batches)."""
        ...

    def embedding_count(self, model: str) -> int:
        """How many vectors `model` has; cheap (a counter), so callers may check it per query."""
        ...

    def search_dense(
        self, vector: Sequence[float], model: str, k: int = 10, filters: SearchFilters | None = None
    ) -> list[Hit]:
        """Nearest passages by cosine similarity among vectors of `model`."""
        ...

    def get_passages(self, ids: Sequence[str]) -> list[Passage]:
        """Fetch passages by id (unknown ids are left out)."""
        ...

    def get_entity(self, entity_id: str) -> Entity | None:
        """Fetch one KB entity by id."""
        ...

    def find_entities(self, name: str, limit: int = 20) -> list[Entity]:
        """KB entities whose name or alias matches `name` exactly (case/accent-insensitive)
        or by token prefix; candidates for entity linking."""
        ...

    def search_checked_claims(self, query: str, k: int = 10) -> list[tuple[CheckedClaim, float]]:
        """Lexical search over previously checked claims."""
        ...

    def stats(self) -> dict[str, int]:
        """Counts per table: passages, entities, checked_claims."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...
