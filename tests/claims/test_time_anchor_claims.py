"""Claims against the article's time anchor: datelines are not participants, no date means no resolution."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newsproof.claims import ClaimExtractor
from newsproof.ingest import ingest, ingest_bytes
from newsproof.models import Article, Claim
from newsproof.paths import shared_data_dir

SHARED = shared_data_dir()
EXAMPLES = SHARED.parent / "examples" / "articles" if SHARED else None
needs_examples = pytest.mark.skipif(
    EXAMPLES is None or not EXAMPLES.is_dir(), reason="shared examples/articles not available"
)


def _deaths(claims: list[Claim]) -> list[Claim]:
    return [c for c in claims if c.kind == "event" and c.action_lemma in ("die", "kill")]


@pytest.mark.parametrize("dash", ["—", "–", "-"])
def test_dateline_city_is_not_the_target(extractor: ClaimExtractor, dash: str) -> None:
    article = ingest_bytes(
        f"BAGHDAD, January 4, 2020 {dash} General Qasem Soleimani was killed in Baghdad on Friday, "
        "the Pentagon said.\n\nHe had led the Quds Force since 1998.".encode(),
        kind="text",
    )
    assert (article.date, article.date_source) == (date(2020, 1, 4), "text")
    killed = _deaths(extractor.run(article))
    assert [c.target for c in killed] == ["Qasem Soleimani"]
    assert killed[0].time is not None and killed[0].time.date_start == date(2020, 1, 3)
    assert article.text[killed[0].start :].startswith("General Qasem Soleimani")


def test_without_a_date_relative_times_stay_unresolved(extractor: ClaimExtractor) -> None:
    article = ingest_bytes(
        b"Mayor John Smith died on Thursday at his home in Springfield, his office said.\n\n"
        b"Smith was elected mayor last year. He won the 2019 election by 3,000 votes.",
        kind="text",
    )
    assert (article.date, article.date_source) == (None, "none")
    claims = extractor.run(article)
    died = _deaths(claims)
    assert [c.target for c in died] == ["John Smith"] and died[0].time is None
    times = {c.time.text: c.time for c in claims if c.time is not None}
    assert "Thursday" not in times and "last year" not in times
    dated = ingest_bytes(article.text.encode(), kind="text", date=date(2021, 12, 31))
    died = _deaths(extractor.run(dated))
    assert died[0].time is not None and died[0].time.date_start == date(2021, 12, 30)


@needs_examples
def test_e01_carter_dateline(extractor: ClaimExtractor) -> None:
    assert EXAMPLES is not None
    article = ingest(str(Path(EXAMPLES) / "e01_carter_year.txt"))
    assert article.date == date(2023, 12, 30)
    assert article.text.startswith("Former US President")
    died = _deaths(extractor.run(article))
    assert [c.target for c in died] == ["Jimmy Carter"]
    assert "PLAINS" not in {c.target for c in extractor.run(article)}
    assert died[0].time is not None and died[0].time.date_start == date(2023, 12, 29)  # "on Friday"


@needs_examples
def test_e06_pele_agency_dateline_resolves_thursday_in_december_2021(extractor: ClaimExtractor) -> None:
    assert EXAMPLES is not None
    article: Article = ingest(str(Path(EXAMPLES) / "e06_pele_year.html"))
    assert (article.date, article.date_source) == (date(2021, 12, 30), "metadata")
    assert article.text.startswith("Brazilian football legend Pele died on Thursday")
    died = _deaths(extractor.run(article))
    assert [c.target for c in died] == ["Pele"]
    when = died[0].time
    assert when is not None and when.text == "Thursday"
    assert (when.date_start.year, when.date_start.month) == (2021, 12) and when.date_start == when.date_end
