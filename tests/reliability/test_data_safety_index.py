"""Data safety on the evidence side: nothing a user indexed is lost when `index build` is killed and run
again over an existing store, when the bundled evidence base is rebuilt beside a user's store, or when
changed records are indexed again. Every record the user wrote is checked by id and text after each
operation; the closing summary line counts the operations tried and the records lost (must be 0).
Needs no shared data: the inputs are written here."""

from __future__ import annotations

import contextlib
import gzip
import json
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.hostile import NEWSPROOF, run_child

from newsproof.evidence.bundle import ensure_default_store, owned_stores
from newsproof.evidence.loaders.indexer import BATCH
from newsproof.evidence.sqlite_store import SQLiteStore

SEED = 21
KILL_ROUNDS = 4
RECORDS = 6 * BATCH
TALLY = {"operations": 0, "lost": 0}


@pytest.fixture(scope="module", autouse=True)
def summary(request: pytest.FixtureRequest) -> Iterator[None]:
    """Print the data-safety summary line once the module's tests ran."""
    yield
    line = f"data-safety(index): operations tried {TALLY['operations']}, records lost {TALLY['lost']}"
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        print(f"\n{line}")


def _rows(n: int, prefix: str, tag: str = "") -> dict[str, str]:
    return {f"{prefix}{i}": f"{prefix} report {i}{tag}: the council of town {i % 89} voted on the budget."
            for i in range(n)}


def _write(path: Path, rows: dict[str, str]) -> Path:
    path.write_text("".join(json.dumps({"id": pid, "text": text, "date": "2021-03-04"}) + "\n"
                            for pid, text in rows.items()))
    return path


def _stored(db: Path) -> dict[str, str]:
    if not db.is_file():
        return {}
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return dict(conn.execute("SELECT id, text FROM passages"))


def _lost(expected: dict[str, str], db: Path) -> int:
    """Records of `expected` missing from the store or held with other text."""
    stored = _stored(db)
    return sum(1 for pid, text in expected.items() if stored.get(pid) != text)


def _count(lost: int) -> None:
    TALLY["operations"] += 1
    TALLY["lost"] += lost
    assert lost == 0


def _build(db: Path, data: Path, workdir: Path, timeout: float = 300):  # noqa: ANN202 - an Outcome
    return run_child([*NEWSPROOF, "index", "build", str(data), "--store", str(db), "--no-progress"],
                     timeout=timeout, workdir=workdir)


def test_killed_builds_over_an_existing_store_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite"
    mine = _rows(3000, "mine")
    assert _build(db, _write(tmp_path / "mine.jsonl", mine), tmp_path / "seed").returncode == 0
    _count(_lost(mine, db))
    big = _rows(RECORDS, "wire")
    data = _write(tmp_path / "wire.jsonl", big)
    clean = _build(tmp_path / "clean.sqlite", data, tmp_path / "clean")
    assert clean.returncode == 0, clean.stderr[-1500:]
    rng = random.Random(SEED)
    for round_no in range(KILL_ROUNDS):
        outcome = _build(db, data, tmp_path / f"kill{round_no}", timeout=rng.uniform(0.5, clean.seconds * 0.8))
        _count(_lost(mine, db))  # the user's earlier records survive every kill
        stored = _stored(db)
        assert all(stored[pid] == big[pid] for pid in big if pid in stored)  # whatever was written is whole
        print(f"round {round_no}: exit {outcome.returncode}, {sum(pid in stored for pid in big)} of {RECORDS}")
    final = _build(db, data, tmp_path / "final")
    assert final.returncode == 0, final.stderr[-1500:]
    _count(_lost({**mine, **big}, db))
    assert len(_stored(db)) == len(mine) + len(big)


def test_changed_records_are_updated_even_after_a_kill(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite"
    rows = _rows(3 * BATCH, "wire")
    data = _write(tmp_path / "wire.jsonl", rows)
    first = _build(db, data, tmp_path / "first")
    assert first.returncode == 0, first.stderr[-1500:]
    changed = {pid: text.replace("voted on", "rejected") for pid, text in list(rows.items())[::7]}
    rows.update(changed)
    _write(data, rows)
    killed = _build(db, data, tmp_path / "killed", timeout=first.seconds * 0.5)
    _count(_lost({pid: t for pid, t in rows.items() if pid not in changed}, db))  # unchanged ones stay
    again = _build(db, data, tmp_path / "again")
    assert again.returncode == 0, again.stderr[-1500:]
    _count(_lost(rows, db))  # every correction is in, nothing else changed
    print(f"killed re-index exited {killed.returncode}; corrections: {len(changed)}")
    with SQLiteStore(db, read_only=True) as store:
        assert {h.passage.id for h in store.search_passages("rejected", k=len(changed) + 5)} == set(changed)


def test_bundle_rebuild_beside_user_stores_loses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("NEWSPROOF_HOME", str(home))
    mine = _rows(500, "mine")
    user_stores = [home / "evidence-mine.sqlite", home / "evidence-0123456789ab.sqlite"]
    for db in user_stores:
        assert _build(db, _write(tmp_path / "mine.jsonl", mine), tmp_path / db.stem).returncode == 0
    built = []
    for version in range(3):
        data = tmp_path / f"bundle{version}"
        data.mkdir()
        with gzip.open(data / "tiny.passages.jsonl.gz", "wt") as fh:
            fh.write(json.dumps({"id": "b1", "text": f"bundle version {version}"}) + "\n")
        built.append(ensure_default_store(progress=False, data_dir=data))
        for db in user_stores:
            _count(_lost(mine, db))
        assert owned_stores(home) == [built[-1].name]
        assert [p for p in built if p.exists()] == [built[-1]]
