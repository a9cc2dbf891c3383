"""Repeating updates and "evidence as of": the foreground loop, the web server's switch, the freshness query."""

from __future__ import annotations

import threading
from pathlib import Path

from feed_site import FeedSite
from update_support import Update

from newsproof.config import load_config
from newsproof.update import freshness
from newsproof.update.schedule import repeat, start_background


def test_repeat_runs_until_stopped() -> None:
    stop, runs = threading.Event(), []

    def run() -> None:
        runs.append(1)
        if len(runs) == 3:
            stop.set()

    repeat(0.01, run, stop)
    assert len(runs) == 3


def test_web_server_updates_only_when_every_and_feeds_are_set() -> None:
    config = load_config()
    assert start_background(config, None, "x.sqlite") is None  # packaged default: every = ""
    no_feeds = {**config, "update": {**config["update"], "every": "1h", "feeds": []}}
    assert start_background(no_feeds, None, "x.sqlite") is None


def test_evidence_as_of_is_the_newest_news_item_not_in_the_future(update: Update, site: FeedSite,
                                                                  tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite"
    assert freshness.evidence_as_of_uri(str(tmp_path / "missing.sqlite")) is None
    update("/rss.xml")
    freshness.forget()
    assert freshness.evidence_as_of_uri(f"sqlite:///{store}") == site.today.isoformat()
    import sqlite3

    with sqlite3.connect(store) as conn:  # a page with a wrong, future date does not move it
        conn.execute("UPDATE passages SET date = '2999-01-01' WHERE url LIKE '%harbour-strike%'")
    freshness.forget()
    assert freshness.evidence_as_of_uri(f"sqlite:///{store}") == site.today.isoformat()
