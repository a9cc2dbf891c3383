"""Same results whatever the engine: sequential (through the CLI), worker processes and Spark local[2]."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from newsproof.batch.triage import parquet_records


@pytest.fixture(scope="module")
def batch_input(tmp_path_factory, news_excerpts, jsonl_writer):
    """Six real dated news excerpts plus one row without text."""
    rows = [{k: r[k] for k in ("id", "date", "title", "url", "text")} for r in news_excerpts[:6]]
    rows.append({"id": "no-text", "date": "2020-01-05", "text": ""})
    return jsonl_writer(tmp_path_factory.mktemp("batch") / "news.jsonl", rows)


@pytest.fixture(scope="module")
def sequential(batch_input, results_loader):
    """Results of `newsproof batch --workers 1 --summary` run as a user would."""
    out, html = batch_input.parent / "sequential.jsonl", batch_input.parent / "summary.html"
    done = subprocess.run([sys.executable, "-c", "from newsproof.cli import main; main()", "batch", str(batch_input),
                           "--out", str(out), "--workers", "1", "--summary", str(html), "--no-progress"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "newsproof batch: 7 articles" in done.stdout and html.read_text().count("<svg") == 5
    return results_loader(out)


def test_sequential_output_has_reports_and_the_failure(sequential):
    assert len(sequential) == 7
    assert sequential["no-text"]["error"]["code"]
    reports = [r["report"] for k, r in sequential.items() if k != "no-text"]
    assert all(r["article"]["date"] for r in reports), "the date column reaches the pipeline"
    assert sum(len(r["claims"]) for r in reports) > 6


def test_worker_processes_match_sequential(batch_input, sequential, results_loader):
    from newsproof.batch.runner import run_local

    out = batch_input.parent / "workers.jsonl"
    stats = run_local([str(batch_input)], out, workers=2, progress=False)
    assert (stats.processed, stats.failed) == (7, 1)
    assert results_loader(out) == sequential
    assert list(results_loader(out)) == list(sequential), "input order, whatever finishes first"


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("java is not installed")
    from newsproof.batch.spark import spark_session

    session = spark_session("local[2]")
    yield session
    session.stop()


@pytest.mark.spark
def test_spark_matches_sequential_jsonl_and_parquet(spark, batch_input, sequential, results_loader):
    from newsproof.batch.spark import run_spark

    out = batch_input.parent / "spark.jsonl"
    stats = run_spark([batch_input.as_uri()], str(out), spark=spark, progress=False)  # read by Spark
    assert (stats.processed, stats.failed) == (7, 1)
    assert results_loader(out) == sequential

    parquet = batch_input.parent / "spark.parquet"
    run_spark([str(batch_input)], str(parquet), spark=spark, progress=False)  # read by the driver
    records = list(parquet_records(parquet))  # what --summary and --reports read back
    assert len(records) == len(sequential)
    for record in records:
        record.get("report", {}).pop("timings_ms", None)  # run-dependent
    assert {r["id"]: r for r in records} == sequential  # full reports, errors with their messages


@pytest.mark.spark
def test_spark_resume_skips_done_ids(spark, batch_input, sequential, results_loader, tmp_path):
    from newsproof.batch.spark import run_spark

    out = tmp_path / "partial.jsonl"
    done = list(sequential)[:4]
    lines = batch_input.parent.joinpath("sequential.jsonl").read_text().splitlines()
    out.write_text("".join(line + "\n" for line in lines if json.loads(line)["id"] in done))
    stats = run_spark([str(batch_input)], str(out), spark=spark, resume=True, progress=False)
    assert (stats.processed, stats.skipped) == (3, 4)
    assert results_loader(out) == sequential
