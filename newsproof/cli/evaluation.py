"""`newsproof eval splices` and `newsproof eval controls`: whole-article accuracy and false alarms."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from newsproof.cli.groups import eval_app, examples

DATA_HELP = "The shared data folder (default: ../shared/data beside the repository)."


def _data_dir(data: Path | None) -> Path:
    from newsproof.errors import Errors, InputError
    from newsproof.paths import shared_data_dir

    found = data or shared_data_dir()
    if found is None or not found.is_dir():
        raise InputError(Errors.E106.format(source=str(data or "../shared/data")) +
                         " (the shared data folder; pass --data)", code="E106")
    return found


def _names(value: str | None) -> list[str] | None:
    return [v for v in value.split(",") if v.strip()] if value else None


def eval_splices_cmd(
    split: str = typer.Option("dev", "--split", help="dev (report this), tune (choose rules on this) or all."),
    types: str = typer.Option(None, "--types", help="Comma-separated splice types (default: all)."),
    formats: str = typer.Option(None, "--formats", help="Comma-separated article formats (default: all)."),
    data: Path = typer.Option(None, "--data", help=DATA_HELP),
    store: str = typer.Option("default", "--store", help="Evidence store URI."),
    seed: int = typer.Option(0, "--seed", help="Generator seed (same seed, same articles)."),
    per_type: int = typer.Option(64, "--per-type", help="Fact pairs drawn per splice type, before the split."),
    limit: int = typer.Option(None, "--limit", help="Check at most this many articles (a smoke run)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    html_out: Path = typer.Option(None, "--html", help="Also write a self-contained HTML page here."),
) -> None:
    """Recall per splice type and format, precision of CONTRADICTED, false alarms on accurate articles."""
    from newsproof.evaluation.splices.cases import TYPES
    from newsproof.evaluation.splices.evaluate import evaluate_splices
    from newsproof.evaluation.splices.generate import check_names
    from newsproof.evaluation.splices.render import FORMATS

    chosen_types, chosen_formats = _names(types), _names(formats)
    check_names(chosen_types, TYPES, "--types")
    check_names(chosen_formats, FORMATS, "--formats")
    result = evaluate_splices(_data_dir(data), split=split, types=chosen_types, formats=chosen_formats, store=store,
                              seed=seed, per_type=per_type, limit=limit, progress=True)
    if html_out:
        from newsproof.evaluation.splices.report import write_html

        write_html(result, html_out)
    if as_json:
        typer.echo(json.dumps(result))
    else:
        from newsproof.evaluation.splices.report import print_tables

        print_tables(result)


def eval_controls_cmd(
    data: Path = typer.Option(None, "--data", help=DATA_HELP),
    store: str = typer.Option("default", "--store", help="Evidence store URI."),
    limit: int = typer.Option(None, "--limit", help="Check at most this many articles (a smoke run)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Claims, decided claims and CONTRADICTED claims on real news articles, each alarm listed."""
    from newsproof.evaluation.controls import evaluate_controls

    result = evaluate_controls(_data_dir(data), store=store, limit=limit, progress=True)
    if as_json:
        typer.echo(json.dumps(result))
        return
    typer.echo(f"{result['articles']} articles, {result['claims']} claims, {result['decided']} decided, "
               f"{result['contradicted']} CONTRADICTED ({result['contradicted_per_1000_claims']} per 1,000 claims)")
    for alarm in result["alarms"]:
        typer.echo(f"- [{alarm['article']}] {alarm['claim']}\n    {alarm['reason']}")


def eval_linking_cmd(
    split: str = typer.Option("dev", "--split", help="dev (report this), tune or all (days split by a hash)."),
    data: Path = typer.Option(None, "--data", help=DATA_HELP),
    store: str = typer.Option("default", "--store", help="Evidence store URI."),
    limit: int = typer.Option(None, "--limit", help="Check at most this many days (a smoke run)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Precision and recall of entity links, against Wikipedia editors' links in current-events news."""
    from newsproof.evaluation.linking import evaluate_linking

    if split not in ("dev", "tune", "all"):
        from newsproof.errors import ConfigError, Errors

        raise ConfigError(Errors.E301.format(value=split, name="--split", choices="dev, tune, all"))
    result = evaluate_linking(_data_dir(data), split=split, store=store, limit=limit, progress=True)
    if as_json:
        typer.echo(json.dumps(result))
        return
    typer.echo(f"{result['articles']} days, {result['labelled_mentions']} labelled mentions ({split} split)")
    for group in ("persons", "all"):
        row = result[group]
        typer.echo(f"{group:8} precision {row['precision']} ({row['correct']}/{row['links_judged']})  "
                   f"recall {row['recall']} of {row['labelled_in_kb']} in the KB  "
                   f"unjudged links {row['unjudged_links']}")


def register(app: typer.Typer) -> None:
    """Attach the commands to the shared eval group."""
    eval_app.command("splices", epilog=examples(
        "newsproof eval splices --limit 50", "newsproof eval splices --split dev --json --html splices.html"))(eval_splices_cmd)
    eval_app.command("controls", epilog=examples("newsproof eval controls --limit 20"))(eval_controls_cmd)
    eval_app.command("linking", epilog=examples("newsproof eval linking --limit 30 --json"))(eval_linking_cmd)
