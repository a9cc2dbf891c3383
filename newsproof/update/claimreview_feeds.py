"""ClaimReview sources: a Google Fact Check-style JSON export, ClaimReview JSON-LD, or a fact-checker's page
with ClaimReview markup, read with newsproof's own ClaimReview reader into previously checked claims."""

from __future__ import annotations

from newsproof.errors import InputError, error
from newsproof.evidence.loaders.claimreview import parse_claimreview
from newsproof.models import CheckedClaim


def _decode(content: bytes, charset: str | None) -> str:
    try:
        return content.decode(charset or "utf-8")
    except (LookupError, UnicodeDecodeError):
        return content.decode("utf-8", "replace")


def parse_claimreview_source(content: bytes, url: str, charset: str | None = None) -> list[CheckedClaim]:
    """The checked claims of a ClaimReview source; NP160 when it holds none or is not JSON."""
    try:
        claims = parse_claimreview(_decode(content, charset))
    except InputError as exc:
        raise error("NP160", what="ClaimReview source", url=url, why=exc.args[0]) from exc
    if not claims:
        raise error("NP160", what="ClaimReview source", url=url, why="it holds no ClaimReview with a claim")
    return claims


def page_claimreviews(html: str) -> list[CheckedClaim]:
    """Checked claims marked up in an article page (fact-checkers' pages); none for other pages."""
    if "ClaimReview" not in html:
        return []
    try:
        return parse_claimreview(html)
    except InputError:  # a broken ld+json block: the article itself is still read
        return []
