"""Per-article triage: one row per output record, and a self-contained HTML report per article (`--reports`)."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsproof.batch.summary import Digest, digest
from newsproof.errors import ConfigError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class Row:
    """One triage-table row: the article's digest and the link to its report (None when it failed)."""

    number: int
    digest: Digest
    href: str | None = None
    problem: str | None = None


def report_name(item_id: str) -> str:
    """A stable, safe file name for an item's report: readable slug plus a hash of the full id."""
    slug = _UNSAFE.sub("-", item_id).strip("-.")[:60] or "article"
    return f"{slug}-{hashlib.sha1(item_id.encode('utf-8')).hexdigest()[:10]}.html"


def check_reports_dir(reports: Path, *, overwrite: bool, resume: bool) -> None:
    """Refuse a non-empty reports folder unless the run replaces (--overwrite) or continues (--resume) it."""
    if reports.exists() and not reports.is_dir():
        raise ConfigError(f"--reports {str(reports)!r} is a file; give a folder", code="NP301")
    if reports.is_dir() and any(reports.iterdir()) and not (overwrite or resume):
        raise ConfigError(f"reports folder {str(reports)!r} is not empty; refusing to write over it "
                          "(add --resume or --overwrite, or choose another folder)", code="NP301")


def triage_rows(records: Iterable[dict[str, Any]], reports: Path | None = None,
                link_base: Path | None = None) -> Iterator[Row]:
    """Digest every record in order; with `reports`, write each article's HTML report and link it from
    `link_base` (the folder of the summary page)."""
    if reports is not None:
        reports.mkdir(parents=True, exist_ok=True)
    for number, record in enumerate(records, start=1):
        item = digest(record)
        href = problem = None
        if reports is not None and "report" in record:
            try:
                path = write_report(record["report"], reports / report_name(item.id))
            except Exception as exc:  # one unrenderable report must not cost the summary of the whole run
                problem = f"report not written: {type(exc).__name__}: {exc}"
            else:
                href = Path(os.path.relpath(path, link_base or Path.cwd())).as_posix()
        yield Row(number, item, href, problem)


def write_report(report: dict[str, Any], path: Path) -> Path:
    """Render one report with the report package's HTML renderer; written whole (temp file + rename)."""
    from newsproof.models import Report
    from newsproof.report import render_html

    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(render_html(Report.model_validate(report)), encoding="utf-8")
    os.replace(temporary, path)
    return path


def parquet_records(path: Path) -> Iterator[dict[str, Any]]:
    """Records ({"id", "report"} or {"id", "error"}) of a local Parquet output written by the Spark engine."""
    import pyarrow.parquet as pq

    for batch in pq.read_table(str(path)).to_batches(max_chunksize=256):
        for row in batch.to_pylist():
            if row.get("report") is not None:
                yield {"id": row["id"], "report": json.loads(row["report"])}
            else:
                yield {"id": row["id"], "error": {"code": row.get("error_code"), "message": row.get("error_message")}}
