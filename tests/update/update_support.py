"""Helpers for `newsproof update` tests: a one-call update against the local site, and a store's rows.

(A module of its own: tests import these by name, which a `conftest` module cannot offer reliably.)"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from feed_site import FeedSite

from newsproof.config import load_config
from newsproof.update import UpdateOptions, UpdateSummary, run_update
from newsproof.update.settings import options_from_config


def quick_config(timeout_s: float = 1.0) -> dict[str, Any]:
    """Packaged defaults with no host delay, one quick retry and a short fetch time-out."""
    config = load_config()
    return {**config, "fetch": {**config["fetch"], "timeout_s": timeout_s},
            "update": {**config["update"], "host_delay_s": 0.0, "retries": 1, "backoff_s": 0.01,
                       "embedder": "minilm-static"}}


Update = Callable[..., UpdateSummary]


def updater(site: FeedSite, folder: Path) -> Update:
    """`run("/rss.xml", ...)`: one update over the site's paths into folder/store.sqlite."""

    def run(*paths: str, store: Path | None = None, **overrides: Any) -> UpdateSummary:
        config = quick_config()
        options: UpdateOptions = options_from_config(
            config, feeds=[p if "://" in p else site.url(p) for p in paths],
            store_uri=str(store or folder / "store.sqlite"), progress=False, state_path=folder / "state.sqlite",
            allow_private=True, resolver=site.resolve)
        for key, value in overrides.items():
            setattr(options, key, value)
        return run_update(options, config)

    return run



def store_rows(path: Path) -> dict[str, list[tuple]]:
    """Everything an update writes, as sorted rows: passages, checked claims, vector ids."""
    with sqlite3.connect(path) as conn:
        return {
            "passages": conn.execute("SELECT id, text, title, source, url, date, kind FROM passages ORDER BY id").fetchall(),
            "claims": conn.execute("SELECT id, claim, label, verdict, date, source FROM checked_claims ORDER BY id").fetchall(),
            "vectors": conn.execute("SELECT passage_id, model FROM embeddings ORDER BY passage_id").fetchall(),
        }
