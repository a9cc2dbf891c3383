"""`newsproof eval splices`: generate the benchmark, run `check` on every article, score it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from newsproof.evaluation.runner import run_articles
from newsproof.evaluation.splices.generate import PER_TYPE, generate
from newsproof.evaluation.splices.score import fact_in_store, outcome, summarise
from newsproof.models import Report


def evaluate_splices(data: Path, *, split: str = "dev", types: Iterable[str] | None = None,
                     formats: Iterable[str] | None = None, store: str = "default", seed: int = 0,
                     per_type: int = PER_TYPE, limit: int | None = None, progress: bool = True) -> dict:
    """Recall, precision and false alarms of `check` on the generated articles of `split`."""
    cases = generate(data, seed=seed, per_type=per_type, split=split, types=types, formats=formats)
    if limit is not None:
        # every type before any type's second pair: 'death_date-000', 'death_place-000', ...
        order = sorted({c.id.rsplit("-", 1)[0] for c in cases}, key=lambda p: (p.rsplit("-", 1)[1], p))
        pairs = set(order[: max(1, limit // 2)])
        cases = [c for c in cases if c.id.rsplit("-", 1)[0] in pairs]
    by_id = {c.id: c for c in cases}
    outcomes: dict[str, dict] = {}
    in_kb: dict[str, bool] = {}

    def keep(ident: str, report: Report) -> None:
        outcomes[ident] = outcome(by_id[ident], report)

    items = ((c.id, c.content.encode("utf-8"), c.media, dt.date.fromisoformat(c.date) if c.date else None)
             for c in cases)
    from newsproof.evidence import open_store

    opened = open_store(store, read_only=True)
    try:
        for case in cases:
            in_kb[case.id] = fact_in_store(case, opened)
        run_articles(items, len(cases), store=opened, progress=progress, on_report=keep,
                     run_key="splices|" + "|".join(f"{c.id}:{c.date}:{c.content}" for c in cases))
    finally:
        opened.close()
    result = summarise(cases, outcomes, in_kb, split)
    result["seed"] = seed
    return result
