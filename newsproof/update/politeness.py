"""Per-host politeness: robots.txt (standard library parser), a delay between requests, a concurrency cap,
and retries with exponential back-off for transient failures."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from newsproof.errors import FetchError
from newsproof.ingest.fetch import USER_AGENT
from newsproof.update.http import Answer, HttpStatusError, UpdateFetcher, Validators, is_transient

ROBOTS_AGENT = USER_AGENT.split("/")[0]  # robots.txt groups name the product token: "newsproof"
MAX_BACKOFF_S = 60.0


@dataclass
class Politeness:
    """Settings: seconds between two requests to one host, parallel requests per host, retries, first back-off."""

    delay_s: float = 1.0
    per_host: int = 2
    retries: int = 2
    backoff_s: float = 1.0
    robots: bool = True


@dataclass
class _Host:
    slots: threading.Semaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    robots_lock: threading.Lock = field(default_factory=threading.Lock)
    next_at: float = 0.0
    robots: RobotFileParser | None = None
    delay_s: float = 0.0


class PoliteClient:
    """Fetches through `UpdateFetcher` one host at a time as the settings allow; safe to share between threads."""

    def __init__(self, fetcher: UpdateFetcher, settings: Politeness | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.fetcher = fetcher
        self.settings = settings or Politeness()
        self.sleep = sleep
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()
        self.requests = 0

    def close(self) -> None:
        """Close the fetcher's kept connections."""
        self.fetcher.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _host(self, url: str) -> tuple[str, _Host]:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}".lower()
        with self._lock:
            host = self._hosts.get(key)
            if host is None:
                host = self._hosts[key] = _Host(threading.Semaphore(max(self.settings.per_host, 1)),
                                                delay_s=self.settings.delay_s)
        return key, host

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's host lets newsproof fetch it (read once per host and run)."""
        if not self.settings.robots:
            return True
        key, host = self._host(url)
        with host.robots_lock:
            if host.robots is None:
                host.robots = self._read_robots(key)
                delay = host.robots.crawl_delay(ROBOTS_AGENT)
                if delay is not None:
                    host.delay_s = max(host.delay_s, min(float(delay), MAX_BACKOFF_S))
        return host.robots.can_fetch(ROBOTS_AGENT, url)

    def _read_robots(self, origin: str) -> RobotFileParser:
        """RFC 9309: a 4xx means no rules; a server error or no answer means stay away for this run."""
        robots = RobotFileParser(f"{origin}/robots.txt")
        try:
            answer = self._get(f"{origin}/robots.txt", None)
            robots.parse(answer.content.decode(answer.charset or "utf-8", "replace").splitlines())
        except HttpStatusError as exc:
            robots.allow_all = not exc.transient
            robots.disallow_all = exc.transient
        except FetchError as exc:
            robots.allow_all = "content type" in str(exc)  # a robots.txt served as something else: no rules
            robots.disallow_all = not robots.allow_all
        return robots

    def get(self, url: str, validators: Validators | None = None) -> Answer:
        """Fetch with retries: transient failures wait `backoff_s * 2**try` (or Retry-After) and try again."""
        attempt = 0
        while True:
            try:
                return self._get(url, validators)
            except FetchError as exc:
                if attempt >= self.settings.retries or not is_transient(exc):
                    raise
                wait = getattr(exc, "retry_after", None) or self.settings.backoff_s * 2**attempt
                self.sleep(min(wait, MAX_BACKOFF_S))
                attempt += 1

    def _get(self, url: str, validators: Validators | None) -> Answer:
        """One request inside the host's concurrency cap, spaced by its delay."""
        _, host = self._host(url)
        with host.slots:
            with host.lock:
                now = time.monotonic()
                wait = host.next_at - now
                host.next_at = max(now, host.next_at) + host.delay_s
            if wait > 0:
                self.sleep(wait)
            with self._lock:
                self.requests += 1
            return self.fetcher.get(url, validators)
