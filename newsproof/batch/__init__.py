"""Batch mode: check whole archives with worker processes or Spark, resumable, with a summary."""

from __future__ import annotations

from pathlib import Path

from newsproof.batch.readers import Item, iter_items
from newsproof.batch.runner import CheckerSettings, run_local
from newsproof.batch.summary import RunStats, print_summary, write_summary_html
from newsproof.errors import ConfigError, Errors

ENGINES = ("local", "spark")


def run_batch(inputs: list[str], out: str, *, engine: str = "local", settings: CheckerSettings | None = None,
              workers: int | None = None, master: str | None = None, resume: bool = False,
              id_column: str | None = None, text_column: str | None = None, summary_html: Path | None = None,
              progress: bool = True, show_summary: bool = True) -> RunStats:
    """Run a batch with the chosen engine, then print the summary table and write the HTML summary."""
    if engine not in ENGINES:
        raise ConfigError(Errors.E301.format(value=engine, name="--engine", choices=", ".join(ENGINES)))
    if engine == "local":
        from newsproof.batch.spark import is_spark_destination

        if is_spark_destination(out):
            raise ConfigError(Errors.E301.format(value=out, name="--out", choices="a local .jsonl file "
                                                 "(Parquet and hdfs://, s3a://... need --engine spark)"))
        stats = run_local(inputs, Path(out), settings=settings, workers=workers, resume=resume,
                          id_column=id_column, text_column=text_column, progress=progress)
    else:
        from newsproof.batch.spark import run_spark

        stats = run_spark(inputs, out, settings=settings, master=master, resume=resume, id_column=id_column,
                          text_column=text_column, progress=progress)
    if show_summary:
        print_summary(stats)
    if summary_html is not None:
        write_summary_html(stats, summary_html)
    return stats


__all__ = ["CheckerSettings", "Item", "RunStats", "iter_items", "run_batch", "run_local"]
