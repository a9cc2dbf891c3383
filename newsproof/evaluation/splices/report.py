"""Show an `eval splices` result: a rich table on the terminal, a self-contained HTML page."""

from __future__ import annotations

import html
from pathlib import Path

from rich.console import Console
from rich.table import Table


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def print_tables(result: dict, console: Console | None = None) -> None:
    """Per-type and per-format tables, then the totals."""
    console = console or Console()
    table = Table(title=f"Splices caught ({result['split']} split)")
    for column in ("splice type", "n", "recall", "recall (fact in base)", "precision", "fact in base",
                   "false alarms"):
        table.add_column(column, justify="left" if column == "splice type" else "right")
    for name, row in result["by_type"].items():
        table.add_row(name, str(row["n"]), _pct(row["recall"]), _pct(row["recall_in_kb"]), _pct(row["precision"]),
                      _pct(row["in_kb_share"]), _pct(row["false_alarm_rate"]))
    console.print(table)
    formats = Table(title="By article format")
    for column in ("format", "n", "recall", "recall (fact in base)", "false alarms"):
        formats.add_column(column, justify="left" if column == "format" else "right")
    for name, row in result["by_format"].items():
        formats.add_row(name, str(row["n"]), _pct(row["recall"]), _pct(row["recall_in_kb"]),
                        _pct(row["false_alarm_rate"]))
    console.print(formats)
    overall = result["overall"]
    console.print(f"{result['n_spliced']} spliced, {result['n_controls']} accurate articles: recall "
                  f"{_pct(overall['recall'])} ({_pct(overall['recall_in_kb'])} where the base records the fact), "
                  f"precision {_pct(overall['precision'])}, false alarms on {_pct(overall['false_alarm_rate'])} "
                  "of accurate articles")


def write_html(result: dict, path: Path) -> None:
    """A self-contained page: a bar plot of recall per type (inline SVG) and both tables."""
    rows = list(result["by_type"].items())
    bar_h, width, label_w = 26, 640, 170
    bars = []
    for i, (name, row) in enumerate(rows):
        y = 10 + i * bar_h
        for value, colour, offset in ((row["recall"], "#3366cc", 0), (row["recall_in_kb"], "#99bbee", 11)):
            w = (value or 0) * (width - label_w - 60)
            bars.append(f'<rect x="{label_w}" y="{y + offset}" width="{w:.1f}" height="10" fill="{colour}"/>')
        bars.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{html.escape(name)}</text>'
                    f'<text x="{label_w + 6 + (row["recall"] or 0) * (width - label_w - 60):.1f}" y="{y + 9}">'
                    f'{_pct(row["recall"])}</text>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{20 + bar_h * len(rows)}" '
           f'font-family="sans-serif" font-size="12">{"".join(bars)}</svg>')

    def table(head: list[str], body: list[list[str]]) -> str:
        cells = "".join(f"<th>{html.escape(h)}</th>" for h in head)
        lines = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in body)
        return f"<table><tr>{cells}</tr>{lines}</table>"

    types = table(["splice type", "n", "recall", "recall (fact in base)", "precision", "fact in base", "false alarms"],
                  [[k, str(v["n"]), _pct(v["recall"]), _pct(v["recall_in_kb"]), _pct(v["precision"]),
                    _pct(v["in_kb_share"]), _pct(v["false_alarm_rate"])] for k, v in rows])
    formats = table(["format", "n", "recall", "recall (fact in base)", "false alarms"],
                    [[k, str(v["n"]), _pct(v["recall"]), _pct(v["recall_in_kb"]), _pct(v["false_alarm_rate"])]
                     for k, v in result["by_format"].items()])
    overall = result["overall"]
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>newsproof splice benchmark</title>
<style>body{{font-family:sans-serif;max-width:900px;margin:2em auto}}table{{border-collapse:collapse;margin:1em 0}}
td,th{{border:1px solid #ccc;padding:4px 8px;text-align:right}}td:first-child,th:first-child{{text-align:left}}</style>
</head><body><h1>Splice benchmark ({html.escape(result['split'])} split)</h1>
<p>{result['n_spliced']} spliced and {result['n_controls']} accurate articles. Recall {_pct(overall['recall'])}
({_pct(overall['recall_in_kb'])} where the evidence base records the fact), precision of CONTRADICTED
{_pct(overall['precision'])}, false alarms on {_pct(overall['false_alarm_rate'])} of accurate articles.</p>
<h2>Recall per splice type</h2><p>Dark: all cases; light: cases whose fact the evidence base records.</p>{svg}
<h2>By splice type</h2>{types}<h2>By article format</h2>{formats}</body></html>
"""
    path.write_text(page, encoding="utf-8")
