"""A run killed with SIGKILL part-way, then run again, leaves exactly the store a clean run writes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from feed_site import FeedSite
from update_support import store_rows, updater

HERE = Path(__file__).resolve().parent
CHILD = """
import sys
sys.path.insert(0, {here!r})
from update_support import quick_config
from newsproof.update import run_update
from newsproof.update.settings import options_from_config

config = quick_config()
options = options_from_config(config, feeds={feeds!r}, store_uri={store!r}, state_path={state!r}, progress=False,
                              allow_private=True, resolver=lambda host, port: ["127.0.0.1"])
run_update(options, config)
"""


def _passages(path: Path) -> int:
    try:
        with sqlite3.connect(path, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM passages").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_sigkill_mid_run_then_rerun_equals_a_clean_run(tmp_path: Path) -> None:
    site = FeedSite(n_stories=40).start()
    try:
        for path, route in site.routes.items():
            if path.startswith("/news/"):
                route.delay_s = 0.1  # slow enough to be killed half-way
        feeds = [site.url("/rss.xml"), site.url("/factchecks.json")]
        killed, clean = tmp_path / "killed", tmp_path / "clean"
        killed.mkdir()
        code = CHILD.format(here=str(HERE), feeds=feeds, store=str(killed / "store.sqlite"),
                            state=str(killed / "state.sqlite"))
        child = subprocess.Popen([sys.executable, "-c", code], env={**os.environ, "NEWSPROOF_HOME": str(tmp_path)})
        deadline = time.monotonic() + 240
        while _passages(killed / "store.sqlite") < 10 and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert child.poll() is None, "the run ended before it could be killed"
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        partial = _passages(killed / "store.sqlite")
        assert 10 <= partial < 40

        resumed = updater(site, killed)(*feeds)
        assert resumed.items.failed == 0
        clean.mkdir()
        fresh = updater(site, clean)(*feeds)
        assert fresh.items.new == 40
        assert store_rows(killed / "store.sqlite") == store_rows(clean / "store.sqlite")
        assert updater(site, killed)(*feeds).items.new == 0
    finally:
        site.stop()
