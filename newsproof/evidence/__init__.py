"""Evidence base: passages, KB entities and checked claims behind one store interface.

`open_store(uri)` accepts "default" (the bundled base, built on first use), a file path or
`sqlite:///path`, or a `postgresql://` URL; `STORES` maps each URI scheme to its backend.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from newsproof.errors import Errors, StoreError
from newsproof.evidence.protocol import EvidenceStore, Hit, SearchFilters
from newsproof.registry import Registry

if TYPE_CHECKING:
    from newsproof.evidence.loaders.indexer import IndexResult

_PG_SCHEMES = ("postgresql", "postgres")  # these also take a driver suffix: postgresql+psycopg://

STORES: Registry[EvidenceStore] = Registry("store scheme", error=lambda scheme: StoreError(Errors.E202.format(scheme=scheme)))


@STORES.register("sqlite")
def _sqlite(uri: str, *, read_only: bool) -> EvidenceStore:
    from newsproof.evidence.sqlite_store import SQLiteStore

    path = uri[len("sqlite:///"):] if uri.startswith("sqlite:///") else uri[len("sqlite://"):]
    return SQLiteStore(path, read_only=read_only)


@STORES.register("postgresql", aliases=("postgres",))
def _postgres(uri: str, *, read_only: bool) -> EvidenceStore:
    from newsproof.evidence.postgres_store import PostgresStore

    return PostgresStore(uri, read_only=read_only)


def open_store(uri: str = "default", *, read_only: bool = False, progress: bool = True) -> EvidenceStore:
    """Open an evidence store by URI; "default" builds the bundled SQLite base on first use."""
    from newsproof.evidence.sqlite_store import SQLiteStore

    if uri == "default":
        from newsproof.evidence.bundle import ensure_default_store

        return SQLiteStore(ensure_default_store(progress=progress), read_only=read_only)
    if "://" not in uri:
        return SQLiteStore(uri, read_only=read_only)
    scheme = uri.split("://", 1)[0].lower()
    base = scheme.split("+")[0]
    return STORES.get(base if base in _PG_SCHEMES else scheme, uri, read_only=read_only)


def build_index(uri: str, paths: Iterable[str | Path], field_map: str | None = None,
                *, progress: bool = True) -> tuple[IndexResult, dict[str, int]]:
    """Open the store at `uri`, index `paths` into it; return (what the run did, store stats)."""
    from newsproof.evidence.loaders.indexer import index_paths

    store = open_store(uri, progress=progress)
    try:
        result = index_paths(store, paths, field_map, progress=progress)
        return result, store.stats()
    finally:
        store.close()


def store_stats(uri: str) -> dict[str, int]:
    """Row counts of the store at `uri` (opened read-only)."""
    store = open_store(uri, read_only=True)
    try:
        return store.stats()
    finally:
        store.close()


__all__ = ["STORES", "EvidenceStore", "Hit", "SearchFilters", "build_index", "open_store", "store_stats"]
