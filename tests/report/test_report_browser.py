"""The report page in headless Chromium (Debian's package, driven by playwright): the web app's report view and
the self-contained HTML report. The web app runs in-process (uvicorn in a thread, no check process) and shows
reports made once by the session Checker.

NEWSPROOF_SCREENSHOTS=1 writes the screenshots to docs/img/report*.png (committed, shown in the README);
otherwise they go to test-artifacts/report/ so a normal run leaves the tree clean.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest

from newsproof.models import Report
from newsproof.report import render_html

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "examples" / "sample_article.txt"
SHOTS = REPO / "docs" / "img" if os.environ.get("NEWSPROOF_SCREENSHOTS") == "1" else REPO / "test-artifacts" / "report"
DESKTOP = {"width": 1280, "height": 720}
NO_CLAIMS = ("Autumn is a good time to plant bulbs. Choose a sunny spot with soil that drains well, and set each "
             "bulb about three times as deep as it is tall. Water them once after planting, then leave them alone "
             "until spring. A layer of mulch keeps the ground from freezing too hard, and squirrels find it harder "
             "to dig.")


@dataclass
class Site:
    """The running web app and the reports stored in it."""

    base_url: str
    ids: dict[str, str]
    reports: dict[str, Report]


@pytest.fixture(scope="module")
def site(checker, serve_app, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The web app on a free loopback port, holding the sample's report, the sample without its date and an
    article without check-worthy claims."""
    import anyio

    from newsproof.web.app import create_app
    from newsproof.web.settings import WebSettings
    from newsproof.web.storage import StateStore

    folder = tmp_path_factory.mktemp("report-web")
    sample = checker.check(str(SAMPLE))
    undated = checker.check_bytes(SAMPLE.read_bytes().replace(b"Published 28 May 2021\n", b""), kind="text")
    no_claims = checker.check_bytes(NO_CLAIMS.encode(), kind="text", date=dt.date(2024, 3, 4))
    reports = {"sample": sample, "undated": undated, "no_claims": no_claims}
    state = StateStore(folder / "state.sqlite")
    ids = {name: state.save_report(report.model_dump_json(), report.article.title) for name, report in reports.items()}
    app = create_app(WebSettings(state_dir=folder))
    app.state.service = SimpleNamespace(state=state, store_uri=sample.store)
    app.state.check_limiter = anyio.CapacityLimiter(1)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield Site(serve_app(app), ids, reports)


@pytest.fixture()
def page(browser, site: Site) -> Iterator:
    context = browser.new_context(base_url=site.base_url, viewport=DESKTOP)
    page = context.new_page()
    yield page
    context.close()


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= height


def test_clicking_a_claim_keeps_the_article_in_view(page, site: Site) -> None:
    page.goto(f"/reports/{site.ids['sample']}")
    page.set_viewport_size({"width": DESKTOP["width"], "height": 1000})  # the first screen, for the README
    page.screenshot(path=str(SHOTS / "report.png"))
    page.set_viewport_size(DESKTOP)
    marks = page.locator("mark[data-claim]")
    last = marks.nth(marks.count() - 1)  # its card is at the bottom of the claims column
    number = last.get_attribute("data-claim")
    last.click()
    card = page.locator(f"#claim-{number}")
    page.wait_for_function("n => document.getElementById('claim-' + n).getBoundingClientRect().top < innerHeight - 60",
                           arg=number, timeout=5000)
    page.wait_for_timeout(400)  # let the smooth scroll settle
    assert "active" in card.get_attribute("class")
    assert in_view(page, last), "the clicked claim scrolled out of view"
    assert in_view(page, page.locator("section[aria-label='Article'] h2")), "the article scrolled out of view"
    assert in_view(page, card), "the claim's card is not in view"
    page.screenshot(path=str(SHOTS / "report-claim.png"))


def test_machine_panel_has_a_legend_and_one_row_per_score(page, site: Site) -> None:
    page.goto(f"/reports/{site.ids['sample']}")
    legend = page.get_by_label("Legend for the paragraph shading")
    assert legend.is_visible() and "human-like" in legend.inner_text() and "machine-like" in legend.inner_text()
    scores = site.reports["sample"].machine_generated.paragraph_scores
    assert page.locator(".para-scores li").count() == len(scores) > 0
    gauge = page.locator("svg[aria-label^='Machine-generation probability']")
    label, needle = gauge.locator("text.gauge-value").bounding_box(), gauge.locator("line").bounding_box()
    assert label["y"] >= needle["y"] + needle["height"] - 1, "the needle runs through its label"
    panel = page.locator("section[aria-label='Summary']")
    page.set_viewport_size({"width": DESKTOP["width"], "height": 2000})  # the whole panel, none of it scrolled
    panel.screenshot(path=str(SHOTS / "report-machine-text.png"))
    assert "log of the number of words" not in panel.inner_text()


def test_not_enough_evidence_shows_no_percentage(page, site: Site) -> None:
    for name in ("sample", "undated"):
        page.goto(f"/reports/{site.ids[name]}")
        cards = page.locator(".claim.nei")
        assert cards.count() > 0
        for i in range(cards.count()):
            text = cards.nth(i).inner_text()
            assert not re.search(r"\b\d{1,3}%", text), text
            assert re.search(r"nothing relevant in the evidence base|related evidence, nothing settles it|"
                             r"article date unknown", text), text
    assert page.get_by_text("article date unknown").count() >= 1  # the undated sample's 'on Thursday'


def test_links_are_anchors_and_reports_end_with_the_evidence_base(page, site: Site) -> None:
    page.goto(f"/reports/{site.ids['sample']}")
    page.locator("details").evaluate_all("ds => ds.forEach(d => d.open = true)")
    sources = page.locator(".evidence .src")
    assert sources.count() > 0
    for i in range(sources.count()):
        source = sources.nth(i)
        assert "http" not in source.inner_text(), "a URL shown as plain text"
        hrefs = source.locator("a[href]").evaluate_all("as => as.map(a => a.href)")
        assert hrefs and all(h.startswith("https://") for h in hrefs)
    assert page.locator(".evidence .src a[href='https://en.wikipedia.org/wiki/Qasem_Soleimani']").count() >= 1
    assert "pages.dev" not in " ".join(page.locator(".evidence .src a:not(.mirror)").evaluate_all(
        "as => as.map(a => a.href)"))
    footer = page.get_by_label("Evidence base")
    assert re.search(r"[\d,]+ passages", footer.inner_text()) and "latest dated item" in footer.inner_text()


def test_an_article_without_claims_says_so(page, site: Site) -> None:
    page.goto(f"/reports/{site.ids['no_claims']}")
    assert page.locator("#no-claims").inner_text().startswith("No check-worthy claims found")
    page.screenshot(path=str(SHOTS / "report-no-claims.png"))


def test_the_self_contained_html_report_behaves_the_same(browser, site: Site, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(render_html(site.reports["sample"]), "utf-8")
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(path.as_uri())
    marks = page.locator("mark[data-claim]")
    last = marks.nth(marks.count() - 1)
    last.click()
    page.wait_for_timeout(800)
    assert in_view(page, last) and in_view(page, page.locator(f"#claim-{last.get_attribute('data-claim')}"))
    assert page.locator(".evidence .src a[href^='https://']").count() > 0
    context.close()
