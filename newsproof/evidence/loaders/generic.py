"""Streaming readers shared by the loaders, the generic field-mapped loader and the bundle format."""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

from pydantic import ValidationError

from newsproof.errors import InputError
from newsproof.evidence.store_common import content_id
from newsproof.labels import to_verdict
from newsproof.models import CheckedClaim, Entity, Passage

Record: TypeAlias = Entity | Passage | CheckedClaim
PASSAGE_FIELDS = ("id", "text", "title", "source", "url", "date", "kind")
CLAIM_FIELDS = ("id", "claim", "label", "date", "speaker", "source", "url")


def open_text(path: Path) -> io.TextIOBase:
    """Open a text file, transparently gunzipping `.gz`."""
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return path.open(encoding="utf-8")


@dataclass
class ReadCursor:
    """Where `read_jsonl` is in one file, for checkpoints: the byte offset (of the uncompressed stream)
    and number of the line whose records are being yielded. Set it in CURSOR before iterating a
    loader; `read_jsonl` of that very path then starts at `offset` / `line` and keeps them current.
    Loaders must yield a line's records before reading the next line (none reads ahead), so that the
    cursor names the line of the record just yielded."""

    path: Path
    offset: int = 0
    line: int = 0
    used: bool = False  # whether read_jsonl read this path (else the offset means nothing)


CURSOR: ContextVar[ReadCursor | None] = ContextVar("newsproof_read_cursor", default=None)


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """JSON objects from a JSONL(.gz) file, one per non-blank line; bad lines raise InputError with file:line."""
    cursor = CURSOR.get()
    cursor = cursor if cursor is not None and cursor.path == path else None
    with gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb") as fh:
        offset, lineno = (cursor.offset, max(cursor.line - 1, 0)) if cursor else (0, 0)
        try:
            if offset:
                fh.seek(offset)
            while raw := fh.readline():
                start, offset, lineno = offset, offset + len(raw), lineno + 1
                if cursor is not None:
                    cursor.offset, cursor.line, cursor.used = start, lineno, True
                line = raw.decode("utf-8")
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from exc
                if not isinstance(obj, dict):
                    raise InputError(f"{path}:{lineno}: expected a JSON object, got {type(obj).__name__}")
                yield obj
        except (UnicodeDecodeError, OSError, EOFError) as exc:
            raise InputError(f"{path}: cannot read as UTF-8 JSONL ({exc})") from exc


def read_rows(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a JSONL, JSON-array, CSV/TSV or Parquet file as dicts, streamed."""
    name = path.name.lower().removesuffix(".gz")
    if name.endswith((".jsonl", ".ndjson")):
        yield from read_jsonl(path)
    elif name.endswith((".csv", ".tsv")):
        with open_text(path) as fh:
            yield from csv.DictReader(fh, delimiter="\t" if name.endswith(".tsv") else ",")
    elif name.endswith(".parquet"):
        import pyarrow.parquet as pq

        try:
            for batch in pq.ParquetFile(path).iter_batches(batch_size=2048):
                yield from batch.to_pylist()
        except Exception as exc:  # pyarrow raises several unrelated types
            raise InputError(f"{path}: cannot read as Parquet ({exc})") from exc
    elif name.endswith(".json"):
        with open_text(path) as fh:
            try:
                data = json.load(fh)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}: not valid JSON ({exc.msg})") from exc
        if not isinstance(data, list):
            raise InputError(f"{path}: a .json file must hold a list of objects")
        yield from data
    else:
        raise InputError(f"{path}: unsupported data file type; use .jsonl, .json, .csv, .tsv or .parquet")


def parse_field_map(spec: str | Mapping[str, str] | None) -> dict[str, str]:
    """`text=body,title=headline,date=published` -> {"text": "body", ...}; target fields are validated."""
    if spec is None:
        return {}
    if isinstance(spec, Mapping):
        pairs = dict(spec)
    else:
        pairs = {}
        for part in filter(None, (p.strip() for p in spec.split(","))):
            target, sep, column = part.partition("=")
            if not sep or not target.strip() or not column.strip():
                raise InputError(f"bad --map entry {part!r}; expected FIELD=COLUMN, e.g. text=body")
            pairs[target.strip()] = column.strip()
    allowed = set(PASSAGE_FIELDS) | set(CLAIM_FIELDS)
    unknown = sorted(set(pairs) - allowed)
    if unknown:
        raise InputError(f"--map names unknown field(s) {unknown}; valid: {sorted(allowed)}")
    return pairs


def _value(row: Mapping[str, Any], column: str | None) -> Any:
    value = row.get(column) if column else None
    return None if value in ("", None) else value


def load_generic(path: Path, field_map: Mapping[str, str] | None = None) -> Iterator[Record]:
    """Passages (or, when `claim` and `label` are mapped/present, checked claims) from any tabular file."""
    fmap = {f: f for f in (*PASSAGE_FIELDS, *CLAIM_FIELDS)} | dict(field_map or {})
    for n, row in enumerate(read_rows(path), 1):
        get = {f: _value(row, fmap.get(f)) for f in fmap}
        try:
            if get["claim"] is not None and get["label"] is not None:
                label = str(get["label"])
                yield CheckedClaim(
                    id=str(get["id"] or content_id("cc", path.name, get["claim"])), claim=str(get["claim"]),
                    label=label, verdict=to_verdict(label), date=_str(get["date"]), speaker=_str(get["speaker"]),
                    source=str(get["source"] or path.stem), url=_str(get["url"]))
                continue
            if get["text"] is None:
                raise InputError(f"{path}: row {n} has no text (column {fmap['text']!r}); map it with --map text=COLUMN")
            yield Passage(
                id=str(get["id"] or content_id("ps", get["text"], get["title"], get["date"])), text=str(get["text"]),
                title=_str(get["title"]), source=str(get["source"] or path.stem), url=_str(get["url"]),
                date=_str(get["date"]), kind=get["kind"] or "news")
        except ValidationError as exc:
            raise InputError(f"{path}: row {n} is not a valid record: {exc.errors()[0]['msg']}") from exc


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


_BUNDLE_MODELS: dict[str, type[Entity] | type[Passage] | type[CheckedClaim]] = {
    "entities": Entity, "passages": Passage, "checked_claims": CheckedClaim}


def load_bundle_file(path: Path) -> Iterator[Record]:
    """Records from a bundle file `<name>.<entities|passages|checked_claims>.jsonl.gz` (model JSON per line)."""
    kind = path.name.split(".")[-3]
    model = _BUNDLE_MODELS[kind]
    for n, obj in enumerate(read_jsonl(path), 1):
        try:
            yield model.model_validate(obj)
        except ValidationError as exc:
            raise InputError(f"{path}: record {n} is not a valid {model.__name__}: {exc.errors()[0]['msg']}") from exc
