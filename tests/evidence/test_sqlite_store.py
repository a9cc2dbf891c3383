"""SQLite backend: the shared conformance suite plus SQLite-specific behaviour."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.store_suite import PASSAGES, EvidenceStoreBaseTests

from newsproof.errors import StoreError
from newsproof.evidence import EvidenceStore, open_store
from newsproof.evidence.protocol import WriteCounts
from newsproof.evidence.sqlite_store import SQLiteStore


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
    with pytest.raises(StoreError, match="unknown store URI scheme"):
        open_store("ftp://host/x")
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "missing.sqlite"), read_only=True)
    (tmp_path / "junk.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError):
        open_store(str(tmp_path / "junk.sqlite"))


def test_store_of_schema_1_gains_content_hashes(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite"
    with SQLiteStore(path) as s:
        s.write_passages(PASSAGES)
    with sqlite3.connect(path) as conn:  # what version 1 left behind: no hash columns, insert triggers only
        for trigger in ("passages_ad", "passages_au", "claims_ad", "claims_au"):
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute("DROP INDEX passages_url")
        conn.execute("ALTER TABLE passages DROP COLUMN hash")
        conn.execute("ALTER TABLE checked_claims DROP COLUMN hash")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with SQLiteStore(path) as s:
        assert s.get_meta("schema_version") == "2"
        fixed = PASSAGES[1].model_copy(update={"text": "Mourners gathered in Karbala."})
        assert s.write_passages([*PASSAGES[:1], fixed, *PASSAGES[2:]]) == 1
        assert s.write_counts == WriteCounts(new=0, updated=1, unchanged=len(PASSAGES) - 1)
        assert [h.passage.id for h in s.search_passages("Karbala", k=3)] == [fixed.id]
        assert fixed.id not in [h.passage.id for h in s.search_passages("procession", k=3)]
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO passages_fts(passages_fts) VALUES ('integrity-check')")
        assert conn.execute("SELECT count(*) FROM passages WHERE hash IS NULL").fetchone()[0] == 0
