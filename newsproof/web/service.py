"""The web app's Checker, in a process of its own, shared by request handlers and the batch worker.

Checking is CPU-bound Python; run in a thread of the server process it would hold the GIL and starve the
event loop, so every request (even /healthz) would slow down while a check runs. The Checker therefore
lives in one child process, warmed up once at start; the server process only queues work and stores results.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import re
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from newsproof.errors import Errors, FetchError, ModelError
from newsproof.web.settings import WebSettings
from newsproof.web.storage import StateStore

log = logging.getLogger("newsproof.web")
_HTTP_URL = re.compile(r"^https?://", re.IGNORECASE)


class ArticleInput(BaseModel):
    """One article to check: exactly one of `text`, `html` or `url`."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"text": "Quds Force commander Qasem Soleimani was killed in a US drone strike near "
                              "Baghdad airport on 27 May 2021.", "date": "2021-05-28"}]})

    text: str | None = Field(default=None, description="Plain-text article body.")
    html: str | None = Field(default=None, description="An HTML page; the main text is extracted.")
    url: str | None = Field(default=None, description="An http(s) URL to fetch.", max_length=4096)
    markdown: bool = Field(default=False, description="Treat `text` as Markdown.")
    date: dt.date | None = Field(default=None, description="Publication date when the article does not say.")

    @model_validator(mode="after")
    def _exactly_one_source(self) -> ArticleInput:
        given = [name for name in ("text", "html", "url") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of text, html or url (got {', '.join(given) or 'none'})")
        return self

    def source(self) -> tuple[Literal["text", "html", "markdown", "url"], str]:
        """(kind, value) of the one source given; URLs must be http(s)."""
        if self.url is not None:
            url = self.url.strip()
            if not _HTTP_URL.match(url):
                why = "only http:// and https:// URLs are accepted"
                raise FetchError(Errors.E121.format(url=url[:200], why=why), code="NP121")
            return "url", url
        if self.html is not None:
            return "html", self.html
        return ("markdown" if self.markdown else "text"), self.text or ""


# ---------------------------------------------------------------- inside the check process
_checker: Any = None


def _ignore_interrupts() -> None:
    """Process initializer: Ctrl-C is the server's to handle; it stops this process in order."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start_checker(options: dict[str, Any]) -> str:
    """First task of the check process: build and warm the Checker once; return the store URI."""
    global _checker
    from newsproof.pipeline import Checker

    _checker = Checker(**options)
    return str(getattr(_checker.evidence_store(), "uri", ""))


def _check(kind: str, value: str | bytes, date: dt.date | None) -> tuple[str, str | None]:
    """Run the pipeline; return the JSON report and the article title."""
    if kind == "url":
        report = _checker.check(str(value), date=date)
    else:
        # JSON may carry lone surrogates (\ud800); they cannot be UTF-8, so they become "?".
        data = value.encode("utf-8", "replace") if isinstance(value, str) else value
        report = _checker.check_bytes(data, kind=None if kind == "auto" else kind, date=date)
    return report.model_dump_json(), report.article.title


# ---------------------------------------------------------------- in the server process
class CheckService:
    """Queue checks to the check process and store their reports in the state file."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        self.state = StateStore(settings.state_path())
        self.store_uri = ""
        self._options = {"store_uri": settings.store_uri, "config_path": settings.config_path,
                         "detector": settings.detector, "allow_private_urls": settings.allow_private_urls}
        self._pool: ProcessPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def start(self) -> None:
        """Start the check process and wait until its Checker is warm (store open, models loaded)."""
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_ignore_interrupts)
        self.store_uri = self._pool.submit(_start_checker, self._options).result()

    def check(self, item: ArticleInput) -> tuple[str, str]:
        """Check one article, store the report; return (report id, JSON report)."""
        kind, value = item.source()
        return self._check_and_save(kind, value, item.date)

    def check_upload(self, data: bytes, kind: str | None, date: dt.date | None) -> tuple[str, str]:
        """Check an uploaded file (kind None: sniffed); return (report id, JSON report)."""
        return self._check_and_save(kind or "auto", data, date)

    def _check_and_save(self, kind: str, value: str | bytes, date: dt.date | None) -> tuple[str, str]:
        pool = self._pool
        if pool is None:
            raise ModelError("the checker is not running", code="NP400")
        try:
            body, title = pool.submit(_check, kind, value, date).result()
        except BrokenProcessPool as exc:
            self._restart(pool)
            raise ModelError("the check process stopped unexpectedly and was restarted; try again",
                             code="NP400") from exc
        return self.state.save_report(body, title), body

    def _restart(self, broken: ProcessPoolExecutor) -> None:
        with self._pool_lock:
            if self._pool is broken:
                log.error("check process died; starting a new one")
                broken.shutdown(wait=False, cancel_futures=True)
                self.start()

    def close(self) -> None:
        """Stop the check process and close the state file."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self.state.close()
