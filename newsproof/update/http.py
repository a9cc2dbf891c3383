"""Conditional GET through the SSRF-safe fetcher: feed media types, ETag / Last-Modified, 304, status codes.

`UpdateFetcher` is `newsproof.ingest.fetch.Fetcher` (same address pinning, redirect re-checks, size
and time limits) with three additions the updater needs: it sends `If-None-Match` /
`If-Modified-Since`, it accepts XML and JSON bodies (feeds, sitemaps, fact-check exports), and it
reports the status and validators of the answer. HTTP failures carry their status, so the caller
can tell a transient failure (timeout, 429, 5xx: retry later) from a permanent one. The updater builds it
with `reuse_connections=True`, so the items of one site share kept-alive connections; close it when done.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import httpx

from newsproof.errors import Errors, FetchError
from newsproof.ingest.fetch import ALLOWED_CONTENT_TYPES, FetchedPage, Fetcher

FEED_CONTENT_TYPES = (
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
    "application/json", "application/ld+json", "application/feed+json", "application/x-gzip",
)
CONTENT_TYPES = ALLOWED_CONTENT_TYPES + FEED_CONTENT_TYPES
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass
class Validators:
    """What a conditional GET sends back: the ETag and Last-Modified of the copy we have."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Answer(FetchedPage):
    """A fetched body (empty for 304) with its status and the server's validators."""

    status: int = 200
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """The server answered 304: our copy is current."""
        return self.status == 304


class HttpStatusError(FetchError):
    """An HTTP error status; `transient` ones (429, 5xx, 408) are worth retrying."""

    def __init__(self, url: str, status: int, retry_after: float | None = None) -> None:
        super().__init__(Errors.E122.format(url=url, why=f"HTTP status {status}"), code="E122")
        self.status = status
        self.retry_after = retry_after

    @property
    def transient(self) -> bool:
        """Whether a later try may succeed."""
        return self.status in TRANSIENT_STATUSES


def is_transient(exc: Exception) -> bool:
    """Timeouts, connection failures, 429 and 5xx are transient; refusals and 4xx are not."""
    if isinstance(exc, HttpStatusError):
        return exc.transient
    if isinstance(exc, FetchError):
        cause = exc.__cause__
        return isinstance(cause, httpx.TransportError) or "timed out" in str(exc)
    return False


class UpdateFetcher(Fetcher):
    """The SSRF-safe fetcher with conditional GET and the media types of feeds and sitemaps."""

    validators: Validators | None = None

    def get(self, url: str, validators: Validators | None = None) -> Answer:
        """Fetch `url`, sending `validators` as a conditional GET; a 304 comes back as `Answer.not_modified`."""
        one = copy.copy(self)  # per-request validators; the fetcher itself is shared between threads
        one.validators = validators
        page = one.fetch(url)
        assert isinstance(page, Answer)
        return page

    def _request(self, url: httpx.URL, ip: str) -> dict:
        request = super()._request(url, ip)
        headers = {**request["headers"], "Accept": ", ".join(CONTENT_TYPES) + ", */*;q=0.1"}
        if self.validators is not None and self.validators.etag:
            headers["If-None-Match"] = self.validators.etag
        if self.validators is not None and self.validators.last_modified:
            headers["If-Modified-Since"] = self.validators.last_modified
        return {**request, "headers": headers}

    def _read(self, url: httpx.URL, response: httpx.Response, deadline: float) -> FetchedPage:
        etag, modified = response.headers.get("etag"), response.headers.get("last-modified")
        if response.status_code == 304:
            response.read()  # a 304 has no body; reading its end lets the connection be reused
            return Answer(url=str(url), content=b"", content_type="", status=304, etag=etag, last_modified=modified)
        if response.status_code >= 400:
            raise HttpStatusError(str(url), response.status_code, _retry_after(response.headers.get("retry-after")))
        media_type = response.headers.get("content-type", "").partition(";")[0].strip().lower()
        if media_type not in CONTENT_TYPES:
            why = f"content type {media_type or 'missing'!r} is not a page, feed, sitemap or JSON document"
            raise FetchError(Errors.E121.format(url=url, why=why), code="E121")
        # The body is read under the base class's size and time limits, as a page of an accepted type.
        response.headers["content-type"] = response.headers["content-type"].replace(media_type, "text/plain", 1)
        page = super()._read(url, response, deadline)
        return Answer(url=page.url, content=page.content, content_type=media_type, charset=page.charset,
                      status=response.status_code, etag=etag, last_modified=modified)


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header given in seconds (HTTP dates are ignored)."""
    try:
        return max(float(value), 0.0) if value else None
    except ValueError:
        return None
