"""Self-contained HTML report: highlighted claims, evidence cards, inline SVG plots, no external assets."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2

from newsproof.models import Report, Verdict
from newsproof.report.claim_view import claim_views
from newsproof.report.evidence_base import footer
from newsproof.report.machine_view import machine_view

VERDICT_CLASS = {Verdict.SUPPORTED: "supported", Verdict.CONTRADICTED: "contradicted",
                 Verdict.NOT_ENOUGH_EVIDENCE: "nei"}


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("newsproof.report", "templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True,
    )


def article_segments(report: Report) -> list[tuple[str, int | None]]:
    """The article text cut into (text, claim number or None) pieces, claims in order, no overlaps."""
    text = report.article.text
    segments: list[tuple[str, int | None]] = []
    cursor = 0
    spans = sorted((r.claim.start, r.claim.end, n) for n, r in enumerate(report.claims, 1))
    for start, end, number in spans:
        if start < cursor or end > len(text) or start >= end:
            continue
        if start > cursor:
            segments.append((text[cursor:start], None))
        segments.append((text[start:end], number))
        cursor = end
    if cursor < len(text):
        segments.append((text[cursor:], None))
    return segments


def report_context(report: Report) -> dict[str, Any]:
    """Template variables of `report.html.j2` (also used by pages that extend it, e.g. the web app)."""
    summary = report.summary
    bars = [("Supported", summary.supported, "supported"), ("Contradicted", summary.contradicted, "contradicted"),
            ("Not enough evidence", summary.not_enough_evidence, "nei")]
    return dict(
        report=report, segments=article_segments(report), verdict_class=VERDICT_CLASS, bars=bars,
        bar_max=max(1, max(count for _, count, _ in bars)), views=claim_views(report), machine=machine_view(report),
        footer=footer(report),
    )


def render_html(report: Report) -> str:
    """The report as one HTML page (inline CSS, SVG and a few lines of JavaScript)."""
    return _environment().get_template("report.html.j2").render(**report_context(report))
