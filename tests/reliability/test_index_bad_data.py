"""`newsproof index build` on malformed data files: exit 2 with one error line, and the store unchanged
(row counts, content digest and integrity check compared before and after)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from support.hostile import NEWS_EN, NEWSPROOF, Tally, bad_data_files, one_line_error, run_child

BAD = bad_data_files()


def fingerprint(path: Path) -> tuple[str, dict[str, int], str]:
    """(integrity check, row counts, digest of every passage id and text)."""
    with sqlite3.connect(path) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("passages", "entities", "checked_claims", "passages_fts")}
        digest = hashlib.sha256()
        for pid, text in conn.execute("SELECT id, text FROM passages ORDER BY id"):
            digest.update(f"{pid}\x1f{text}\x1e".encode())
    return integrity, counts, digest.hexdigest()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(store with 50 passages, the good data file that filled it)."""
    folder = tmp_path_factory.mktemp("index")
    good = folder / "good.jsonl"
    good.write_text("".join(json.dumps({"id": f"g{n}", "text": f"{NEWS_EN} ({n})"}) + "\n" for n in range(50)))
    store = folder / "store.sqlite"
    outcome = run_child([*NEWSPROOF, "index", "build", str(good), "--store", str(store), "--no-progress"],
                        timeout=120, workdir=folder / "seed")
    assert outcome.returncode == 0, outcome.stderr
    return store, good


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_data_file_is_refused_and_the_store_is_unchanged(name: str, seeded: tuple[Path, Path], tmp_path: Path,
                                                             tally: Tally) -> None:
    store, good = seeded
    before = fingerprint(store)
    bad = tmp_path / name
    bad.write_bytes(BAD[name])
    fresh = tmp_path / "fresh.jsonl"  # new, valid records first: they must not be written either
    fresh.write_text(good.read_text().replace('"id": "g', '"id": "f'))
    outcome = run_child([*NEWSPROOF, "index", "build", str(fresh), str(bad), "--store", str(store), "--no-progress"],
                        timeout=120, workdir=tmp_path / "run")
    tally.record(f"index:{name}", outcome, crashed=outcome.returncode not in (0, 2, None))
    assert one_line_error(outcome), outcome.stderr.decode("utf-8", "replace")[-800:]
    assert name.encode() in outcome.stderr
    assert fingerprint(store) == before
    assert before[0] == "ok" and before[1]["passages"] == before[1]["passages_fts"] == 50
