"""`newsproof index build` killed with SIGKILL at random points: the store still opens, passes an
integrity check, answers queries, holds only whole batches, and a re-run ends equal to a clean build,
resuming from its checkpoints (it reads fewer records than a restart).
Readers keep working while a writer indexes."""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from support.hostile import NEWSPROOF, Tally, run_child
from support.store_suite import postgres_schema_uri

from newsproof.errors import StoreError
from newsproof.evidence import open_store
from newsproof.evidence.loaders.checkpoint import Checkpoints
from newsproof.evidence.loaders.indexer import BATCH
from newsproof.paths import shared_data_dir

KILL_ROUNDS = 5
SEED = 9
PG_URL = os.environ.get("NEWSPROOF_PG_URL")
DATA = shared_data_dir()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(DATA is None, reason="shared data folder not found")]


@pytest.fixture(scope="module")
def data_file() -> Path:
    """A real news file (~21k passages, several seconds to index)."""
    assert DATA is not None
    return DATA / "news" / "reuters21578.jsonl"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_uri(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store: a SQLite file, or a fresh PostgreSQL schema when NEWSPROOF_PG_URL is set."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.sqlite")
        return
    if not PG_URL:
        pytest.skip("NEWSPROOF_PG_URL is not set")
    pytest.importorskip("psycopg")
    with postgres_schema_uri(PG_URL, prefix="np_rel") as uri:
        yield uri


def build(uri: str, data: Path, workdir: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the real CLI to completion."""
    outcome = run_child([*NEWSPROOF, "index", "build", str(data), "--store", uri, "--no-progress"],
                        timeout=timeout, workdir=workdir)
    assert outcome.returncode == 0, outcome.stderr[-2000:]
    return outcome


def sqlite_tables(path: str) -> set[str]:
    """Table names in a SQLite file; none when the file is missing (killed before the store was created)."""
    if not Path(path).is_file():
        return set()
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def check_store(uri: str) -> dict[str, int]:
    """Open the store, run its integrity checks and a query; return its row counts. A SQLite file has its
    whole schema or none (a kill before the schema committed); the store must open either way."""
    tables = sqlite_tables(uri) if "://" not in uri else set()
    if tables:
        assert {"meta", "passages", "passages_fts", "entities", "checked_claims", "claims_fts"} <= tables, tables
        with sqlite3.connect(uri) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            conn.execute("INSERT INTO passages_fts(passages_fts) VALUES ('integrity-check')")
            passages, fts = conn.execute("SELECT (SELECT count(*) FROM passages), "
                                         "(SELECT count(*) FROM passages_fts)").fetchone()
            assert passages == fts
            dupes = conn.execute("SELECT count(*) - count(DISTINCT id) FROM passages").fetchone()[0]
            assert dupes == 0
    store = open_store(uri)
    try:
        stats = store.stats()
        if stats["passages"]:
            assert store.search_passages("cocoa prices Bahia", k=3)
        return stats
    finally:
        store.close()


def records_read(outcome: subprocess.CompletedProcess | object) -> int:
    """The "records read: N" figure of an `index build` summary."""
    match = re.search(r"records read: ([\d,]+)", outcome.stdout.decode())  # type: ignore[attr-defined]
    assert match, outcome.stdout.decode()[-2000:]  # type: ignore[attr-defined]
    return int(match.group(1).replace(",", ""))


def passage_count(uri: str) -> int:
    """Passages committed so far (0 while the store or its schema does not exist yet)."""
    try:
        store = open_store(uri, read_only=True)
    except StoreError:
        return 0
    try:
        return store.stats()["passages"]
    except StoreError:
        return 0
    finally:
        store.close()


def kill_after_commits(uri: str, data: Path, workdir: Path, passages: int, timeout: float = 300) -> int:
    """Start `index build`, SIGKILL it once the store holds at least `passages` passages; return the count."""
    workdir.mkdir(parents=True, exist_ok=True)
    with (workdir / "stdout").open("wb") as out, (workdir / "stderr").open("wb") as err:
        proc = subprocess.Popen([*NEWSPROOF, "index", "build", str(data), "--store", uri, "--no-progress"],
                                stdout=out, stderr=err, start_new_session=True)
        deadline = time.monotonic() + timeout
        try:
            while proc.poll() is None and time.monotonic() < deadline and passage_count(uri) < passages:
                time.sleep(0.05)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return passage_count(uri)


def test_kill_during_index_build(store_uri: str, data_file: Path, tmp_path: Path, tally: Tally) -> None:
    reference_uri = str(tmp_path / "reference.sqlite")
    started = time.monotonic()
    restart_read = records_read(build(reference_uri, data_file, tmp_path / "reference"))
    clean_seconds = time.monotonic() - started
    reference = check_store(reference_uri)
    rng = random.Random(SEED)
    for round_no in range(KILL_ROUNDS):
        tally.kill_rounds += 1
        delay = rng.uniform(0.3, clean_seconds * 0.6)
        outcome = run_child([*NEWSPROOF, "index", "build", str(data_file), "--store", store_uri, "--no-progress"],
                            timeout=delay, workdir=tmp_path / f"kill{round_no}")
        stats = check_store(store_uri)
        # Only whole transactions survive: the indexer commits BATCH records at a time.
        assert stats["passages"] % BATCH == 0 or stats["passages"] == reference["passages"], (round_no, stats)
        assert stats["passages"] <= reference["passages"]
        tally.kill_rounds_survived += 1
        print(f"round {round_no}: killed after {delay:.1f}s (exit {outcome.returncode}), {stats['passages']} passages")
    build(store_uri, data_file, tmp_path / "final")
    assert check_store(store_uri) == reference
    # Resumption, not a restart: a build killed after its first batches reads only the rest of the file
    # (once to validate, once to write; a restart reads all of it twice).
    with ExitStack() as stack:
        fresh_uri = (stack.enter_context(postgres_schema_uri(PG_URL, prefix="np_res")) if "://" in store_uri and PG_URL
                     else str(tmp_path / "resumed.sqlite"))
        written = kill_after_commits(fresh_uri, data_file, tmp_path / "kill-resume", 2 * BATCH)
        assert 2 * BATCH <= written < reference["passages"], written
        store = open_store(fresh_uri)
        try:  # the checkpoint follows the commits (it may lag the last one: that batch is written again)
            saved = Checkpoints(store).load(data_file).records
        finally:
            store.close()
        assert written - BATCH <= saved <= written
        resumed_read = records_read(build(fresh_uri, data_file, tmp_path / "resume"))
        print(f"resume after {written} passages ({saved} checkpointed): {resumed_read} records read, "
              f"a restart reads {restart_read}")
        # one record per line: the line of the last checkpointed record and the rest, each read twice
        assert resumed_read == restart_read - 2 * (saved - 1) < restart_read
        assert check_store(fresh_uri) == reference


def test_readers_keep_working_while_a_writer_indexes(store_uri: str, data_file: Path, tmp_path: Path) -> None:
    uri = store_uri
    assert DATA is not None
    build(uri, DATA / "news" / "pages_news_excerpts.jsonl", tmp_path / "seed")  # a small store to read from
    errors: list[BaseException] = []
    answered = 0
    stop = threading.Event()

    def read_loop() -> None:
        nonlocal answered
        while not stop.is_set():
            try:
                store = open_store(uri, read_only=True)
                try:
                    store.stats()
                    store.search_passages("oil prices rose", k=5)
                    answered += 1
                finally:
                    store.close()
            except BaseException as exc:  # noqa: BLE001 - every failure counts
                errors.append(exc)

    reader = threading.Thread(target=read_loop, daemon=True)
    reader.start()
    try:
        build(uri, data_file, tmp_path / "writer")
    finally:
        stop.set()
        reader.join(60)
    assert errors == [] and answered > 10
    assert check_store(uri)["passages"] >= 20_000
