"""Write loader output into a store in batches, with a progress bar (rate, ETA) and per-table counts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from newsproof.evidence.loaders import expand_paths, load_file
from newsproof.evidence.protocol import EvidenceStore
from newsproof.evidence.store_common import batched
from newsproof.models import CheckedClaim, Entity, Passage

BATCH = 5000


class RateColumn(ProgressColumn):
    """Records per second."""

    def render(self, task: Task) -> Text:
        """Render the current speed."""
        return Text(f"{task.speed:,.0f} rec/s" if task.speed else "", style="progress.data.speed")


def make_progress(enabled: bool = True) -> Progress:
    """A rich progress bar on stderr: description, bar, done/total, rate, elapsed, ETA."""
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
                    TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                    console=Console(stderr=True), disable=not enabled, transient=False)


def count_records(files: Iterable[Path], field_map: str | Mapping[str, str] | None = None) -> dict[Path, int]:
    """Parse every file completely (raises InputError on bad data) and count its records."""
    return {f: sum(1 for _ in load_file(f, field_map)) for f in files}


def write_records(store: EvidenceStore, records: Iterable[Entity | Passage | CheckedClaim]) -> dict[str, int]:
    """Write a batch of mixed records (one transaction per table); return how many were new per table."""
    groups: dict[type, list] = {Entity: [], Passage: [], CheckedClaim: []}
    for rec in records:
        groups[type(rec)].append(rec)
    return {
        "entities": store.write_entities(groups[Entity]) if groups[Entity] else 0,
        "passages": store.write_passages(groups[Passage]) if groups[Passage] else 0,
        "checked_claims": store.write_checked_claims(groups[CheckedClaim]) if groups[CheckedClaim] else 0,
    }


def index_paths(store: EvidenceStore, paths: Iterable[str | Path], field_map: str | Mapping[str, str] | None = None,
                *, progress: bool = True, totals: Mapping[Path, int] | None = None) -> dict[str, int]:
    """Load files/directories into `store`; return new records per table.

    Unless `totals` (records per file) is given, every file is parsed once first, so a bad file
    raises InputError before anything is written and the store stays unchanged.
    """
    files = expand_paths(paths)
    totals = dict(totals) if totals is not None else count_records(files, field_map)
    added = {"passages": 0, "entities": 0, "checked_claims": 0}
    with make_progress(progress) as bar:
        task = bar.add_task("indexing", total=sum(totals.get(f, 0) for f in files) or None)
        for path in files:
            bar.update(task, description=f"indexing {path.name}")
            for batch in batched(load_file(path, field_map), BATCH):
                for table, n in write_records(store, batch).items():
                    added[table] += n
                bar.advance(task, len(batch))
    return added


def build_index(uri: str, paths: Iterable[str | Path], field_map: str | None = None,
                *, progress: bool = True) -> tuple[dict[str, int], dict[str, int]]:
    """Open the store at `uri`, index `paths` into it; return (records added per table, store stats)."""
    from newsproof.evidence import open_store

    store = open_store(uri, progress=progress)
    try:
        added = index_paths(store, paths, field_map, progress=progress)
        return added, store.stats()
    finally:
        store.close()


def store_stats(uri: str) -> dict[str, int]:
    """Row counts of the store at `uri` (opened read-only)."""
    from newsproof.evidence import open_store

    store = open_store(uri, read_only=True)
    try:
        return store.stats()
    finally:
        store.close()
