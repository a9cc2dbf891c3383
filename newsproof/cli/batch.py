"""`newsproof batch INPUT... --out results.jsonl`: check many articles locally or on Spark."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer


class Engine(StrEnum):
    """Batch engines."""

    local = "local"
    spark = "spark"


def register(app: typer.Typer) -> None:
    """Add the `batch` command."""
    app.command("batch")(batch_cli)


def batch_cli(
    inputs: list[str] = typer.Argument(..., help="Folders of .txt/.md/.html files, JSONL/CSV/Parquet tables "
                                       "(text, html or url column) or WARC files."),
    out: str = typer.Option(..., "--out", "-o", help="Output JSONL (one {id, report|error} per line); with "
                            "--engine spark also a .parquet path or an hdfs://, s3a://... URI."),
    workers: int | None = typer.Option(None, "--workers", "-w", help="Worker processes (default: one per core; "
                                       "1 runs in-process)."),
    resume: bool = typer.Option(False, "--resume", help="Skip ids already in the output and append."),
    engine: Engine = typer.Option(Engine.local, "--engine", help="local (worker processes) or spark."),
    master: str | None = typer.Option(None, "--master", help="Spark master URL, e.g. local[4] or spark://host:7077."),
    summary: Path | None = typer.Option(None, "--summary", help="Write an HTML summary with plots to this file."),
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
              workers=workers, master=master, resume=resume, id_column=id_column, text_column=text_column,
              summary_html=summary, progress=progress)
