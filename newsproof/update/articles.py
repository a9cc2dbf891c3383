"""One listed item -> its article: fetched politely (conditional GET), extracted by the ingest code
(trafilatura + htmldate), cut into dated news passages; ClaimReview markup on the page comes along.
The article is stored under the page's own canonical link when that is on the same site."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

from newsproof.errors import NewsproofError
from newsproof.evidence.loaders.wikipedia_dump import chunk_paragraphs
from newsproof.evidence.store_common import content_id
from newsproof.ingest import ingest_bytes
from newsproof.models import CheckedClaim, Passage
from newsproof.update.claimreview_feeds import page_claimreviews
from newsproof.update.http import Answer, Validators
from newsproof.update.politeness import PoliteClient
from newsproof.update.sources import Item, canonical_url, same_site
from newsproof.update.state import ItemState

MIN_PASSAGE_CHARS = 40
HEAD_CHARS = 262_144  # a canonical link further into the page than this is not looked for
_HEAD_END = re.compile(r"</head\s*>|<body[\s>]", re.IGNORECASE)
_LINK = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
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


def canonical_link(page: str, page_url: str) -> str | None:
    """The page's `<link rel="canonical">`, resolved and courlan-cleaned, when it is on the page's own registered
    domain and is not the site's home page (a cross-site or home-page canonical is not trusted); else None."""
    head = page[:HEAD_CHARS]
    end = _HEAD_END.search(head)
    for tag in _LINK.finditer(head[:end.start()] if end else head):
        attrs = {m[1].lower(): m[2] or m[3] or m[4] or "" for m in _ATTR.finditer(tag[0])}
        if "canonical" not in attrs.get("rel", "").lower().split() or not attrs.get("href", "").strip():
            continue
        url = urljoin(page_url, html.unescape(attrs["href"]).strip())
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.path.strip("/") and same_site(url, page_url):
            return canonical_url(url)
        return None
    return None


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
        page = answer.content.decode(answer.charset or "utf-8", "replace") if kind == "html" else ""
        page_url = (canonical_link(page, page_url) or page_url) if page else page_url
        article = ingest_bytes(answer.content, kind=kind, url=page_url, config=config)
        date = article.date.isoformat() if article.date else item.date
        source = item.source or urlsplit(page_url).hostname or "news"
        passages = passages_of(article.text, title=article.title or item.title, url=page_url, date=date,
                               source=source)
        claims = page_claimreviews(page) if page else []
        return Outcome(item, "fetched", page_url=page_url, content_hash=article.id, date=date,
                       validators=validators, passages=passages, claims=claims)
    except NewsproofError as exc:
        return Outcome(item, "failed", error=str(exc))
    except (ValueError, TypeError, LookupError, UnicodeError, OSError) as exc:  # a page no extractor could read
        return Outcome(item, "failed", error=f"{type(exc).__name__}: {exc}"[:300])
