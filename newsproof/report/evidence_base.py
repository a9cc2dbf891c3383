"""The "evidence base" footer of every report: which sources, how many records, up to which date.

`describe_store` reads it from an open store (row counts from `stats()`, plus, for SQLite, per-source
counts and the latest dated passage: one scan per store file and process, cached). Reports written
without it (`Report.evidence_base` unset) get it from their `store` URI when that SQLite file is here.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsproof.models import EvidenceBase, Report, SourceCount
from newsproof.report.sources import SOURCE_NAMES, source_name

_QUERIES = (
    "SELECT source, count(*) FROM passages GROUP BY source",
    "SELECT source, count(*) FROM checked_claims GROUP BY source",
    "SELECT json_extract(data, '$.source'), count(*) FROM entities GROUP BY 1",
)
_LATEST = "SELECT max(date) FROM passages WHERE date >= '0' AND date < 'A'"


def describe_store(store: Any) -> EvidenceBase:
    """The evidence base behind an open store (SQLite: with sources and latest date)."""
    path = getattr(store, "path", None)
    if isinstance(path, Path) and path.is_file():
        return _describe_sqlite(str(path), path.stat().st_mtime_ns)
    stats = store.stats() if hasattr(store, "stats") else {}
    return EvidenceBase(uri=getattr(store, "uri", ""), passages=stats.get("passages", 0),
                        entities=stats.get("entities", 0), checked_claims=stats.get("checked_claims", 0))


def evidence_base_of(report: Report) -> EvidenceBase | None:
    """The report's evidence base, else what its store URI describes (when the file is on this machine)."""
    if report.evidence_base is not None:
        return report.evidence_base
    uri = report.store
    path = Path(uri.removeprefix("sqlite:///")) if uri.startswith("sqlite:///") else None
    if path is None or not path.is_file():
        return EvidenceBase(uri=uri) if uri else None
    try:
        return _describe_sqlite(str(path), path.stat().st_mtime_ns)
    except sqlite3.Error:
        return EvidenceBase(uri=uri)


@lru_cache(maxsize=8)
def _describe_sqlite(path: str, mtime_ns: int) -> EvidenceBase:
    """Counts per source tag (comma-separated tags each count), totals and the latest dated passage."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        totals, tags = [], Counter()
        for query in _QUERIES:
            rows = conn.execute(query).fetchall()
            totals.append(sum(n for _, n in rows))
            for source, n in rows:
                for tag in str(source or "unknown").split(","):
                    tags[tag.strip()] += n
        latest = conn.execute(_LATEST).fetchone()[0]
    finally:
        conn.close()
    return EvidenceBase(uri=f"sqlite:///{path}", passages=totals[0], checked_claims=totals[1], entities=totals[2],
                        sources=[SourceCount(source=t, records=n) for t, n in tags.most_common()],
                        latest_date=latest)


@dataclass(frozen=True)
class Footer:
    """The footer as a reader sees it."""

    totals: str  # "20,067 passages · 87,239 knowledge-base records · 1,228 fact-checked claims"
    latest: str | None  # "2024-02-03"
    sources: list[tuple[str, int]]  # (human name, records), largest first; one-off publishers folded together
    uri: str


def footer(report: Report) -> Footer | None:
    """The evidence-base footer of a report, or None when nothing is known about its store."""
    base = evidence_base_of(report)
    if base is None:
        return None
    totals = " · ".join(f"{n:,} {what}" for n, what in ((base.passages, "passages"),
                                                         (base.entities, "knowledge-base records"),
                                                         (base.checked_claims, "fact-checked claims")) if n)
    named: Counter[str] = Counter()
    publishers = Counter()
    for count in base.sources:
        if count.source in SOURCE_NAMES:
            named[source_name(count.source)] += count.records
        else:
            publishers[count.source] += count.records
    sources = list(named.most_common())
    if publishers:
        sources.append((f"news pages from {len(publishers)} publishers", sum(publishers.values())))
    return Footer(totals=totals or "no record counts", latest=base.latest_date, sources=sources, uri=base.uri)
