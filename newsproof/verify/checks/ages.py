"""Age at death: 'X died on <date> at the age of 89' against the KB's exact birth and death dates."""

from __future__ import annotations

import datetime as dt
import re

from newsproof.models import Claim, Entity, Verdict
from newsproof.verify.checks.kbdates import parse_kb_date

AGE = re.compile(r"\b(?:at the age of|aged|age)\s+(\d{1,3})\b|\bwas (\d{1,3})(?: years old)?[.,;]")


def stated_age(claim: Claim) -> int | None:
    """The age at death the sentence states, if any."""
    match = AGE.search(claim.text)
    if not match:
        return None
    return int(match.group(1) or match.group(2))


def obituary_age(entity: Entity, claim: Claim, name: str, article_date: dt.date | None) -> int | None:
    """The age in an obituary's short 'Carter was 99.' sentence, in an article dated within a month of
    the recorded death (elsewhere 'X was 45' need not be an age at death)."""
    died = parse_kb_date(entity.death_date)
    match = re.fullmatch(rf"\s*{re.escape(name)} was (\d{{1,3}})(?: years old)?\.\s*", claim.text)
    if not match or died is None or article_date is None or not 0 <= (article_date - died.start).days <= 31:
        return None
    return int(match.group(1))


def check_age(entity: Entity, claim: Claim, age: int | None = None) -> tuple[Verdict, float, str] | None:
    """Compare a stated age at death (in the claim, or given) with the age the KB's exact dates give."""
    age = age if age is not None else stated_age(claim)
    born, died = parse_kb_date(entity.birth_date), parse_kb_date(entity.death_date)
    if age is None or born is None or died is None or "day" not in (born.granularity,) or died.granularity != "day":
        return None
    b, d = born.start, died.start
    true_age = d.year - b.year - ((d.month, d.day) < (b.month, b.day))
    if age == true_age:
        return Verdict.SUPPORTED, 0.8, f"{entity.name} was {true_age} at death (born {born.human()}, died {died.human()})"
    return (Verdict.CONTRADICTED, 0.9,
            f"{entity.name} was born on {born.human()} and died on {died.human()}, aged {true_age}; "
            f"the article says {age}")
