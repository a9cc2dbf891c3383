"""The article's time anchor at ingest: wire datelines, dated head lines, HTML metadata and precedence."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newsproof.ingest import ingest, ingest_bytes
from newsproof.ingest.dating import choose_date, complete_year, match_dateline
from newsproof.models import Article
from newsproof.paths import shared_data_dir

SHARED = shared_data_dir()
EXAMPLES = SHARED.parent / "examples" / "articles" if SHARED else None
needs_examples = pytest.mark.skipif(
    EXAMPLES is None or not EXAMPLES.is_dir(), reason="shared examples/articles not available"
)
BODY = "Former US President Jimmy Carter died on Friday at his home in Plains, Georgia, the Carter Center said."


def _text(text: str, day: date | None = None) -> Article:
    return ingest_bytes(text.encode(), kind="text", date=day)


@pytest.mark.parametrize(
    ("dateline", "day", "dash"),
    [
        ("PLAINS, Georgia, December 30, 2023", date(2023, 12, 30), "—"),
        ("PLAINS, Georgia, December 30, 2023", date(2023, 12, 30), "–"),
        ("PLAINS, Georgia, December 30, 2023", date(2023, 12, 30), "-"),
        ("DAR ES SALAAM, March 18, 2021", date(2021, 3, 18), "—"),
        ("WASHINGTON, Jan. 3, 2020 (Reuters)", date(2020, 1, 3), "-"),
        ("LONDON, 3 January 2020 (Reuters)", date(2020, 1, 3), "-"),
        ("WASHINGTON, D.C., Friday, Jan 3, 2020", date(2020, 1, 3), "—"),
    ],
)
def test_dated_dateline_gives_date_and_is_cut_off(dateline: str, day: date, dash: str) -> None:
    article = _text(f"Jimmy Carter dies at 99\n\n{dateline} {dash} {BODY}\n\nHe was 99.")
    assert (article.date, article.date_source) == (day, "text")
    assert article.text.startswith("Former US President Jimmy Carter died")
    assert f"{dateline} {dash}" in article.removed_boilerplate


@pytest.mark.parametrize("dateline", ["BAGHDAD (AP) —", "BAGHDAD —", "BAGHDAD—", "SAO PAULO (World News) -"])
def test_undated_dateline_takes_the_date_from_option_or_text(dateline: str) -> None:
    text = f"{dateline} Qasem Soleimani was killed in a US drone strike on Friday, the Pentagon said."
    article = _text(text)
    assert article.text.startswith("Qasem Soleimani was killed")
    assert (article.date, article.date_source) == (None, "none")
    assert _text(text, date(2020, 1, 4)).date_source == "option"
    published = _text(f"Published 4 January 2020\n\n{text}")
    assert (published.date, published.date_source) == (date(2020, 1, 4), "text")


def test_option_beats_a_dated_dateline() -> None:
    article = _text(f"PLAINS, Georgia, December 30, 2023 — {BODY}", date(2024, 1, 2))
    assert (article.date, article.date_source) == (date(2024, 1, 2), "option")
    assert article.text.startswith("Former US President")


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (date(2021, 12, 30), date(2021, 12, 29)),
        (date(2021, 12, 29), date(2021, 12, 29)),
        (date(2022, 1, 2), date(2021, 12, 29)),  # a New Year in between: the previous year
        (date(2021, 12, 28), date(2021, 12, 29)),  # a UTC stamp one day behind the local dateline
        (date(2021, 12, 1), date(2020, 12, 29)),  # never weeks after the page's date
    ],
)
def test_yearless_dateline_year_is_not_after_the_page_date(page: date, expected: date) -> None:
    found = match_dateline("SAO PAULO, Dec 29 (World News) - Brazilian football legend Pele died on Thursday.")
    assert found is not None and (found.day, found.month_day, found.agency) == (None, (12, 29), "World News")
    assert found.completed(page) == expected
    assert found.completed(None) is None


def test_complete_year_leap_day() -> None:
    assert complete_year(2, 29, date(2021, 3, 1)) == date(2020, 2, 29)


def test_yearless_dateline_in_text_uses_the_published_line_year() -> None:
    article = _text(
        "Pele dies aged 82\n\nBy Jane Doe · Published 30 December 2021\n\n"
        "SAO PAULO, Dec 29 (World News) - Brazilian football legend Pele died on Thursday, his family said."
    )
    assert (article.date, article.date_source) == (date(2021, 12, 29), "text")
    assert article.byline == "Jane Doe"
    assert article.text.startswith("Brazilian football legend Pele died")


@pytest.mark.parametrize(
    ("line", "day", "byline"),
    [
        ("By Jane Doe · Published 30 December 2021", date(2021, 12, 30), "Jane Doe"),
        ("By Jane Doe | Published: March 3, 2019 10:02 ET", date(2019, 3, 3), "Jane Doe"),
        ("By Jane Doe Published 30 December 2021", date(2021, 12, 30), "Jane Doe"),
        ("By a staff writer · Published 30 December 2021", date(2021, 12, 30), None),
        ("Published: March 3, 2019 10:02 ET", date(2019, 3, 3), None),
        ("First published on Tue 3 Mar 2020 12.02 GMT", date(2020, 3, 3), None),
    ],
)
def test_dated_bylines_and_published_lines(line: str, day: date, byline: str | None) -> None:
    article = _text(f"Harris visits border\n\n{line}\n\nKamala Harris toured a border facility in El Paso.")
    assert (article.date, article.date_source, article.byline) == (day, "text", byline)
    assert article.text == "Kamala Harris toured a border facility in El Paso."
    assert line in article.removed_boilerplate


def test_published_line_beats_updated_line() -> None:
    article = _text(
        "Updated 9 February 2020\n\nPublished 4 January 2020\n\n"
        "Qasem Soleimani was killed in a US drone strike on Friday, the Pentagon said."
    )
    assert (article.date, article.date_source) == (date(2020, 1, 4), "text")
    updated_only = _text("Updated 9 February 2020\n\nQasem Soleimani was killed in a US drone strike on Friday.")
    assert updated_only.date == date(2020, 2, 9)


@pytest.mark.parametrize("line", ["Updated 2 hours ago", "Published Monday", "Posted 3 Jan"])
def test_relative_or_yearless_head_lines_never_use_the_clock(line: str) -> None:
    article = _text(f"{line}\n\nQasem Soleimani was killed in a US drone strike on Friday, the Pentagon said.")
    assert (article.date, article.date_source) == (None, "none")


@pytest.mark.parametrize(
    "text",
    [
        "US-Iran talks resumed in Vienna on Monday.",
        "NATO - led forces withdrew on Monday.",
        "The US — and its allies — condemned the strike on Monday.",
        "BAGHDAD, Iraq's capital, was calm on Monday.",
    ],
)
def test_sentences_that_only_look_like_datelines_are_kept(text: str) -> None:
    assert _text(text).text == text


@pytest.mark.parametrize(
    "head",
    [
        "<meta property='article:published_time' content='2020-01-05T10:00:00Z'>",
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
        '"headline":"Iraq vote","datePublished":"2020-01-05T10:00:00Z","dateModified":"2020-02-09"}</script>',
        "",  # the date only in <time datetime>
    ],
)
def test_html_publication_date_from_meta_json_ld_and_time(head: str) -> None:
    time_tag = "" if head else "<time datetime='2020-01-05' pubdate>5 January 2020</time>"
    html = (
        f"<html><head><title>Iraq parliament vote</title>{head}</head><body><article>{time_tag}"
        "<p>Iraq's parliament voted on Sunday to ask the government to end the presence of foreign troops in "
        "the country, two days after a US drone strike in Baghdad killed Qasem Soleimani.</p>"
        "<p>The resolution was backed by Shiite lawmakers and passed with 170 votes.</p></article></body></html>"
    )
    article = ingest_bytes(html.encode())
    assert (article.date, article.date_source) == (date(2020, 1, 5), "metadata")


def test_choose_date_precedence() -> None:
    full = match_dateline("PLAINS, Georgia, December 30, 2023 — Carter died.")
    yearless = match_dateline("SAO PAULO, Dec 29 (World News) - Pele died.")
    meta, text = date(2021, 12, 30), date(2021, 12, 31)
    assert choose_date(date(2020, 1, 1), meta, full, text, None) == (date(2020, 1, 1), "option")
    assert choose_date(None, meta, full, text, None) == (date(2023, 12, 30), "text")
    assert choose_date(None, meta, yearless, text, None) == (meta, "metadata")
    assert choose_date(None, None, yearless, text, None) == (date(2021, 12, 29), "text")
    assert choose_date(None, None, yearless, None, None) == (None, "none")
    assert choose_date(None, None, None, None, text) == (text, "text")


EXAMPLE_DATES = {
    "e01_carter_year.txt": (date(2023, 12, 30), "text", "Former US President Jimmy Carter died on Friday"),
    "e02_trump_office.txt": (date(2016, 5, 3), "text", "President Donald Trump told governors"),
    "e03_magufuli_after_death.txt": (date(2021, 6, 10), "text", "Tanzanian President John Magufuli opened"),
    "e04_ginsburg_after_death.txt": (date(2020, 11, 10), "text", "Justice Ruth Bader Ginsburg questioned"),
    "e05_harris_office.txt": (date(2019, 3, 2), "text", "Vice President Kamala Harris toured"),
    "e06_pele_year.html": (date(2021, 12, 30), "metadata", "Brazilian football legend Pele died on Thursday"),
    "k01_carter_2015.txt": (date(2015, 3, 3), "text", "Former US President Jimmy Carter said on Tuesday"),
    "k02_carter_death.txt": (date(2024, 12, 30), "text", "Former US President Jimmy Carter died on Sunday"),
    "k03_harris_sworn_in.txt": (date(2021, 1, 20), "text", "Kamala Harris was sworn in"),
    "k04_magufuli_death.txt": (date(2021, 3, 18), "text", "Tanzanian President John Magufuli died on Wednesday"),
}


@needs_examples
@pytest.mark.parametrize("name", sorted(EXAMPLE_DATES))
def test_public_examples_date_and_body_start(name: str) -> None:
    assert EXAMPLES is not None
    article = ingest(str(Path(EXAMPLES) / name))
    day, source, start = EXAMPLE_DATES[name]
    assert (article.date, article.date_source) == (day, source)
    assert article.text.startswith(start)
    assert article.byline is None or "Published" not in article.byline
