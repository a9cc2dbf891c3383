"""Summary: digests, the rich table and the self-contained HTML report."""

from __future__ import annotations

import re

from rich.console import Console

from newsproof.batch.summary import RunStats, digest, summary_table, totals
from newsproof.batch.summary_html import render_summary_html
from newsproof.models import (
    Article,
    Claim,
    ClaimResult,
    DetectionResult,
    Mention,
    Report,
    Summary,
    Verdict,
)


def _report(text: str, verdicts: list[Verdict], probability: float) -> dict:
    sentence = text.split(".")[0]
    results = [
        ClaimResult(claim=Claim(id=f"c{n}", kind="event", text=sentence, start=0, end=len(sentence),
                                mentions=[Mention(text="Qasem Soleimani", label="PERSON", start=0, end=15),
                                          Mention(text="Friday", label="DATE", start=20, end=26)]),
                    verdict=verdict, confidence=0.8, reason="test", check="structured")
        for n, verdict in enumerate(verdicts)
    ]
    report = Report(newsproof_version="0", article=Article(id="a", text=text), claims=results,
                    machine_generated=DetectionResult(probability=probability, label="human"),
                    summary=Summary(claims=len(results), supported=0, contradicted=1, not_enough_evidence=0,
                                    credibility="low"))
    return report.model_dump(mode="json")


def _stats(news_excerpts) -> RunStats:
    stats = RunStats(engine="local", workers=2, elapsed_s=4.0)
    stats.add(digest({"id": "a", "report": _report(news_excerpts[0]["text"],
                                                   [Verdict.CONTRADICTED, Verdict.SUPPORTED], 0.2)}), 1.5)
    stats.add(digest({"id": "b", "report": _report(news_excerpts[1]["text"], [Verdict.CONTRADICTED], 0.9)}), 2.5)
    stats.add(digest({"id": "c", "error": {"code": "E101", "message": "empty input"}}), 3.0)
    return stats


def test_digests_count_verdicts_entities_and_errors(news_excerpts):
    agg = totals(_stats(news_excerpts).digests)
    assert (agg.items, agg.failed, dict(agg.error_codes)) == (3, 1, {"E101": 1})
    assert agg.verdicts == {"CONTRADICTED": 2, "SUPPORTED": 1}
    assert agg.contradicted_entities == {"Qasem Soleimani": 2}, "per article, named entities only"
    assert sorted(agg.mg_probabilities) == [0.2, 0.9]


def test_summary_table_reports_rate_and_first_result(news_excerpts):
    console = Console(record=True, width=140)
    stats = _stats(news_excerpts)
    console.print(summary_table(stats))
    text = console.export_text()
    assert "2 / 1" in text and "CONTRADICTED 2" in text and "Qasem Soleimani (2)" in text
    assert "0.75 articles/s" in text and "first result after 1.5s" in text


def test_html_summary_is_self_contained_with_four_plots(news_excerpts):
    html = render_summary_html(_stats(news_excerpts))
    assert html.count("<svg") == 4
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", html), "no external resources"
    assert "Qasem Soleimani" in html and "0.75 articles/s" in html
