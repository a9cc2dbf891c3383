"""Sitemaps, news sitemaps and sitemap indexes -> page URLs and child sitemaps, with trafilatura's sitemap
reader (lxml without entity resolution or network access; same-site links only, courlan-cleaned), and each
page's `<lastmod>` and news publication date.

Fetching stays with the caller, so every sitemap of an index goes through the SSRF-safe fetcher.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import zlib
from dataclasses import dataclass

from courlan import get_hostinfo
from lxml import etree
from trafilatura.sitemaps import SitemapObject, is_plausible_sitemap

from newsproof.errors import error
from newsproof.update.sources import Item, canonical_url

MAX_GZIP_BYTES = 50_000_000  # the sitemap protocol's own limit for one uncompressed file
_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@dataclass
class Sitemap:
    """What one sitemap lists: pages (as items) and further sitemaps (an index)."""

    items: list[Item]
    sitemaps: list[str]


def _text(content: bytes) -> str:
    if content[:2] == b"\x1f\x8b":
        try:
            content = gzip.GzipFile(fileobj=io.BytesIO(content)).read(MAX_GZIP_BYTES)
        except (OSError, EOFError, zlib.error) as exc:
            raise error("NP160", what="sitemap", url="(gzip)", why=str(exc)) from exc
    return content.decode("utf-8", "replace")


def parse_sitemap(content: bytes, url: str, feed: str | None = None) -> Sitemap:
    """Pages and child sitemaps of one sitemap document (XML, gzip or plain-text list)."""
    text = _text(content)
    domain, base = get_hostinfo(url)
    if domain is None or not is_plausible_sitemap(url, text):
        raise error("NP160", what="sitemap", url=url, why="not an XML or text sitemap")
    reader = SitemapObject(base, domain, [])
    reader.current_url, reader.content = url, text
    reader.process()
    pages = list(dict.fromkeys(canonical_url(u) for u in reader.urls))
    children = [u for u in dict.fromkeys(reader.sitemap_urls) if u != url]
    if not pages and not children and "<loc" not in text:
        raise error("NP160", what="sitemap", url=url, why="it lists no <loc> URL")
    dated = _dates(text) if "lastmod" in text or "publication_date" in text else {}
    items = []
    for page in pages:
        lastmod, published = dated.get(page, (None, None))
        items.append(Item(url=page, feed=feed or url, date=_day(published) or _day(lastmod), stamp=lastmod,
                          lastmod=lastmod))
    return Sitemap(items=items, sitemaps=children)


def w3c_time(value: str | None) -> dt.datetime | None:
    """A W3C datetime (`<lastmod>`: "2025-01-02", "2025-01-02T10:00Z", "...T10:00:00+02:00") as an aware
    datetime (UTC when it gives no zone); None when it is not one."""
    text = (value or "").strip()
    try:
        when = dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _day(value: str | None) -> str | None:
    when = w3c_time(value)
    return when.date().isoformat() if when else None


def _dates(text: str) -> dict[str, tuple[str | None, str | None]]:
    """Canonical page URL -> (`<lastmod>`, `<news:publication_date>`) of an XML sitemap's `<url>` entries."""
    parser = etree.XMLParser(encoding="utf-8", resolve_entities=False, no_network=True, recover=True)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        return {}
    out: dict[str, tuple[str | None, str | None]] = {}
    for entry in root.iter("{*}url") if root is not None else ():
        loc, lastmod = entry.findtext("{*}loc"), entry.findtext("{*}lastmod")
        if loc and loc.strip():
            out.setdefault(canonical_url(loc), ((lastmod or "").strip() or None,
                                                entry.findtext(f"{_NEWS}news/{_NEWS}publication_date")))
    return out
