"""Run `check` over many in-memory articles with one warm `Checker` and a progress bar.

A run keyed by `run_key` resumes after a kill: each report is appended to a checkpoint file as soon as
it is made, and a re-run with the same key, the same engine code and the same store replays those
reports instead of checking the articles again. A finished run removes its checkpoint. Changing any
source file of the engine changes the fingerprint, so stale results are never replayed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from newsproof.models import Report

EVAL_DETECTOR = "newsproof.features.v2"  # verdicts do not depend on the detector; the fast one saves time


def engine_fingerprint() -> str:
    """A hash of every source and config file of the installed newsproof package."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".toml", ".tsv") and path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def checkpoint_path(run_key: str, store: Any, store_uri: str) -> Path:
    """Where a keyed run keeps its reports: one file per run key, engine code and store."""
    from newsproof.paths import home_dir

    uri = getattr(store, "uri", None) or store_uri
    path = Path(uri.removeprefix("sqlite:///")) if uri.startswith("sqlite:///") else None
    stamp = f"{path.stat().st_size}:{path.stat().st_mtime_ns}" if path is not None and path.is_file() else ""
    key = hashlib.sha256(f"{run_key}|{uri}|{stamp}|{engine_fingerprint()}".encode()).hexdigest()[:20]
    folder = home_dir() / "eval-runs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{key}.jsonl"


def _replayable(checkpoint: Path) -> dict[str, Report]:
    """The complete lines of a checkpoint (a torn last line, from a kill mid-write, is dropped)."""
    done: dict[str, Report] = {}
    if not checkpoint.is_file():
        return done
    for line in checkpoint.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
            done[row["id"]] = Report.model_validate(row["report"])
        except (ValueError, KeyError):
            break
    return done


def run_articles(items: Iterable[tuple[str, bytes, str | None, dt.date | None]], total: int, *,
                 store_uri: str = "default", store: Any = None, progress: bool = True,
                 on_report: Callable[[str, Report], None], run_key: str | None = None) -> None:
    """Check each (id, content, kind, date) item and hand its report to `on_report`; with `run_key`,
    resume a killed run of the same key where it stopped."""
    from newsproof.pipeline import Checker
    from newsproof.progress import make_progress

    checkpoint = checkpoint_path(run_key, store, store_uri) if run_key else None
    done = _replayable(checkpoint) if checkpoint else {}
    checker = Checker(store_uri=store_uri, detector=EVAL_DETECTOR, store=store)
    log = checkpoint.open("w", encoding="utf-8") if checkpoint else None
    try:
        with make_progress(progress) as bar:
            for ident, report in done.items():  # rewrite the complete lines, dropping a torn tail
                _log(log, ident, report)
            task = bar.add_task("checking", total=total, failed=0)
            for ident, content, kind, date in items:
                report = done.get(ident)
                if report is None:
                    checker.warm_up()
                    report = checker.check_bytes(content, kind=kind, date=date)
                    _log(log, ident, report)
                on_report(ident, report)
                bar.advance(task)
    finally:
        checker.close()
        if log:
            log.close()
    if checkpoint:
        checkpoint.unlink(missing_ok=True)


def _log(log: Any, ident: str, report: Report) -> None:
    """Append one report to the checkpoint as soon as it is made (no checkpoint: nothing)."""
    if log is not None:
        log.write(json.dumps({"id": ident, "report": report.model_dump(mode="json")}) + "\n")
        log.flush()
