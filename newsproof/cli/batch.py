"""`newsproof batch INPUT... --out results.jsonl`: check many articles locally or on Spark."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from newsproof.cli.groups import examples


class Engine(StrEnum):
    """Batch engines."""

    local = "local"
    spark = "spark"


def register(app: typer.Typer) -> None:
    """Add the `batch` command."""
    app.command("batch", epilog=examples(
        "newsproof batch articles.jsonl --out results.jsonl --summary summary.html",
        "newsproof batch folder/ --out results.jsonl --reports reports/ --resume",
        "newsproof batch news.parquet --out results.jsonl --text-column body",
    ))(batch_cli)


def batch_cli(
    inputs: list[str] = typer.Argument(..., help="Folders of .txt/.md/.html files, JSONL/CSV/Parquet tables "
                                       "(text, html or url column) or WARC files."),
    out: str = typer.Option(..., "--out", "-o", help="Output JSONL (one {id, report|error} per line); with "
                            "--engine spark also a .parquet path or an hdfs://, s3a://... URI."),
    workers: int | None = typer.Option(None, "--workers", "-w", help="Worker processes (default: one per core; "
                                       "1 runs in-process)."),
    resume: bool = typer.Option(False, "--resume", help="Continue an existing or killed run: skip ids already in "
                                "the output and append (complete lines are kept, a torn last line dropped)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing output, summary and reports "
                                   "(without it the run refuses to start); the old output stays until the new "
                                   "one is complete."),
    ordered: bool = typer.Option(True, "--ordered/--unordered", help="Write lines in input order (default), or "
                                 "as they finish (less memory when a few articles are slow). Spark keeps "
                                 "partition order."),
    engine: Engine = typer.Option(Engine.local, "--engine", help="local (worker processes) or spark."),
    master: str | None = typer.Option(None, "--master", help="Spark master URL, e.g. local[4] or spark://host:7077."),
    summary: Path | None = typer.Option(None, "--summary", help="Write an HTML summary to this file: a sortable "
                                        "per-article triage table and plots."),
    reports: Path | None = typer.Option(None, "--reports", help="Write a self-contained HTML report per article "
                                        "into this folder, linked from the --summary table."),
    id_column: str | None = typer.Option(None, "--id-column", help="Table column holding the item id "
                                         "(default: 'id' if present, else FILE:ROW)."),
    text_column: str | None = typer.Option(None, "--text-column", help="Table column holding the article "
                                           "(default: the first of text, html, markdown, content, body, url)."),
    store: str | None = typer.Option(None, "--store", help="Evidence store URI (default: the bundled base; "
                                     "sparkfiles:NAME for a file shipped with spark-submit --files)."),
    config: str | None = typer.Option(None, "--config", help="TOML file overriding the packaged defaults."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show the progress bar."),
) -> None:
    """Check many articles; failures are recorded per item; a summary table is printed at the end."""
    from newsproof.batch import CheckerSettings, run_batch

    run_batch(inputs, out, engine=engine.value, settings=CheckerSettings(store_uri=store, config_path=config),
              workers=workers, master=master, resume=resume, overwrite=overwrite, ordered=ordered,
              id_column=id_column, text_column=text_column, summary_html=summary, reports=reports, progress=progress)
