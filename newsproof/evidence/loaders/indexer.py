"""Write loader output into a store in batches, with a progress bar (rate, ETA), per-table counts
(new / updated / unchanged) and per-input checkpoints."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from newsproof.evidence.loaders import expand_paths
from newsproof.evidence.loaders.checkpoint import Checkpoints, FileCheckpoint, resume_records
from newsproof.evidence.protocol import WRITE_TABLES, EvidenceStore, WriteCounts
from newsproof.evidence.store_common import batched
from newsproof.models import CheckedClaim, Entity, Passage
from newsproof.progress import make_progress

BATCH = 5000


@dataclass
class IndexResult:
    """What one indexing run did: write counts per table, records the loaders produced (both the
    validation and the writing pass), and files resumed from a checkpoint (name -> records skipped)."""

    counts: dict[str, WriteCounts] = field(default_factory=lambda: {t: WriteCounts() for t in WRITE_TABLES})
    records_read: int = 0
    resumed: dict[str, int] = field(default_factory=dict)

    def added(self) -> dict[str, int]:
        """New records per table."""
        return {table: c.new for table, c in self.counts.items()}


def count_records(files: Iterable[Path], field_map: str | Mapping[str, str] | None = None,
                  states: Mapping[Path, FileCheckpoint] | None = None, read: list[int] | None = None) -> dict[Path, int]:
    """Parse every file completely, or from its checkpoint in `states` on (raises InputError on bad
    data), and count the records still to write."""
    read = read if read is not None else [0]
    return {f: sum(1 for _ in resume_records(f, field_map, dataclasses.replace(states[f]) if states else
                                             FileCheckpoint.fresh(f), read)) for f in files}


def write_records(store: EvidenceStore, records: Iterable[Entity | Passage | CheckedClaim]) -> dict[str, int]:
    """Write a batch of mixed records (one transaction per table); return how many were new or changed per table."""
    groups: dict[type, list] = {Entity: [], Passage: [], CheckedClaim: []}
    for rec in records:
        groups[type(rec)].append(rec)
    return {
        "entities": store.write_entities(groups[Entity]) if groups[Entity] else 0,
        "passages": store.write_passages(groups[Passage]) if groups[Passage] else 0,
        "checked_claims": store.write_checked_claims(groups[CheckedClaim]) if groups[CheckedClaim] else 0,
    }


def index_paths(store: EvidenceStore, paths: Iterable[str | Path], field_map: str | Mapping[str, str] | None = None,
                *, progress: bool = True, totals: Mapping[Path, int] | None = None,
                checkpoint: bool = True) -> IndexResult:
    """Load files/directories into `store` (upserting by id); return what the run did.

    Unless `totals` (records per file) is given, every file is parsed once first, so a bad file
    raises InputError before anything is written and the store stays unchanged. With `checkpoint`,
    each file's progress is kept in the store after every batch (see `checkpoint`), so a killed
    run resumes where it stopped, its validation pass included.
    """
    files = expand_paths(paths)
    checkpoints = Checkpoints(store, field_map, enabled=checkpoint)
    states = {f: checkpoints.load(f) for f in files}
    result = IndexResult(resumed={f.name: s.records for f, s in states.items() if s.records})
    read = [0]
    totals = dict(totals) if totals is not None else count_records(files, field_map, states, read)
    before = store.table_write_counts
    with make_progress(progress, unit="records") as bar:
        task = bar.add_task("indexing", total=sum(totals.get(f, 0) for f in files) or None)
        for path in files:
            bar.update(task, description=f"indexing {path.name}")
            state = states[path]
            for batch in batched(resume_records(path, field_map, state, read), BATCH):
                write_records(store, batch)
                checkpoints.save(state)
                bar.advance(task, len(batch))
            state.done = True
            checkpoints.save(state)
    checkpoints.clear(files)
    after = store.table_write_counts
    result.counts = {t: after.get(t, WriteCounts()) - before.get(t, WriteCounts()) for t in WRITE_TABLES}
    result.records_read = read[0]
    return result
