"""Commit fetched items to the evidence store: replace an article's passages, drop its stale ones, take in its
ClaimReview claims, embed what changed, and only then remember the item (so a killed run redoes it)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from newsproof.evidence.embed import Embedder
from newsproof.evidence.hybrid import passage_text
from newsproof.evidence.protocol import EvidenceStore
from newsproof.models import CheckedClaim, Passage
from newsproof.update.articles import Outcome
from newsproof.update.state import ItemState, UpdateState, now

Result = Literal["new", "updated", "unchanged", "skipped", "failed"]
EMBED_BATCH = 64


@dataclass
class Tally:
    """Item outcomes and store changes of a run."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    duplicates: int = 0
    passages_written: int = 0
    passages_deleted: int = 0
    claims_written: int = 0
    embedded: int = 0


class Committer:
    """Writes outcomes in the order given; vectors and item rows are written in batches, rows last."""

    def __init__(self, store: EvidenceStore, state: UpdateState, embedder: Embedder | None,
                 batch: int = EMBED_BATCH) -> None:
        self.store, self.state, self.embedder, self.batch = store, state, embedder, batch
        self.tally = Tally()
        self.dates: list[str] = []
        self._passages: list[Passage] = []
        self._rows: list[ItemState] = []
        self._pages: dict[str, str] = {}  # page URL -> the item that stored it in this run
        self._texts: dict[str, str] = {}  # content hash -> the page that stored it in this run

    def add(self, outcome: Outcome, prior: ItemState | None) -> Result:
        """Commit one outcome; return what it was for the summary."""
        item = outcome.item
        if outcome.status in ("failed", "skipped"):
            failures = (prior.failures if prior and prior.status == "failed" else 0) + 1
            base = prior or ItemState(url=item.url, feed=item.feed)
            self._queue(replace(base, status="failed", failures=failures, last_error=outcome.error,
                                stamp=item.stamp, fetched_at=now()))
            result: Result = outcome.status
        elif outcome.status == "not_modified":
            base = prior or ItemState(url=item.url, feed=item.feed)
            self._queue(replace(base, stamp=item.stamp, fetched_at=now()))
            result = "unchanged"
        else:
            result = self._commit_article(outcome, prior)
        setattr(self.tally, result, getattr(self.tally, result) + 1)
        return result

    def _commit_article(self, outcome: Outcome, prior: ItemState | None) -> Result:
        item, page_url = outcome.item, outcome.page_url or outcome.item.url
        row = ItemState(url=item.url, page_url=page_url, feed=item.feed, stamp=item.stamp,
                        content_hash=outcome.content_hash, etag=outcome.validators.etag,
                        last_modified=outcome.validators.last_modified, date=outcome.date, fetched_at=now())
        self._claims(outcome.claims)
        self._leave_old_page(item.url, prior, page_url)
        if self._duplicate(item.url, page_url, outcome.content_hash):
            self.tally.duplicates += 1
            self._queue(replace(row, status="duplicate"))
            return "unchanged"
        self._pages[page_url] = item.url
        if outcome.content_hash:
            self._texts.setdefault(outcome.content_hash, page_url)
        old = set(self.store.passage_ids_for_url(page_url))
        changed = self.store.write_passages(outcome.passages)
        stale = sorted(old - {p.id for p in outcome.passages})
        deleted = self.store.delete_passages(stale) if stale else 0
        self.tally.passages_written += changed
        self.tally.passages_deleted += deleted
        self.dates += [outcome.date] if outcome.date else []
        result: Result = "new" if not old else "updated" if changed or deleted else "unchanged"
        remembered = prior is not None and prior.status == "ok" and prior.content_hash == outcome.content_hash
        if result != "unchanged" or not remembered:  # vectors may be missing after a killed run: write again
            self._passages += outcome.passages
        self._queue(row)
        return result

    def _duplicate(self, url: str, page_url: str, content_hash: str | None) -> bool:
        """Kept once, the first stored first: a page another item stored (two URLs of one canonical page),
        or exactly the text of another page (syndication)."""
        holder = self._pages.get(page_url)
        if holder is not None or self.state.page_held(page_url, url):
            return holder != url
        if not content_hash:
            return False
        holder = self._texts.get(content_hash)
        if holder is not None:
            return holder != page_url
        return self.state.holder_of(content_hash, page_url, url) is not None

    def _leave_old_page(self, url: str, prior: ItemState | None, page_url: str) -> None:
        """An item whose page moved (a new canonical link or redirect) takes its passages off the old page,
        unless another item holds that page."""
        moved_from = prior.page_url if prior is not None and prior.status == "ok" else None
        if not moved_from or moved_from == page_url or self._pages.get(moved_from, url) != url \
                or self.state.page_held(moved_from, url):
            return
        stale = self.store.passage_ids_for_url(moved_from)
        self.tally.passages_deleted += self.store.delete_passages(stale) if stale else 0

    def _claims(self, claims: list[CheckedClaim]) -> None:
        if claims:
            self.tally.claims_written += self.store.write_checked_claims(claims)

    def add_claims(self, claims: list[CheckedClaim]) -> None:
        """Take in the checked claims of a ClaimReview source."""
        self._claims(claims)

    def _queue(self, row: ItemState) -> None:
        self._rows.append(row)
        if len(self._passages) >= self.batch or len(self._rows) >= 4 * self.batch:
            self.flush()

    def flush(self) -> None:
        """Embed the queued passages, then remember the queued items."""
        if self._passages and self.embedder is not None:
            passages = list({p.id: p for p in self._passages}.values())
            vectors = self.embedder.encode([passage_text(p) for p in passages])
            self.store.write_embeddings(zip([p.id for p in passages], vectors, strict=True), self.embedder.name)
            self.tally.embedded += len(passages)
        self._passages = []
        self.state.save_items(self._rows)
        self._rows = []
