"""Poll one source with a conditional GET and read it as a feed, a sitemap (index) or a ClaimReview source."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from newsproof.errors import NewsproofError, error
from newsproof.models import CheckedClaim
from newsproof.update.claimreview_feeds import parse_claimreview_source
from newsproof.update.feeds import parse_feed
from newsproof.update.http import Answer, Validators
from newsproof.update.politeness import PoliteClient
from newsproof.update.sitemaps import parse_sitemap
from newsproof.update.sources import Item, Source, sniff_kind
from newsproof.update.state import FeedState


@dataclass
class Polled:
    """One source's answer: its items or checked claims, its validators, or why it failed."""

    source: Source
    prior: FeedState | None
    ok: bool = True
    not_modified: bool = False
    kind: str | None = None
    title: str | None = None
    items: list[Item] = field(default_factory=list)
    claims: list[CheckedClaim] = field(default_factory=list)
    validators: Validators = field(default_factory=Validators)
    ttl_minutes: int | None = None
    error: str | None = None


def poll_source(source: Source, client: PoliteClient, prior: FeedState | None, max_sitemaps: int = 50,
                archive: Callable[[Answer], None] | None = None) -> Polled:
    """Fetch and read a source; a failure (HTTP error, time-out, malformed document) is returned, not raised."""
    result = Polled(source, prior)
    try:
        known = Validators(prior.etag, prior.last_modified) if prior is not None else None
        answer = client.get(source.url, known)
        if archive is not None:
            archive(answer)
        result.validators = Validators(answer.etag or (known.etag if known else None),
                                       answer.last_modified or (known.last_modified if known else None))
        if answer.not_modified:
            result.not_modified, result.kind = True, prior.kind if prior else None
            return result
        result.kind = source.kind if source.kind != "auto" else sniff_kind(answer.content, answer.content_type)
        if result.kind == "feed":
            feed = parse_feed(answer.content, source.url)
            result.title, result.ttl_minutes = feed.title, feed.ttl_minutes
            result.items = [replace(i, source=feed.title) for i in feed.items]
        elif result.kind == "sitemap":
            _read_sitemaps(result, answer, client, max_sitemaps, archive)
        elif result.kind == "claimreview":
            result.claims = parse_claimreview_source(answer.content, source.url, answer.charset)
        else:
            raise error("NP160", what="source", url=source.url, why="not a feed, sitemap or ClaimReview source")
    except NewsproofError as exc:
        result.ok, result.error = False, f"{source.url}: {exc}"
        result.items, result.claims = [], []
    return result


def _read_sitemaps(result: Polled, answer: Answer, client: PoliteClient, max_sitemaps: int,
                   archive: Callable[[Answer], None] | None) -> None:
    """Walk a sitemap and, for an index, its child sitemaps (breadth first, at most `max_sitemaps`).
    A failing child is reported; its siblings are still read, and the index is polled in full next time."""
    queue, seen, errors = [(answer.url, answer)], {answer.url}, []
    while queue:
        url, page = queue.pop(0)
        try:
            sitemap = parse_sitemap(page.content, url, feed=result.source.url)
        except NewsproofError as exc:
            if url == answer.url:
                raise
            errors.append(f"{url}: {exc}")
            continue
        result.items += sitemap.items
        for child in sitemap.sitemaps:
            if child in seen or len(seen) >= max_sitemaps:
                continue
            seen.add(child)
            try:
                child_page = client.get(child)
                if archive is not None:
                    archive(child_page)
                queue.append((child, child_page))
            except NewsproofError as exc:
                errors.append(f"{child}: {exc}")
    unique: dict[str, Item] = {}
    for item in result.items:
        unique.setdefault(item.url, item)
    result.items = list(unique.values())
    if errors:
        result.error = f"{result.source.url}: {len(errors)} child sitemap(s) failed, first: {errors[0]}"
        result.validators = Validators()  # not remembered: the whole index is read again next run
