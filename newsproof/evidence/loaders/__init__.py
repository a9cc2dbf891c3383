"""Streaming loaders: data files -> Entity / Passage / CheckedClaim records, dispatched by file name.

`REGISTRY` maps a glob over the file's path to its loader; the first match wins. A file that
matches nothing is read by the generic field-mapped loader (JSONL/JSON/CSV/TSV/Parquet) when
named explicitly, and skipped when met while walking a directory.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping
from fnmatch import fnmatch
from pathlib import Path

from newsproof.errors import Errors, InputError, NewsproofError
from newsproof.evidence.loaders.claimreview import load_claimreview
from newsproof.evidence.loaders.claims import load_claims
from newsproof.evidence.loaders.generic import Record, load_bundle_file, load_generic, parse_field_map
from newsproof.evidence.loaders.kb import (
    load_conflict_events,
    load_events,
    load_leaders,
    load_people,
    load_wikipedia,
)
from newsproof.evidence.loaders.news import load_news
from newsproof.evidence.loaders.us_terms import load_bioguide, load_us_yaml
from newsproof.evidence.loaders.warc import load_warc
from newsproof.evidence.loaders.wikidata_dump import load_wikidata_dump
from newsproof.evidence.loaders.wikipedia_dump import load_wikipedia_dump

Loader = Callable[[Path], Iterator[Record]]


def load_claimreview_file(path: Path) -> Iterator[Record]:
    """schema.org ClaimReview (JSON, JSON-LD, JSON Lines, HTML ld+json) -> previously checked claims."""
    yield from load_claimreview(path)

REGISTRY: dict[str, Loader] = {
    "*.entities.jsonl.gz": load_bundle_file,
    "*.passages.jsonl.gz": load_bundle_file,
    "*.checked_claims.jsonl.gz": load_bundle_file,
    "*people.jsonl": load_people,
    "*people_extra.jsonl": load_people,
    "*leaders.jsonl": load_leaders,
    "*us/executive.yaml": load_us_yaml,
    "*us/legislators-current.yaml": load_us_yaml,
    "*bioguide_people.csv.gz": load_bioguide,
    "*conflict_events.jsonl": load_conflict_events,
    "*kb/events.jsonl": load_events,
    "*wikipedia/*.jsonl": load_wikipedia,
    "*wikipedia_current_events.jsonl": load_news,
    "*reuters21578.jsonl": load_news,
    "*headlines_*.jsonl": load_news,
    "*pages_news_excerpts.jsonl": load_news,
    "*claims/*/data.jsonl": load_claims,
    # full dumps and crawls (loaders extra; heavy imports happen inside the loaders)
    "*pages-articles*.xml": load_wikipedia_dump,
    "*pages-articles*.xml.bz2": load_wikipedia_dump,
    "*pages-articles*.xml.gz": load_wikipedia_dump,
    "*wikidata*.json.gz": load_wikidata_dump,
    "*wikidata*.json.bz2": load_wikidata_dump,
    "*latest-all.json.gz": load_wikidata_dump,
    "*latest-all.json.bz2": load_wikidata_dump,
    "*.jsonld": load_claimreview_file,
    "*claimreview*.json": load_claimreview_file,
    "*claimreview*.jsonl": load_claimreview_file,
    "*claimreview*.html": load_claimreview_file,
    "*.warc": load_warc,
    "*.warc.gz": load_warc,
}
_GENERIC_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".parquet", ".jsonl.gz", ".csv.gz", ".tsv.gz")


def find_loader(path: Path) -> Loader | None:
    """The registered loader for `path`, or None."""
    posix = path.as_posix()
    return next((loader for pattern, loader in REGISTRY.items() if fnmatch(posix, pattern)), None)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files to load: named files as given, directories walked for registered files (sorted)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file() and find_loader(p) is not None)
        elif path.is_file():
            out.append(path)
        else:
            raise InputError(Errors.E106.format(source=str(raw)))
    # Same-id records merge by filling empty fields, so richer sources go first: people before
    # people_extra before leaders, Wikipedia infoboxes before event actors.
    order = {load_people: 0, load_leaders: 1, load_wikipedia: 2}
    return sorted(dict.fromkeys(out), key=lambda p: order.get(find_loader(p), 3))


def load_file(path: Path, field_map: str | Mapping[str, str] | None = None) -> Iterator[Record]:
    """Stream the records of one file (registered loader, else the generic loader with `field_map`)."""
    loader = None if field_map else find_loader(path)
    if loader is not None:
        return _guarded(path, loader(path))
    if not path.name.lower().endswith(_GENERIC_SUFFIXES):
        raise InputError(f"{path}: no loader for this file; use .jsonl, .json, .csv, .tsv or .parquet with --map")
    return _guarded(path, load_generic(path, parse_field_map(field_map)))


def _guarded(path: Path, records: Iterator[Record]) -> Iterator[Record]:
    """Turn any failure on malformed data (missing keys, wrong types, bad bytes) into a one-line InputError."""
    n = 0
    try:
        for n, record in enumerate(records, 1):  # noqa: B007 - n is reported below
            yield record
    except NewsproofError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, OSError, EOFError, csv.Error) as exc:
        why = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        raise InputError(f"{path}: record {n + 1} cannot be loaded ({why})") from exc


__all__ = ["REGISTRY", "Record", "expand_paths", "find_loader", "load_file"]
