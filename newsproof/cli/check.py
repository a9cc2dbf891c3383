"""`newsproof check SOURCE`: check one article and print or write the report."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from newsproof.cli.groups import examples
from newsproof.errors import EXIT_CONTRADICTED, EXIT_OK, ConfigError, Errors

if TYPE_CHECKING:
    from newsproof.models import Report
    from newsproof.report import ClaimReviewSettings


class OutputFormat(StrEnum):
    """Report formats."""

    text = "text"
    json = "json"
    html = "html"
    claimreview = "claimreview"


def register(app: typer.Typer) -> None:
    """Add the `check`, `schema` and `errors` commands."""
    app.command("check", epilog=examples(
        "newsproof check article.txt",
        "newsproof check page.html --format html --out report.html",
        "newsproof check https://example.org/story --format json",
        "cat article.txt | newsproof check - --date 2021-05-28",
        "newsproof check article.txt --format claimreview --config publisher.toml",
    ))(check_cli)
    app.command("schema", epilog=examples("newsproof schema > report.schema.json"))(schema_cli)
    app.command("errors", epilog=examples("newsproof errors", "newsproof errors --json"))(errors_cli)


def check_cli(
    source: str = typer.Argument(..., metavar="SOURCE", help="Article: a .txt/.md/.html file, an http(s) URL, or '-' for stdin."),
    format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="Report format (claimreview: schema.org ClaimReview JSON-LD)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write the report to this file instead of stdout."),
    store: str | None = typer.Option(None, "--store", help="Evidence store URI (default: the bundled evidence base)."),
    date: str | None = typer.Option(None, "--date", help="Publication date YYYY-MM-DD when the article does not say."),
    config: str | None = typer.Option(None, "--config", help="TOML file overriding the packaged defaults."),
    allow_private_urls: bool = typer.Option(False, "--allow-private-urls", help="Allow fetching private/loopback URLs."),
) -> int:
    """Check an article's claims against the evidence base. Exit 1 if any claim is CONTRADICTED, 2 on bad input.

    --format claimreview writes schema.org ClaimReview JSON-LD for the claims newsproof could rate (set the publisher in the claimreview section of a --config file).
    """
    from newsproof.models import Verdict
    from newsproof.pipeline import Checker

    published = parse_date_option(date)
    claimreview = claimreview_settings(config) if format is OutputFormat.claimreview else None
    checker = Checker(store_uri=store, config_path=config, allow_private_urls=allow_private_urls)
    try:
        report = checker.check(source, date=published)
    finally:
        checker.close()
    write_report(report, format, out, claimreview=claimreview)
    return EXIT_CONTRADICTED if any(r.verdict is Verdict.CONTRADICTED for r in report.claims) else EXIT_OK


def schema_cli() -> None:
    """Print the JSON Schema of the JSON report."""
    import json

    from newsproof.report import report_schema

    print(json.dumps(report_schema(), indent=2))


def errors_cli(
    as_json: bool = typer.Option(False, "--json", help="Print the catalogue as JSON instead of a table."),
) -> None:
    """List the error codes: each failure kind with its message, exit code and HTTP status."""
    import json

    from newsproof.errors import CATALOGUE, catalogue_markdown

    if as_json:
        rows = [{"code": k.code, "kind": k.name, "exit_code": k.exit_code, "http_status": k.http_status,
                 "message": k.template} for k in CATALOGUE.values()]
        print(json.dumps(rows, indent=2))
    else:
        print(catalogue_markdown())


def parse_date_option(value: str | None) -> dt.date | None:
    """Parse --date (YYYY-MM-DD)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(Errors.E301.format(value=value, name="--date", choices="a date YYYY-MM-DD")) from exc


def claimreview_settings(config_path: str | None) -> ClaimReviewSettings:
    """The validated [claimreview] settings; a warning on stderr when the export would be a draft."""
    from newsproof.config import load_config
    from newsproof.report import ClaimReviewSettings

    settings = ClaimReviewSettings.from_config(load_config(config_path))
    if not settings.publishable:
        print(f"newsproof: warning: {settings.draft_reason()}", file=sys.stderr)
    return settings


def write_report(report: Report, format: OutputFormat, out: Path | None,
                 claimreview: ClaimReviewSettings | None = None) -> None:
    """Render `report` in `format` to `out` or stdout (`claimreview`: the export's publisher settings)."""
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
        from newsproof.report import to_claimreview_json

        text = to_claimreview_json(report, settings=claimreview)
    else:
        text = to_json(report) if format is OutputFormat.json else render_html(report)
    if out is None:
        sys.stdout.write(text + "\n")
    else:
        out.write_text(text, encoding="utf-8")
