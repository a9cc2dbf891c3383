"""`run_update` against the local news site: new items become evidence, re-runs add nothing, edits replace,
304s are honoured, broken feeds are skipped, robots.txt and private addresses are respected."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from feed_site import FeedSite
from update_support import Update, store_rows

from newsproof.evidence.sqlite_store import SQLiteStore
from newsproof.update.state import UpdateState

GOOD = ("/rss.xml", "/atom.xml", "/factchecks.json", "/factcheck/library.html")


def test_new_items_become_dated_embedded_evidence(update: Update, site: FeedSite, tmp_path: Path) -> None:
    summary = update(*GOOD)
    assert (summary.feeds, summary.feeds_failed, summary.items.new, summary.items.failed) == (4, 0, 3, 0)
    assert summary.checked_claims == 3 and summary.evidence_as_of == site.today.isoformat()
    rows = store_rows(tmp_path / "store.sqlite")
    urls = {r[4] for r in rows["passages"]}
    assert urls == {site.url(f"/news/{s.slug}.html") for s in site.stories}  # canonical: no utm_source
    bridge = [r for r in rows["passages"] if r[4].endswith("bridge-vote.html")]
    assert bridge[0][2] == "Riverton council approves new bridge over the Stour"
    assert {r[5] for r in bridge} == {site.today.isoformat()} and {r[3] for r in bridge} == {"The Riverton Courier"}
    assert {r[6] for r in rows["passages"]} == {"news"}
    assert "Margaret Ellison" in " ".join(r[1] for r in bridge)
    assert sorted(r[0] for r in rows["vectors"]) == sorted(r[0] for r in rows["passages"])
    assert {r[3] for r in rows["claims"]} == {"SUPPORTED", "CONTRADICTED"} and len(rows["claims"]) == 3
    with SQLiteStore(tmp_path / "store.sqlite", read_only=True) as store:
        hits = store.search_passages("Stour bridge Riverton council", k=1)
    assert hits and hits[0].passage.url == site.url("/news/bridge-vote.html")


def test_second_run_adds_nothing_and_uses_conditional_gets(update: Update, site: FeedSite, tmp_path: Path) -> None:
    update(*GOOD)
    before = store_rows(tmp_path / "store.sqlite")
    summary = update(*GOOD)
    assert (summary.items.new, summary.items.updated, summary.checked_claims) == (0, 0, 0)
    assert summary.feeds == summary.feeds_not_modified == 4
    assert store_rows(tmp_path / "store.sqlite") == before
    for path in GOOD:
        assert site.hits(path, 304) == 1
    assert site.hits("/news/bridge-vote.html") == 1  # never fetched again: the feeds answered 304


def test_article_pages_answer_304_when_unchanged(update: Update, site: FeedSite) -> None:
    first = update("/sitemap_index.xml")
    assert first.items.new == 3 and "sitemap-missing.xml" in first.errors[0]  # a broken child is reported
    second = update("/sitemap_index.xml")  # sitemaps carry no change stamp: each page is asked conditionally
    assert (second.items.new, second.items.updated, second.items.unchanged) == (0, 0, 3)
    assert second.items.passages_written == 0
    for story in site.stories:
        assert site.hits(f"/news/{story.slug}.html", 304) == 1


def test_changed_article_replaces_its_old_passages(update: Update, site: FeedSite, tmp_path: Path) -> None:
    update("/atom.xml")
    store_path = tmp_path / "store.sqlite"
    old_ids = {r[0] for r in store_rows(store_path)["passages"] if r[4].endswith("bridge-vote.html")}
    site.edit("bridge-vote", ["The Riverton city council postponed its vote on the Stour bridge after a "
                              "flood warning closed the town hall on Tuesday evening."],
              updated=f"{site.today.isoformat()}T15:00:00Z")
    summary = update("/atom.xml")
    assert (summary.items.new, summary.items.updated, summary.items.unchanged) == (0, 1, 2)
    bridge = [r for r in store_rows(store_path)["passages"] if r[4].endswith("bridge-vote.html")]
    assert len(bridge) == 1 and "postponed its vote" in bridge[0][1]
    assert summary.items.passages_deleted == len(old_ids - {bridge[0][0]}) >= 1
    with SQLiteStore(store_path, read_only=True) as store:
        assert store.search_passages("Margaret Ellison finance chair", k=5) == []  # the old text is gone
        assert store.get_passages(sorted(old_ids - {bridge[0][0]})) == []
    vectors = {r[0] for r in store_rows(store_path)["vectors"]}
    assert bridge[0][0] in vectors and not (old_ids - {bridge[0][0]}) & vectors


def test_broken_feeds_are_skipped_and_the_run_goes_on(update: Update, site: FeedSite, tmp_path: Path) -> None:
    summary = update("/feeds/error.xml", "/feeds/slow.xml", "/rss.xml", "/feeds/malformed.xml")
    assert (summary.feeds, summary.feeds_failed, summary.items.new) == (1, 3, 3)
    reasons = "\n".join(summary.errors)
    assert "HTTP status 500" in reasons and "timed out" in reasons and "cannot read feed" in reasons
    assert site.hits("/feeds/error.xml") == 2  # a 5xx is retried once, then given up
    state = UpdateState(_store_key(tmp_path / "store.sqlite"), tmp_path / "state.sqlite")
    broken = state.feed(site.url("/feeds/error.xml"))
    assert broken is not None and broken.failures == 1 and broken.next_poll > dt.datetime.now().timestamp()
    good = state.feed(site.url("/rss.xml"))
    assert good is not None and good.failures == 0 and good.etag and good.last_seen == site.today.isoformat()
    state.close()
    again = update("/feeds/error.xml", "/rss.xml")  # the failing feed backs off until its next poll is due
    assert (again.feeds_deferred, again.feeds_failed) == (1, 0)
    assert summary.failure() is None and again.failure() is None  # partial failure; nothing failed
    assert update("/feeds/error.xml").failure() is None  # not due, so not tried
    forced = update("/feeds/error.xml", force=True)
    failure = forced.failure()
    assert forced.feeds_failed == 1 and failure is not None and failure.code == "NP160"
    assert forced.failed_sources == [site.url("/feeds/error.xml")] and site.url("/feeds/error.xml") in str(failure)


def test_private_addresses_are_refused_unless_allowed(update: Update, tmp_path: Path) -> None:
    summary = update("/rss.xml", allow_private=False)
    assert summary.feeds_failed == 1 and summary.items.new == 0
    assert "non-public address 127.0.0.1" in summary.errors[0]
    assert store_rows(tmp_path / "store.sqlite")["passages"] == []
    assert update("/rss.xml", allow_private=True, force=True).items.new == 3


def test_robots_txt_is_obeyed(update: Update, site: FeedSite) -> None:
    summary = update("/feeds/private.xml")
    assert (summary.items.new, summary.items.skipped) == (0, 1)
    assert site.hits("/private/secret.html") == 0


def test_since_skips_older_items(update: Update, site: FeedSite) -> None:
    summary = update("/rss.xml", since=site.today)
    assert (summary.items.new, summary.items.skipped) == (2, 1)  # the library story is from yesterday


def test_warc_archive_can_be_indexed_again(update: Update, site: FeedSite, tmp_path: Path) -> None:
    from newsproof.evidence.loaders.warc import load_warc

    summary = update("/rss.xml", warc_dir=tmp_path / "warc")
    assert summary.warc is not None
    passages = list(load_warc(Path(summary.warc)))
    assert {p.url for p in passages} == {site.url(f"/news/{s.slug}.html") for s in site.stories}
    assert any("Margaret Ellison" in p.text for p in passages)


def _store_key(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT value FROM meta WHERE key = 'update_instance'").fetchone()[0]
