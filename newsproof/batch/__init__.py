"""Batch mode: check whole archives with worker processes or Spark, resumable, with a summary."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsproof.batch.output import plan_output, read_results, refuse_existing
from newsproof.batch.readers import Item, iter_items
from newsproof.batch.runner import CheckerSettings, run_local
from newsproof.batch.summary import RunStats, print_summary
from newsproof.errors import ConfigError, Errors

ENGINES = ("local", "spark")


def run_batch(inputs: list[str], out: str, *, engine: str = "local", settings: CheckerSettings | None = None,
              workers: int | None = None, master: str | None = None, resume: bool = False, overwrite: bool = False,
              ordered: bool = True, id_column: str | None = None, text_column: str | None = None,
              summary_html: Path | None = None, reports: Path | None = None, progress: bool = True,
              show_summary: bool = True) -> RunStats:
    """Run a batch with the chosen engine, then print the summary table and write the HTML summary and
    per-article reports. Every output is checked before any work: none is written over without --overwrite."""
    from newsproof.batch.spark import is_spark_destination

    if engine not in ENGINES:
        raise ConfigError(Errors.E301.format(value=engine, name="--engine", choices=", ".join(ENGINES)))
    distributed = is_spark_destination(out)
    if engine == "local" and distributed:
        raise ConfigError(Errors.E301.format(value=out, name="--out", choices="a local .jsonl file "
                                             "(Parquet and hdfs://, s3a://... need --engine spark)"))
    _check_outputs(out, distributed, summary_html, reports, resume=resume, overwrite=overwrite)
    if engine == "local":
        stats = run_local(inputs, Path(out), settings=settings, workers=workers, resume=resume, overwrite=overwrite,
                          ordered=ordered, id_column=id_column, text_column=text_column, progress=progress)
    else:
        from newsproof.batch.spark import run_spark

        stats = run_spark(inputs, out, settings=settings, master=master, resume=resume, overwrite=overwrite,
                          id_column=id_column, text_column=text_column, progress=progress)
    if show_summary:
        print_summary(stats)
    if summary_html is not None or reports is not None:
        write_triage(stats, _records(out), summary_html, reports)
    return stats


def write_triage(stats: RunStats, records: Iterable[dict[str, Any]] | None, summary_html: Path | None,
                 reports: Path | None) -> None:
    """Write the per-article reports and the summary page (its table lists every record of the output)."""
    from newsproof.batch.summary_html import write_summary_html
    from newsproof.batch.triage import triage_rows

    link_base = summary_html.parent if summary_html is not None else reports
    rows = list(triage_rows(records, reports, link_base)) if records is not None else None
    if summary_html is not None:
        write_summary_html(stats, summary_html, rows)


def _check_outputs(out: str, distributed: bool, summary_html: Path | None, reports: Path | None, *,
                   resume: bool, overwrite: bool) -> None:
    from newsproof.batch.triage import check_reports_dir

    if not distributed:
        plan_output(Path(out), resume=resume, overwrite=overwrite)
    if summary_html is not None and summary_html.exists() and not (overwrite or resume):
        refuse_existing(summary_html, "summary")
    if reports is not None:
        if "://" in out:
            raise ConfigError(f"--reports needs an output this machine can read (a .jsonl or .parquet path), "
                              f"not {out!r}", code="NP301")
        check_reports_dir(reports, overwrite=overwrite, resume=resume)


def _records(out: str) -> Iterable[dict[str, Any]] | None:
    """The output's records when this machine can read them (None for hdfs://, s3a://... destinations)."""
    if "://" in out:
        return None
    if out.lower().endswith(".parquet"):
        from newsproof.batch.triage import parquet_records

        return parquet_records(Path(out))
    return read_results(Path(out))


__all__ = ["CheckerSettings", "Item", "RunStats", "iter_items", "run_batch", "run_local", "write_triage"]
