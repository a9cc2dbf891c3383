"""RSS 2.0, RSS 1.0 and Atom feeds -> items, with feedparser (nothing is fetched by feedparser itself)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import feedparser

from newsproof.errors import error
from newsproof.update.sources import Item, canonical_url


@dataclass
class Feed:
    """A parsed feed: its title, its items and its advised polling interval (RSS <ttl>, minutes)."""

    title: str | None
    items: list[Item]
    ttl_minutes: int | None = None


def _iso(struct: time.struct_time | None) -> str | None:
    return time.strftime("%Y-%m-%d", struct) if struct else None


def parse_feed(content: bytes, url: str) -> Feed:
    """Items of an RSS or Atom document; InputError when it is malformed and lists no linked entry."""
    parsed = feedparser.parse(content, response_headers={"content-location": url, "content-type": "application/xml"},
                              sanitize_html=False, resolve_relative_uris=False)
    items = []
    for entry in parsed.entries:
        link = entry.get("link") or next((lnk.get("href") for lnk in entry.get("links", []) if lnk.get("href")), None)
        if not link or not link.startswith(("http://", "https://")):
            continue
        raw = dict(entry)  # FeedParserDict maps a missing "updated" to "published" (with a warning)
        published = raw.get("published_parsed") or raw.get("updated_parsed")
        stamp = raw.get("updated") or raw.get("published")
        items.append(Item(url=canonical_url(link), feed=url, title=entry.get("title"), date=_iso(published),
                          stamp=stamp))
    if parsed.get("bozo") and not items:
        why = str(parsed.get("bozo_exception") or "not a feed").splitlines()[0][:200]
        raise error("NP160", what="feed", url=url, why=why)
    ttl = str(parsed.feed.get("ttl") or "")
    return Feed(title=parsed.feed.get("title"), items=items, ttl_minutes=int(ttl) if ttl.isdigit() else None)
