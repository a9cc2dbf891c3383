"""`newsproof index build|stats|search`: load data files into an evidence store and inspect it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

from newsproof.cli.groups import examples
from newsproof.errors import ConfigError, Errors
from newsproof.evidence.protocol import SearchFilters

if TYPE_CHECKING:
    from newsproof.evidence.loaders.indexer import IndexResult
    from newsproof.evidence.protocol import EvidenceStore

index_app = typer.Typer(help="Build and inspect evidence stores (SQLite file or PostgreSQL).", no_args_is_help=True)
STORE_HELP = "Store URI: 'default', a file path, sqlite:///PATH or postgresql://USER@HOST/DB."
MAX_K = 1000


KIND_FILTERS = {"news": ("news",), "kb": ("kb", "encyclopedia"), "checked": ()}
SNIPPET = 200


def _table(title: str, counts: dict[str, int]) -> Table:
    table = Table(title=title)
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, n in counts.items():
        table.add_row(name, f"{n:,}")
    return table


def _build_table(title: str, result: IndexResult, stats: dict[str, int]) -> Table:
    table = Table(title=title)
    for column in ("table", "new", "updated", "unchanged", "total"):
        table.add_column(column, justify="left" if column == "table" else "right")
    for name, c in result.counts.items():
        table.add_row(name, f"{c.new:,}", f"{c.updated:,}", f"{c.unchanged:,}", f"{stats.get(name, 0):,}")
    return table


@index_app.command("build", epilog=examples(
    "newsproof index build ../shared/data/news --store news.sqlite",
    "newsproof index build articles.csv --map text=body,title=headline,date=published --store news.sqlite"))
def build(
    data: list[Path] = typer.Argument(..., help="Data files or folders (shared-data layout, bundle, JSONL/CSV/Parquet)."),
    store: str = typer.Option("default", "--store", "-s", help=STORE_HELP),
    field_map: str | None = typer.Option(None, "--map", help="Generic files: FIELD=COLUMN,... e.g. text=body,title=headline,date=published."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar on stderr."),
) -> None:
    """Index data into a store: new ids are added, changed records replaced, unchanged ones left alone.
    A killed run resumes from per-file checkpoints."""
    from newsproof.evidence import build_index

    result, stats = build_index(store, data, field_map, progress=progress)
    console = Console()
    console.print(_build_table(f"indexed into {store}", result, stats))
    resumed = ", ".join(f"{name} after {n:,} records" for name, n in result.resumed.items())
    console.print(f"records read: {result.records_read:,}" + (f"; resumed from checkpoints: {resumed}" if resumed else ""),
                  highlight=False)


@index_app.command("stats", epilog=examples("newsproof index stats --store news.sqlite"))
def stats(store: str = typer.Option("default", "--store", "-s", help=STORE_HELP)) -> None:
    """Show row counts per table."""
    from newsproof.evidence import store_stats

    Console().print(_table(store, store_stats(store)))


def search_rows(opened: EvidenceStore, query: str, kind: str | None, k: int) -> list[dict[str, Any]]:
    """What `check` retrieves for `query`: passages through its retrieval stage (hybrid when the store
    has vectors, else BM25; here optionally restricted to a kind) and previously checked claims by
    the candidate search of its fact-check matcher, best first."""
    from newsproof.config import load_config
    from newsproof.evidence.retrieval import build_retriever

    rows: list[dict[str, Any]] = []
    if kind != "checked":
        filters = SearchFilters(kinds=KIND_FILTERS[kind]) if kind else None
        retriever = build_retriever(opened, load_config()["verify"])
        rows += [{"rank": rank, "score": round(h.score, 6), **h.passage.model_dump()}
                 for rank, h in enumerate(retriever.search(query, k, filters), 1)]
    if kind in (None, "checked"):
        rows += [{"rank": rank, "score": round(score, 6), "id": c.id, "kind": "checked", "source": c.source,
                  "date": c.date, "title": None, "text": c.claim, "url": c.url, "label": c.label,
                  "verdict": c.verdict.value}
                 for rank, (c, score) in enumerate(opened.search_checked_claims(query, k), 1)]
    return rows


@index_app.command("search", epilog=examples(
    "newsproof index search 'Soleimani killed in Baghdad' --kind kb -k 5",
    "newsproof index search 'sea level rise' --kind checked --json --store news.sqlite"))
def search(
    query: str = typer.Argument(..., help="Search text, e.g. a claim."),
    store: str = typer.Option("default", "--store", "-s", help=STORE_HELP),
    kind: str | None = typer.Option(None, "--kind", help="Only news passages, kb (knowledge-base and encyclopedia "
                                    "passages) or checked (previously fact-checked claims)."),
    k: int = typer.Option(10, "-k", help="Results per section (passages, checked claims)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON array."),
) -> None:
    """Show what a store holds for a query (id, kind, source, date, text), as `check` retrieves it."""
    from newsproof.evidence import open_store
    from newsproof.evidence.store_common import query_tokens

    if kind is not None and kind not in KIND_FILTERS:
        raise ConfigError(Errors.E301.format(value=kind, name="--kind", choices=", ".join(KIND_FILTERS)))
    if not 1 <= k <= MAX_K:
        raise ConfigError(Errors.E301.format(value=k, name="-k", choices=f"a whole number from 1 to {MAX_K}"))
    if not query_tokens(query):
        raise ConfigError(Errors.E301.format(value=query, name="QUERY", choices="text with at least one word"))
    opened = open_store(store, read_only=True)
    try:
        rows = search_rows(opened, query, kind, k)
    finally:
        opened.close()
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table(title=f"{len(rows)} results for {query!r} in {store}")
    for column in ("rank", "id", "kind", "source", "date", "text"):
        table.add_column(column, overflow="fold")
    for row in rows:
        text = row["text"] if len(row["text"]) <= SNIPPET else row["text"][:SNIPPET] + "…"
        if row["kind"] == "checked":
            text += f" [rated {row['label'] or row['verdict']}]"
        table.add_row(str(row["rank"]), row["id"], row["kind"], row["source"] or "", row["date"] or "", text)
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Attach `newsproof index`."""
    app.add_typer(index_app, name="index")
