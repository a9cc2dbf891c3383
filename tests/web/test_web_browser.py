"""The web page in headless Chromium (Debian's package) driven by playwright; screenshots go to test-artifacts/."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from .conftest import API_KEY, ARTICLES, REPO, LiveServer

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "test-artifacts" / "web"


@pytest.fixture(scope="module", autouse=True)
def artifacts_folder() -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)


@dataclass
class Watched:
    """A page plus what it did that tests must see: dialogs opened and CSP violations reported."""

    page: Any
    dialogs: list[str] = field(default_factory=list)
    csp_errors: list[str] = field(default_factory=list)


@pytest.fixture()
def watched(browser, live_server: LiveServer) -> Iterator[Watched]:
    """A fresh desktop-size page that records dialogs and Content-Security-Policy violations."""
    context = browser.new_context(base_url=live_server.base_url, viewport={"width": 1200, "height": 900})
    watched = Watched(context.new_page())
    watched.page.on("dialog", lambda dialog: (watched.dialogs.append(dialog.message), dialog.dismiss()))
    watched.page.on("console", lambda msg: watched.csp_errors.append(msg.text)
                    if "Content Security Policy" in msg.text else None)
    yield watched
    context.close()


def submit_text(page, text: str, date: str = "") -> None:
    """Fill the form by its labels and submit; wait for the report page."""
    page.goto("/")
    page.get_by_label("Article text").fill(text)
    if date:
        page.get_by_label("Publication date").fill(date)
    page.get_by_label("API key").fill(API_KEY)
    page.get_by_role("button", name="Check article").click()
    page.wait_for_url(re.compile(r"/reports/[A-Za-z0-9_-]+$"), timeout=180_000)


def test_contradicted_claim_is_highlighted_and_shows_its_evidence(watched: Watched,
                                                                   article: Callable[[str], str]) -> None:
    page = watched.page
    submit_text(page, article("soleimani_fake.txt").replace("Published 28 May 2021\n", ""), date="2021-05-28")
    marks = page.locator("mark.contradicted", has_text="Soleimani")
    assert marks.count() >= 1
    mark = marks.first
    card = page.locator(f"#claim-{mark.get_attribute('data-claim')}")
    mark.click()
    assert "active" in card.get_attribute("class")
    evidence = card.locator(".evidence")
    assert evidence.first.is_visible()
    assert re.search(r"2020-01-03|3 January 2020", " ".join(evidence.all_inner_texts()))
    assert card.locator(".badge").inner_text() == "CONTRADICTED"
    assert page.locator("svg[aria-label^='Machine-generation probability']").count() == 1
    page.screenshot(path=str(ARTIFACTS / "contradicted_claim.png"), full_page=True)
    assert watched.csp_errors == []

    # keyboard: focus a highlighted claim, Enter moves focus to its card with the evidence open
    page.locator("mark[data-claim]").first.focus()
    page.keyboard.press("Enter")
    focused = page.evaluate("document.activeElement.id")
    assert focused.startswith("claim-") and page.locator(f"#{focused} details").first.get_attribute("open") is not None

    # shareable URL and downloads
    share = page.get_by_label("Shareable link").input_value()
    assert share == page.url
    with page.expect_download() as download:
        page.get_by_role("link", name="Download HTML").click()
    saved = ARTIFACTS / "downloaded_report.html"
    download.value.save_as(saved)
    assert "<mark class=\"contradicted\"" in saved.read_text("utf-8")


def test_script_markup_in_an_article_is_shown_as_text(watched: Watched) -> None:
    page = watched.page
    hostile = ("The city council met on Monday to discuss the new budget for schools and roads. "
               "<script>alert(1)</script> The mayor said the plan <img src=x onerror=alert(2)> would be "
               "published next week, and residents can comment until the end of the month.")
    submit_text(page, hostile)
    body = page.locator(".article").inner_text()
    assert "<script>alert(1)</script>" in body and "<img src=x onerror=alert(2)>" in body
    assert page.locator("script", has_text="alert(").count() == 0
    assert page.locator(".article img").count() == 0
    page.wait_for_timeout(500)
    assert watched.dialogs == [] and watched.csp_errors == []
    page.screenshot(path=str(ARTIFACTS / "script_as_text.png"), full_page=True)


def test_upload_a_file_on_a_phone_width_screen(browser, live_server: LiveServer) -> None:
    context = browser.new_context(base_url=live_server.base_url, viewport={"width": 375, "height": 740},
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto("/")
    page.get_by_label("or a file").set_input_files(str(ARTICLES / "news_page.html"))
    page.get_by_label("API key").fill(API_KEY)
    page.get_by_role("button", name="Check article").click()
    page.wait_for_url(re.compile(r"/reports/"), timeout=180_000)
    assert "Soleimani" in page.locator("h1").inner_text()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    page.screenshot(path=str(ARTIFACTS / "phone_report.png"), full_page=True)
    context.close()


def test_form_error_is_announced(watched: Watched) -> None:
    page = watched.page
    page.goto("/")
    page.get_by_label("API key").fill(API_KEY)
    page.get_by_role("button", name="Check article").click()
    alert = page.get_by_role("alert")
    assert "NP101" in alert.inner_text()
    page.screenshot(path=str(ARTIFACTS / "form_error.png"))


def test_delete_report_button_asks_then_deletes(browser, live_server: LiveServer,
                                                article: Callable[[str], str]) -> None:
    """The report page's button asks first (cancel keeps the report), then deletes it for good."""
    context = browser.new_context(base_url=live_server.base_url, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    submit_text(page, article("accurate_strike.txt"))
    report_url = page.url
    answers = iter(["dismiss", "accept"])
    page.on("dialog", lambda dialog: getattr(dialog, next(answers))())
    page.get_by_role("button", name="Delete report").click()
    page.wait_for_timeout(300)
    assert page.url == report_url  # cancelled: nothing deleted
    page.get_by_role("button", name="Delete report").click()
    page.wait_for_url(re.compile(r"/\?deleted=1$"))
    assert "The report was deleted." in page.get_by_role("status").first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "report_deleted.png"))
    assert page.goto(report_url).status == 404
    context.close()


def test_report_link_without_the_key_asks_for_it(watched: Watched, browser, live_server: LiveServer,
                                                  article: Callable[[str], str]) -> None:
    """A shared report link opened in a browser without the key gets a key form, and then the report."""
    submit_text(watched.page, article("accurate_strike.txt"))
    report_url = watched.page.url
    context = browser.new_context(base_url=live_server.base_url)  # no session cookie
    page = context.new_page()
    assert page.goto(report_url).status == 401
    assert "NP150" in page.content() and "Soleimani" not in page.content()
    page.get_by_label("API key").fill(API_KEY)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(report_url)
    assert page.get_by_role("button", name="Delete report").is_visible()
    page.screenshot(path=str(ARTIFACTS / "key_form_then_report.png"))
    context.close()
