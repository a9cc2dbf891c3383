"""The bundled evidence base: compact files in newsproof/data/, built into a SQLite store on first use."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sys
import time
from pathlib import Path

from newsproof.evidence.loaders.indexer import index_paths
from newsproof.evidence.sqlite_store import SQLiteStore
from newsproof.evidence.store_common import SCHEMA_VERSION
from newsproof.paths import home_dir, package_data_dir

MANIFEST = "manifest.json"


def bundle_files(data_dir: Path | None = None) -> list[Path]:
    """The bundle's record files (`*.jsonl.gz`), sorted by name."""
    return sorted((data_dir or package_data_dir()).glob("*.jsonl.gz"))


def bundle_hash(data_dir: Path | None = None) -> str:
    """12 hex chars over the bundle files' names and bytes plus the store schema version."""
    digest = hashlib.sha256(f"schema={SCHEMA_VERSION}".encode())
    for path in bundle_files(data_dir):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def default_store_path(data_dir: Path | None = None) -> Path:
    """Where the default store for the current bundle lives: $NEWSPROOF_HOME/evidence-<hash>.sqlite."""
    return home_dir() / f"evidence-{bundle_hash(data_dir)}.sqlite"


def _manifest_totals(data_dir: Path, files: list[Path]) -> dict[Path, int] | None:
    manifest = data_dir / MANIFEST
    if not manifest.is_file():
        return None
    counts = json.loads(manifest.read_text("utf-8")).get("records", {})
    return {f: int(counts.get(f.name, 0)) for f in files}


def build_store(target: Path, data_dir: Path | None = None, *, progress: bool = True) -> dict[str, int]:
    """Build a SQLite store from the bundle into a temp file, then atomically rename it to `target`."""
    data_dir = data_dir or package_data_dir()
    files = bundle_files(data_dir)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.building")
    tmp.unlink(missing_ok=True)
    try:
        store = SQLiteStore(tmp, bulk=True)
        try:
            added = index_paths(store, files, progress=progress, totals=_manifest_totals(data_dir, files))
        finally:
            store.close()
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return added


def _remove_stale_stores(current: Path) -> None:
    """Delete default stores built from older bundles (and their WAL files)."""
    for old in current.parent.glob("evidence-*.sqlite*"):
        if not old.name.startswith(current.name):
            old.unlink(missing_ok=True)
    for lock in current.parent.glob(".evidence-*.lock"):
        if lock.name != f".{current.name}.lock":
            lock.unlink(missing_ok=True)


def ensure_default_store(*, progress: bool = True) -> Path:
    """Path of the default store, building it first (under a file lock) if it does not exist yet."""
    target = default_store_path()
    if target.is_file():
        return target
    with (target.parent / f".{target.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.is_file():
            start = time.perf_counter()
            build_store(target, progress=progress)
            _remove_stale_stores(target)
            if progress:
                print(f"newsproof: built the default evidence base in {time.perf_counter() - start:.1f}s: {target}",
                      file=sys.stderr)
    return target
