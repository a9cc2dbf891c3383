"""`newsproof eval controls`: `check` over real, presumed-accurate news articles; every alarm listed.

The articles: Reuters-21578 stories, the news page excerpts, and Wikipedia current-events items
grouped by day. The current-events items are in the bundled evidence base, so they are held out of
retrieval for this run: an article is never checked against itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsproof.evaluation.runner import run_articles
from newsproof.evaluation.splices.facts import iso_day, read_jsonl
from newsproof.models import Report, Verdict

Article = tuple[str, bytes, str | None, dt.date | None]


class HeldOutStore:
    """A read-only view of a store that hides some passages from every search and fetch."""

    def __init__(self, store: Any, hidden: set[str]) -> None:
        self._store = store
        self._hidden = hidden

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def search_passages(self, query: str, k: int = 10, filters: Any = None) -> list:
        hits = self._store.search_passages(query, k=k + len(self._hidden) // 50 + 10, filters=filters)
        return [h for h in hits if h.passage.id not in self._hidden][:k]

    def search_dense(self, vector: Sequence[float], model: str, k: int = 10, filters: Any = None) -> list:
        hits = self._store.search_dense(vector, model, k=k + 10, filters=filters)
        return [h for h in hits if h.passage.id not in self._hidden][:k]

    def get_passages(self, ids: Sequence[str]) -> list:
        return self._store.get_passages([i for i in ids if i not in self._hidden])


def _picked(ident: str, share: int) -> bool:
    return int(hashlib.sha1(ident.encode()).hexdigest()[:8], 16) % 1000 < share


def control_articles(news: Path, reuters: int = 300, days: int = 200) -> tuple[list[Article], set[str]]:
    """The control articles, and the ids of the passages to hold out of retrieval."""
    articles: list[Article] = []
    for row in read_jsonl(news / "reuters21578.jsonl"):
        paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s{3,}", row.get("text") or ""))
        text = "\n\n".join(p for p in paragraphs if p)
        if len(articles) < reuters and len(text.split()) >= 80 and _picked(row["id"], 40):
            body = f"{row['title'].capitalize()}\n\n{row.get('dateline') or ''} {text}"
            articles.append((row["id"], body.encode(), "text", iso_day(row.get("date"))))
    for row in read_jsonl(news / "pages_news_excerpts.jsonl"):
        articles.append((row["id"], f"{row['title']}\n\n{row['text']}".encode(), "text", iso_day(row.get("date"))))
    by_day: dict[str, list[dict]] = defaultdict(list)
    for row in read_jsonl(news / "wikipedia_current_events.jsonl"):
        if iso_day(row.get("date")):
            by_day[row["date"]].append(row)
    hidden: set[str] = set()
    chosen = sorted(by_day, key=lambda d: hashlib.sha1(d.encode()).hexdigest())[:days]
    for day in sorted(chosen):
        rows = by_day[day]
        hidden.update(r["id"] for r in rows)
        text = "\n\n".join(r["text"] for r in rows)
        articles.append((f"cep_{day}", f"World news on {day}\n\n{text}".encode(), "text", iso_day(day)))
    return articles, hidden


def evaluate_controls(data: Path, *, store: str = "default", limit: int | None = None,
                      progress: bool = True) -> dict:
    """Claims, decided claims and CONTRADICTED claims over the control articles, each alarm listed."""
    from newsproof.evidence import open_store

    articles, hidden = control_articles(data / "news")
    if limit is not None:
        articles = articles[::max(1, len(articles) // limit)][:limit]
    totals = {"claims": 0, "decided": 0, "contradicted": 0, "supported": 0}
    alarms: list[dict] = []

    def keep(ident: str, report: Report) -> None:
        for result in report.claims:
            totals["claims"] += 1
            totals["decided"] += result.verdict is not Verdict.NOT_ENOUGH_EVIDENCE
            totals["supported"] += result.verdict is Verdict.SUPPORTED
            if result.verdict is Verdict.CONTRADICTED:
                totals["contradicted"] += 1
                alarms.append({"article": ident, "claim": result.claim.text, "reason": result.reason,
                               "check": result.check})

    opened = open_store(store, read_only=True)
    run_articles(iter(articles), len(articles), store=HeldOutStore(opened, hidden), progress=progress,
                 run_key="controls|" + "|".join(f"{a[0]}:{a[3]}:{a[1]!r}" for a in articles),
                 on_report=keep)
    claims = totals["claims"]
    return {"articles": len(articles), **totals,
            "contradicted_per_1000_claims": round(1000 * totals["contradicted"] / claims, 2) if claims else None,
            "decided_share": round(totals["decided"] / claims, 4) if claims else None, "alarms": alarms}
