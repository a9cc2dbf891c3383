"""Rich terminal report."""

from __future__ import annotations

import re

from rich.console import Console, Group
from rich.panel import Panel
from rich.style import Style
from rich.table import Table
from rich.text import Text

from newsproof.models import Report, Verdict
from newsproof.report.claim_view import ClaimView, claim_views
from newsproof.report.evidence_base import Footer, footer
from newsproof.report.machine_view import machine_view
from newsproof.report.wording import machine_explanation

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
    """Print the report: article header, claims table, evidence and next steps, machine-text signals and the
    evidence-base footer."""
    console = console or Console()
    article, summary, mg = report.article, report.summary, report.machine_generated
    views = claim_views(report)
    header = Table.grid(padding=(0, 2))
    header.add_row("Title", safe(article.title or "(untitled)"))
    header.add_row("Date", f"{article.date or 'unknown'} ({article.date_source})")
    if article.byline:
        header.add_row("Byline", safe(article.byline))
    if summary.claims:
        header.add_row("Claims", f"{summary.claims} checked: [green]{summary.supported} supported[/], "
                       f"[red]{summary.contradicted} contradicted[/], "
                       f"[yellow]{summary.not_enough_evidence} not enough evidence[/]")
    else:
        header.add_row("Claims", "no check-worthy claims found")
    header.add_row("Credibility", _credibility(summary.credibility))
    header.add_row("Machine-written", safe(machine_explanation(mg)))
    console.print(Panel(header, title="newsproof report", border_style="blue"))

    if views:
        console.print(_claims_table(views))
    for view in views:
        panel = _evidence_panel(view)
        if panel is not None:
            console.print(panel)
    machine = machine_view(report)
    if machine.signals:
        console.print(Text("Machine-text signals: ", style="dim").append_text(safe("; ".join(machine.signals))))
    if machine.paragraphs:
        scores = " ".join(f"¶{row.number} {row.percent}" for row in machine.paragraphs)
        console.print(Text.assemble(("By paragraph: ", "dim"), scores, (f" ({machine.paragraph_note})", "dim")))
    base = footer(report)
    if base is not None:
        console.print(_footer_text(base))


def _claims_table(views: list[ClaimView]) -> Table:
    table = Table(show_lines=True, expand=True)
    table.add_column("#", width=3)
    table.add_column("Verdict", width=14)
    table.add_column("Claim", ratio=3)
    table.add_column("Reason", ratio=3)
    for view in views:
        result = view.result
        verdict = Text(result.verdict.value, style=VERDICT_STYLE[result.verdict])
        if view.confidence:  # NOT ENOUGH EVIDENCE has no meaningful percentage
            verdict.append(f"\n{view.confidence}", style="dim")
        reason = safe(view.reason, 300)
        if result.facts:
            reason.append_text(styled("\n" + view.facts, "dim"))
        reason.append_text(styled(f"\nchecked: {view.check}", "dim"))
        table.add_row(str(view.number), verdict, safe(result.claim.text, 300), reason)
    return table


def _evidence_panel(view: ClaimView) -> Panel | None:
    """The cards the verdict rests on (or the closest passage), then next steps for an unverified claim."""
    parts: list[Text] = []
    for card in view.cards:
        cited = Text("• ", style="dim")
        if card.closest:
            cited.append("closest passage, does not settle the claim: ", style="yellow")
        for i, (name, url) in enumerate(card.citation.links):
            cited.append(" · " if i else "").append_text(_link(name, url))
        if card.item.date:
            cited.append_text(styled(f" ({card.dated})", "dim"))
        cited.append_text(styled("\n  relevant: " + "; ".join(card.why), "dim italic"))
        if card.citation.url:
            cited.append_text(styled("\n  " + card.citation.url, "dim"))
        if card.citation.retrieved_from:
            cited.append_text(styled(f"\n  retrieved from {card.citation.retrieved_from}", "dim"))
        cited.append("\n  ").append_text(safe(card.item.text, 400))
        parts.append(cited)
    if view.search_phrases:
        parts.append(Text("Next steps: search for ", style="bold").append_text(safe("; ".join(view.search_phrases))))
    if view.lookups:
        parts.append(Text("Look up: ", style="bold").append_text(safe(", ".join(view.lookups))))
    if not parts:
        return None
    title = f"Evidence for claim {view.number}" if view.confidence else f"Claim {view.number}: {view.nee_label}"
    return Panel(Group(*parts), title=title, border_style=VERDICT_STYLE[view.result.verdict].split()[-1])


def styled(text: str, style: str) -> Text:
    """Untrusted text (see `safe`) in one style."""
    out = safe(text)
    out.stylize(style)
    return out


def _link(name: str, url: str | None) -> Text:
    """A source name, a clickable hyperlink in terminals that support them (only a clean http(s) URL)."""
    text = safe(name, 120)
    if url and not re.search(r"[\s\x00-\x1f\x7f-\x9f]", url):
        text.stylize(Style(link=url))
    return text


def _footer_text(base: Footer) -> Text:
    sources = ", ".join(f"{name} ({count:,})" for name, count in base.sources[:8])
    more = len(base.sources) - 8
    latest = f"; latest dated item {base.latest}" if base.latest else ""
    text = Text("Evidence base: ", style="bold").append_text(safe(f"{base.totals}{latest}."))
    if sources:
        text.append_text(styled(f"\nSources: {sources}" + (f" and {more} more" if more > 0 else "") + ".", "dim"))
    return text


def _credibility(level: str) -> str:
    style = {"low": "bold red", "mixed": "yellow", "unverified": "yellow", "high": "bold green"}[level]
    return f"[{style}]{level}[/]"
