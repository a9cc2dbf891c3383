"""Report retention: delete reports (they hold full article text) older than `[web] keep_days`,
once at start-up and then once a day, on a daemon thread of its own."""

from __future__ import annotations

import logging
import threading

from newsproof.web.storage import StateStore

log = logging.getLogger("newsproof.web.retention")
DAY_S = 86_400.0


class RetentionSweeper:
    """Purge old reports and finished jobs now, then every `interval_s` seconds until stopped."""

    def __init__(self, state: StateStore, keep_days: int, interval_s: float = DAY_S) -> None:
        self.state, self.keep_days, self.interval_s = state, keep_days, interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.sweeps = 0

    def sweep(self) -> tuple[int, int]:
        """One purge; (reports, jobs) deleted. keep_days 0 keeps everything."""
        self.sweeps += 1
        if self.keep_days <= 0:
            return 0, 0
        reports, jobs = self.state.purge(self.keep_days)
        if reports or jobs:
            log.info("retention: deleted %d report(s) and %d job(s) older than %d day(s)",
                     reports, jobs, self.keep_days)
        return reports, jobs

    def start(self) -> None:
        """Sweep now (before the server takes requests), then daily on a daemon thread."""
        self.sweep()
        if self.keep_days > 0:
            self._thread = threading.Thread(target=self._loop, name="newsproof-retention", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop the daily sweeps."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.sweep()
            except Exception:  # a locked or broken state file must not kill the thread; try again tomorrow
                log.exception("retention sweep failed")
