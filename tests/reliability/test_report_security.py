"""Untrusted text in reports: the HTML report's markup does not depend on article or evidence text (all
escaped), and the terminal report carries no escape sequences or rich markup from them."""

from __future__ import annotations

import io
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from newsproof.models import (
    Article,
    Claim,
    ClaimResult,
    DetectionResult,
    EvidenceItem,
    Report,
    Signal,
    Summary,
    Verdict,
)
from newsproof.report import render_html, render_text
from newsproof.report.terminal import safe

PAYLOADS = ["<script>alert(1)</script>", "</title><script>alert(2)</script>", "<img src=x onerror=alert(3)>",
            '" onmouseover="alert(4)', "javascript:alert(5)", "<!-- x", "]]>", "{{ 7*7 }}", "{% raw %}",
            "\x1b[2J\x1b]0;pwned\x07", "[bold red]markup[/]", "<svg/onload=alert(6)>", "&lt;b&gt;"]
SAFE = "Flood defences failed in Riverton on Tuesday."


def make_report(hostile: str, meta: str | None = None) -> Report:
    """A report whose article, claim and evidence text fields carry `hostile`; evidence source/date and the
    detector's reason and signals carry `meta` (default: `hostile` too)."""
    meta = hostile if meta is None else meta
    text = f"{hostile} {SAFE} {hostile}"
    start = len(hostile) + 1
    claim = Claim(id="c1", kind="statement", text=SAFE, start=start, end=start + len(SAFE), agent=hostile)
    evidence = EvidenceItem(id="e1", kind="passage", text=hostile, title=hostile, source=meta, url=hostile,
                            date=meta)
    result = ClaimResult(claim=claim, verdict=Verdict.CONTRADICTED, confidence=0.9, reason=hostile,
                         evidence=[evidence], check=hostile)
    detection = DetectionResult(probability=0.4, label="uncertain", reason=meta,
                                signals=[Signal(name=meta, value=1.0, description=meta)])
    return Report(newsproof_version="test", article=Article(id="a1", title=hostile, text=text, byline=hostile,
                                                            url=hostile),
                  claims=[result], machine_generated=detection, summary=Summary(
                      claims=1, supported=0, contradicted=1, not_enough_evidence=0, credibility="low",
                      worst_claims=[hostile]), store=hostile)


class Skeleton(HTMLParser):
    """The page's element structure: tag names and attribute names, no text or attribute values."""

    def __init__(self) -> None:
        super().__init__()
        self.shape: list[tuple[str, tuple[str, ...]]] = []
        self.comments = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.shape.append((tag, tuple(name for name, _ in attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.shape.append((f"/{tag}", ()))

    def handle_comment(self, data: str) -> None:
        self.comments += 1


def skeleton(page: str) -> tuple[list[tuple[str, tuple[str, ...]]], int]:
    parser = Skeleton()
    parser.feed(page)
    parser.close()
    return parser.shape, parser.comments


BASELINE = skeleton(render_html(make_report("harmless words")))


def test_html_structure_does_not_depend_on_untrusted_text() -> None:
    for payload in PAYLOADS:
        page = render_html(make_report(payload))
        assert skeleton(page) == BASELINE, payload
        assert "alert(" not in page or "<script>alert(" not in page
        assert "\x1b" not in page or payload.startswith("\x1b")  # escapes are text, harmless in HTML
    assert "{{ 7*7 }}" in render_html(make_report("{{ 7*7 }}"))  # not evaluated as a template


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40).map(lambda s: f"<{s}>\"'&{s}"))
def test_html_structure_for_generated_markup(hostile: str) -> None:
    assert skeleton(render_html(make_report(hostile))) == BASELINE


def terminal_output(report: Report, *, colour: bool) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=120, force_terminal=colour, color_system="truecolor" if colour else None)
    render_text(report, console)
    return buffer.getvalue()


ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x9b31m [bold red]markup[/]"


def assert_terminal_safe(report: Report) -> None:
    plain = terminal_output(report, colour=False)
    assert "\x1b" not in plain and "\x07" not in plain and "\x9b" not in plain
    assert "[bold red]markup[/]" in plain  # shown literally, not applied
    coloured = terminal_output(report, colour=True)
    assert "\x1b[2J" not in coloured and "\x1b]" not in coloured and "\x07" not in coloured and "\x9b" not in coloured


def test_terminal_report_strips_escapes_from_article_claims_and_evidence() -> None:
    assert_terminal_safe(make_report(ESCAPES, meta="harmless"))


def test_terminal_report_strips_escapes_from_evidence_source_and_detector_text() -> None:
    assert_terminal_safe(make_report("harmless", meta=ESCAPES))


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_safe_leaves_no_control_characters(text: str) -> None:
    cleaned = safe(text).plain
    assert not any(ord(ch) < 32 and ch not in "\n\t" or 0x7F <= ord(ch) <= 0x9F for ch in cleaned)
