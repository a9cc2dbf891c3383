"""What `newsproof update` reads: sources (feeds, sitemaps, ClaimReview exports) and the items they list."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urldefrag, urlsplit

from courlan import extract_domain, normalize_url

from newsproof.errors import ConfigError, Errors

Kind = Literal["auto", "feed", "sitemap", "claimreview"]
KINDS: tuple[Kind, ...] = ("auto", "feed", "sitemap", "claimreview")
_XML_ROOT = re.compile(rb"<(?:[\w.-]+:)?(rss|feed|RDF|urlset|sitemapindex)\b")
_ROOT_KINDS: dict[bytes, Kind] = {b"rss": "feed", b"feed": "feed", b"RDF": "feed", b"urlset": "sitemap",
                                  b"sitemapindex": "sitemap"}


@dataclass(frozen=True)
class Source:
    """A source to poll: its URL and kind ("auto" sniffs the answer)."""

    url: str
    kind: Kind = "auto"


@dataclass(frozen=True)
class Item:
    """An article a source lists: its canonical URL, the source's date and change stamp for it."""

    url: str
    feed: str
    title: str | None = None
    date: str | None = None  # ISO date the source gives (published, else updated / lastmod)
    stamp: str | None = None  # the source's "last changed" marker; a different one means re-fetch
    source: str | None = None  # the publisher's name (the feed's title) for the passages
    lastmod: str | None = None  # a sitemap's <lastmod>: not fetched again unless newer than the stored version's


def canonical_url(url: str) -> str:
    """The URL items are deduplicated and stored by (courlan: lower-case host, no tracking parameters,
    default port or fragment)."""
    try:
        return urldefrag(normalize_url(url.strip()))[0]
    except (ValueError, AttributeError):
        return urldefrag(url.strip())[0]


def same_site(url: str, other: str) -> bool:
    """Whether two URLs are on one registered domain (public-suffix aware: a.github.io and b.github.io are
    not); hosts without one (IP addresses, localhost) must match exactly, port included."""
    first, second = extract_domain(url), extract_domain(other)
    if first or second:
        return first == second
    return urlsplit(url).netloc.lower() == urlsplit(other).netloc.lower() != ""


def parse_sources(entries: Iterable[str | Mapping[str, Any]]) -> list[Source]:
    """Sources from config / command line: "URL", "KIND:URL" (kind feed, sitemap or claimreview) or
    {url = "...", kind = "..."}; duplicates dropped, order kept."""
    out: dict[str, Source] = {}
    for entry in entries:
        if isinstance(entry, Mapping):
            url, kind = str(entry.get("url") or ""), str(entry.get("kind") or "auto")
        else:
            kind, _, rest = str(entry).partition(":")
            url, kind = (rest, kind) if kind in KINDS else (str(entry), "auto")
        url = url.strip()
        if kind not in KINDS:
            raise ConfigError(Errors.E301.format(value=kind, name="feed kind", choices=", ".join(KINDS)))
        if not re.match(r"^https?://", url, re.IGNORECASE):
            raise ConfigError(Errors.E301.format(value=url, name="feed URL", choices="http:// or https:// URLs"))
        out.setdefault(url, Source(url, kind))  # type: ignore[arg-type]
    return list(out.values())


def sniff_kind(content: bytes, content_type: str) -> Kind:
    """Feed, sitemap or ClaimReview by the body: JSON and pages with ClaimReview markup are ClaimReview."""
    head = content[:4096].lstrip()
    if content_type.endswith("json") or head[:1] in (b"{", b"["):
        return "claimreview"
    root = _XML_ROOT.search(head)
    if root is not None:
        return _ROOT_KINDS[root.group(1)]
    if b"ClaimReview" in content:
        return "claimreview"
    return "auto"
