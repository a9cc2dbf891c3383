"""The updater's memory, a sidecar SQLite file ($NEWSPROOF_HOME/update-state.sqlite).

Per feed: its validators (ETag, Last-Modified), when it was polled, the newest item date seen, its
consecutive failures and when to poll it next. Per item: the page URL and content hash stored, the
source's change stamp and the page's validators, or its failures. Rows are keyed by the evidence store's
own instance id (kept in the store's meta table), so a re-created store starts with a clean memory.
An item's row is written only after its passages and vectors are committed, and a feed's only after all
of its items: a run killed at any point is repeated where it stopped.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from newsproof.paths import home_dir

STATE_FILE = "update-state.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (store TEXT NOT NULL, url TEXT NOT NULL, kind TEXT, title TEXT, etag TEXT,
  last_modified TEXT, last_polled REAL, last_seen TEXT, failures INTEGER NOT NULL DEFAULT 0, next_poll REAL,
  last_error TEXT, items INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (store, url));
CREATE TABLE IF NOT EXISTS items (store TEXT NOT NULL, url TEXT NOT NULL, page_url TEXT, feed TEXT, stamp TEXT,
  content_hash TEXT, etag TEXT, last_modified TEXT, date TEXT, status TEXT NOT NULL, failures INTEGER NOT NULL
  DEFAULT 0, last_error TEXT, fetched_at REAL, PRIMARY KEY (store, url));
CREATE INDEX IF NOT EXISTS items_hash ON items(store, content_hash);
CREATE INDEX IF NOT EXISTS items_status ON items(store, status);
CREATE INDEX IF NOT EXISTS items_page ON items(store, page_url);
"""


@dataclass
class FeedState:
    """One feed's row."""

    url: str
    kind: str | None = None
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_polled: float | None = None
    last_seen: str | None = None
    failures: int = 0
    next_poll: float | None = None
    last_error: str | None = None
    items: int = 0


@dataclass
class ItemState:
    """One item's row: status "ok" (stored), "duplicate" (same text as another page) or "failed"."""

    url: str
    page_url: str | None = None
    feed: str | None = None
    stamp: str | None = None
    content_hash: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    date: str | None = None
    status: str = "ok"
    failures: int = 0
    last_error: str | None = None
    fetched_at: float | None = None


def _columns(cls: type) -> str:
    return ", ".join(f.name for f in fields(cls))


class UpdateState:
    """Feed and item rows of one evidence store (by its instance id); thread-safe."""

    def __init__(self, store_key: str, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else home_dir() / STATE_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.store_key = store_key
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30.0)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(f"BEGIN IMMEDIATE;{_SCHEMA}COMMIT;")

    def _one(self, cls: type, table: str, url: str):  # type: ignore[no-untyped-def]
        with self._lock:
            row = self._conn.execute(f"SELECT {_columns(cls)} FROM {table} WHERE store = ? AND url = ?",
                                     (self.store_key, url)).fetchone()
        return cls(*row) if row else None

    def _save(self, table: str, rows: list) -> None:  # type: ignore[type-arg]
        if not rows:
            return
        cols = _columns(type(rows[0]))
        marks = ",".join("?" * (len(fields(rows[0])) + 1))
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.executemany(f"INSERT OR REPLACE INTO {table} (store, {cols}) VALUES ({marks})",
                                       [(self.store_key, *astuple(r)) for r in rows])
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def feed(self, url: str) -> FeedState | None:
        """The row of a feed, if it was polled before."""
        return self._one(FeedState, "feeds", url)

    def save_feed(self, state: FeedState) -> None:
        """Write a feed's row."""
        self._save("feeds", [state])

    def item(self, url: str) -> ItemState | None:
        """The row of an item (by canonical URL)."""
        return self._one(ItemState, "items", url)

    def save_items(self, states: list[ItemState]) -> None:
        """Write item rows in one transaction."""
        self._save("items", states)

    def holder_of(self, content_hash: str, page_url: str, url: str | None = None) -> str | None:
        """Another stored page with exactly this text, if any (the first stored keeps it); item `url`'s own
        row does not count."""
        with self._lock:
            row = self._conn.execute(
                "SELECT page_url FROM items WHERE store = ? AND content_hash = ? AND status = 'ok' AND page_url != ? "
                "AND url != ? LIMIT 1", (self.store_key, content_hash, page_url, url or "")).fetchone()
        return row[0] if row else None

    def page_held(self, page_url: str, url: str) -> bool:
        """Whether an item other than `url` has its article stored under `page_url`."""
        with self._lock:
            row = self._conn.execute("SELECT 1 FROM items WHERE store = ? AND page_url = ? AND status = 'ok' "
                                     "AND url != ? LIMIT 1", (self.store_key, page_url, url)).fetchone()
        return row is not None

    def failed_items(self, max_failures: int) -> list[ItemState]:
        """Items that failed fewer than `max_failures` times in a row: tried again on the next run."""
        with self._lock:
            rows = self._conn.execute(f"SELECT {_columns(ItemState)} FROM items WHERE store = ? AND status = 'failed' "
                                      "AND failures < ? ORDER BY url", (self.store_key, max_failures)).fetchall()
        return [ItemState(*r) for r in rows]

    def feeds(self) -> list[FeedState]:
        """Every feed row of this store, by URL."""
        with self._lock:
            rows = self._conn.execute(f"SELECT {_columns(FeedState)} FROM feeds WHERE store = ? ORDER BY url",
                                      (self.store_key,)).fetchall()
        return [FeedState(*r) for r in rows]

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._conn.close()


def now() -> float:
    """Wall-clock seconds (the state table keeps epoch times)."""
    return time.time()
