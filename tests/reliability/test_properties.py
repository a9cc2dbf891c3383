"""Property and fuzz tests (hypothesis): ingest, claim extraction, date normalisation and the JSON
report round-trip against the committed JSON Schema."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.hostile import NEWS_DE, NEWS_EN, NEWS_EN_2

from newsproof.claims import ClaimExtractor
from newsproof.claims.dates import normalise_time
from newsproof.config import load_config
from newsproof.errors import InputError
from newsproof.ingest import ingest_bytes
from newsproof.models import (
    Article,
    Claim,
    ClaimResult,
    DetectionResult,
    EvidenceItem,
    Mention,
    Quantity,
    Quote,
    Report,
    Signal,
    Summary,
    TimeExpression,
    Verdict,
)
from newsproof.report import to_json, validate_report_json

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CONFIG = load_config()
WORDS = (NEWS_EN + " " + NEWS_EN_2 + " " + NEWS_DE).split()


# --------------------------------------------------------------------------- ingest
@FAST
@given(st.binary(max_size=4000), st.sampled_from([None, "text", "html", "markdown"]))
def test_ingest_any_bytes_gives_an_article_or_an_input_error(data: bytes, kind: str | None) -> None:
    try:
        article = ingest_bytes(data, kind=kind)
    except InputError as exc:
        assert exc.code.startswith("NP1") and "\n" not in str(exc)
        return
    assert article.text.strip() and "\x00" not in article.text and "\x1b" not in article.text
    assert len(article.text) <= CONFIG["ingest"]["max_chars"]


newsy_text = st.lists(
    st.one_of(st.sampled_from(WORDS), st.text(min_size=1, max_size=12), st.sampled_from(["\n", "\n\n", ". ", "\t"])),
    min_size=5, max_size=300).map(" ".join)


@FAST
@given(newsy_text, st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]))
def test_ingest_any_text_in_any_encoding(text: str, encoding: str) -> None:
    data = (NEWS_EN + "\n\n" + text).encode(encoding, errors="replace")
    try:
        article = ingest_bytes(data)
    except InputError as exc:
        assert exc.code in ("NP101", "NP102", "NP103", "NP104", "NP105", "NP108")
        return
    assert "Riverton" in article.text or article.title and "Riverton" in article.title


# --------------------------------------------------------------------------- claims
@pytest.fixture(scope="module")
def extractor() -> ClaimExtractor:
    """One warmed-up claim extractor shared by the examples."""
    return ClaimExtractor().warm_up()


english = st.lists(st.sampled_from(WORDS[:120] + [".", ",", '"', "\n\n", "12", "2021", "May", "Tuesday"]),
                   min_size=3, max_size=250).map(" ".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(english, st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))))
def test_claim_spans_lie_inside_the_article(extractor: ClaimExtractor, text: str, date: dt.date | None) -> None:
    article = Article(id="prop", text=text, date=date)
    claims = extractor.run(article)
    assert len(claims) <= CONFIG["claims"]["max_claims"]
    for claim in claims:
        assert text[claim.start:claim.end] == claim.text
        for mention in claim.mentions:
            assert text[mention.start:mention.end] == mention.text
        for quantity in claim.quantities:
            assert text[quantity.start:quantity.end] == quantity.text
        if claim.time:
            assert claim.time.date_start <= claim.time.date_end


# --------------------------------------------------------------------------- dates
reference_dates = st.one_of(st.none(), st.dates(dt.date(1000, 1, 1), dt.date(9000, 12, 31)))


@FAST
@given(st.text(max_size=80), reference_dates)
def test_normalise_time_never_raises(text: str, reference: dt.date | None) -> None:
    found = normalise_time(text, reference)
    if found is not None:
        start, end, granularity = found
        assert start <= end and granularity in ("day", "month", "year")
        assert granularity != "day" or (end - start).days <= 6


@FAST
@given(st.dates(dt.date(1800, 1, 1), dt.date(2100, 12, 31)), st.sampled_from(["%d %B %Y", "%B %d, %Y", "%Y-%m-%d"]))
def test_absolute_dates_normalise_to_themselves(day: dt.date, fmt: str) -> None:
    assert normalise_time(day.strftime(fmt), dt.date(2024, 6, 1)) == (day, day, "day")


@FAST
@given(st.integers(1, 9999), reference_dates)
def test_years_are_whole_years(year: int, reference: dt.date | None) -> None:
    assert normalise_time(f"{year:04d}", reference) == (dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


# --------------------------------------------------------------------------- JSON report
text = st.text(max_size=60)
maybe = st.one_of(st.none(), text)
score = st.floats(0.0, 1.0, allow_nan=False)
offsets = st.integers(0, 10_000)
mentions = st.builds(Mention, text=text, label=st.sampled_from(["PERSON", "ORG", "GPE"]), start=offsets,
                     end=offsets, entity_id=maybe)
claims = st.builds(
    Claim, id=text, kind=st.sampled_from(["event", "quote", "quantity", "statement"]), text=text, start=offsets,
    end=offsets, agent=maybe, action=maybe, target=maybe, place=maybe,
    time=st.one_of(st.none(), st.builds(TimeExpression, text=text, start=offsets, end=offsets, date_start=st.dates(),
                                        date_end=st.dates(), granularity=st.sampled_from(["day", "month", "year"]))),
    mentions=st.lists(mentions, max_size=3),
    quantities=st.lists(st.builds(Quantity, text=text, value=st.floats(allow_nan=False, allow_infinity=False),
                                  unit=maybe, start=offsets, end=offsets), max_size=2),
    quote=st.one_of(st.none(), st.builds(Quote, text=text, speaker=maybe, speaker_org=maybe)),
    checkworthiness=score)
evidence = st.builds(EvidenceItem, id=text, kind=st.sampled_from(["kb", "passage", "factcheck"]), text=text,
                     title=maybe, source=text, url=maybe, date=maybe, score=st.floats(-1e6, 1e6))
results = st.builds(ClaimResult, claim=claims, verdict=st.sampled_from(list(Verdict)), confidence=score, reason=text,
                    evidence=st.lists(evidence, max_size=3), check=text)
reports = st.builds(
    Report, newsproof_version=text,
    article=st.builds(Article, id=text, title=maybe, text=st.text(max_size=400), date=st.one_of(st.none(), st.dates()),
                      date_source=st.sampled_from(["metadata", "text", "option", "none"]), byline=maybe, url=maybe,
                      source_kind=st.sampled_from(["text", "html", "url", "markdown"]),
                      removed_boilerplate=st.lists(text, max_size=3)),
    claims=st.lists(results, max_size=4),
    machine_generated=st.builds(DetectionResult, probability=st.one_of(st.none(), score),
                                label=st.sampled_from(["human", "machine", "uncertain"]),
                                signals=st.lists(st.builds(Signal, name=text, value=st.floats(-1e9, 1e9),
                                                           contribution=st.floats(-1e9, 1e9)), max_size=3),
                                paragraph_scores=st.lists(score, max_size=5)),
    summary=st.builds(Summary, claims=st.integers(0, 99), supported=st.integers(0, 99),
                      contradicted=st.integers(0, 99), not_enough_evidence=st.integers(0, 99),
                      credibility=st.sampled_from(["low", "mixed", "unverified", "high"]),
                      worst_claims=st.lists(text, max_size=3)),
    store=text, timings_ms=st.dictionaries(st.sampled_from(["ingest", "claims", "verify"]), st.floats(0, 1e6)))


@settings(max_examples=80, deadline=None)
@given(reports)
def test_json_report_round_trips_and_matches_the_committed_schema(report: Report) -> None:
    payload = to_json(report)
    data = json.loads(payload)
    validate_report_json(data)
    assert Report.model_validate_json(payload) == report
