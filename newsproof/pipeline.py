"""The `check` pipeline: ingest -> claims -> verify -> detect -> Report.

Every front end (CLI, web app, batch workers) builds one `Checker`, warms it up once,
and calls `check` or `check_article` per article.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from newsproof import __version__
from newsproof.config import load_config
from newsproof.models import Article, Report


class Checker:
    """Check articles end to end against one evidence store."""

    def __init__(self, store_uri: str | None = None, config_path: str | None = None,
                 detector: str = "default", allow_private_urls: bool = False, store: Any = None) -> None:
        self.config_path = config_path
        self.store_uri = store_uri
        self.store = store  # an already open store (evaluation holds passages out through a wrapper)
        self.detector_name = detector
        self.allow_private_urls = allow_private_urls
        self.config_: dict[str, Any] | None = None
        self.store_: Any = None
        self.extractor_: Any = None
        self.verifier_: Any = None
        self.detector_: Any = None

    def warm_up(self) -> None:
        """Open the store and load every model once."""
        if self.verifier_ is not None:
            return
        from newsproof.claims import ClaimExtractor
        from newsproof.detect import get_detector
        from newsproof.evidence import open_store
        from newsproof.verify import Verifier

        self.config_ = self.config()
        uri = self.store_uri or self.config_["store"]["uri"]
        self.store_ = self.store if self.store is not None else open_store(uri, read_only=True)
        self.extractor_ = ClaimExtractor(self.config_["claims"])
        self.extractor_.warm_up()
        self.verifier_ = Verifier(self.store_, self.config_["verify"])
        self.verifier_.warm_up()
        self.detector_ = get_detector(self.detector_name, self.config_["detect"])
        self.detector_.warm_up()

    def evidence_store(self) -> Any:
        """The open evidence store the checks read (warms the Checker up first)."""
        self.warm_up()
        return self.store_

    def config(self) -> dict[str, Any]:
        """The merged configuration (packaged defaults + the user's file)."""
        return self.config_ if self.config_ is not None else load_config(self.config_path)

    def check(self, source: str, date: dt.date | None = None) -> Report:
        """Ingest `source` (path, URL or '-') and check it. Bad input fails before any model loads."""
        from newsproof.ingest import ingest

        started = time.perf_counter()
        article = ingest(source, date=date, config=self.config(), allow_private_urls=self.allow_private_urls)
        return self.check_article(article, ingest_ms=(time.perf_counter() - started) * 1000)

    def check_bytes(self, data: bytes, kind: str | None = None, date: dt.date | None = None,
                    url: str | None = None) -> Report:
        """Check raw article bytes (text, markdown or HTML)."""
        from newsproof.ingest import ingest_bytes

        started = time.perf_counter()
        article = ingest_bytes(data, kind=kind, url=url, date=date, config=self.config())
        return self.check_article(article, ingest_ms=(time.perf_counter() - started) * 1000)

    def check_article(self, article: Article, ingest_ms: float = 0.0) -> Report:
        """Check an already ingested article."""
        from newsproof.report.evidence_base import describe_store
        from newsproof.verify import summarise

        self.warm_up()
        timings = {"ingest": ingest_ms}
        started = time.perf_counter()
        claims = self.extractor_.run(article)
        timings["claims"] = _elapsed_ms(started)
        started = time.perf_counter()
        results = self.verifier_.run(article, claims)
        timings["verify"] = _elapsed_ms(started)
        started = time.perf_counter()
        detection = self.detector_.score(article.text, language=article.language)
        timings["detect"] = _elapsed_ms(started)
        return Report(newsproof_version=__version__, article=article, claims=results,
                      machine_generated=detection, summary=summarise(results),
                      store=getattr(self.store_, "uri", ""), timings_ms={k: round(v, 1) for k, v in timings.items()},
                      evidence_base=describe_store(self.store_))

    def close(self) -> None:
        """Release the store."""
        if self.store_ is not None:
            self.store_.close()


def _elapsed_ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
