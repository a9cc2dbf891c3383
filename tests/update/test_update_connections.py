"""`newsproof update` keeps connections to a site alive between its requests (304 answers included) and closes
them when the run ends."""

from __future__ import annotations

import threading
import time
from typing import Any

from feed_site import FeedSite
from update_support import Update, quick_config

GOOD = ("/rss.xml", "/atom.xml", "/factchecks.json", "/factcheck/library.html")


class Connections:
    """Counts the connections the site accepts and the ones that end (the client closed them)."""

    def __init__(self, site: FeedSite) -> None:
        self.opened = self.finished = 0
        self._lock = threading.Lock()
        server = site.server
        accept, finish = server.process_request, server.shutdown_request

        def process_request(request: Any, client_address: Any) -> None:
            with self._lock:
                self.opened += 1
            accept(request, client_address)

        def shutdown_request(request: Any) -> None:
            finish(request)
            with self._lock:
                self.finished += 1

        server.process_request, server.shutdown_request = process_request, shutdown_request

    def all_closed(self, within_s: float = 3.0) -> bool:
        stop = time.monotonic() + within_s
        while self.finished < self.opened and time.monotonic() < stop:
            time.sleep(0.02)
        return self.finished == self.opened


def test_update_reuses_connections_and_closes_them(update: Update, site: FeedSite) -> None:
    per_host = quick_config()["update"]["per_host"]  # requests to one host at a time: no more connections needed
    connections = Connections(site)
    first = update(*GOOD)
    requests = len(site.log)
    assert first.items.new == 3 and requests >= 8
    assert 1 <= connections.opened <= per_host and connections.all_closed()
    opened = connections.opened
    second = update(*GOOD)  # a 304 for every feed
    assert second.feeds_not_modified == 4 and len(site.log) - requests == 4
    assert 1 <= connections.opened - opened <= per_host and connections.all_closed()
