"""Fixtures for `newsproof update` tests: the local news site and a one-call update against it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from feed_site import FeedSite
from update_support import Update, updater


@pytest.fixture
def site() -> Iterator[FeedSite]:
    """A fresh news site on 127.0.0.1 (host news.example.com through the test resolver)."""
    running = FeedSite().start()
    yield running
    running.stop()


@pytest.fixture
def update(site: FeedSite, tmp_path: Path) -> Update:
    """An `updater` on the test's site and tmp_path."""
    return updater(site, tmp_path)
