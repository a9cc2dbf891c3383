"""Local engine: per-item failures, resume, refusing to overwrite, a store that cannot open."""

from __future__ import annotations

import json

import pytest

from newsproof.batch.output import partial_path
from newsproof.batch.runner import CheckerSettings, run_local
from newsproof.errors import ConfigError, NewsproofError


def test_failures_are_recorded_and_resume_checks_only_new_items(tmp_path, news_excerpts):
    folder = tmp_path / "articles"
    folder.mkdir()
    for row in news_excerpts[:2]:
        (folder / f"{row['id']}.txt").write_text(row["text"], encoding="utf-8")
    (folder / "empty.txt").write_text("   \n")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    out = tmp_path / "results.jsonl"

    stats = run_local([str(folder)], out, workers=1, progress=False)
    assert not partial_path(out).exists(), "renamed into place when done"
    first = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_id = {r["id"]: r for r in first}
    assert stats.processed == 4 and stats.failed == 2
    assert set(by_id) == {"empty.txt", "binary.txt", *(f"{r['id']}.txt" for r in news_excerpts[:2])}
    for bad in ("empty.txt", "binary.txt"):
        assert set(by_id[bad]) == {"id", "error"} and by_id[bad]["error"]["code"] and by_id[bad]["error"]["message"]
    report = by_id[f"{news_excerpts[0]['id']}.txt"]["report"]
    assert report["article"]["text"] and report["claims"], "a real news excerpt yields claims"

    (folder / "new.txt").write_text(news_excerpts[2]["text"], encoding="utf-8")
    with pytest.raises(ConfigError, match="already exists"):
        run_local([str(folder)], out, workers=1, progress=False)
    again = run_local([str(folder)], out, workers=1, resume=True, progress=False)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert (again.processed, again.skipped) == (1, 4)
    assert [json.loads(line) for line in lines[:4]] == first
    assert json.loads(lines[4])["id"] == "new.txt" and "report" in json.loads(lines[4])


def test_unopenable_store_fails_before_any_work(tmp_path, news_excerpts, jsonl_writer):
    source = jsonl_writer(tmp_path / "in.jsonl", news_excerpts[:1])
    settings = CheckerSettings(store_uri=str(tmp_path / "no" / "such" / "store.sqlite"))
    with pytest.raises(NewsproofError):
        run_local([str(source)], tmp_path / "out.jsonl", settings=settings, workers=2, progress=False)
