"""`newsproof update`: bring the evidence base up to date from news feeds, sitemaps and ClaimReview sources."""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from newsproof.cli.groups import examples
from newsproof.errors import ConfigError, Errors

if TYPE_CHECKING:
    from newsproof.update import UpdateSummary


def register(app: typer.Typer) -> None:
    """Add the `update` command."""
    app.command("update", epilog=examples(
        "newsproof update https://example.org/rss.xml --store news.sqlite",
        "newsproof update sitemap:https://example.org/news-sitemap.xml --since 2025-01-01",
        "newsproof update claimreview:https://example.org/factchecks.json",
        "newsproof update --config feeds.toml --every 30m --warc archive/",
    ))(update_cli)


def update_cli(
    sources: list[str] | None = typer.Argument(None, metavar="SOURCE",
                                               help="Feed, sitemap or ClaimReview URLs (KIND:URL forces the kind); "
                                                    "added to \\[update] feeds of the config."),
    store: str | None = typer.Option(None, "--store", "-s", help="Evidence store URI (default: the bundled evidence base)."),
    since: str | None = typer.Option(None, "--since", help="Skip items the source dates before DATE (YYYY-MM-DD)."),
    every: str | None = typer.Option(None, "--every", help="Repeat in the foreground at this interval, e.g. 30m, 1h."),
    warc: Path | None = typer.Option(None, "--warc", help="Also write everything fetched as WARC files into DIR."),
    config: str | None = typer.Option(None, "--config", help="TOML file overriding the packaged defaults."),
    allow_private_urls: bool = typer.Option(False, "--allow-private-urls", help="Allow fetching private/loopback URLs."),
    force: bool = typer.Option(False, "--force", help="Also poll sources whose next poll is not due (after failures)."),
    embed: bool | None = typer.Option(None, "--embed/--no-embed", help="Embed new passages (default: \\[update] embed)."),
    state: Path | None = typer.Option(None, "--state", help="State file (default: $NEWSPROOF_HOME/update-state.sqlite)."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show progress bars on stderr."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as one JSON object."),
) -> None:
    """Poll feeds, fetch new and changed articles, store them as dated evidence passages, embed them.

    Re-running adds nothing new; a run killed at any point resumes without duplicates. A run in which every
    source polled failed exits with NP160 (exit code 2) after its summary; partial failures exit 0.
    """
    from newsproof.config import load_config
    from newsproof.update import run_update
    from newsproof.update.schedule import parse_interval, repeat
    from newsproof.update.settings import options_from_config

    cfg = load_config(config)
    options = options_from_config(cfg, feeds=sources or [], store_uri=store, since=_since(since), warc_dir=warc,
                                  force=force or None, embed=embed, state_path=state, progress=progress)
    options.allow_private = options.allow_private or allow_private_urls
    interval = parse_interval(every) if every else None

    def once() -> None:
        summary = run_update(options, cfg)
        typer.echo(json.dumps(asdict(summary))) if as_json else _print(summary)
        failure = summary.failure()
        if failure is not None and interval is None:  # cron / a timer sees it; --every goes on
            raise failure

    if interval is None:
        once()
        return
    repeat(interval, once, threading.Event())  # until Ctrl-C


def _since(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(Errors.E301.format(value=value, name="--since", choices="a date YYYY-MM-DD")) from exc


def _print(summary: UpdateSummary) -> None:
    from rich.console import Console

    items = summary.items
    feeds = f"{summary.feeds} polled ({summary.feeds_not_modified} not modified), {summary.feeds_failed} failed"
    if summary.feeds_deferred:
        feeds += f", {summary.feeds_deferred} not due"
    console = Console(stderr=False, highlight=False)
    console.print(f"feeds: {feeds}")
    console.print(f"items: {items.new} new, {items.updated} updated, {items.unchanged} unchanged, "
                  f"{items.failed} failed, {items.skipped} skipped ({items.duplicates} duplicates)")
    console.print(f"passages: {items.passages_written} written, {items.passages_deleted} removed, "
                  f"{items.embedded} embedded; checked claims: {summary.checked_claims} new or changed")
    console.print(f"evidence as of {summary.evidence_as_of or 'unknown'} ({summary.seconds:.1f} s)")
    if summary.warc:
        console.print(f"WARC: {summary.warc}")
    for line in summary.errors:
        Console(stderr=True, highlight=False).print(f"skipped {line}", markup=False)
