"""The readers on real-format documents: RSS, Atom, sitemap index and news sitemap, ClaimReview, sniffing."""

from __future__ import annotations

import datetime as dt

import pytest
from feed_site import atom, factcheck_export, factcheck_page, make_stories, news_sitemap, rss, sitemap_index

from newsproof.errors import ConfigError, InputError
from newsproof.models import Verdict
from newsproof.update.claimreview_feeds import page_claimreviews, parse_claimreview_source
from newsproof.update.feeds import parse_feed
from newsproof.update.schedule import parse_interval
from newsproof.update.sitemaps import parse_sitemap
from newsproof.update.sources import Source, canonical_url, parse_sources, sniff_kind

BASE = "https://news.example.com"
TODAY = dt.date(2025, 3, 14)


@pytest.fixture(scope="module")
def stories() -> list:
    return make_stories(TODAY, 3)


def test_rss_items_have_canonical_urls_dates_and_titles(stories: list) -> None:
    feed = parse_feed(rss(stories, BASE), f"{BASE}/rss.xml")
    assert feed.title == "The Riverton Courier"
    assert [i.url for i in feed.items] == [f"{BASE}/news/{s.slug}.html" for s in stories]  # utm_source dropped
    assert feed.items[0].date == "2025-03-14" and feed.items[2].date == "2025-03-13"
    assert feed.items[0].title == "Riverton council approves new bridge over the Stour"


def test_atom_entries_carry_their_updated_stamp(stories: list) -> None:
    stories[0].updated = "2025-03-14T12:30:00Z"
    feed = parse_feed(atom(stories, BASE), f"{BASE}/atom.xml")
    assert feed.items[0].stamp == "2025-03-14T12:30:00Z"
    assert feed.items[1].stamp == "2025-03-14T08:00:00Z"
    stories[0].updated = ""


def test_malformed_feed_is_refused() -> None:
    with pytest.raises(InputError) as exc:
        parse_feed(b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>Half', f"{BASE}/bad.xml")
    assert exc.value.code == "NP160"


def test_sitemap_index_lists_child_sitemaps_and_news_sitemap_lists_pages(stories: list) -> None:
    index = parse_sitemap(sitemap_index(BASE), f"{BASE}/sitemap_index.xml")
    assert index.items == [] and index.sitemaps == [f"{BASE}/sitemap-news.xml", f"{BASE}/sitemap-missing.xml"]
    pages = parse_sitemap(news_sitemap(stories, BASE), f"{BASE}/sitemap-news.xml", feed=f"{BASE}/sitemap_index.xml")
    assert [i.url for i in pages.items] == [f"{BASE}/news/{s.slug}.html" for s in stories]
    assert {i.feed for i in pages.items} == {f"{BASE}/sitemap_index.xml"}


def test_gzipped_sitemap_is_read(stories: list) -> None:
    import gzip

    pages = parse_sitemap(gzip.compress(news_sitemap(stories, BASE)), f"{BASE}/sitemap.xml.gz")
    assert len(pages.items) == 3


def test_html_is_not_a_sitemap() -> None:
    with pytest.raises(InputError):
        parse_sitemap(b"<html><body>hello</body></html>", f"{BASE}/sitemap.xml")


def test_claimreview_export_and_page_become_checked_claims() -> None:
    claims = parse_claimreview_source(factcheck_export(TODAY), f"{BASE}/factchecks.json")
    assert [(c.verdict, c.source, c.date) for c in claims] == [
        (Verdict.CONTRADICTED, "Riverton Fact Check", "2025-03-14"), (Verdict.SUPPORTED, "Riverton Fact Check", "2025-03-14")]
    page = page_claimreviews(factcheck_page(TODAY).decode())
    assert [(c.claim, c.verdict, c.speaker) for c in page] == [
        ("The Millbrook library was closed for ten years.", Verdict.CONTRADICTED, "A council candidate")]
    assert page_claimreviews("<html><p>no markup</p></html>") == []
    with pytest.raises(InputError):
        parse_claimreview_source(b'{"claims": []}', f"{BASE}/empty.json")


def test_kind_is_sniffed_from_the_body(stories: list) -> None:
    assert sniff_kind(rss(stories, BASE), "application/xml") == "feed"
    assert sniff_kind(atom(stories, BASE), "text/xml") == "feed"
    assert sniff_kind(sitemap_index(BASE), "application/xml") == "sitemap"
    assert sniff_kind(factcheck_export(TODAY), "application/json") == "claimreview"
    assert sniff_kind(factcheck_page(TODAY), "text/html") == "claimreview"
    assert sniff_kind(b"<html><body>a page</body></html>", "text/html") == "auto"


def test_sources_from_config_and_command_line() -> None:
    sources = parse_sources([f"{BASE}/rss.xml", f"sitemap:{BASE}/s.xml", {"url": f"{BASE}/f.json", "kind": "claimreview"},
                             f"{BASE}/rss.xml"])
    assert sources == [Source(f"{BASE}/rss.xml"), Source(f"{BASE}/s.xml", "sitemap"),
                       Source(f"{BASE}/f.json", "claimreview")]
    with pytest.raises(ConfigError):
        parse_sources(["ftp://example.com/feed"])
    with pytest.raises(ConfigError):
        parse_sources([{"url": f"{BASE}/x", "kind": "podcast"}])


def test_canonical_url_drops_tracking_parameters_and_fragments() -> None:
    assert canonical_url("HTTPS://News.Example.com:443/a/b.html?utm_source=rss&id=7#top") == \
        "https://news.example.com/a/b.html?id=7"


@pytest.mark.parametrize(("text", "seconds"), [("30m", 1800), ("1h", 3600), ("90s", 90), ("2d", 172800), ("45", 45)])
def test_intervals(text: str, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "0m", "-5m", "1w"])
def test_bad_intervals_are_refused(text: str) -> None:
    with pytest.raises(ConfigError) as exc:
        parse_interval(text)
    assert exc.value.code == "NP162"
