"""Loader for the shared news archive files (current events, Reuters, headlines, page excerpts)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from newsproof.evidence.loaders.generic import Record, read_jsonl
from newsproof.models import Passage


def load_news(path: Path) -> Iterator[Record]:
    """Dated news passages; headline-only records use the headline as text, topic paths become titles."""
    for row in read_jsonl(path):
        text = row.get("text") or row.get("title")
        if not text:
            continue
        title = row.get("title") or " > ".join(row.get("topic_path") or []) or None
        yield Passage(id=row["id"], text=text, title=title, source=row.get("publisher") or row.get("source") or path.stem,
                      url=row.get("url"), date=row.get("date"), kind="news")
