"""Spark never writes over an existing output without --overwrite, and replaces one only once the new one is whole."""

from __future__ import annotations

import shutil

import pyarrow.parquet as pq
import pytest

from newsproof.batch.triage import parquet_records
from newsproof.errors import ConfigError

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def session():
    """A local[1] Spark session for this module."""
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("java is not installed")
    from newsproof.batch.spark import spark_session

    spark = spark_session("local[1]")
    yield spark
    spark.stop()


@pytest.fixture()
def one_row(tmp_path, jsonl_writer):
    """One row without text: a per-item error, the cheapest complete result."""
    return jsonl_writer(tmp_path / "in.jsonl", [{"id": "no-text", "text": ""}])


def test_existing_destinations_are_refused_before_any_work(session, one_row, tmp_path):
    from newsproof.batch.spark import run_spark

    parquet = tmp_path / "old.parquet"
    parquet.mkdir()
    (parquet / "part-0.parquet").write_bytes(b"user data")
    jsonl = tmp_path / "old.jsonl"
    jsonl.write_text("user data\n")
    for out in (parquet, jsonl):
        with pytest.raises(ConfigError, match="already exists"):
            run_spark([str(one_row)], str(out), spark=session, progress=False)
    assert (parquet / "part-0.parquet").read_bytes() == b"user data" and jsonl.read_text() == "user data\n"


def test_overwrite_swaps_in_a_complete_output(session, one_row, tmp_path):
    from newsproof.batch.spark import run_spark

    parquet = tmp_path / "results.parquet"
    parquet.mkdir()
    (parquet / "part-0.parquet").write_bytes(b"last week")
    stats = run_spark([str(one_row)], str(parquet), spark=session, overwrite=True, progress=False)
    assert (stats.processed, stats.failed) == (1, 1)
    assert [r["id"] for r in pq.read_table(str(parquet)).to_pylist()] == ["no-text"]
    [record] = parquet_records(parquet)  # what --summary and --reports read back
    assert record["id"] == "no-text" and record["error"]["code"] and record["error"]["message"]
    assert not (tmp_path / "results.parquet.partial").exists()
