"""Indexing data into stores: idempotent re-index, bad files, and the `newsproof index` CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsproof.errors import InputError
from newsproof.evidence import open_store
from newsproof.evidence.loaders import expand_paths, load_file
from newsproof.evidence.loaders.indexer import index_paths
from newsproof.models import CheckedClaim, Entity, Passage

NEWSPROOF = Path(sys.executable).with_name("newsproof")
TABLES = {Passage: "passages", Entity: "entities", CheckedClaim: "checked_claims"}
SUBSET = ["kb/events.jsonl", "kb/wikipedia", "news/pages_news_excerpts.jsonl", "claims/averitec/data.jsonl"]


def test_reindex_adds_nothing(shared: Path, tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "s.sqlite"))
    paths = [shared / rel for rel in SUBSET]
    unique: dict[str, set[str]] = {"passages": set(), "entities": set(), "checked_claims": set()}
    for path in expand_paths(paths):
        for rec in load_file(path):
            unique[TABLES[type(rec)]].add(rec.id)
    first = index_paths(store, paths, progress=False)
    assert first.added() == {table: len(ids) for table, ids in unique.items()}
    assert first.added()["checked_claims"] == 395 and first.added()["passages"] > 1000
    again = index_paths(store, paths, progress=False)
    for table, ids in unique.items():  # an entity met in two files is written (unchanged) twice
        assert again.counts[table].changed == 0 and again.counts[table].unchanged >= len(ids), table
    kh = store.find_entities("Kata'ib Hezbollah")[0]  # from an event actor and a Wikipedia infobox: merged
    assert kh.inception == "2003-10" and set(kh.source.split(",")) == {"wikipedia", "events"}
    store.close()


def test_bad_file_leaves_store_unchanged(shared: Path, tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "s.sqlite"))
    index_paths(store, [shared / "kb/events.jsonl"], progress=False)
    before = store.stats()
    bad = tmp_path / "news.jsonl"
    bad.write_text('{"id": "n1", "text": "fine", "date": "2020-01-01"}\n{"id": "n2", "text": \n')
    with pytest.raises(InputError, match="news.jsonl:2"):
        index_paths(store, [shared / "news/pages_news_excerpts.jsonl", bad], progress=False)
    assert store.stats() == before
    store.close()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(NEWSPROOF), "index", *args], capture_output=True, text=True, timeout=120)


def test_index_cli(shared: Path, tmp_path: Path) -> None:
    db = tmp_path / "cli.sqlite"
    data = [str(shared / "kb/events.jsonl"), str(shared / "news/pages_news_excerpts.jsonl")]
    first = _cli("build", *data, "--store", str(db))
    assert first.returncode == 0, first.stderr
    assert "passages" in first.stdout and "│  20 │       0 │         0 │    20 │" in first.stdout
    again = _cli("build", *data, "--store", f"sqlite:///{db}", "--no-progress")
    assert again.returncode == 0 and "│   0 │       0 │        20 │    20 │" in again.stdout
    stats = _cli("stats", "--store", str(db))
    assert stats.returncode == 0 and "entities" in stats.stdout and "14" in stats.stdout
    csv_file = tmp_path / "a.csv"
    csv_file.write_text("body,headline\nsome text,a title\n")
    missing_map = _cli("build", str(csv_file), "--store", str(db), "--no-progress")
    assert missing_map.returncode == 2 and "--map text=COLUMN" in missing_map.stderr
    assert "Traceback" not in missing_map.stderr
    mapped = _cli("build", str(csv_file), "--store", str(db), "--map", "text=body,title=headline", "--no-progress")
    assert mapped.returncode == 0 and "│   1 │       0 │         0 │    21 │" in mapped.stdout
    unknown = _cli("stats", "--store", "mysql://x/y")
    assert unknown.returncode != 0 and "unknown store URI scheme" in unknown.stderr
