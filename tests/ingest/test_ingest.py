"""ingest(): fixture articles, boilerplate removal, dates, HTML, Markdown, stdin and bad input codes."""

from __future__ import annotations

import gzip
import io
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsproof.config import load_config
from newsproof.errors import CATALOGUE, InputError
from newsproof.ingest import article_id, ingest, ingest_bytes


def _code(exc: pytest.ExceptionInfo[InputError]) -> str:
    return exc.value.code


def test_fake_article_title_date_from_text(articles: Path) -> None:
    article = ingest(str(articles / "soleimani_fake.txt"))
    assert article.title == "US drone strike kills Quds Force commander Soleimani near Baghdad airport"
    assert article.date == date(2021, 5, 28)
    assert article.date_source == "text"
    assert article.language == "en"
    assert article.source_kind == "text"
    assert article.text.startswith("Quds Force commander Qasem Soleimani")  # "BAGHDAD —" dateline cut off
    assert {"Published 28 May 2021", "BAGHDAD —"} <= set(article.removed_boilerplate)
    assert "Published" not in article.text


def test_date_option_overrides_text(articles: Path) -> None:
    article = ingest(str(articles / "accurate_strike.txt"), date=date(2020, 1, 5))
    assert (article.date, article.date_source) == (date(2020, 1, 5), "option")
    assert ingest(str(articles / "accurate_strike.txt")).date == date(2020, 1, 4)


def test_scraped_page_boilerplate_removed(articles: Path) -> None:
    article = ingest(str(articles / "scraped_page.txt"))
    title = "US drone strike kills Iran's top general Qasem Soleimani in Baghdad"
    assert article.title == title
    assert article.text.startswith("Iran's top general Qasem Soleimani was killed")
    assert title not in article.text  # the duplicated title is gone too
    for gone in (
        "HomeTop News",
        "Share on Facebook",
        "Share on Twitter",
        "Advertisement",
        "Read more: Who was Qasem Soleimani?",
        "Subscribe to our newsletter",
        "Related articles",
        "Oil prices surge after US strike in Iraq",
    ):
        assert gone in article.removed_boilerplate
        assert gone not in article.text
    assert "cookies" not in article.text
    assert article.text.endswith("Oil prices jumped 4% on the news.")
    assert article.date == date(2020, 1, 3)


@pytest.mark.parametrize(
    ("first_line", "removed"),
    [
        ("HomeNewsWorldUS drone strike kills Soleimani in Baghdad", "HomeNewsWorld"),
        (
            "Home > World > Middle East > US drone strike kills Soleimani in Baghdad",
            "Home > World > Middle East >",
        ),
        ("Home > World > Middle East", "Home > World > Middle East"),
        ("HomeNewsWorld", "HomeNewsWorld"),
    ],
)
def test_breadcrumb_variants(first_line: str, removed: str) -> None:
    body = (
        "Qasem Soleimani was killed in a US drone strike at Baghdad International Airport on 3 January 2020."
    )
    article = ingest_bytes(f"{first_line}\n{body}\n".encode(), kind="text")
    assert article.removed_boilerplate[0] == removed
    assert "Home" not in (article.title or "") and "Home" not in article.text


def test_html_page_metadata_and_main_text(articles: Path) -> None:
    article = ingest(str(articles / "news_page.html"))
    assert article.source_kind == "html"
    assert article.title == "Soleimani killed in US strike at Baghdad airport"
    assert article.byline == "Jane Doe"
    assert (article.date, article.date_source) == (date(2020, 1, 3), "metadata")
    assert article.text.startswith("Iran's most powerful military commander")
    for noise in ("cookies", "Related articles", "Copyright", "Oil prices jump", "dataLayer", "Middle East"):
        assert noise not in article.text


def test_html_date_found_without_article_meta() -> None:
    html = (
        "<html><head><title>Iraq parliament vote</title><meta name='date' content='2020-01-05'></head><body>"
        "<article><p>Iraq's parliament voted on Sunday to ask the government to end the presence of foreign "
        "troops in the country, two days after a US drone strike in Baghdad killed Qasem Soleimani.</p>"
        "<p>The resolution was backed by Shiite lawmakers and passed with 170 votes.</p></article></body></html>"
    )
    article = ingest_bytes(html.encode())
    assert article.source_kind == "html"
    assert (article.date, article.date_source) == (date(2020, 1, 5), "metadata")


def test_broken_but_readable_html_is_extracted() -> None:
    html = (
        "<html><body><div><p>Qasem Soleimani was killed in a US drone strike at Baghdad International "
        "Airport on 3 January 2020, the Pentagon said.<p>The strike also killed Abu Mahdi al-Muhandis, "
        "the deputy head of Iraq's Popular Mobilization Forces.</span></table>"
    )
    article = ingest_bytes(html.encode(), kind="html")
    assert "Abu Mahdi al-Muhandis" in article.text
    assert "<p>" not in article.text


def test_script_only_malformed_html_is_refused(articles: Path) -> None:
    with pytest.raises(InputError) as exc:
        ingest(str(articles / "malformed.html"))
    assert _code(exc) == "NP108"


def test_markdown_is_stripped(tmp_path: Path) -> None:
    source = tmp_path / "strike.md"
    source.write_text(
        "# Soleimani killed in Baghdad\n\n**Qasem Soleimani** was killed in a [US drone strike]"
        "(https://example.org/strike) at Baghdad airport on *3 January 2020*.\n\n"
        "- The strike also killed Abu Mahdi al-Muhandis.\n\n![photo](https://example.org/a.jpg)\n",
        encoding="utf-8",
    )
    article = ingest(str(source))
    assert article.source_kind == "markdown"
    assert article.title == "Soleimani killed in Baghdad"
    assert article.text == (
        "Qasem Soleimani was killed in a US drone strike at Baghdad airport on 3 January 2020.\n\n"
        "The strike also killed Abu Mahdi al-Muhandis."
    )


def test_windows_1252_is_decoded() -> None:
    text = (
        "Café owners in Baghdad said the strike was “a shock” to the city; the Pentagon’s statement "
        "was released on Friday and the naïve hope of calm faded."
    )
    article = ingest_bytes(text.encode("cp1252"), kind="text")
    assert article.text == text


def test_stdin(monkeypatch: pytest.MonkeyPatch, articles: Path) -> None:
    data = (articles / "accurate_strike.txt").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    article = ingest("-")
    assert article.title == "Iran's Soleimani killed in US air strike at Baghdad airport"


def test_mixed_language_article_is_english() -> None:
    text = (
        "Qasem Soleimani was killed in a US drone strike at Baghdad International Airport on Friday, the "
        "Pentagon said in a statement. The strike also killed Abu Mahdi al-Muhandis and eight others.\n\n"
        "German newspapers led with the headline: Der iranische General ist getötet worden.\n\n"
        "Iran's Supreme Leader Ayatollah Ali Khamenei vowed severe revenge and declared three days of mourning."
    )
    assert ingest_bytes(text.encode(), kind="text").language == "en"


def test_article_id_is_a_stable_content_hash(articles: Path) -> None:
    first = ingest(str(articles / "soleimani_fake.txt"))
    second = ingest(str(articles / "soleimani_fake.txt"))
    assert first.id == second.id == article_id(first.title, first.text)
    assert len(first.id) == 16
    assert first.id != ingest(str(articles / "accurate_strike.txt")).id


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "NP101"),
        (b"   \n\t\r\n  ", "NP101"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "NP102"),
        (b"\xff\xd8\xff\xe0" + b"JFIF" * 20, "NP102"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "NP102"),
        (b"PK\x03\x04" + b"word/document.xml" * 5, "NP102"),
        (gzip.compress(b"Soleimani was killed in Baghdad." * 10), "NP102"),
        (b"Soleimani was killed\x00 in Baghdad on Friday, officials said.", "NP102"),
        (("\x01\x02\x03\x04 Baghdad " * 40).encode(), "NP102"),
        (bytes(range(128, 256)) * 20, "NP104"),
        (b"Too short.", "NP108"),
    ],
)
def test_bad_bytes_raise_input_error_with_code(data: bytes, code: str) -> None:
    with pytest.raises(InputError) as exc:
        ingest_bytes(data)
    assert _code(exc) == code


def test_non_english_article_is_refused(articles: Path) -> None:
    with pytest.raises(InputError) as exc:
        ingest(str(articles / "german.txt"))
    assert _code(exc) == "NP105"
    assert "'de'" in str(exc.value)


def test_missing_file_and_unsupported_suffix(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        ingest(str(tmp_path / "nope.txt"))
    assert _code(exc) == "NP106"
    pdf = tmp_path / "article.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    with pytest.raises(InputError) as exc:
        ingest(str(pdf))
    assert _code(exc) == "NP107"


def test_fifty_megabyte_file_is_refused_without_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: 50 MB on paper, nothing written
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(InputError) as exc:
        ingest(str(big))
    assert _code(exc) == "NP103"


def test_oversize_stdin_stops_reading_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    class Endless(io.RawIOBase):
        """An endless stream that counts what was read from it."""

        served = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
            buffer[:] = b"a" * len(buffer)
            Endless.served += len(buffer)
            return len(buffer)

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
    config = {**load_config(), "ingest": {**load_config()["ingest"], "max_bytes": 100_000}}
    with pytest.raises(InputError) as exc:
        ingest("-", config=config)
    assert _code(exc) == "NP103"
    assert Endless.served < 400_000


def assert_input_error_is_catalogued(exc: InputError) -> None:
    """A refusal names a catalogued input code (NP1xx) and says why on one line."""
    assert exc.code in CATALOGUE and exc.code.startswith("NP1"), exc.code
    assert "\n" not in str(exc) and len(str(exc)) > len(exc.code) + 10


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_only_raise_input_error(data: bytes) -> None:
    try:
        article = ingest_bytes(data)
    except InputError as exc:
        assert_input_error_is_catalogued(exc)
        return
    assert article.text.strip() and article.source_kind in ("text", "html", "markdown")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000), st.sampled_from([None, "text", "html", "markdown"]))
def test_arbitrary_text_only_raises_input_error(text: str, kind: str | None) -> None:
    try:
        article = ingest_bytes(text.encode("utf-8", "surrogatepass"), kind=kind)  # type: ignore[arg-type]
    except InputError as exc:
        assert_input_error_is_catalogued(exc)
        return
    assert article.text.strip(), "an accepted article has text"
    assert article.source_kind == (kind or article.source_kind) and article.source_kind != "url"
    if kind == "text":  # plain text is cleaned, never invented: every character comes from the input
        given = set(text) | set(unicodedata.normalize("NFKC", text))
        assert {c for c in article.text if not c.isspace()} <= given
