"""Summary: digests, the rich table and the self-contained HTML page with its triage table."""

from __future__ import annotations

import re

import lxml.html
from rich.console import Console

from newsproof.batch.summary import RunStats, digest, summary_table, totals
from newsproof.batch.summary_html import render_summary_html
from newsproof.batch.triage import Row, report_name
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


def _report(text: str, verdicts: list[Verdict], probability: float | None, label: str = "human") -> dict:
    sentence = text.split(".")[0]
    results = [
        ClaimResult(claim=Claim(id=f"c{n}", kind="event", text=sentence, start=0, end=len(sentence),
                                mentions=[Mention(text="Qasem Soleimani", label="PERSON", start=0, end=15),
                                          Mention(text="Calabasas, California", label="GPE", start=16, end=19),
                                          Mention(text="Friday", label="DATE", start=20, end=26)]),
                    verdict=verdict, confidence=0.8, reason="test", check="structured")
        for n, verdict in enumerate(verdicts)
    ]
    report = Report(newsproof_version="0", article=Article(id="a", text=text), claims=results,
                    machine_generated=DetectionResult(probability=probability, label=label),
                    summary=Summary(claims=len(results), supported=0, contradicted=1, not_enough_evidence=0,
                                    credibility="low"))
    return report.model_dump(mode="json")


def _stats(news_excerpts) -> RunStats:
    stats = RunStats(engine="local", workers=2, elapsed_s=4.0)
    stats.add(digest({"id": "a", "report": _report(news_excerpts[0]["text"],
                                                   [Verdict.CONTRADICTED, Verdict.SUPPORTED], 0.2)}), 1.5)
    stats.add(digest({"id": "b", "report": _report(news_excerpts[1]["text"], [Verdict.CONTRADICTED], 0.9)}), 2.5)
    stats.add(digest({"id": "c", "error": {"code": "E101", "message": "empty input"}}), 3.0)
    stats.add(digest({"id": "d", "report": _report(news_excerpts[2]["text"], [], None, "uncertain")}), 3.5)
    return stats


def test_digests_count_verdicts_entities_and_errors(news_excerpts):
    agg = totals(_stats(news_excerpts).digests)
    assert (agg.items, agg.failed, dict(agg.error_codes)) == (4, 1, {"E101": 1})
    assert agg.verdicts == {"CONTRADICTED": 2, "SUPPORTED": 1}
    assert agg.contradicted_entities == {"Qasem Soleimani": 2}, "per article, people and organisations only"
    assert sorted(agg.mg_probabilities) == [0.2, 0.9]
    assert agg.mg_labels == {"human": 2, "uncertain": 1}


def test_summary_table_reports_rate_and_first_result(news_excerpts):
    console = Console(record=True, width=140)
    stats = _stats(news_excerpts)
    console.print(summary_table(stats))
    text = console.export_text()
    assert "3 / 1" in text and "CONTRADICTED 2" in text and "Qasem Soleimani (2)" in text
    assert "Calabasas" not in text, "places are not listed as contradicted entities"
    # 4 articles in 4.0 s (start-up included); 3 more results in the 2.0 s after the first one
    assert "1.50 articles/s while checking; 1.00 articles/s overall" in text
    assert "first result after 1.5 s" in text


def test_throughput_separates_start_up_from_checking():
    stats = RunStats(engine="local", workers=2, elapsed_s=28.0)
    for finished in (24.0, 24.5, 25.0, 28.0):
        stats.add(digest({"id": str(finished), "error": {"code": "NP101", "message": ""}}), finished)
    assert stats.rate == 4 / 28.0 and stats.checking_rate == 3 / 4.0
    lone = RunStats(engine="local", workers=1, elapsed_s=2.0)
    lone.add(digest({"id": "x", "error": {"code": "NP101", "message": ""}}), 1.0)
    assert lone.checking_rate == lone.rate == 0.5


def test_html_summary_is_self_contained_with_five_plots(news_excerpts):
    html = render_summary_html(_stats(news_excerpts))
    assert html.count("<svg") == 5
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", html), "no external resources"
    assert "Qasem Soleimani" in html and "1.50 articles/s while checking" in html
    assert "Calabasas" not in html
    assert "uncertain (1)" in html, "the machine-text chart counts the article without a score"
    assert len(_count_ticks(html)) == 5, "every chart has a count axis"


def _count_ticks(html: str) -> dict[str, list[str]]:
    """Tick labels of each chart's count axis (y, or x for the horizontal entity bars)."""
    ticks = {}
    for figure in lxml.html.fromstring(html).xpath("//figure"):
        caption = figure.findtext("figcaption")
        axis = "matplotlib.axis_1" if "contradicted" in caption else "matplotlib.axis_2"
        labels = [t.text_content().strip() for t in figure.xpath(f".//*[@id='{axis}']//*[local-name()='text']")]
        if labels:  # a chart with nothing to show has no axes
            ticks[caption] = labels[:-1]  # drop the axis title
    return ticks


def test_count_axes_show_whole_numbers_even_when_all_counts_are_zero(news_excerpts):
    lone = RunStats(engine="local", workers=1, elapsed_s=3.0)
    lone.add(digest({"id": "x", "error": {"code": "NP101", "message": ""}}), 1.0)
    for stats in (_stats(news_excerpts), lone):
        for caption, labels in _count_ticks(render_summary_html(stats)).items():
            assert labels and all(re.fullmatch(r"\d+", t) for t in labels), (caption, labels)


def test_triage_table_has_a_sortable_row_per_article(news_excerpts):
    stats = _stats(news_excerpts)
    rows = [Row(n, d, f"reports/{report_name(d.id)}" if d.error_code is None else None)
            for n, d in enumerate(stats.digests, start=1)]
    page = lxml.html.fromstring(render_summary_html(stats, rows))
    table = page.get_element_by_id("triage")
    assert [th.text_content() for th in table.findall("thead/tr/th")][:2] == ["#", "Article"]
    body = table.findall("tbody/tr")
    assert [tr.findtext("td[2]/div/a") or tr.findtext("td[2]/div") for tr in body] == ["a", "b", "c", "d"]
    first = [td.text_content().strip() for td in body[0].findall("td")]
    assert first[2:6] == ["1", "1", "0", "low"], "supported, contradicted, NEE counts and credibility"
    assert "20%" in first[6] and body[0].xpath(".//a/@href")[-1] == f"reports/{report_name('a')}"
    assert "E101: empty input" in body[2].text_content() and not body[2].xpath(".//a"), "a failed article: its error, no link"
    assert "no score" in body[3].text_content()
    assert page.xpath("//script") and "sort" in page.xpath("//script")[0].text


def test_report_names_are_safe_stable_and_distinct():
    names = {report_name(i) for i in ("a/b.txt", "a_b.txt", "../../etc/passwd", "https://x.org/?q=1", "a/b.txt")}
    assert len(names) == 4
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+\.html", n) and not n.startswith(".") for n in names)
