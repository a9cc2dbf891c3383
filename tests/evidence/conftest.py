"""Fixtures for evidence tests: the bundled default store, built once per session in a temp home."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsproof.evidence.bundle import ensure_default_store
from newsproof.evidence.sqlite_store import SQLiteStore
from newsproof.paths import shared_data_dir


@pytest.fixture(scope="session")
def default_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A NEWSPROOF_HOME holding the default store, built from the bundle (env restored afterwards)."""
    home = tmp_path_factory.mktemp("newsproof_home")
    old = os.environ.get("NEWSPROOF_HOME")
    os.environ["NEWSPROOF_HOME"] = str(home)
    try:
        start = time.perf_counter()
        ensure_default_store(progress=False)
        (home / "build_seconds.txt").write_text(f"{time.perf_counter() - start:.2f}")
    finally:
        if old is None:
            os.environ.pop("NEWSPROOF_HOME", None)
        else:
            os.environ["NEWSPROOF_HOME"] = old
    return home


@pytest.fixture(scope="session")
def bundled_store(default_home: Path) -> Iterator[SQLiteStore]:
    """The default store, opened read-only."""
    store = SQLiteStore(next(default_home.glob("evidence-*.sqlite")), read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared data folder (tests skip without it)."""
    path = shared_data_dir()
    if path is None:
        pytest.skip("shared data folder not found")
    return path
