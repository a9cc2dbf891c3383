"""Upserts by content hash, shared by the stores: row hashing, splitting a batch into new, changed and
unchanged records, and the per-table write counts a store exposes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from newsproof.evidence.protocol import WriteCounts
from newsproof.evidence.store_common import DenseCache, QueryTermPicker
from newsproof.models import CheckedClaim, Entity, Passage

PASSAGE_COLUMNS = ("id", "text", "title", "source", "url", "date", "kind")
CLAIM_COLUMNS = ("id", "claim", "label", "verdict", "date", "speaker", "source", "url")


def passage_row(p: Passage) -> tuple:
    """The stored columns of a passage: id, text, title, source, url, date, kind."""
    return (p.id, p.text, p.title, p.source, p.url, p.date, p.kind)


def claim_row(c: CheckedClaim) -> tuple:
    """The stored columns of a checked claim: id, claim, label, verdict, date, speaker, source, url."""
    return (c.id, c.claim, c.label, c.verdict.value, c.date, c.speaker, c.source, c.url)


def row_hash(row: Sequence) -> str:
    """Content hash of a stored row: every column after the id (None and "" differ)."""
    digest = hashlib.blake2b(digest_size=16)
    for value in row[1:]:
        digest.update(b"\x1e" if value is None else str(value).encode("utf-8", "surrogatepass") + b"\x1f")
    return digest.hexdigest()


@dataclass
class UpsertPlan:
    """What an upsert batch does: rows (hash appended) to insert and to replace, stored rows from
    before content hashes that only need their (hash, id) recorded, and how many are unchanged."""

    new: list[tuple]
    changed: list[tuple]
    rehash: list[tuple[str, str]]
    unchanged: int

    def counts(self) -> WriteCounts:
        """The plan as write counts."""
        return WriteCounts(len(self.new), len(self.changed), self.unchanged)


def plan_upsert(rows: Iterable[tuple], stored_hashes: Callable[[list[str]], dict[str, str | None]],
                stored_rows: Callable[[list[str]], list[tuple]]) -> UpsertPlan:
    """Split rows (id first; the last of repeated ids wins) into new, changed and unchanged.

    `stored_hashes(ids)` gives the stored hash of the known ids (None: stored before hashes);
    `stored_rows(ids)` the stored rows of such ids, hashed here to compare.
    """
    latest = {row[0]: row for row in rows}
    known = stored_hashes(list(latest)) if latest else {}
    legacy = [i for i, h in known.items() if h is None]
    legacy_hashes = {row[0]: row_hash(row) for row in stored_rows(legacy)} if legacy else {}
    plan = UpsertPlan([], [], [], 0)
    for rid, row in latest.items():
        digest = row_hash(row)
        if rid not in known:
            plan.new.append((*row, digest))
        elif (known[rid] or legacy_hashes.get(rid)) == digest:
            plan.unchanged += 1
            if known[rid] is None:
                plan.rehash.append((digest, rid))
        else:
            plan.changed.append((*row, digest))
    return plan


def entity_changes(merged: dict[str, Entity], stored: dict[str, str]) -> tuple[list[Entity], WriteCounts]:
    """Merged entities (see merge_batch) that differ from their stored JSON or are new, and the counts."""
    write = [e for eid, e in merged.items() if eid not in stored or Entity.model_validate_json(stored[eid]) != e]
    new = sum(1 for e in write if e.id not in stored)
    return write, WriteCounts(new, len(write) - new, len(merged) - len(write))


# The distinct models of the embeddings table by seeks on its (model, passage_id) key, not a scan.
EMBEDDING_MODELS_SQL = (
    "WITH RECURSIVE m(model) AS (SELECT min(model) FROM embeddings UNION ALL "
    "SELECT (SELECT min(e.model) FROM embeddings e WHERE e.model > m.model) FROM m WHERE m.model IS NOT NULL) "
    "SELECT model FROM m WHERE model IS NOT NULL")


class WriteTally:
    """Committed write counts per table (what a store exposes as write_counts / table_write_counts)."""

    def __init__(self) -> None:
        self.tables: dict[str, WriteCounts] = {}

    def add(self, table: str, counts: WriteCounts) -> None:
        """Count one committed write call."""
        self.tables[table] = self.tables.get(table, WriteCounts()) + counts

    def total(self) -> WriteCounts:
        """All tables together."""
        return sum(self.tables.values(), WriteCounts())


class CountedWrites:
    """What both stores share about their write bookkeeping: `write_counts` and `table_write_counts`
    from `self._tally`, and forgetting cached frequencies and vectors after passages change."""

    _tally: WriteTally
    term_picker: QueryTermPicker
    _dense: DenseCache

    @property
    def write_counts(self) -> WriteCounts:
        """Committed new / updated / unchanged records of this connection, all tables."""
        return self._tally.total()

    @property
    def table_write_counts(self) -> dict[str, WriteCounts]:
        """Committed new / updated / unchanged records of this connection, per table."""
        return dict(self._tally.tables)

    def _after_passage_change(self, changed: int, models: set[str]) -> None:
        if changed:
            self.term_picker.invalidate()
        for model in models:
            self._dense.invalidate(model)
