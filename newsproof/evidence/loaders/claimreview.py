"""schema.org ClaimReview in: fact-checks as `CheckedClaim` records (the export is `newsproof.report.claimreview`).

Accepts a ClaimReview object, a list of them, a JSON-LD `@graph`, JSON Lines, HTML pages with
`<script type="application/ld+json">` blocks, and the Google Fact Check Tools API shape (`claims[].claimReview[]`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsproof.errors import InputError
from newsproof.labels import Label, known_label, to_verdict
from newsproof.models import CheckedClaim

_LD_SCRIPT = re.compile(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", re.S | re.I)


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
