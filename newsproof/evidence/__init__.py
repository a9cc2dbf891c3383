"""Evidence base: passages, KB entities and checked claims behind one store interface.

`open_store(uri)` accepts "default" (the bundled base, built on first use), a file path or
`sqlite:///path`, or a `postgresql://` URL.
"""

from __future__ import annotations

from newsproof.errors import Errors, StoreError
from newsproof.evidence.protocol import EvidenceStore, Hit, SearchFilters

_PG_SCHEMES = ("postgresql", "postgres")


def open_store(uri: str = "default", *, read_only: bool = False, progress: bool = True) -> EvidenceStore:
    """Open an evidence store by URI; "default" builds the bundled SQLite base on first use."""
    from newsproof.evidence.sqlite_store import SQLiteStore

    if uri == "default":
        from newsproof.evidence.bundle import ensure_default_store

        return SQLiteStore(ensure_default_store(progress=progress), read_only=read_only)
    if "://" not in uri:
        return SQLiteStore(uri, read_only=read_only)
    scheme = uri.split("://", 1)[0].lower()
    if scheme == "sqlite":
        path = uri[len("sqlite:///"):] if uri.startswith("sqlite:///") else uri[len("sqlite://"):]
        return SQLiteStore(path, read_only=read_only)
    if scheme.split("+")[0] in _PG_SCHEMES:
        from newsproof.evidence.postgres_store import PostgresStore

        return PostgresStore(uri, read_only=read_only)
    raise StoreError(Errors.E202.format(scheme=scheme))


__all__ = ["EvidenceStore", "Hit", "SearchFilters", "open_store"]
