"""Whether a passage is about the same event as a claim: the guard on textual CONTRADICTED verdicts.

A passage that contradicts a claim only counts when it shares one of the claim's specific names (a
person, organisation, facility, event, or a place smaller than a country) and is dated close to the
claim's own date (both must be known: within 3 days for a day, a month for a month, a year for a
year). "19 people were killed in Aleppo on Monday" is not contradicted by a passage about a car bomb
in Afrin, though both mention Syria; "Soleimani attended a ceremony in 2017" is not contradicted by
an undated profile that tells of his death. Structured event records (conflict events) are left to
the event check, which compares their place, date and toll.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from newsproof.models import Claim, EvidenceItem

SPECIFIC_LABELS = frozenset({"PERSON", "ORG", "FAC", "EVENT", "GPE", "LOC", "WORK_OF_ART", "LAW"})
DAYS_APART = {"day": 3, "month": 31, "year": 366}
# a conflict-event record passage (evidence/loaders/kb.py): date, place, actors, deaths
RECORD = re.compile(r"(\d{4}-\d{2}-\d{2})(?: to \S+)?, (.+?)\. Actors: .*?Deaths \(best estimate\): (\d+)")


def fold(text: str) -> str:
    """Lower-case ASCII, for comparing names across accents ('São Paulo' ~ 'sao paulo')."""
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
    """True when some evidence card shares a specific name with the claim and is dated close to it."""
    names = [fold(n) for n in specific_names(claim)]
    if not names or claim.time is None:
        return False
    for item in evidence:
        if RECORD.search(item.text):
            continue
        text = fold(f"{item.title or ''} {item.text}")
        if not any(n in text for n in names):
            continue
        if _dates_compatible(claim, item.date):
            return True
    return False


def _dates_compatible(claim: Claim, stated: str | None) -> bool:
    if claim.time is None or not stated:
        return False
    try:
        day = dt.date.fromisoformat(stated[:10]) if len(stated) >= 10 else dt.date(int(stated[:4]), 1, 1)
    except ValueError:
        return False
    slack = dt.timedelta(days=DAYS_APART[claim.time.granularity])
    return claim.time.date_start - slack <= day <= claim.time.date_end + slack
