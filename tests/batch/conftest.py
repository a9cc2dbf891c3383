"""Real articles for the batch tests (skipped when ../shared/data is absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsproof.paths import shared_data_dir


def _jsonl(relative: str) -> list[dict]:
    data = shared_data_dir()
    if data is None or not (data / relative).is_file():
        pytest.skip("shared data not available")
    with (data / relative).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture(scope="session")
def news_excerpts() -> list[dict]:
    """Dated real news excerpts: {id, date, title, url, text, ...}."""
    return _jsonl("news/pages_news_excerpts.jsonl")


@pytest.fixture(scope="session")
def human_articles() -> list[dict]:
    """Human-written news articles from the mgt dev split."""
    return [r for r in _jsonl("mgt/dev.jsonl") if r["label"] == "human"]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    """Write rows as JSONL and return the path."""
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def load_results(path: Path) -> dict[str, dict]:
    """Output records by id, with the run-dependent timings removed."""
    records = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if "report" in record:
            record["report"].pop("timings_ms", None)
        assert record["id"] not in records, f"duplicate id {record['id']}"
        records[record["id"]] = record
    return records


@pytest.fixture(scope="session")
def jsonl_writer():
    """The `write_jsonl` helper."""
    return write_jsonl


@pytest.fixture(scope="session")
def results_loader():
    """The `load_results` helper."""
    return load_results
