"""Run `check` over many in-memory articles with one warm `Checker` and a progress bar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from newsproof.models import Report

EVAL_DETECTOR = "newsproof.features.v2"  # verdicts do not depend on the detector; the fast one saves time


def run_articles(items: Iterable[tuple[str, bytes, str | None, dt.date | None]], total: int, *,
                 store_uri: str = "default", store: Any = None, progress: bool = True,
                 on_report: Callable[[str, Report], None]) -> None:
    """Check each (id, content, kind, date) item and hand its report to `on_report`."""
    from newsproof.batch.progress import make_progress
    from newsproof.pipeline import Checker

    checker = Checker(store_uri=store_uri, detector=EVAL_DETECTOR, store=store)
    checker.warm_up()
    try:
        with make_progress(progress) as bar:
            task = bar.add_task("checking", total=total, failed=0)
            for ident, content, kind, date in items:
                on_report(ident, checker.check_bytes(content, kind=kind, date=date))
                bar.advance(task)
    finally:
        checker.close()
