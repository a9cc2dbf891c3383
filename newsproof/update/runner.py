"""`run_update`: poll every source, fetch the new and changed items, store them as evidence, print a summary.

Sources are polled with conditional GETs; their items are deduplicated by canonical URL and skipped when the
source's change stamp is the one remembered; the rest are fetched by a thread pool (per-host politeness in
`PoliteClient`) and committed in listing order, so two runs over the same sources write the same store.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsproof.errors import NewsproofError, error
from newsproof.evidence import open_store
from newsproof.evidence.protocol import EvidenceStore
from newsproof.ingest.fetch import Resolver
from newsproof.update import freshness
from newsproof.update.articles import fetch_item
from newsproof.update.http import UpdateFetcher
from newsproof.update.politeness import PoliteClient, Politeness
from newsproof.update.polling import Polled, poll_source
from newsproof.update.sitemaps import w3c_time
from newsproof.update.sources import Item, Source
from newsproof.update.state import FeedState, ItemState, UpdateState, now
from newsproof.update.writer import Committer, Tally

INSTANCE_KEY = "update_instance"
FEED_BACKOFF_S = 300.0
MAX_FEED_BACKOFF_S = 86_400.0


@dataclass
class UpdateOptions:
    """One run's settings (the CLI and the web server fill them from `[update]` and their options)."""

    sources: list[Source]
    store_uri: str = "default"
    since: dt.date | None = None
    allow_private: bool = False
    warc_dir: Path | None = None
    embed: bool = True
    embedder: str | None = None
    workers: int = 4
    politeness: Politeness = field(default_factory=Politeness)
    state_path: Path | None = None
    force: bool = False
    max_item_failures: int = 3
    max_sitemaps: int = 50
    progress: bool = True
    resolver: Resolver | None = None  # host name -> addresses (a fixed map in tests); None: the system's DNS


@dataclass
class UpdateSummary:
    """What a run did."""

    feeds: int = 0
    feeds_not_modified: int = 0
    feeds_failed: int = 0
    feeds_deferred: int = 0
    items: Tally = field(default_factory=Tally)
    checked_claims: int = 0
    evidence_as_of: str | None = None
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    failed_sources: list[str] = field(default_factory=list)
    warc: str | None = None

    def failure(self) -> NewsproofError | None:
        """NP160 when every polled source failed (at least one polled, none answered); None otherwise,
        partial failures included. A one-off `newsproof update` exits with it after its summary."""
        if self.feeds or not self.failed_sources:
            return None
        count = len(self.failed_sources)
        shown = ", ".join(self.failed_sources[:3]) + (", ..." if count > 3 else "")
        return error("NP160", what="source" if count == 1 else f"{count} sources", url=shown,
                     why="every source polled failed (see the lines above)")


def store_key(store: EvidenceStore) -> str:
    """The store's own instance id (created on first use), so state follows the store, not its URI."""
    getter, setter = getattr(store, "get_meta", None), getattr(store, "set_meta", None)
    if not callable(getter) or not callable(setter):
        return store.uri
    key = getter(INSTANCE_KEY)
    if key is None:
        key = uuid.uuid4().hex
        setter(INSTANCE_KEY, key)
    return key


def run_update(options: UpdateOptions, config: dict[str, Any]) -> UpdateSummary:
    """Run one update of `options.store_uri` from `options.sources`."""
    if not options.sources:
        raise error("NP161")
    started = time.perf_counter()
    archive = None
    if options.warc_dir is not None:
        from newsproof.update.warc import WarcArchive

        archive = WarcArchive(options.warc_dir)
    store = open_store(options.store_uri, progress=options.progress)
    state = UpdateState(store_key(store), options.state_path)
    try:
        embedder = _embedder(options)
        fetcher = UpdateFetcher.from_config(config, allow_private=options.allow_private, reuse_connections=True)
        if options.resolver is not None:
            fetcher.resolver = options.resolver
        with PoliteClient(fetcher, options.politeness) as client:
            summary = _run(options, config, store, state, client, embedder, archive)
    finally:
        state.close()
        store.close()
        if archive is not None:
            archive.close()
    summary.warc = str(archive.path) if archive is not None else None
    summary.seconds = time.perf_counter() - started
    return summary


def _embedder(options: UpdateOptions) -> Any:
    if not options.embed:
        return None
    from newsproof.evidence.embed import get_embedder

    embedder = get_embedder(options.embedder)
    embedder.warm_up()
    return embedder


def _run(options: UpdateOptions, config: dict[str, Any], store: EvidenceStore, state: UpdateState,
         client: PoliteClient, embedder: Any, archive: Any) -> UpdateSummary:
    from newsproof.progress import make_progress

    summary = UpdateSummary()
    committer = Committer(store, state, embedder)
    write = archive.write if archive is not None else None
    with make_progress(options.progress, unit="items") as bar, \
            ThreadPoolExecutor(max(options.workers, 1), thread_name_prefix="update") as pool:
        feeds_task = bar.add_task("polling sources", total=len(options.sources), failed=0)
        due, priors = [], {}
        for source in options.sources:
            prior = state.feed(source.url)
            if prior and prior.next_poll and prior.next_poll > now() and not options.force:
                summary.feeds_deferred += 1
                bar.advance(feeds_task)
                continue
            due.append(source)
            priors[source.url] = prior
        polled: list[Polled] = []
        for result in pool.map(lambda s: poll_source(s, client, priors[s.url], options.max_sitemaps, write), due):
            polled.append(result)
            _count_feed(summary, result)
            committer.add_claims(result.claims)
            bar.update(feeds_task, advance=1, failed=summary.feeds_failed)
        todo, rows = _select(polled, state, options, committer)
        items_task = bar.add_task("updating", total=len(todo), failed=0)
        outcomes = pool.map(lambda i: fetch_item(i, client, rows.get(i.url), config, write), todo)
        for outcome in outcomes:
            committer.add(outcome, rows.get(outcome.item.url))
            bar.update(items_task, advance=1, failed=committer.tally.failed)
        committer.flush()
    for result in polled:
        state.save_feed(_feed_row(result))
    _sync_ann(store, embedder)
    freshness.record(store, committer.dates)
    summary.items = committer.tally
    summary.checked_claims = committer.tally.claims_written
    summary.evidence_as_of = freshness.newest_item_date(store)
    return summary


def _count_feed(summary: UpdateSummary, result: Polled) -> None:
    if result.error is not None:
        summary.errors.append(result.error)
    if not result.ok:
        summary.feeds_failed += 1
        summary.failed_sources.append(result.source.url)
        return
    summary.feeds += 1
    summary.feeds_not_modified += result.not_modified


def _select(polled: list[Polled], state: UpdateState, options: UpdateOptions,
            committer: Committer) -> tuple[list[Item], dict[str, ItemState]]:
    """Items to fetch: listed or failed before, first listing wins; skipped: remembered stamps, a sitemap
    lastmod not newer than the stored version's, and --since."""
    listed: dict[str, Item] = {}
    for result in polled:
        for item in result.items:
            listed.setdefault(item.url, item)
    for row in state.failed_items(options.max_item_failures):
        listed.setdefault(row.url, Item(url=row.url, feed=row.feed or "", stamp=row.stamp, date=row.date))
    since = options.since.isoformat() if options.since else None
    todo, rows = [], {}
    for item in listed.values():
        if since and item.date and item.date < since:
            committer.tally.skipped += 1
            continue
        prior = state.item(item.url)
        same = prior is not None and prior.stamp == item.stamp
        stored = prior is not None and prior.status in ("ok", "duplicate")
        if stored and ((same and item.stamp) or _not_newer(item.lastmod, prior)):
            committer.tally.unchanged += 1
            continue
        if same and prior.status == "failed" and prior.failures >= options.max_item_failures:
            committer.tally.skipped += 1  # gave up on it until its source lists a change
            continue
        todo.append(item)
        if prior is not None:
            rows[item.url] = prior
    return todo, rows


def _not_newer(lastmod: str | None, prior: ItemState | None) -> bool:
    """A sitemap `<lastmod>` no later than the stored version's: its remembered lastmod (or change stamp),
    else the time it was fetched. False when there is no lastmod to go by."""
    when = w3c_time(lastmod)
    if when is None or prior is None:
        return False
    stored = w3c_time(prior.stamp)
    if stored is not None:
        return when <= stored
    return prior.fetched_at is not None and when.timestamp() <= prior.fetched_at


def _feed_row(result: Polled) -> FeedState:
    """The feed's new row: validators and next poll after success, back-off after failure."""
    prior = result.prior or FeedState(url=result.source.url)
    if not result.ok:
        failures = prior.failures + 1
        wait = min(FEED_BACKOFF_S * 2 ** (failures - 1), MAX_FEED_BACKOFF_S)
        return FeedState(**{**prior.__dict__, "failures": failures, "next_poll": now() + wait,
                            "last_polled": now(), "last_error": result.error})
    dates = [i.date for i in result.items if i.date]
    last_seen = max([*dates, *([prior.last_seen] if prior.last_seen else [])], default=None)
    return FeedState(url=result.source.url, kind=result.kind, title=result.title or prior.title,
                     etag=result.validators.etag, last_modified=result.validators.last_modified,
                     last_polled=now(), last_seen=last_seen, failures=0,
                     next_poll=now() + result.ttl_minutes * 60 if result.ttl_minutes else None,
                     last_error=result.error, items=len(result.items) if not result.not_modified else prior.items)


def _sync_ann(store: EvidenceStore, embedder: Any) -> None:
    """Bring the store's ANN index (if it has one) up to date with the new vectors."""
    if embedder is None:
        return
    from newsproof.evidence.ann import open_ann

    try:
        ann = open_ann(store, embedder.name, embedder.dim, create=False)
        if ann is not None and ann.sync(store, embedder.name):
            ann.save()
    except (NewsproofError, OSError):  # the index is a cache: exact search still works without it
        return
