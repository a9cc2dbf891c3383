"""The bundled evidence base: compact files in newsproof/data/, built into a SQLite store on first use."""

from __future__ import annotations

import fcntl
import glob
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


STORE_PREFIX = "evidence-bundle-"
OWNED = "bundle-stores.json"  # in $NEWSPROOF_HOME: the files this module built there (and may delete)
LOCK = ".bundle-stores.lock"
# Files that belong to a built store: SQLite's journals, and the ANN indexes named after it.
_STORE_SIDECARS = ("-wal", "-shm", "-journal")


def store_name(data_dir: Path | None = None) -> str:
    """The default store's file name: evidence-bundle-v<schema>-<bundle hash>.sqlite."""
    return f"{STORE_PREFIX}v{SCHEMA_VERSION}-{bundle_hash(data_dir)}.sqlite"


def default_store_path(data_dir: Path | None = None) -> Path:
    """Where the default store for the current bundle lives: $NEWSPROOF_HOME/<store_name()>."""
    return home_dir() / store_name(data_dir)


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
            added = index_paths(store, files, progress=progress, totals=_manifest_totals(data_dir, files),
                                    checkpoint=False).added()
        finally:
            store.close()
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return added


def owned_stores(home: Path) -> list[str]:
    """Names of the stores this module built in `home` (from its OWNED manifest)."""
    try:
        names = json.loads((home / OWNED).read_text("utf-8")).get("stores", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [n for n in names if isinstance(n, str) and n.startswith(STORE_PREFIX) and "/" not in n]


def _write_owned(home: Path, names: list[str]) -> None:
    tmp = home / f".{OWNED}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps({"stores": sorted(set(names))}, indent=1), "utf-8")
    os.replace(tmp, home / OWNED)


def store_files(home: Path, name: str) -> list[Path]:
    """A built store's files: the database, its journals and the ANN indexes named after it."""
    return [home / name, *(home / f"{name}{s}" for s in _STORE_SIDECARS),
            *home.glob(f"{glob.escape(name)}.*.usearch"), *home.glob(f"{glob.escape(name)}.*.usearch.ids")]


def _replace_owned(current: Path) -> list[Path]:
    """Record `current` as owned and delete the other stores this module built (never a file it did not
    build: user stores beside them stay); return the files deleted. Call under LOCK."""
    home = current.parent
    owned = owned_stores(home)
    _write_owned(home, [*owned, current.name])
    removed = []
    for name in owned:
        if name == current.name:
            continue
        for path in store_files(home, name):
            if path.is_file():
                path.unlink(missing_ok=True)
                removed.append(path)
    _write_owned(home, [current.name])
    return removed


def ensure_default_store(*, progress: bool = True, data_dir: Path | None = None) -> Path:
    """Path of the default store, building it first (under a file lock) if it does not exist yet.

    A new build replaces the default stores of earlier bundles, and only those: the files named in
    $NEWSPROOF_HOME/bundle-stores.json (see `store_files`)."""
    target = default_store_path(data_dir)
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with (target.parent / LOCK).open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.is_file():
            start = time.perf_counter()
            build_store(target, data_dir, progress=progress)
            _replace_owned(target)
            if progress:
                print(f"newsproof: built the default evidence base in {time.perf_counter() - start:.1f}s: {target}",
                      file=sys.stderr)
    return target
