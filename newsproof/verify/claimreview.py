"""schema.org ClaimReview: import fact-checks as `CheckedClaim` records, export verdicts as JSON-LD.

Import accepts a ClaimReview object, a list of them, a JSON-LD `@graph`, JSON Lines, HTML pages with
`<script type="application/ld+json">` blocks, and the Google Fact Check Tools API shape (`claims[].claimReview[]`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from newsproof.errors import InputError
from newsproof.models import CheckedClaim, ClaimResult, Report, Verdict
from newsproof.verify.claimreview_config import ClaimReviewSettings
from newsproof.verify.labels import Label, known_label, to_verdict

CONTEXT = "https://schema.org"
_LD_SCRIPT = re.compile(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", re.S | re.I)
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


# --------------------------------------------------------------------------- import
def _nodes(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _nodes(data["@graph"])
        elif "claims" in data and isinstance(data["claims"], list):  # Google Fact Check Tools API
            for claim in data["claims"]:
                for review in claim.get("claimReview", []):
                    yield {"@type": "ClaimReview", "claimReviewed": claim.get("text"), "url": review.get("url"),
                           "datePublished": review.get("reviewDate"), "author": review.get("publisher") or {},
                           "reviewRating": {"alternateName": review.get("textualRating")},
                           "itemReviewed": {"author": {"name": claim.get("claimant")},
                                            "datePublished": claim.get("claimDate")}}
        else:
            yield data


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type", [])
    return {kind} if isinstance(kind, str) else set(kind)


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return str(value) if value else None


def rating_label(rating: dict[str, Any]) -> tuple[str, Label]:
    """(rating text, Label) from a reviewRating: its alternateName, else ratingValue on best/worst."""
    text = str(rating.get("alternateName") or rating.get("name") or "").strip()
    known = known_label(text) if text else None
    if known is not None:
        return text, known
    try:
        value, best = float(rating["ratingValue"]), float(rating.get("bestRating", 5))
        worst = float(rating.get("worstRating", 1))
        share = (value - worst) / (best - worst)
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return text, Label.NOT_ENOUGH_EVIDENCE
    label = Label.SUPPORTED if share >= 0.75 else Label.CONTRADICTED if share <= 0.25 else Label.CONFLICTING
    return text or f"{rating['ratingValue']}/{rating.get('bestRating', 5)}", label


def to_checked_claim(node: dict[str, Any]) -> CheckedClaim | None:
    """A CheckedClaim from one ClaimReview node (None when it has no claim text)."""
    claim = str(node.get("claimReviewed") or "").strip()
    if not claim:
        return None
    text, label = rating_label(node.get("reviewRating") or {})
    item = node.get("itemReviewed") or {}
    url = node.get("url")
    source = _name(node.get("author")) or _name(node.get("publisher")) or "ClaimReview"
    ident = url or "claimreview-" + hashlib.sha1(f"{source}\n{claim}".encode()).hexdigest()[:16]
    published = node.get("datePublished")
    return CheckedClaim(id=str(ident), claim=claim, label=text or label.value, verdict=to_verdict(label),
                        date=str(published)[:10] if published else None, speaker=_name(item.get("author")),
                        source=source, url=url)


def parse_claimreview(text: str) -> list[CheckedClaim]:
    """CheckedClaims from JSON, JSON-LD, JSON Lines or HTML text holding ClaimReview objects."""
    blocks = _LD_SCRIPT.findall(text) if "<script" in text.lower() else [text]
    parsed: list[Any] = []
    for block in blocks:
        try:
            parsed.append(json.loads(block))
        except json.JSONDecodeError:
            try:
                parsed.append([json.loads(line) for line in block.splitlines() if line.strip()])
            except json.JSONDecodeError as exc:
                raise InputError(f"not JSON, JSON Lines or JSON-LD: {exc}") from exc
    out = [to_checked_claim(n) for n in _nodes(parsed) if "ClaimReview" in _types(n)]
    return [c for c in out if c is not None]


def load_claimreview(path: str | Path) -> list[CheckedClaim]:
    """CheckedClaims from a ClaimReview file (see `parse_claimreview`)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"no ClaimReview file {path}")
    return parse_claimreview(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- export
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
