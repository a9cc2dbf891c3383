"""`index build` over an existing store: changed records are updated, a crashed run resumes from its
per-file checkpoints (reading fewer records than a restart), and `index search` shows what is stored.
Needs no shared data: the inputs are written here."""

from __future__ import annotations

import csv
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsproof.evidence import open_store
from newsproof.evidence.loaders.checkpoint import KEY_PREFIX, Checkpoints
from newsproof.evidence.loaders.indexer import BATCH, index_paths
from newsproof.evidence.protocol import WriteCounts
from newsproof.evidence.sqlite_store import SQLiteStore

NEWSPROOF = Path(sys.executable).with_name("newsproof")
N = 2 * BATCH + 1234  # three batches


def _rows(n: int, tag: str = "") -> list[dict]:
    return [{"id": f"n{i}", "text": f"Report {i}{tag}: the council of town {i % 97} met about water prices.",
             "date": f"2020-{1 + i % 12:02d}-01", "url": f"https://news.example/{i // 3}"} for i in range(n)]


def _write(path: Path, rows: list[dict]) -> Path:
    if path.name.endswith(".csv"):
        with path.open("w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        return path
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as fh:
        fh.write("".join(json.dumps(r) + "\n" + ("\n" if i % 1000 == 7 else "") for i, r in enumerate(rows)))
    return path


def _content(path: Path) -> list[tuple]:
    with SQLiteStore(path, read_only=True) as store:
        return store._rows("SELECT id, text, title, source, url, date, kind FROM passages ORDER BY id")


class Crash(Exception):
    """Stands for a kill: raised by the store after some batches were committed."""


def _crash_after(store: SQLiteStore, batches: int) -> None:
    real = store.write_passages
    calls = [0]

    def write(passages):  # noqa: ANN001, ANN202 - stands in for the method
        calls[0] += 1
        if calls[0] > batches:
            raise Crash
        return real(passages)

    store.write_passages = write  # type: ignore[method-assign]


@pytest.mark.parametrize("name", ["news.jsonl", "news.jsonl.gz", "news.csv"])
def test_crashed_build_resumes_from_its_checkpoint(tmp_path: Path, name: str) -> None:
    data = _write(tmp_path / name, _rows(N))
    field_map = "text=text,url=url,date=date" if name.endswith(".csv") else None
    clean = index_paths(SQLiteStore(tmp_path / "clean.sqlite"), [data], field_map, progress=False)
    assert clean.records_read == 2 * N  # validation pass + writing pass
    store = SQLiteStore(tmp_path / "s.sqlite")
    _crash_after(store, 2)
    with pytest.raises(Crash):
        index_paths(store, [data], field_map, progress=False)
    assert store.stats()["passages"] == 2 * BATCH
    saved = Checkpoints(store, field_map).load(data)
    assert saved.records == 2 * BATCH and not saved.done
    assert (saved.offset is not None) == (".jsonl" in name)  # JSON Lines resume by byte offset
    store.close()
    store = SQLiteStore(tmp_path / "s.sqlite")
    resumed = index_paths(store, [data], field_map, progress=False)
    assert resumed.resumed == {name: 2 * BATCH}
    assert resumed.counts["passages"] == WriteCounts(new=N - 2 * BATCH)
    if ".jsonl" in name:  # seeks to the line of the last written record: reads it and the rest, twice
        assert resumed.records_read == 2 * (N - 2 * BATCH + 1)
    else:  # other formats skip the written records without writing them
        assert resumed.records_read == 2 * N
    assert resumed.records_read < clean.records_read or ".jsonl" not in name
    assert store._rows(f"SELECT count(*) FROM meta WHERE key LIKE '{KEY_PREFIX}%'") == [(0,)]  # finished: cleared
    store.close()
    assert _content(tmp_path / "s.sqlite") == _content(tmp_path / "clean.sqlite")


def test_resume_mid_line_and_after_finished_files(tmp_path: Path) -> None:
    """A line yielding several records (a Wikipedia excerpt: one passage per paragraph) cut by a batch
    boundary resumes on that line without losing or repeating records; finished files are not read."""
    later = _write(tmp_path / "later.jsonl", _rows(50, " (later file)"))
    wiki = tmp_path / "kb" / "wikipedia" / "excerpts.jsonl"  # indexed first (richer sources first)
    wiki.parent.mkdir(parents=True)
    wiki.write_text("".join(json.dumps({"id": f"w{i}", "title": f"Town {i}", "text": "\n".join(
        f"Paragraph {j} of article {i}." for j in range(7))}) + "\n" for i in range(2000)))
    clean = SQLiteStore(tmp_path / "clean.sqlite")
    index_paths(clean, [later, wiki], progress=False)
    clean.close()
    for crash_after, resumed_at, expected_read in ((2, {"excerpts.jsonl": 2 * BATCH}, 2 * (14_000 - 2 * BATCH + 4 + 50)),
                                                   (3, {"excerpts.jsonl": 14_000}, 2 * 50)):
        path = tmp_path / f"s{crash_after}.sqlite"
        store = SQLiteStore(path)
        _crash_after(store, crash_after)
        with pytest.raises(Crash):
            index_paths(store, [later, wiki], progress=False)
        state = Checkpoints(store).load(wiki)
        if crash_after == 2:  # 10,000 passages = 1,428 whole lines and 4 of line 1,429's 7
            assert (state.records, state.line, state.skip, state.done) == (2 * BATCH, 1429, 4, False)
        else:
            assert state.done and Checkpoints(store).load(later).records == 0
        store.close()
        store = SQLiteStore(path)
        resumed = index_paths(store, [later, wiki], progress=False)
        assert resumed.resumed == resumed_at
        assert resumed.records_read == expected_read  # the cut line is read again, its first 4 skipped
        assert resumed.counts["passages"].new == 14_050 - sum(resumed_at.values())
        store.close()
        assert _content(path) == _content(tmp_path / "clean.sqlite")


def test_changed_file_is_read_again_from_the_start(tmp_path: Path) -> None:
    data = _write(tmp_path / "news.jsonl", _rows(N))
    store = SQLiteStore(tmp_path / "s.sqlite")
    _crash_after(store, 1)
    with pytest.raises(Crash):
        index_paths(store, [data], progress=False)
    store.close()
    _write(data, _rows(N, " (corrected)"))
    os.utime(data, ns=(1, 1))
    store = SQLiteStore(tmp_path / "s.sqlite")
    again = index_paths(store, [data], progress=False)
    assert again.resumed == {} and again.records_read == 2 * N
    assert again.counts["passages"] == WriteCounts(new=N - BATCH, updated=BATCH)
    assert all("(corrected)" in p.text for p in store.get_passages(["n0", f"n{N - 1}"]))
    store.close()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(NEWSPROOF), "index", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "COLUMNS": "200"})


def test_build_summary_counts_updates_and_search_shows_them(tmp_path: Path) -> None:
    db = str(tmp_path / "s.sqlite")
    rows = _rows(40)
    rows[5]["text"] = "The mayor of Springfield resigned after the audit."
    data = _write(tmp_path / "news.jsonl", rows)
    claims = tmp_path / "claims.jsonl"
    claims.write_text(json.dumps({"id": "c1", "claim": "The mayor of Springfield resigned", "label": "true"}) + "\n")
    first = _cli("build", str(data), "--store", db, "--no-progress")
    assert first.returncode == 0, first.stderr
    assert "│ passages       │  40 │       0 │         0 │    40 │" in first.stdout
    rows[5]["text"] = "Correction: the mayor of Springfield did not resign; the audit cleared her."
    _write(data, rows)
    second = _cli("build", str(data), str(claims), "--store", db, "--no-progress", "--map", "claim=claim,label=label")
    assert second.returncode == 0, second.stderr
    assert "│ passages       │   0 │       1 │        39 │    40 │" in second.stdout
    assert "│ checked_claims │   1 │       0 │         0 │     1 │" in second.stdout
    assert "records read: " in second.stdout
    found = _cli("search", "mayor Springfield resign", "--store", db, "--json", "-k", "3")
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)
    assert hits[0]["id"] == "n5" and hits[0]["text"].startswith("Correction:") and hits[0]["kind"] == "news"
    assert [h["kind"] for h in hits] == ["news", "checked"]  # passages first, then checked claims
    checked = json.loads(_cli("search", "mayor", "--store", db, "--json", "--kind", "checked").stdout)
    assert [(h["id"], h["kind"], h["verdict"]) for h in checked] == [("c1", "checked", "SUPPORTED")]
    assert json.loads(_cli("search", "mayor", "--store", db, "--json", "--kind", "kb").stdout) == []
    table = _cli("search", "audit", "--store", db, "--kind", "news")
    assert table.returncode == 0 and "n5" in table.stdout and "2020-06-01" in table.stdout
    for bad in (["   "], ["mayor", "--kind", "blogs"], ["mayor", "-k", "0"]):
        refused = _cli("search", *bad, "--store", db)
        assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
        assert refused.stderr.startswith("newsproof: error:")
    with open_store(db, read_only=True) as store:
        assert store.passage_ids_for_url("https://news.example/1") == ["n3", "n4", "n5"]
