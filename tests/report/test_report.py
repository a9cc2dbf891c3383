"""Report rendering: committed schema, JSON round trip, HTML escaping and self-containment, terminal safety."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from newsproof.models import Report
from newsproof.report import (
    REPORT_SCHEMA_PATH,
    render_html,
    render_text,
    report_schema,
    to_json,
    validate_report_json,
)
from newsproof.report.html import article_segments

HOSTILE = (
    "Quds Force commander Qasem Soleimani was killed in a US drone strike near Baghdad airport on 27 May 2021, "
    "officials said. <script>alert('x')</script> The convoy \x1b[31mwas hit\x1b[0m twice, "
    "the Pentagon said on Friday.\n\nIraqi officials said seven people died in the strike near the airport."
)


@pytest.fixture(scope="module")
def hostile_report(checker) -> Report:
    return checker.check_bytes(HOSTILE.encode(), kind="text", date=__import__("datetime").date(2021, 5, 28))


def test_committed_schema_matches_the_models():
    committed = json.loads(REPORT_SCHEMA_PATH.read_text())
    assert committed == report_schema(), "run `newsproof schema > newsproof/report/report.schema.json` and bump the version"


def test_json_round_trip_validates(hostile_report):
    data = json.loads(to_json(hostile_report))
    validate_report_json(data)
    assert Report.model_validate(data) == hostile_report


def test_html_escapes_article_and_is_self_contained(hostile_report):
    page = render_html(hostile_report)
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert page.count("<script>") == 1  # only the report's own highlighting script
    assert "http://" not in page.split("<body>")[0] and "<link" not in page
    contradicted = [n for n, r in enumerate(hostile_report.claims, 1) if r.verdict.value == "CONTRADICTED"]
    assert contradicted and f'data-claim="{contradicted[0]}"' in page


def test_segments_cover_the_article_exactly(hostile_report):
    segments = article_segments(hostile_report)
    assert "".join(text for text, _ in segments) == hostile_report.article.text
    assert any(number for _, number in segments)


def test_terminal_report_strips_escape_sequences(hostile_report):
    buffer = io.StringIO()
    render_text(hostile_report, Console(file=buffer, width=120, color_system=None))
    output = buffer.getvalue()
    assert "\x1b" not in output
    assert "CONTRADICTED" in output and "3 Jan 2020" in output
