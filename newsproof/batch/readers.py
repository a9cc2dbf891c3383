"""Batch inputs -> `Item`s: folders of articles, JSONL/CSV/Parquet tables, WARC archives.

Every item carries a stable id (the file's relative path, the id column, or `<file>:<row>`)
so that outputs can be joined back to inputs and runs resumed.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsproof.errors import ConfigError, Errors, InputError
from newsproof.ingest.article import SUFFIX_KINDS

TABLE_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv", ".parquet")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
# Content columns tried in order when --text-column is not given, with the kind each implies.
CONTENT_COLUMNS: tuple[tuple[str, str], ...] = (("text", "text"), ("html", "html"), ("markdown", "markdown"),
                                                 ("content", "text"), ("body", "text"), ("url", "url"))


@dataclass(frozen=True, slots=True)
class Item:
    """One article to check: raw content (or a URL to fetch) plus its id and optional date and title."""

    id: str
    data: bytes | None = None
    kind: str | None = None
    url: str | None = None
    date: dt.date | None = None
    title: str | None = None


def input_kind(path: str) -> str:
    """'folder', 'table', 'warc' or 'file' for an input path."""
    lower = path.lower()
    if Path(path).is_dir():
        return "folder"
    if lower.endswith(WARC_SUFFIXES):
        return "warc"
    if lower.endswith(TABLE_SUFFIXES):
        return "table"
    if Path(path).suffix.lower() in SUFFIX_KINDS:
        return "file"
    raise InputError(Errors.E107.format(suffix=Path(path).suffix) + ", a folder, JSONL/CSV/Parquet or WARC",
                     code="E107")


def iter_items(inputs: Iterable[str], id_column: str | None = None,
               text_column: str | None = None) -> Iterator[Item]:
    """Yield the items of every input, in order."""
    for source in inputs:
        if not Path(source).exists():
            raise InputError(Errors.E106.format(source=source), code="E106")
        kind = input_kind(source)
        if kind == "folder":
            yield from _folder_items(Path(source))
        elif kind == "file":
            yield _file_item(Path(source), Path(source).name)
        elif kind == "warc":
            yield from _warc_items(Path(source))
        else:
            for index, record in enumerate(iter_records(source), start=1):
                yield record_to_item(record, f"{Path(source).name}:{index}", id_column, text_column)


def count_items(inputs: Iterable[str]) -> int | None:
    """Number of items in `inputs` if it is cheap to know (None for WARC archives)."""
    total = 0
    for source in inputs:
        kind = input_kind(source)
        if kind == "warc":
            return None
        if kind == "folder":
            total += sum(1 for _ in _folder_files(Path(source)))
        elif kind == "file":
            total += 1
        elif source.lower().endswith(".parquet"):
            import pyarrow.parquet as pq

            total += pq.ParquetFile(source).metadata.num_rows
        elif source.lower().endswith(".csv"):
            with open(source, newline="", encoding="utf-8") as handle:
                total += sum(1 for _ in csv.DictReader(handle))
        else:
            with open(source, "rb") as handle:
                total += sum(1 for line in handle if line.strip())
    return total


def iter_records(path: str) -> Iterator[dict[str, Any]]:
    """Rows of a JSONL, CSV or Parquet file as dicts (streamed)."""
    lower = path.lower()
    if lower.endswith(".parquet"):
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=256):
            yield from batch.to_pylist()
    elif lower.endswith(".csv"):
        csv.field_size_limit(sys.maxsize)
        with open(path, newline="", encoding="utf-8") as handle:
            yield from csv.DictReader(handle)
    else:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise InputError(f"{path}:{number}: not a JSON object ({exc.msg})") from exc


def record_to_item(record: Mapping[str, Any], fallback_id: str, id_column: str | None = None,
                   text_column: str | None = None) -> Item:
    """Turn one table row into an Item: pick the id and content columns and the date."""
    key = id_column or "id"
    item_id = fallback_id if record.get(key) in (None, "") else str(record[key])
    column, kind = content_column(record, text_column)
    value = record.get(column) if column else None
    date = parse_date(record.get("date"))
    title = (record["title"].strip() or None) if isinstance(record.get("title"), str) else None
    if column is None:
        return Item(id=item_id, date=date, title=title)
    if kind == "url":
        return Item(id=item_id, url=str(value) if value else None, date=date, title=title)
    data = value.encode("utf-8") if isinstance(value, str) else (value or b"")
    return Item(id=item_id, data=data, kind=kind, url=record.get("url") or None, date=date, title=title)


def content_column(record: Mapping[str, Any], text_column: str | None) -> tuple[str | None, str]:
    """The column holding the article and the kind it implies (text, html, markdown or url); None if none."""
    if text_column is not None:
        kinds = dict(CONTENT_COLUMNS)
        return text_column, kinds.get(text_column.lower(), "html" if "html" in text_column.lower() else "text")
    for column, kind in CONTENT_COLUMNS:
        if record.get(column) not in (None, ""):
            return column, kind
    return None, "text"


def parse_date(value: Any) -> dt.date | None:
    """A full ISO date (YYYY-MM-DD...) from a date column, else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _folder_files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() in SUFFIX_KINDS and not path.name.startswith("."):
            yield path


def _folder_items(folder: Path) -> Iterator[Item]:
    for path in _folder_files(folder):
        yield _file_item(path, path.relative_to(folder).as_posix())


def _file_item(path: Path, item_id: str) -> Item:
    """The file's bytes, read only up to one byte past the ingest size limit (ingest then refuses it)."""
    from newsproof.config import load_config

    limit = int(load_config()["ingest"]["max_bytes"]) + 1
    with path.open("rb") as handle:
        return Item(id=item_id, data=handle.read(limit), kind=SUFFIX_KINDS[path.suffix.lower()])


def _warc_items(path: Path) -> Iterator[Item]:
    """HTML/text responses of a WARC file; the id is the target URI (or the record id)."""
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError as exc:
        raise ConfigError("reading WARC files needs warcio: pip install 'newsproof[loaders]'") from exc
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle, arc2warc=True):
            if record.rec_type not in ("response", "resource"):
                continue
            content_type = (record.http_headers.get_header("Content-Type") if record.http_headers
                            else record.rec_headers.get_header("Content-Type")) or ""
            if "html" not in content_type and "text/plain" not in content_type:
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI")
            item_id = uri or record.rec_headers.get_header("WARC-Record-ID")
            kind = "text" if "text/plain" in content_type else "html"
            yield Item(id=item_id, data=record.content_stream().read(), kind=kind, url=uri)
