"""SQLite backend: the shared conformance suite plus SQLite-specific behaviour."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsproof.errors import StoreError
from newsproof.evidence import EvidenceStore, open_store
from newsproof.evidence.sqlite_store import SQLiteStore
from newsproof.testing.store_suite import PASSAGES, EvidenceStoreBaseTests


class TestSQLiteStore(EvidenceStoreBaseTests):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[EvidenceStore]:
        s = open_store(str(tmp_path / "store.sqlite"))
        yield s
        s.close()


def test_uri_forms_open_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    with SQLiteStore(path) as s:
        s.write_passages(PASSAGES[:2])
    for uri in (str(path), f"sqlite:///{path}"):
        reopened = open_store(uri, read_only=True)
        assert isinstance(reopened, SQLiteStore) and reopened.stats()["passages"] == 2
        reopened.close()


def test_wal_mode_and_errors(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "w.sqlite") as s:
        assert s._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with pytest.raises(StoreError, match="NP200"):
        open_store("ftp://host/x")
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "missing.sqlite"), read_only=True)
    (tmp_path / "junk.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError):
        open_store(str(tmp_path / "junk.sqlite"))
