"""ClaimReview import/export: real Snopes fact-checks in, newsproof verdicts out, schema.org shape checked."""

from __future__ import annotations

import json
from datetime import date

import pytest

from newsproof.errors import InputError
from newsproof.evidence.loaders.claimreview import load_claimreview, parse_claimreview
from newsproof.models import (
    Article,
    CheckedClaim,
    Claim,
    ClaimResult,
    DetectionResult,
    Quote,
    Report,
    Summary,
    Verdict,
)
from newsproof.report.claimreview import (
    ClaimReviewSettings,
    checked_claim_to_claimreview,
    report_to_claimreview,
    to_claimreview_json,
    validate_claimreview,
)


@pytest.fixture(scope="module")
def snopes_records(claims_dir):
    by_label: dict[str, dict] = {}
    with (claims_dir / "snopes" / "data.jsonl").open() as fh:
        for line in fh:
            rec = json.loads(line)
            by_label.setdefault(rec["label"], rec)
    return [by_label[k] for k in ("true", "false", "mixture", "miscaptioned")]


def _as_claimreview(rec: dict) -> dict:
    """A Snopes record written the way fact-checkers publish ClaimReview markup."""
    return {"@context": "https://schema.org", "@type": "ClaimReview", "url": rec["url"],
            "claimReviewed": rec["claim"], "datePublished": "2020-10-09",
            "author": {"@type": "Organization", "name": "Snopes"},
            "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1,
                             "alternateName": rec["label"]},
            "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Facebook user"}}}


def test_import_from_html_jsonld(snopes_records, tmp_path):
    html = "<html><head>" + "".join(
        f'<script type="application/ld+json">{json.dumps(_as_claimreview(r))}</script>' for r in snopes_records
    ) + "</head><body>fact check</body></html>"
    page = tmp_path / "page.html"
    page.write_text(html)
    claims = load_claimreview(page)
    assert [c.claim for c in claims] == [r["claim"] for r in snopes_records]
    verdicts = {c.label: c.verdict for c in claims}
    assert verdicts["true"] is Verdict.SUPPORTED and verdicts["false"] is Verdict.CONTRADICTED
    assert verdicts["mixture"] is Verdict.NOT_ENOUGH_EVIDENCE and verdicts["miscaptioned"] is Verdict.CONTRADICTED
    assert all(c.source == "Snopes" and c.url.startswith("https://www.snopes.com/") for c in claims)
    assert claims[0].date == "2020-10-09" and claims[0].speaker == "Facebook user"


def test_round_trip_graph_and_rating_value(snopes_records):
    nodes = [_as_claimreview(r) for r in snopes_records]
    nodes[0]["reviewRating"] = {"@type": "Rating", "ratingValue": 5, "bestRating": 5, "worstRating": 1}
    first = parse_claimreview(json.dumps({"@context": "https://schema.org", "@graph": nodes}))
    assert first[0].verdict is Verdict.SUPPORTED and first[0].label == "5/5"
    exported = [checked_claim_to_claimreview(c) for c in first]
    for obj in exported:
        validate_claimreview(obj)
    again = parse_claimreview(json.dumps(exported))
    assert [c.model_dump(exclude={"label"}) for c in again] == [c.model_dump(exclude={"label"}) for c in first]
    assert [c.label for c in again] == [c.label for c in first]


def test_google_factcheck_api_shape():
    api = {"claims": [{"text": "Drinking hot water cures COVID-19", "claimant": "social media", "claimDate": "2020-03-01",
                       "claimReview": [{"publisher": {"name": "AFP Fact Check"}, "url": "https://factcheck.afp.com/x",
                                        "reviewDate": "2020-03-04T10:00:00Z", "textualRating": "False"}]}]}
    (claim,) = parse_claimreview(json.dumps(api))
    assert claim == CheckedClaim(id="https://factcheck.afp.com/x", claim="Drinking hot water cures COVID-19",
                                 label="False", verdict=Verdict.CONTRADICTED, date="2020-03-04",
                                 speaker="social media", source="AFP Fact Check", url="https://factcheck.afp.com/x")


def test_export_report_validates(snopes_records):
    text = snopes_records[0]["claim"]
    article = Article(id="a1", title="Debate night", text=text, date=date(2020, 10, 8), url="https://example.org/a1")
    claim = Claim(id="c1", kind="quote", text=text, start=0, end=len(text), quote=Quote(text=text, speaker="Mike Pence"))
    result = ClaimResult(claim=claim, verdict=Verdict.CONTRADICTED, confidence=0.8,
                         reason="fact-checked before: rated false", check="factcheck")
    report = Report(newsproof_version="0.1.0", article=article, claims=[result],
                    machine_generated=DetectionResult(label="human"),
                    summary=Summary(claims=1, supported=0, contradicted=1, not_enough_evidence=0, credibility="low"))
    publisher = ClaimReviewSettings(organisation_name="Example Checks", organisation_url="https://checks.example.org",
                                    review_url="https://checks.example.org/reviews/{article_id}")
    (obj,) = report_to_claimreview(report, reviewed=date(2024, 1, 2), settings=publisher)
    assert obj["reviewRating"]["alternateName"] == "Contradicted" and obj["reviewRating"]["ratingValue"] == 1
    assert obj["url"] == "https://checks.example.org/reviews/a1#claim-c1" and obj["datePublished"] == "2024-01-02"
    assert obj["author"] == {"@type": "Organization", "name": "Example Checks", "url": "https://checks.example.org"}
    assert obj["itemReviewed"]["author"]["name"] == "Mike Pence"
    assert obj["itemReviewed"]["appearance"]["url"] == "https://example.org/a1"
    (back,) = parse_claimreview(to_claimreview_json(report, settings=publisher))
    assert back.verdict is Verdict.CONTRADICTED and back.claim == text


def test_invalid_shapes_are_rejected():
    with pytest.raises(InputError):
        validate_claimreview({"@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": "x"})
    with pytest.raises(InputError):
        parse_claimreview("{not json")
    assert parse_claimreview(json.dumps({"@type": "NewsArticle", "headline": "x"})) == []
