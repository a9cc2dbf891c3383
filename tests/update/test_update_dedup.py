"""One article, one page in the store: a page's own canonical link (same site only) joins the URLs an article is
listed under (AMP, query variants), same text under two URLs is kept once, and a sitemap's <lastmod> spares
fetching pages that did not change."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from feed_site import RSS_TYPE, FeedSite, Route, amp_page, rss
from update_support import Update, store_rows

from newsproof.update.articles import canonical_link
from newsproof.update.sources import same_site


def _page_urls(tmp_path: Path) -> set[str]:
    return {r[4] for r in store_rows(tmp_path / "store.sqlite")["passages"]}


def test_one_article_under_several_urls_is_stored_once(update: Update, site: FeedSite, tmp_path: Path) -> None:
    summary = update("/feeds/variants.xml")  # bridge-vote: page URL, ?output=print, AMP; a partner's copy
    assert (summary.items.new, summary.items.duplicates, summary.items.unchanged) == (2, 2, 2)
    assert site.hits("/amp/news/bridge-vote.html") == 1  # fetched: only the page itself names its canonical URL
    bridge = site.url("/news/bridge-vote.html")
    assert _page_urls(tmp_path) == {bridge, site.url("/partner/library-reopens.html")}  # cross-site link ignored
    rows = store_rows(tmp_path / "store.sqlite")
    assert "Margaret Ellison" in " ".join(r[1] for r in rows["passages"] if r[4] == bridge)  # first listed wins
    assert "Read the full story" not in " ".join(r[1] for r in rows["passages"])
    assert len(rows["vectors"]) == len(rows["passages"])
    assert update("/feeds/variants.xml").items.new == 0


def test_an_amp_url_listed_alone_is_kept_under_its_canonical_page(update: Update, site: FeedSite,
                                                                   tmp_path: Path) -> None:
    bridge = site.stories[0]
    amp = site.url("/amp/news/bridge-vote.html")
    site.routes["/amp/news/bridge-vote.html"] = Route(amp_page(bridge, site.base).replace(b'rel="canonical"', b'rel="x"'))
    site.routes["/feeds/amp.xml"] = Route(rss([bridge], site.base, [amp]), RSS_TYPE)
    assert update("/feeds/amp.xml").items.new == 1 and _page_urls(tmp_path) == {amp}  # no canonical link yet
    site.build()  # the AMP page now names its canonical page, and the feed lists the item as changed
    moved = dataclasses.replace(bridge, date=bridge.date + dt.timedelta(days=1))
    site.routes["/feeds/amp.xml"] = Route(rss([moved], site.base, [amp]), RSS_TYPE)
    summary = update("/feeds/amp.xml")
    assert summary.items.new == 1 and summary.items.passages_deleted >= 1
    assert _page_urls(tmp_path) == {site.url("/news/bridge-vote.html")}
    vectors = {r[0] for r in store_rows(tmp_path / "store.sqlite")["vectors"]}
    assert vectors == {r[0] for r in store_rows(tmp_path / "store.sqlite")["passages"]}


def test_a_variant_of_a_stored_page_does_not_replace_it(update: Update, site: FeedSite, tmp_path: Path) -> None:
    update("/atom.xml")
    before = store_rows(tmp_path / "store.sqlite")
    site.routes["/feeds/amp.xml"] = Route(rss([site.stories[0]], site.base, [site.url("/amp/news/bridge-vote.html")]),
                                          RSS_TYPE)
    summary = update("/feeds/amp.xml")
    assert (summary.items.new, summary.items.duplicates) == (0, 1)
    assert store_rows(tmp_path / "store.sqlite") == before


def test_the_same_text_under_two_urls_in_one_run_is_kept_once(update: Update, site: FeedSite, tmp_path: Path) -> None:
    bridge = site.stories[0]
    site.routes["/copy/bridge-vote.html"] = Route(bridge.html(canonical="https://elsewhere.example.net/bridge.html"))
    site.routes["/feeds/copies.xml"] = Route(rss([bridge, bridge], site.base, [
        site.url("/news/bridge-vote.html"), site.url("/copy/bridge-vote.html")]), RSS_TYPE)
    summary = update("/feeds/copies.xml")
    assert (summary.items.new, summary.items.duplicates) == (1, 1)
    assert _page_urls(tmp_path) == {site.url("/news/bridge-vote.html")}


def test_sitemap_lastmod_spares_fetching_unchanged_pages(update: Update, site: FeedSite, tmp_path: Path) -> None:
    first = update("/sitemap-lastmod.xml")
    assert first.items.new == 3
    today = site.today.isoformat()
    site.edit("bridge-vote", ["The Riverton city council postponed its vote on the Stour bridge after a flood "
                              "warning closed the town hall on Tuesday evening."], updated=f"{today}T15:00:00Z")
    site.edit("harbour-strike", ["Dock workers at Port Alden voted to extend their strike by another week, the "
                                 "union said on Tuesday."], updated=f"{today}T07:00:00+00:00")  # lastmod went back
    second = update("/sitemap-lastmod.xml")  # the sitemap changed, so it is read again
    assert (second.items.new, second.items.updated, second.items.unchanged) == (0, 1, 2)
    assert site.hits("/news/bridge-vote.html") == 2
    assert site.hits("/news/harbour-strike.html") == site.hits("/news/library-reopens.html") == 1  # no request
    text = " ".join(r[1] for r in store_rows(tmp_path / "store.sqlite")["passages"])
    assert "postponed its vote" in text and "returned to work" in text  # the older lastmod was not fetched
    other = update("/sitemap-lastmod.xml", store=tmp_path / "other.sqlite", since=site.today)
    assert (other.items.new, other.items.skipped) == (2, 1)  # the library story is dated yesterday in the sitemap


@pytest.mark.parametrize(("href", "expected"), [
    ('href="/news/a.html?utm_source=x"', "http://news.example.com:8080/news/a.html"),
    ("href=https://amp.example.com/news/a.html", "https://amp.example.com/news/a.html"),
    ('href="https://example.org/news/a.html"', None),  # another registered domain
    ('href="/"', None),  # a home page canonical (a broken CMS) is not an article's URL
    ('href="javascript:void(0)"', None),
    ('href="/a.html?p=1&amp;q=2"', "http://news.example.com:8080/a.html?p=1&q=2"),
])
def test_canonical_link(href: str, expected: str | None) -> None:
    page = f'<html><head><link rel="amphtml" href="/amp/x.html"><LINK {href} REL="Canonical"></head><body>'
    assert canonical_link(page, "http://news.example.com:8080/amp/a.html") == expected
    assert canonical_link(f"<head></head><body><link rel=canonical {href}>", "http://news.example.com/") is None


def test_same_site() -> None:
    assert same_site("https://amp.example.co.uk/a", "http://www.example.co.uk/b")
    assert not same_site("https://evil.co.uk/a", "https://example.co.uk/a")
    assert not same_site("https://a.github.io/x", "https://b.github.io/x")  # a public suffix is no site
    assert same_site("http://127.0.0.1:8000/a", "http://127.0.0.1:8000/b")
    assert not same_site("http://127.0.0.1:8001/a", "http://127.0.0.1:8000/b")
