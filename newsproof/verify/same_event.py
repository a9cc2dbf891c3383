"""Whether a passage is about the same event as a claim: the guard on textual CONTRADICTED verdicts.

A passage that contradicts a claim only counts when it shares one of the claim's specific names (a
person, organisation, facility, event, or a place smaller than a country) and its date, where both
are known, is close to the claim's. "19 people were killed in Aleppo on Monday" is not contradicted
by a passage about a car bomb in Afrin, though both mention Syria.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from functools import lru_cache

from newsproof.models import Claim, EvidenceItem

SPECIFIC_LABELS = frozenset({"PERSON", "ORG", "FAC", "EVENT", "GPE", "LOC", "WORK_OF_ART", "LAW"})
DAYS_APART = {"day": 31, "month": 62, "year": 400}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


@lru_cache(maxsize=4096)
def is_country(name: str) -> bool:
    """Whether `name` is a country (pycountry names, official and common)."""
    import pycountry

    try:
        pycountry.countries.lookup(name.removeprefix("the ").strip())
    except LookupError:
        return name.lower() in {"us", "u.s.", "uk", "britain", "america", "russia", "iran", "syria", "the us"}
    return True


def specific_names(claim: Claim) -> list[str]:
    """The claim's names that pick out one event's participants or place."""
    return [m.text for m in claim.mentions if m.label in SPECIFIC_LABELS and not is_country(m.text)
            and len(m.text) > 2]


def same_event(claim: Claim, evidence: list[EvidenceItem]) -> bool:
    """True when some evidence card shares a specific name with the claim and has a compatible date."""
    names = [_fold(n) for n in specific_names(claim)]
    if not names:
        return False
    for item in evidence:
        text = _fold(f"{item.title or ''} {item.text}")
        if not any(n in text for n in names):
            continue
        if _dates_compatible(claim, item.date):
            return True
    return False


def _dates_compatible(claim: Claim, stated: str | None) -> bool:
    if claim.time is None or not stated:
        return True
    try:
        day = dt.date.fromisoformat(stated[:10]) if len(stated) >= 10 else dt.date(int(stated[:4]), 1, 1)
    except ValueError:
        return True
    slack = dt.timedelta(days=DAYS_APART[claim.time.granularity])
    return claim.time.date_start - slack <= day <= claim.time.date_end + slack
