"""PostgreSQL backend: the shared conformance suite. Needs NEWSPROOF_PG_URL
(start a throwaway server with `export NEWSPROOF_PG_URL="$(scripts/start_test_postgres.sh)"`)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from newsproof.evidence import EvidenceStore, open_store
from newsproof.testing.store_suite import PASSAGES, EvidenceStoreBaseTests, postgres_schema_uri

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
