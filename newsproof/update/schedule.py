"""Repeating updates: `newsproof update --every 30m` in the foreground, and the web server's background
updater (`[update] every = "1h"`), which runs each update in a child process so checks stay responsive."""

from __future__ import annotations

import logging
import multiprocessing
import re
import threading
import time
from collections.abc import Callable

from newsproof.errors import error

log = logging.getLogger("newsproof.update")
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
_UNIT_S = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_interval(text: str) -> float:
    """Seconds in "90s", "30m", "1h", "1d" (a bare number is seconds); NP162 otherwise."""
    match = _INTERVAL.match(str(text))
    if match is None or float(match.group(1)) <= 0:
        raise error("NP162", value=text)
    return float(match.group(1)) * _UNIT_S[match.group(2).lower()]


def repeat(every_s: float, run: Callable[[], object], stop: threading.Event) -> None:
    """Call `run` now and then every `every_s` seconds (measured start to start) until `stop` is set."""
    while not stop.is_set():
        begin = time.monotonic()
        run()
        stop.wait(max(every_s - (time.monotonic() - begin), 0.0))


def _update_once(config_path: str | None, store_uri: str | None) -> None:
    """Body of the background child process: one update from `[update]` of the config."""
    from newsproof.config import load_config
    from newsproof.update.runner import run_update
    from newsproof.update.settings import options_from_config

    config = load_config(config_path)
    options = options_from_config(config, store_uri=store_uri, progress=False)
    summary = run_update(options, config)
    log.info("update: %d new, %d updated, %d unchanged, %d failed; evidence as of %s", summary.items.new,
             summary.items.updated, summary.items.unchanged, summary.items.failed, summary.evidence_as_of)


class BackgroundUpdater:
    """Runs an update every `every_s` seconds in a fresh child process, from a daemon thread."""

    def __init__(self, every_s: float, config_path: str | None, store_uri: str | None,
                 timeout_s: float | None = None) -> None:
        self.every_s, self.config_path, self.store_uri = every_s, config_path, store_uri
        self.timeout_s = timeout_s or every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=repeat, args=(every_s, self._run_child, self._stop),
                                        name="newsproof-updater", daemon=True)
        self._child: multiprocessing.process.BaseProcess | None = None
        self.runs = 0

    def start(self) -> BackgroundUpdater:
        """Start the thread; the first update begins at once."""
        self._thread.start()
        return self

    def _run_child(self) -> None:
        child = multiprocessing.get_context("spawn").Process(
            target=_update_once, args=(self.config_path, self.store_uri), name="newsproof-update", daemon=True)
        self._child = child
        child.start()
        child.join(self.timeout_s)
        if child.is_alive():  # a run may not outlast its interval: the next one resumes its work
            child.terminate()
            child.join(5)
            log.warning("update: run stopped after %.0f s", self.timeout_s)
        elif child.exitcode:
            log.warning("update: run failed (exit code %s)", child.exitcode)
        self.runs += 1

    def stop(self) -> None:
        """Stop repeating and end a running child process."""
        self._stop.set()
        child = self._child
        if child is not None and child.is_alive():
            child.terminate()
            child.join(5)
        self._thread.join(10)


def start_background(config: dict, config_path: str | None, store_uri: str | None) -> BackgroundUpdater | None:
    """The web server's updater when `[update] every` is set (and feeds are listed); None otherwise."""
    settings = config["update"]
    every = settings["every"].strip()
    if not every or not settings["feeds"]:
        return None
    return BackgroundUpdater(parse_interval(every), config_path, store_uri).start()
