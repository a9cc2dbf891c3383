"""Keep the evidence base current: `newsproof update` polls news feeds, sitemaps and ClaimReview sources,
fetches new and changed articles through the SSRF-safe fetcher, and stores them as dated, embedded passages.

Modules: `sources` (what is polled, canonical URLs), `http` (conditional GET), `politeness` (robots.txt,
per-host delay and cap, retries), `feeds` / `sitemaps` / `claimreview_feeds` (readers), `polling` (one
source), `articles` (one item), `writer` (store commits), `state` (the sidecar state table), `runner`
(one run), `schedule` (repeating runs), `freshness` ("evidence as of"), `warc` (`--warc DIR`).
"""

from __future__ import annotations

from newsproof.update.runner import UpdateOptions, UpdateSummary, run_update

__all__ = ["UpdateOptions", "UpdateSummary", "run_update"]
