"""PostgreSQL backend: the shared conformance suite. Needs NEWSPROOF_PG_URL
(start a throwaway server with `export NEWSPROOF_PG_URL="$(scripts/start_test_postgres.sh)"`)."""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Iterator

import pytest
from support.store_suite import PASSAGES, EvidenceStoreBaseTests, postgres_schema_uri

from newsproof.errors import StoreError
from newsproof.evidence import EvidenceStore, open_store
from newsproof.evidence.bundle import bundle_files
from newsproof.evidence.loaders import load_file
from newsproof.evidence.protocol import WriteCounts
from newsproof.models import Passage

PG_URL = os.environ.get("NEWSPROOF_PG_URL")
pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="NEWSPROOF_PG_URL is not set")]


@pytest.fixture
def schema_uri() -> Iterator[str]:
    """A URI whose search_path is a fresh schema, dropped afterwards."""
    pytest.importorskip("psycopg")
    assert PG_URL is not None
    with postgres_schema_uri(PG_URL) as uri:
        yield uri


class TestPostgresStore(EvidenceStoreBaseTests):
    @pytest.fixture
    def store(self, schema_uri: str) -> Iterator[EvidenceStore]:
        s = open_store(schema_uri)
        yield s
        s.close()


def test_reopening_keeps_data_and_schema_is_idempotent(schema_uri: str) -> None:
    first = open_store(schema_uri)
    first.write_passages(PASSAGES)
    first.close()
    again = open_store(schema_uri)
    assert again.stats()["passages"] == len(PASSAGES)
    assert again.write_passages(PASSAGES) == 0
    again.close()


def _terms_disagree(uri: str) -> list[tuple]:
    """Rows where passage_terms or the passage count differ from a recount over the passages."""
    import psycopg

    with psycopg.connect(uri) as conn:
        return conn.execute(
            "(SELECT lexeme, ndoc FROM passage_terms EXCEPT SELECT u.lexeme, count(*) FROM passages, unnest(tsv) u "
            "GROUP BY u.lexeme) UNION ALL (SELECT u.lexeme, count(*) FROM passages, unnest(tsv) u GROUP BY u.lexeme "
            "EXCEPT SELECT lexeme, ndoc FROM passage_terms) UNION ALL (SELECT 'count', value::bigint FROM np_meta "
            "WHERE key = 'passages' EXCEPT SELECT 'count', count(*) FROM passages)").fetchall()


def _kb_passages(n: int) -> list[Passage]:
    path = next(p for p in bundle_files() if p.name == "kb.passages.jsonl.gz")
    return [p for p in itertools.islice(load_file(path), n) if isinstance(p, Passage)]


def test_concurrent_writers_and_a_failed_write_keep_term_statistics_exact(schema_uri: str) -> None:
    records = _kb_passages(6000)
    open_store(schema_uri).close()
    stores = [open_store(schema_uri) for _ in range(2)]
    try:
        writers = [threading.Thread(target=s.write_passages, args=(part,))
                   for s, part in zip(stores, (records[:4000], records[2000:]), strict=True)]
        for w in writers:
            w.start()
        for w in writers:
            w.join(60)
        assert stores[0].stats()["passages"] == len({p.id for p in records})

        def broken() -> Iterator[Passage]:  # fails after a first batch of new passages was inserted
            yield from (Passage(id=f"p-new-{i}", text=f"A new passage {i} about Kirkuk.") for i in range(6000))
            raise RuntimeError("loader crashed")

        with pytest.raises(RuntimeError):
            stores[0].write_passages(broken())
        assert _terms_disagree(schema_uri) == []
    finally:
        for s in stores:
            s.close()


def test_store_from_before_term_statistics_is_backfilled_by_a_writable_open(schema_uri: str) -> None:
    import psycopg

    store = open_store(schema_uri)
    store.write_passages(_kb_passages(1000))
    expected = store.search_passages("shelling Aleppo civilians killed", k=5)
    store.close()
    with psycopg.connect(schema_uri, autocommit=True) as conn:  # what an older version left behind
        conn.execute("DROP TABLE passage_terms")
        conn.execute("DELETE FROM np_meta WHERE key IN ('passages', 'passage_terms')")
    with pytest.raises(StoreError, match="predates term statistics"):
        open_store(schema_uri, read_only=True)
    open_store(schema_uri).close()
    assert _terms_disagree(schema_uri) == []
    reader = open_store(schema_uri, read_only=True)
    try:
        assert reader.search_passages("shelling Aleppo civilians killed", k=5) == expected
    finally:
        reader.close()


def test_upserts_and_deletes_keep_term_statistics_exact(schema_uri: str) -> None:
    records = _kb_passages(3000)
    store = open_store(schema_uri)
    try:
        store.write_passages(records)
        edited = [p.model_copy(update={"text": p.text.replace("killed", "wounded") + " Zebrafishxyz."})
                  for p in records[:2500:5]]
        assert store.write_passages([*edited, *records[2500:]]) == len(edited)
        assert store.delete_passages([p.id for p in records[1:2000:7]]) == len(records[1:2000:7])
        assert _terms_disagree(schema_uri) == []
    finally:
        store.close()


def test_store_of_schema_1_gains_content_hashes(schema_uri: str) -> None:
    import psycopg

    store = open_store(schema_uri)
    store.write_passages(PASSAGES)
    store.close()
    with psycopg.connect(schema_uri, autocommit=True) as conn:  # what version 1 left behind
        conn.execute("ALTER TABLE passages DROP COLUMN hash")
        conn.execute("ALTER TABLE checked_claims DROP COLUMN hash")
        conn.execute("UPDATE np_meta SET value = '1' WHERE key = 'schema_version'")
    store = open_store(schema_uri)
    try:
        assert store.get_meta("schema_version") == "2"
        fixed = PASSAGES[1].model_copy(update={"text": "Mourners gathered in Karbala."})
        assert store.write_passages([*PASSAGES[:1], fixed, *PASSAGES[2:]]) == 1
        assert store.write_counts == WriteCounts(new=0, updated=1, unchanged=len(PASSAGES) - 1)
        assert store.get_passages([fixed.id]) == [fixed]
        assert _terms_disagree(schema_uri) == []
        with psycopg.connect(schema_uri) as conn:  # unchanged rows were hashed on the way
            assert conn.execute("SELECT count(*) FROM passages WHERE hash IS NULL").fetchone()[0] == 0
    finally:
        store.close()
