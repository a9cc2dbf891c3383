"""The bundled data files and the default store built from them."""

from __future__ import annotations

import gzip
import json
import runpy
from pathlib import Path

import pytest

from newsproof.errors import InputError
from newsproof.evidence import open_store
from newsproof.evidence.bundle import (
    LOCK,
    MANIFEST,
    OWNED,
    STORE_PREFIX,
    build_store,
    bundle_files,
    default_store_path,
    ensure_default_store,
    owned_stores,
)
from newsproof.paths import package_data_dir

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def _manifest() -> dict[str, int]:
    return json.loads((package_data_dir() / MANIFEST).read_text("utf-8"))["records"]


def test_bundle_is_small_documented_and_counted() -> None:
    files = bundle_files()
    assert {f.name for f in files} == set(_manifest())
    assert sum(f.stat().st_size for f in files) < 25_000_000
    readme = (package_data_dir() / "README.md").read_text("utf-8")
    for f in files:
        assert f.name.split(".")[0] in readme
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            assert sum(1 for _ in fh) == _manifest()[f.name]
    assert _manifest()["people.entities.jsonl.gz"] > 70_000


def _check_derive(shared: Path, out: Path, stems: list[str] | None) -> None:
    derive = runpy.run_path(str(SCRIPTS / "derive_bundle.py"))["derive"]
    counts = derive(shared, out, stems)
    assert counts == {k: n for k, n in _manifest().items() if stems is None or k.split(".")[0] in stems}
    for name in counts:
        assert (out / name).read_bytes() == (package_data_dir() / name).read_bytes(), name


def test_derive_bundle_reproduces_the_committed_files(shared: Path, tmp_path: Path) -> None:
    _check_derive(shared, tmp_path, ["kb", "news", "climate_fever"])


@pytest.mark.slow
def test_derive_bundle_reproduces_the_people_file(shared: Path, tmp_path: Path) -> None:
    _check_derive(shared, tmp_path, None)


def test_default_store_is_built_once_with_all_records(default_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSPROOF_HOME", str(default_home))
    path = default_store_path()
    assert path.is_file() and path.name.startswith(STORE_PREFIX) and owned_stores(default_home) == [path.name]
    assert not list(default_home.glob("*.building"))
    mtime = path.stat().st_mtime_ns
    assert ensure_default_store(progress=False) == path
    assert path.stat().st_mtime_ns == mtime
    counts = _manifest()
    store = open_store("default", read_only=True)
    try:
        stats = store.stats()
        assert stats["entities"] == sum(n for k, n in counts.items() if ".entities." in k)
        assert stats["passages"] == sum(n for k, n in counts.items() if ".passages." in k)
        assert stats["checked_claims"] == counts["climate_fever.checked_claims.jsonl.gz"]
        hits = store.search_passages("Soleimani killed drone strike Baghdad airport", k=5)
        assert any("Soleimani" in h.passage.text for h in hits)
    finally:
        store.close()
    assert float((default_home / "build_seconds.txt").read_text()) < 120


def test_failed_build_leaves_nothing_behind(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with gzip.open(data / "bad.passages.jsonl.gz", "wt") as fh:
        fh.write('{"id": "a", "text": "fine"}\n{"id": "b", "text": \n')
    target = tmp_path / "home" / "evidence-x.sqlite"
    target.parent.mkdir()
    with pytest.raises(InputError, match=":2:"):
        build_store(target, data, progress=False)
    assert list(target.parent.iterdir()) == []


def _tiny_bundle(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    with gzip.open(folder / "tiny.passages.jsonl.gz", "wt") as fh:
        fh.write(json.dumps({"id": "t1", "text": text}) + "\n")
    return folder


def test_rebuilding_the_bundle_deletes_only_its_own_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The user's stores beside the bundle's (even named evidence-*.sqlite) survive a rebuild for a new
    bundle; the previous bundle store, its journals and ANN files go."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("NEWSPROOF_HOME", str(home))
    user_files = ["evidence-mine.sqlite", "evidence-mine.sqlite-wal", "evidence-0123456789ab.sqlite",
                  ".evidence-mine.sqlite.lock", "evidence-bundle-notes.txt"]
    for name in user_files:
        (home / name).write_text("the user's data")
    first = ensure_default_store(progress=False, data_dir=_tiny_bundle(tmp_path / "v1", "first bundle"))
    assert first.name.startswith(STORE_PREFIX) and owned_stores(home) == [first.name]
    for suffix in ("-wal", ".minilm.usearch", ".minilm.usearch.ids"):
        Path(f"{first}{suffix}").write_text("derived from the first bundle store")
    second = ensure_default_store(progress=False, data_dir=_tiny_bundle(tmp_path / "v2", "second bundle"))
    assert second != first and owned_stores(home) == [second.name]
    assert sorted(p.name for p in home.iterdir()) == sorted([*user_files, second.name, OWNED, LOCK])
    assert all((home / name).read_text() == "the user's data" for name in user_files)
    store = open_store(str(second), read_only=True)
    try:
        assert store.get_passages(["t1"])[0].text == "second bundle"
    finally:
        store.close()


def test_a_manifest_naming_other_files_is_not_obeyed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("NEWSPROOF_HOME", str(home))
    (home / "evidence-mine.sqlite").write_text("the user's data")
    (home / OWNED).write_text(json.dumps({"stores": ["evidence-mine.sqlite", "../outside", 7]}))
    ensure_default_store(progress=False, data_dir=_tiny_bundle(tmp_path / "v1", "bundle"))
    assert (home / "evidence-mine.sqlite").read_text() == "the user's data"
