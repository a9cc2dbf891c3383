#!/usr/bin/env python
"""Derive the compact bundled evidence files (newsproof/data/*.jsonl.gz) from the shared data folder.

Usage: .venv/bin/python scripts/derive_bundle.py [SHARED_DATA_DIR] [--out newsproof/data]

Only sources whose licence allows redistribution are bundled (see newsproof/data/README.md);
research-only sets (Reuters-21578, Snopes, LIAR, COVID-Fact, AVeriTeC, Reddit headlines) stay
optional `newsproof index build` loads. Same-id records merge field by field; the people file then
gets the cross-source person merge (newsproof/evidence/loaders/people_merge.py). Output is
deterministic (sorted, gzip mtime 0).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterable
from pathlib import Path

from newsproof.evidence.loaders import load_file
from newsproof.evidence.loaders.people_merge import merge_people
from newsproof.evidence.store_common import merge_entities
from newsproof.models import CheckedClaim, Entity, Passage
from newsproof.paths import package_data_dir, shared_data_dir

# bundle file stem -> shared-data files feeding it
SOURCES: dict[str, list[str]] = {
    "people": ["kb/people.jsonl", "kb/people_extra.jsonl", "kb/leaders.jsonl", "kb/us/executive.yaml",
               "kb/us/legislators-current.yaml", "kb/us/bioguide_people.csv.gz"],
    "kb": ["kb/wikipedia/wikipedia_excerpts.jsonl", "kb/events.jsonl", "kb/conflict_events.jsonl"],
    "news": ["news/wikipedia_current_events.jsonl", "news/pages_news_excerpts.jsonl"],
    "climate_fever": ["claims/climate_fever/data.jsonl"],
}
# shared-data files a loader reads beside the one named in SOURCES (listed in the manifest)
READ_BESIDE: dict[str, list[str]] = {
    "kb/leaders.jsonl": ["kb/people.jsonl", "kb/people_extra.jsonl"],
    "kb/us/bioguide_people.csv.gz": ["kb/us/bioguide_positions.csv.gz", "kb/us/executive.yaml",
                                     "kb/us/legislators-current.yaml"],
}
KINDS = {Entity: "entities", Passage: "passages", CheckedClaim: "checked_claims"}
# bundle stems whose entities get the cross-source person merge (one record per person)
MERGE_PEOPLE = {"people"}


def _write(path: Path, records: Iterable[Entity | Passage | CheckedClaim]) -> int:
    n = 0
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz:
        for rec in records:
            gz.write(rec.model_dump_json(exclude_defaults=True).encode("utf-8") + b"\n")
            n += 1
    return n


def derive(shared: Path, out: Path, stems: Iterable[str] | None = None) -> dict[str, int]:
    """Write the bundle files (all, or those of `stems`) into `out`; return records per file name."""
    out.mkdir(parents=True, exist_ok=True)
    selected = {s: SOURCES[s] for s in stems} if stems is not None else SOURCES
    for old in out.glob("*.jsonl.gz"):
        if old.name.split(".")[0] in selected:
            old.unlink()
    counts: dict[str, int] = {}
    for stem, rel_paths in selected.items():
        tables: dict[str, dict[str, Entity | Passage | CheckedClaim]] = {k: {} for k in KINDS.values()}
        for rel in rel_paths:
            for rec in load_file(shared / rel):
                table = tables[KINDS[type(rec)]]
                old = table.get(rec.id)
                if isinstance(rec, Entity) and isinstance(old, Entity):
                    table[rec.id] = merge_entities(old, rec)
                elif old is None:
                    table[rec.id] = rec
        if stem in MERGE_PEOPLE:
            entities = merge_people(e for e in tables["entities"].values() if isinstance(e, Entity))
            tables["entities"] = {e.id: e for e in entities}
        for kind, table in tables.items():
            if table:
                name = f"{stem}.{kind}.jsonl.gz"
                counts[name] = _write(out / name, (table[k] for k in sorted(table)))
    if stems is None:
        manifest = {"records": counts, "sources": SOURCES, "read_beside": READ_BESIDE}
        (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", "utf-8")
    return counts


def main() -> None:
    """Command-line entry."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shared", nargs="?", type=Path, default=shared_data_dir())
    parser.add_argument("--out", type=Path, default=package_data_dir())
    args = parser.parse_args()
    if args.shared is None or not args.shared.is_dir():
        sys.exit("derive_bundle: shared data folder not found; pass it as the first argument")
    counts = derive(args.shared, args.out)
    total = sum((args.out / n).stat().st_size for n in counts)
    for name, n in counts.items():
        print(f"{name:40s} {n:>8,d} records {(args.out / name).stat().st_size / 1e6:8.2f} MB")
    print(f"{'total':40s} {sum(counts.values()):>8,d} records {total / 1e6:8.2f} MB")


if __name__ == "__main__":
    main()
