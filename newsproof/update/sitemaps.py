"""Sitemaps, news sitemaps and sitemap indexes -> page URLs and child sitemaps, with trafilatura's sitemap
reader (lxml without entity resolution or network access; same-site links only, courlan-cleaned).

Fetching stays with the caller, so every sitemap of an index goes through the SSRF-safe fetcher.
"""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass

from courlan import get_hostinfo
from trafilatura.sitemaps import SitemapObject, is_plausible_sitemap

from newsproof.errors import error
from newsproof.update.sources import Item, canonical_url

MAX_GZIP_BYTES = 50_000_000  # the sitemap protocol's own limit for one uncompressed file


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
    return Sitemap(items=[Item(url=u, feed=feed or url) for u in pages], sitemaps=children)
