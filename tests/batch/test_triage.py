"""The batch summary as a user gets it from the CLI: every input in the triage table, each linked to a report
that opens (checked as files, and in headless Chromium when it is installed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest

from newsproof.batch.triage import report_name

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Run:
    """One CLI batch run with --summary and --reports."""

    rows: list[dict]
    out: Path
    summary: Path
    reports: Path


@pytest.fixture(scope="module")
def triage_run(tmp_path_factory, news_excerpts, jsonl_writer) -> Run:
    """Three real articles plus one row without text, through `newsproof batch --summary --reports`."""
    folder = tmp_path_factory.mktemp("triage")
    rows = [{k: r[k] for k in ("id", "date", "title", "text")} for r in news_excerpts[3:6]]
    rows.insert(1, {"id": "no-text", "text": ""})
    source = jsonl_writer(folder / "news.jsonl", rows)
    run = Run(rows, folder / "results.jsonl", folder / "site" / "summary.html", folder / "site" / "reports")
    done = subprocess.run([sys.executable, "-c", "from newsproof.cli import main; main()", "batch", str(source),
                           "--out", str(run.out), "--workers", "1", "--summary", str(run.summary),
                           "--reports", str(run.reports), "--no-progress"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return run


def test_every_input_is_a_row_in_input_order_linked_to_a_report_that_opens(triage_run):
    page = lxml.html.fromstring(triage_run.summary.read_text(encoding="utf-8"))
    body = page.get_element_by_id("triage").findall("tbody/tr")
    assert [tr.find("td[2]/div").text_content() for tr in body] == [r["id"] for r in triage_run.rows]
    results = {r["id"]: r for r in map(json.loads, triage_run.out.read_text(encoding="utf-8").splitlines())}
    for tr, row in zip(body, triage_run.rows, strict=True):
        links = set(tr.xpath(".//a/@href"))
        if not row["text"]:
            assert not links and "no article text" in tr.text_content()
            continue
        title = results[row["id"]]["report"]["article"]["title"]
        assert title in (row["title"], *row["text"].splitlines()[:1]), "the article's title, else the input's"
        assert title in tr.text_content()
        assert links == {f"reports/{report_name(row['id'])}"}
        report = triage_run.summary.parent / links.pop()
        assert report.is_file()
        html = report.read_text(encoding="utf-8")
        opened = lxml.html.fromstring(html)
        assert opened.findtext(".//title").startswith("newsproof report")
        assert row["text"].split()[0] in opened.text_content(), "the report shows this article"
        assert "<script src" not in html and "<link" not in html, "self-contained"
    assert sorted(p.name for p in triage_run.reports.iterdir()) == sorted(
        report_name(r["id"]) for r in triage_run.rows if r["text"])


def test_summary_counts_every_article(triage_run):
    page = lxml.html.fromstring(triage_run.summary.read_text(encoding="utf-8"))
    figures = {tr.findtext("th"): tr.findtext("td") for tr in page.xpath("//table[1]//tr")}
    assert figures["articles"] == "4" and figures["checked / failed"] == "3 / 1"
    assert "articles/s while checking" in figures["throughput"]


@pytest.mark.browser
def test_summary_sorts_and_links_open_in_chromium(triage_run, browser):
    # NEWSPROOF_SCREENSHOTS=1 writes the screenshot the README shows; otherwise it stays out of the tree.
    committed = os.environ.get("NEWSPROOF_SCREENSHOTS") == "1"
    artifacts = REPO / "docs" / "img" if committed else REPO / "test-artifacts" / "batch"
    artifacts.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(triage_run.summary.as_uri())
    ids = page.locator("#triage tbody tr td:nth-child(2) .id")
    assert ids.all_inner_texts() == [r["id"] for r in triage_run.rows]
    headings = page.locator("#triage thead button")
    assert headings.all_inner_texts()[5] == "Credibility"
    headings.nth(5).click()  # failed sorts first (rank -1)
    assert ids.all_inner_texts()[0] == "no-text"
    headings.nth(0).click()
    headings.nth(0).click()  # descending by input position
    assert ids.all_inner_texts() == [r["id"] for r in reversed(triage_run.rows)]
    page.screenshot(path=str(artifacts / ("batch-summary.png" if committed else "summary.png")), full_page=True)
    page.get_by_role("link", name="open report").first.click()
    page.wait_for_load_state()
    assert page.title().startswith("newsproof report")
    assert page.url.endswith(report_name(triage_run.rows[-1]["id"]))
    page.close()
