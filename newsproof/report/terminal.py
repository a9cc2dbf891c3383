"""Rich terminal report."""

from __future__ import annotations

import re

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from newsproof.models import Report, Verdict

VERDICT_STYLE = {Verdict.SUPPORTED: "bold green", Verdict.CONTRADICTED: "bold red",
                 Verdict.NOT_ENOUGH_EVIDENCE: "yellow"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]|\x1b\[[0-9;?]*[A-Za-z]")


def safe(text: str | None, limit: int | None = None) -> Text:
    """Untrusted text for the terminal: control and escape sequences removed, no markup parsing."""
    clean = _CONTROL.sub("", text or "")
    if limit and len(clean) > limit:
        clean = clean[: limit - 1] + "…"
    return Text(clean)


def render_text(report: Report, console: Console | None = None) -> None:
    """Print the report: article header, claims table, evidence for decided claims."""
    console = console or Console()
    article, summary, mg = report.article, report.summary, report.machine_generated
    header = Table.grid(padding=(0, 2))
    header.add_row("Title", safe(article.title or "(untitled)"))
    header.add_row("Date", f"{article.date or 'unknown'} ({article.date_source})")
    if article.byline:
        header.add_row("Byline", safe(article.byline))
    header.add_row("Claims", f"{summary.claims} checked: [green]{summary.supported} supported[/], "
                   f"[red]{summary.contradicted} contradicted[/], "
                   f"[yellow]{summary.not_enough_evidence} not enough evidence[/]")
    header.add_row("Credibility", _credibility(summary.credibility))
    probability = "n/a" if mg.probability is None else f"{mg.probability:.0%}"
    machine = Text(f"{probability} ({mg.label})")
    if mg.reason:
        machine.append(" — ").append_text(safe(mg.reason))
    header.add_row("Machine-written", machine)
    console.print(Panel(header, title="newsproof report", border_style="blue"))

    table = Table(show_lines=True, expand=True)
    table.add_column("#", width=3)
    table.add_column("Verdict", width=14)
    table.add_column("Claim", ratio=3)
    table.add_column("Reason", ratio=3)
    for number, result in enumerate(report.claims, 1):
        verdict = Text(result.verdict.value, style=VERDICT_STYLE[result.verdict])
        verdict.append(f"\n{result.confidence:.0%}", style="dim")
        reason = safe(result.reason, 300)
        if result.facts:
            reason.append("\n" + facts_line(result), style="dim")
        table.add_row(str(number), verdict, safe(result.claim.text, 300), reason)
    console.print(table)

    for number, result in enumerate(report.claims, 1):
        if result.verdict is Verdict.NOT_ENOUGH_EVIDENCE or not result.evidence:
            continue
        cards = [Text.assemble(("• ", "dim"), safe(item.title or item.source, 80),
                               safe(f" [{item.kind}, {item.source}{', ' + item.date if item.date else ''}]"),
                               "\n  ", safe(item.text, 400)) for item in result.evidence[:3]]
        console.print(Panel(Group(*cards), title=f"Evidence for claim {number}",
                            border_style=VERDICT_STYLE[result.verdict].split()[-1]))
    if mg.signals:
        signals = ", ".join(f"{s.name}={s.value:.3g}" for s in mg.signals[:5])
        console.print(Text.assemble(("Machine-generation signals: ", "dim"), safe(signals)))


def facts_line(result) -> str:
    """'date ✗ · place ✓': the claim's checked facts at a glance."""
    marks = {Verdict.SUPPORTED: "✓", Verdict.CONTRADICTED: "✗"}
    return " · ".join(f"{f.fact} {marks.get(f.verdict, '?')}" for f in result.facts)


def _credibility(level: str) -> str:
    style = {"low": "bold red", "mixed": "yellow", "unverified": "yellow", "high": "bold green"}[level]
    return f"[{style}]{level}[/]"
