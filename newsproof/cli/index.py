"""`newsproof index build|stats`: load data files into an evidence store and inspect it."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

index_app = typer.Typer(help="Build and inspect evidence stores (SQLite file or PostgreSQL).", no_args_is_help=True)
STORE_HELP = "Store URI: 'default', a file path, sqlite:///PATH or postgresql://USER@HOST/DB."


def _table(title: str, counts: dict[str, int], extra: dict[str, int] | None = None) -> Table:
    table = Table(title=title)
    table.add_column("table")
    table.add_column("added" if extra is not None else "rows", justify="right")
    if extra is not None:
        table.add_column("total", justify="right")
    for name, n in counts.items():
        table.add_row(name, f"{n:,}", *([f"{extra.get(name, 0):,}"] if extra is not None else []))
    return table


@index_app.command("build")
def build(
    data: list[Path] = typer.Argument(..., help="Data files or folders (shared-data layout, bundle, JSONL/CSV/Parquet)."),
    store: str = typer.Option("default", "--store", "-s", help=STORE_HELP),
    field_map: str | None = typer.Option(None, "--map", help="Generic files: FIELD=COLUMN,... e.g. text=body,title=headline,date=published."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar on stderr."),
) -> None:
    """Index data into a store; re-running with the same data adds nothing."""
    from newsproof.evidence.loaders.indexer import build_index

    added, stats = build_index(store, data, field_map, progress=progress)
    Console().print(_table(f"indexed into {store}", added, stats))


@index_app.command("stats")
def stats(store: str = typer.Option("default", "--store", "-s", help=STORE_HELP)) -> None:
    """Show row counts per table."""
    from newsproof.evidence.loaders.indexer import store_stats

    Console().print(_table(store, store_stats(store)))


def register(app: typer.Typer) -> None:
    """Attach `newsproof index`."""
    app.add_typer(index_app, name="index")
