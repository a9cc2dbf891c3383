""""Evidence as of <date>": the newest dated news item of a store (shown by /healthz and in reports)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Any

META_KEY = "evidence_as_of"  # kept by `newsproof update` for backends without a direct query
CACHE_S = 60.0
_cache: dict[str, tuple[float, str | None]] = {}
_lock = threading.Lock()


def newest_item_date(store: Any) -> str | None:
    """ISO date of the newest news passage dated no later than today (future dates are bad metadata)."""
    method = getattr(store, "newest_passage_date", None)
    if callable(method):
        return method()
    path = getattr(store, "path", None)
    if path is not None:  # SQLite: one step down the date index
        today = dt.date.today().isoformat()
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5.0) as conn:
                row = conn.execute("SELECT date FROM passages WHERE kind = 'news' AND date IS NOT NULL AND date <= ? "
                                   "ORDER BY date DESC LIMIT 1", (today,)).fetchone()
            return row[0] if row else None
        except sqlite3.Error:
            return None
    getter = getattr(store, "get_meta", None)
    return getter(META_KEY) if callable(getter) else None


def _cached(key: str, compute: Callable[[], str | None]) -> str | None:
    now = time.monotonic()
    with _lock:
        hit = _cache.get(key)
        if hit is not None and now - hit[0] < CACHE_S:
            return hit[1]
    value = compute()
    with _lock:
        _cache[key] = (now, value)
    return value


def evidence_as_of(store: Any) -> str | None:
    """`newest_item_date`, cached per store for a minute (cheap enough for every report and health check)."""
    return _cached(str(getattr(store, "uri", id(store))), lambda: newest_item_date(store))


def evidence_as_of_uri(uri: str) -> str | None:
    """`evidence_as_of` of the store at `uri`, opened read-only for the question (None if it cannot be)."""

    def compute() -> str | None:
        from newsproof.errors import NewsproofError
        from newsproof.evidence import open_store

        try:
            store = open_store(uri, read_only=True, progress=False)
        except NewsproofError:
            return None
        try:
            return newest_item_date(store)
        finally:
            store.close()

    return _cached(uri, compute)


def forget() -> None:
    """Drop cached answers (after an update run)."""
    with _lock:
        _cache.clear()


def record(store: Any, dates: list[str]) -> None:
    """Keep the store's meta value current with newly written item dates (for backends read through it)."""
    setter, getter = getattr(store, "set_meta", None), getattr(store, "get_meta", None)
    today = dt.date.today().isoformat()
    newest = max((d for d in dates if d and d <= today), default=None)
    if newest is None or not callable(setter) or not callable(getter):
        return
    current = getter(META_KEY)
    if current is None or newest > current:
        setter(META_KEY, newest)
    forget()
