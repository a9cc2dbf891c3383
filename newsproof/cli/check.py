"""`newsproof check SOURCE`: check one article and print or write the report."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path

import typer

from newsproof.errors import ConfigError, Errors


class OutputFormat(StrEnum):
    """Report formats."""

    text = "text"
    json = "json"
    html = "html"
    claimreview = "claimreview"


def register(app: typer.Typer) -> None:
    """Add the `check` and `schema` commands."""
    app.command("check")(check_cli)
    app.command("schema")(schema_cli)


def check_cli(
    source: str = typer.Argument(..., help="Article: a .txt/.md/.html file, an http(s) URL, or '-' for stdin."),
    format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="Report format (claimreview: schema.org ClaimReview JSON-LD)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write the report to this file instead of stdout."),
    store: str | None = typer.Option(None, "--store", help="Evidence store URI (default: the bundled evidence base)."),
    date: str | None = typer.Option(None, "--date", help="Publication date YYYY-MM-DD when the article does not say."),
    config: str | None = typer.Option(None, "--config", help="TOML file overriding the packaged defaults."),
    allow_private_urls: bool = typer.Option(False, "--allow-private-urls", help="Allow fetching private/loopback URLs."),
) -> int:
    """Check an article's claims against the evidence base. Exit 1 if any claim is CONTRADICTED, 2 on bad input."""
    from newsproof.models import Verdict
    from newsproof.pipeline import Checker

    published = parse_date_option(date)
    checker = Checker(store_uri=store, config_path=config, allow_private_urls=allow_private_urls)
    try:
        report = checker.check(source, date=published)
    finally:
        checker.close()
    write_report(report, format, out)
    return 1 if any(r.verdict is Verdict.CONTRADICTED for r in report.claims) else 0


def schema_cli() -> None:
    """Print the JSON Schema of the JSON report."""
    import json

    from newsproof.report import report_schema

    print(json.dumps(report_schema(), indent=2))


def parse_date_option(value: str | None) -> dt.date | None:
    """Parse --date (YYYY-MM-DD)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(Errors.E301.format(value=value, name="--date", choices="a date YYYY-MM-DD")) from exc


def write_report(report, format: OutputFormat, out: Path | None) -> None:
    """Render `report` in `format` to `out` or stdout."""
    from rich.console import Console

    from newsproof.report import render_html, render_text, to_json

    if format is OutputFormat.text:
        if out is None:
            render_text(report, Console())
        else:
            with out.open("w", encoding="utf-8") as handle:
                render_text(report, Console(file=handle, width=120, color_system=None))
        return
    if format is OutputFormat.claimreview:
        from newsproof.verify.claimreview import to_claimreview_json

        text = to_claimreview_json(report)
    else:
        text = to_json(report) if format is OutputFormat.json else render_html(report)
    if out is None:
        sys.stdout.write(text + "\n")
    else:
        out.write_text(text, encoding="utf-8")
