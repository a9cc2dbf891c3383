"""Loader for fact-check sets (`claims/<set>/data.jsonl`): checked claims plus their evidence passages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from newsproof.evidence.loaders.generic import Record, read_jsonl
from newsproof.evidence.store_common import content_id
from newsproof.labels import to_verdict
from newsproof.models import CheckedClaim, Passage

_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d %B %Y", "%B %d, %Y", "%d/%m/%Y")


def iso_date(value: str | None) -> str | None:
    """ISO date from the formats the sets use (dd-mm-yyyy, '9 October 2020'); unparsed values are dropped."""
    if not value:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return None


def load_claims(path: Path) -> Iterator[Record]:
    """CheckedClaim per record (verdict via the label map); evidence texts -> kind="evidence" passages."""
    dataset = path.parent.name if path.stem == "data" else path.stem
    for row in read_jsonl(path):
        label = str(row.get("label") or "")
        yield CheckedClaim(id=str(row["id"]), claim=row["claim"], label=label, verdict=to_verdict(label),
                           date=iso_date(row.get("date")), speaker=row.get("speaker"), source=dataset,
                           url=row.get("url") or row.get("fact_checking_article"))
        for ev in row.get("evidence") or []:
            text = (ev.get("text") or "").strip()
            if text:
                yield Passage(id=content_id("ev", dataset, text), text=text, title=ev.get("title"),
                              source=dataset, url=ev.get("url"), kind="evidence")
