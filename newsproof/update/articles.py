"""One listed item -> its article: fetched politely (conditional GET), extracted by the ingest code
(trafilatura + htmldate), cut into dated news passages; ClaimReview markup on the page comes along."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from newsproof.errors import NewsproofError
from newsproof.evidence.loaders.wikipedia_dump import chunk_paragraphs
from newsproof.evidence.store_common import content_id
from newsproof.ingest import ingest_bytes
from newsproof.models import CheckedClaim, Passage
from newsproof.update.claimreview_feeds import page_claimreviews
from newsproof.update.http import Answer, Validators
from newsproof.update.politeness import PoliteClient
from newsproof.update.sources import Item, canonical_url
from newsproof.update.state import ItemState

MIN_PASSAGE_CHARS = 40
Status = Literal["fetched", "not_modified", "skipped", "failed"]


@dataclass
class Outcome:
    """What became of one item in a worker: its passages and claims, or why there are none."""

    item: Item
    status: Status
    page_url: str | None = None
    content_hash: str | None = None
    date: str | None = None
    validators: Validators = field(default_factory=Validators)
    passages: list[Passage] = field(default_factory=list)
    claims: list[CheckedClaim] = field(default_factory=list)
    error: str | None = None


def passages_of(text: str, *, title: str | None, url: str, date: str | None, source: str) -> list[Passage]:
    """Dated news passages of an article, with ids by page URL and position (a changed article
    replaces them in place; surplus old ones are deleted by the caller)."""
    chunks = [c for c in chunk_paragraphs(text) if len(c) >= MIN_PASSAGE_CHARS] or [text]
    return [Passage(id=content_id("upd", url, i), text=chunk, title=title, source=source, url=url, date=date,
                    kind="news") for i, chunk in enumerate(chunks)]


def fetch_item(item: Item, client: PoliteClient, prior: ItemState | None, config: dict[str, Any],
               archive: Callable[[Answer], None] | None = None) -> Outcome:
    """Fetch and extract one item; every failure becomes an Outcome with `error` (never raises)."""
    try:
        if not client.allowed(item.url):
            return Outcome(item, "skipped", error="disallowed by robots.txt")
        known = prior is not None and prior.status == "ok"
        answer = client.get(item.url, Validators(prior.etag, prior.last_modified) if known and prior else None)
        if archive is not None:
            archive(answer)
        validators = Validators(answer.etag, answer.last_modified)
        if answer.not_modified:
            return Outcome(item, "not_modified", validators=validators)
        page_url = canonical_url(answer.url)
        kind = "text" if answer.content_type == "text/plain" else "html"
        article = ingest_bytes(answer.content, kind=kind, url=page_url, config=config)
        date = article.date.isoformat() if article.date else item.date
        source = item.source or urlsplit(page_url).hostname or "news"
        passages = passages_of(article.text, title=article.title or item.title, url=page_url, date=date,
                               source=source)
        claims = page_claimreviews(answer.content.decode(answer.charset or "utf-8", "replace")) if kind == "html" else []
        return Outcome(item, "fetched", page_url=page_url, content_hash=article.id, date=date,
                       validators=validators, passages=passages, claims=claims)
    except NewsproofError as exc:
        return Outcome(item, "failed", error=str(exc))
    except (ValueError, TypeError, LookupError, UnicodeError, OSError) as exc:  # a page no extractor could read
        return Outcome(item, "failed", error=f"{type(exc).__name__}: {exc}"[:300])
