"""schema.org ClaimReview out: a report's verdicts as JSON-LD (`check --format claimreview`), published by
the `[claimreview]` config section. Reading ClaimReview is an evidence loader (`newsproof.evidence.loaders.claimreview`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import model_validator

from newsproof.config import ClaimReviewConfig, packaged_defaults, section
from newsproof.errors import InputError
from newsproof.labels import Label, known_label
from newsproof.models import CheckedClaim, ClaimResult, Report, Verdict

CONTEXT = "https://schema.org"
DRAFT_URL = "urn:newsproof:article:{article_id}"
DRAFT_ORGANISATION = "unconfigured publisher (set claimreview.organisation_name)"
_THING = {"type": "object", "required": ["@type"], "properties": {"@type": {"type": "string"}}}
CLAIMREVIEW_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["@context", "@type", "claimReviewed", "reviewRating", "author", "url"],
    "properties": {
        "@context": {"const": CONTEXT},
        "@type": {"const": "ClaimReview"},
        "claimReviewed": {"type": "string", "minLength": 1},
        "url": {"type": "string", "minLength": 1},
        "datePublished": {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?"},
        "reviewBody": {"type": "string"},
        "author": {**_THING, "required": ["@type", "name"]},
        "reviewRating": {
            "type": "object", "required": ["@type", "alternateName"],
            "properties": {"@type": {"const": "Rating"}, "ratingValue": {"type": "number"},
                           "bestRating": {"type": "number"}, "worstRating": {"type": "number"},
                           "alternateName": {"type": "string", "minLength": 1}},
            "dependentRequired": {"ratingValue": ["bestRating", "worstRating"]},
        },
        "itemReviewed": {**_THING, "properties": {"@type": {"const": "Claim"}, "author": _THING,
                                                  "appearance": {"type": ["object", "array"]}}},
    },
}


def validate_claimreview(obj: dict[str, Any]) -> None:
    """Raise InputError unless `obj` has the schema.org ClaimReview shape newsproof writes (rating in bounds)."""
    import jsonschema

    try:
        jsonschema.validate(obj, CLAIMREVIEW_SCHEMA)
    except jsonschema.ValidationError as exc:
        raise InputError(f"not a valid ClaimReview: {exc.message}") from exc
    rating = obj["reviewRating"]
    if "ratingValue" in rating and not rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]:
        raise InputError("not a valid ClaimReview: reviewRating.ratingValue is outside worstRating..bestRating")


class ClaimReviewSettings(ClaimReviewConfig):
    """The publisher of the export: the validated `[claimreview]` section (keys not given: the packaged defaults)."""

    @model_validator(mode="before")
    @classmethod
    def _packaged(cls, data: Any) -> Any:
        return {**packaged_defaults()["claimreview"], **data} if isinstance(data, Mapping) else data

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None = None) -> ClaimReviewSettings:
        """Settings from a config's `claimreview` table (none: the packaged one); ConfigError on a bad key or value."""
        return cls(**section("claimreview", (config or {}).get("claimreview")))

    @property
    def publishable(self) -> bool:
        """True when the publisher and the review page are configured (no placeholders are written)."""
        return bool(self.organisation_name and self.organisation_url and self.review_url)

    def draft_reason(self) -> str:
        """Why the export is a draft (for a warning); empty when publishable."""
        missing = [f"claimreview.{name}" for name in ("organisation_name", "organisation_url", "review_url")
                   if not getattr(self, name)]
        if not missing:
            return ""
        return (f"ClaimReview export is a draft, not fit to publish: set {', '.join(missing)} "
                "in a --config file")

    def review_page(self, article_id: str) -> str:
        """The URL of the published review of article `article_id` (a urn: placeholder in a draft)."""
        return (self.review_url or DRAFT_URL).format(article_id=article_id)

    def organisation(self) -> dict[str, str]:
        """The schema.org Organization that authors the reviews."""
        org = {"@type": "Organization", "name": self.organisation_name or DRAFT_ORGANISATION}
        if self.organisation_url:
            org["url"] = self.organisation_url
        return org


# Google's Fact Check scale: 1 = false ... 3 = half true ... 5 = true. NOT ENOUGH EVIDENCE has no place on it:
# its reviews are omitted, or written with a text-only rating (no ratingValue) when the config asks for them.
_NUMERIC: dict[Label, int] = {Label.CONTRADICTED: 1, Label.CONFLICTING: 3, Label.SUPPORTED: 5}
RATING_TEXT: dict[Label, str] = {Label.SUPPORTED: "Supported", Label.CONTRADICTED: "Contradicted",
                                 Label.CONFLICTING: "Mixed", Label.NOT_ENOUGH_EVIDENCE: "Not enough evidence"}


def _rating(label: Label, text: str, explanation: str | None = None) -> dict[str, Any]:
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": text}
    if label in _NUMERIC:
        rating.update(ratingValue=_NUMERIC[label], bestRating=5, worstRating=1)
    if explanation:
        rating["ratingExplanation"] = explanation
    return rating


def checked_claim_to_claimreview(claim: CheckedClaim) -> dict[str, Any]:
    """A CheckedClaim as a ClaimReview object (the fact-checker's own rating text kept)."""
    label = known_label(claim.label) or Label(claim.verdict.value)
    rating = _rating(label, claim.label or claim.verdict.value)
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.speaker:
        item["author"] = {"@type": "Person", "name": claim.speaker}
    out = {"@context": CONTEXT, "@type": "ClaimReview", "claimReviewed": claim.claim,
           "url": claim.url or claim.id, "author": {"@type": "Organization", "name": claim.source or "unknown"},
           "reviewRating": rating, "itemReviewed": item}
    if claim.date:
        out["datePublished"] = claim.date
    return out


def result_to_claimreview(result: ClaimResult, report: Report, reviewed: date | None = None,
                          settings: ClaimReviewSettings | None = None) -> dict[str, Any]:
    """One claim verdict of a report as a ClaimReview object authored by the configured organisation."""
    settings = settings or ClaimReviewSettings()
    article, claim = report.article, result.claim
    label = Label(result.verdict.value)
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.quote and claim.quote.speaker:  # who made the claim; an event's agent is not its claimant
        item["author"] = {"@type": "Person", "name": claim.quote.speaker}
    if article.date:
        item["datePublished"] = article.date.isoformat()
    appearance: dict[str, Any] = {"@type": "CreativeWork"}
    if article.url:
        appearance["url"] = article.url
    if article.title:
        appearance["headline"] = article.title
    if len(appearance) > 1:
        item["appearance"] = appearance
    out: dict[str, Any] = {
        "@context": CONTEXT, "@type": "ClaimReview", "claimReviewed": claim.text,
        "url": f"{settings.review_page(article.id)}#claim-{claim.id}",
        "datePublished": (reviewed or date.today()).isoformat(), "author": settings.organisation(),
        "reviewRating": _rating(label, RATING_TEXT[label], result.reason), "itemReviewed": item}
    if result.reason:
        out["reviewBody"] = result.reason
    if settings.author:
        out["creator"] = {"@type": "Person", "name": settings.author}
    return out


def report_to_claimreview(report: Report, reviewed: date | None = None,
                          settings: ClaimReviewSettings | None = None) -> list[dict[str, Any]]:
    """The report's verdicts as ClaimReview objects (each validated); NOT ENOUGH EVIDENCE per the settings."""
    settings = settings or ClaimReviewSettings()
    keep_unrated = settings.not_enough_evidence == "unrated"
    out = [result_to_claimreview(r, report, reviewed, settings) for r in report.claims
           if r.verdict is not Verdict.NOT_ENOUGH_EVIDENCE or keep_unrated]
    for obj in out:
        validate_claimreview(obj)
    return out


def to_claimreview_json(report: Report, reviewed: date | None = None,
                        settings: ClaimReviewSettings | None = None) -> str:
    """The report's verdicts as a JSON-LD array (`--format claimreview`)."""
    return json.dumps(report_to_claimreview(report, reviewed, settings), indent=2, ensure_ascii=False)
