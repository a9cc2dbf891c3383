"""The ClaimReview export is fit to publish: the configured publisher, real URLs, no mid-scale NOT ENOUGH EVIDENCE.

Every exported object is validated against tests/verify/claimreview.schema.json, written from schema.org's
ClaimReview type and Google's Fact Check documentation (independent of the writer's own schema).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from newsproof.config import load_config
from newsproof.errors import EXIT_USAGE, ConfigError, InputError
from newsproof.evidence.loaders.claimreview import parse_claimreview
from newsproof.models import Article, Claim, ClaimResult, DetectionResult, Quote, Report, Summary, Verdict
from newsproof.report.claimreview import ClaimReviewSettings, report_to_claimreview, validate_claimreview

SCHEMA = json.loads((Path(__file__).with_name("claimreview.schema.json")).read_text())
PUBLISHER = dict(organisation_name="Example Fact Desk", organisation_url="https://factdesk.example.org",
                 author="Jane Editor", review_url="https://factdesk.example.org/reviews/{article_id}")


def _result(cid: str, text: str, verdict: Verdict, reason: str, quote: Quote | None = None) -> ClaimResult:
    claim = Claim(id=cid, kind="quote" if quote else "event", text=text, start=0, end=len(text), quote=quote,
                  agent="US forces")
    return ClaimResult(claim=claim, verdict=verdict, confidence=0.9, reason=reason, check="death_date")


@pytest.fixture()
def report() -> Report:
    results = [
        _result("c1", "Soleimani was killed on 27 May 2021.", Verdict.CONTRADICTED,
                "Qasem Soleimani died on 3 Jan 2020; the article says 27 May 2021"),
        _result("c2", "Soleimani commanded the Quds Force.", Verdict.SUPPORTED, "The KB records the office"),
        _result("c3", '"It will be answered," said Akram al-Kaabi.', Verdict.NOT_ENOUGH_EVIDENCE,
                "unverified quote: not found in the archive", Quote(text="It will be answered", speaker="Akram al-Kaabi")),
    ]
    article = Article(id="art-42", title="Strike near Baghdad", text="...", date=date(2021, 5, 28),
                      url="https://news.example.com/story")
    return Report(newsproof_version="0.1.0", article=article, claims=results,
                  machine_generated=DetectionResult(label="human"),
                  summary=Summary(claims=3, supported=1, contradicted=1, not_enough_evidence=1, credibility="low"))


def _check_published_shape(obj: dict) -> None:
    jsonschema.validate(obj, SCHEMA)
    rating = obj["reviewRating"]
    if "ratingValue" in rating:
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]


def test_configured_export_is_publishable(report):
    reviews = report_to_claimreview(report, reviewed=date(2024, 3, 1), settings=ClaimReviewSettings(**PUBLISHER))
    for obj in reviews:
        _check_published_shape(obj)
    assert [r["url"] for r in reviews] == ["https://factdesk.example.org/reviews/art-42#claim-c1",
                                           "https://factdesk.example.org/reviews/art-42#claim-c2"]
    assert all(r["author"] == {"@type": "Organization", "name": "Example Fact Desk",
                               "url": "https://factdesk.example.org"} for r in reviews)
    assert all(r["creator"] == {"@type": "Person", "name": "Jane Editor"} for r in reviews)
    text = json.dumps(reviews)
    assert "urn:" not in text and "newsproof 0.1.0" not in text
    ratings = {r["claimReviewed"]: r["reviewRating"] for r in reviews}
    assert ratings[report.claims[0].claim.text]["ratingValue"] == 1
    assert ratings[report.claims[1].claim.text]["ratingValue"] == 5
    # The article is where the claim appeared; an event's agent is not the claim's author.
    assert reviews[0]["itemReviewed"]["appearance"]["url"] == "https://news.example.com/story"
    assert "author" not in reviews[0]["itemReviewed"]


def test_not_enough_evidence_is_omitted_by_default(report):
    reviews = report_to_claimreview(report, settings=ClaimReviewSettings(**PUBLISHER))
    assert len(reviews) == 2 and all(r["reviewRating"]["ratingValue"] in (1, 5) for r in reviews)
    assert all("al-Kaabi" not in r["claimReviewed"] for r in reviews)


def test_not_enough_evidence_unrated_has_no_number(report):
    settings = ClaimReviewSettings(**PUBLISHER, not_enough_evidence="unrated")
    reviews = report_to_claimreview(report, settings=settings)
    assert len(reviews) == 3
    unrated = reviews[2]["reviewRating"]
    _check_published_shape(reviews[2])
    assert unrated["alternateName"] == "Not enough evidence"
    assert not {"ratingValue", "bestRating", "worstRating"} & set(unrated)
    assert reviews[2]["itemReviewed"]["author"] == {"@type": "Person", "name": "Akram al-Kaabi"}
    (back,) = [c for c in parse_claimreview(json.dumps(reviews)) if "al-Kaabi" in c.claim]
    assert back.verdict is Verdict.NOT_ENOUGH_EVIDENCE


def test_unconfigured_export_is_a_marked_draft(report):
    settings = ClaimReviewSettings.from_config(load_config())
    assert not settings.publishable and "claimreview.review_url" in settings.draft_reason()
    reviews = report_to_claimreview(report, settings=settings)
    assert reviews[0]["url"].startswith("urn:newsproof:article:art-42#claim-")
    assert "unconfigured" in reviews[0]["author"]["name"]
    with pytest.raises(jsonschema.ValidationError):  # a draft does not pass as publishable
        jsonschema.validate(reviews[0], SCHEMA)


@pytest.mark.parametrize("section", [
    {"organisation_url": "factdesk.example.org"},
    {"organisation_url": "ftp://factdesk.example.org"},
    {"review_url": "https://factdesk.example.org/reviews/{article_id}#top"},
    {"review_url": "https://factdesk.example.org/reviews/{slug}"},
    {"not_enough_evidence": "3"},
    {"organisation_name": 42},
    {"reviewer": "Jane"},
])
def test_bad_claimreview_config_is_a_usage_error(section):
    with pytest.raises(ConfigError) as exc:
        ClaimReviewSettings.from_config({"claimreview": section})
    assert exc.value.code == "NP301" and exc.value.exit_code == EXIT_USAGE
    assert "claimreview" in str(exc.value)


def test_writer_rejects_rating_outside_its_bounds():
    obj = {"@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": "x", "url": "https://a.b/c",
           "author": {"@type": "Organization", "name": "A"},
           "reviewRating": {"@type": "Rating", "alternateName": "False", "ratingValue": 7, "bestRating": 5,
                            "worstRating": 1}}
    with pytest.raises(InputError, match="outside"):
        validate_claimreview(obj)
