"""Transparent check-worthiness: a weighted sum of sentence features, clipped to [0, 1]."""

from __future__ import annotations

import re
from dataclasses import dataclass

BASE = 0.1
WEIGHTS: dict[str, float] = {
    "named_entities": 0.12,  # per distinct PERSON/ORG/GPE/... mention, up to 3
    "number": 0.15,
    "date": 0.15,
    "event_verb": 0.2,
    "quote": 0.15,
    "age": 0.25,  # 'Carter was 99.': an obituary's age is a checkable fact in a short sentence
    "question": -0.35,
    "opinion": -0.2,
    "hedge": -0.15,
    "first_person": -0.1,
    "short": -0.25,
}
MAX_ENTITY_BONUS = 3
SHORT_WORDS = 6
_OPINION = re.compile(
    r"\b(i think|i believe|we believe|in my (view|opinion)|should|ought to|must|shameful|disgraceful|"
    r"wonderful|terrible|best|worst|outrageous|ridiculous|amazing|beautiful|awful)\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(may|might|could|perhaps|possibly|reportedly|allegedly|apparently|rumou?red|seems?|likely|unclear)\b",
    re.IGNORECASE,
)
_AGE = re.compile(r"\b(?:was|aged|at the age of) \d{1,3}(?: years old)?\.?$|\b(?:aged|at the age of) \d{1,3}\b")
_FIRST_PERSON = re.compile(r"\b(i|me|my|we|our|us)\b")
# Lines that make no claim: tweet signatures, contact lines, captions and credits, share bars.
_SIGNATURE = re.compile(r"\(@\w{2,}\)|pic\.twitter\.com|^\s*[—–-]\s*[\w .'-]+\(@", re.IGNORECASE)
_CONTACT = re.compile(r"(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.]+\b|(?:\+|\b)\d[\d ().-]{7,}\d\b")
_CAPTION = re.compile(r"^\s*(?:photo|image|picture|caption|credit|file photo|video|watch|read more|related|share|"
                      r"follow us|subscribe|sign up|copyright|©)\b", re.IGNORECASE)


def makes_no_claim(text: str) -> bool:
    """A signature, contact, caption or share line rather than a sentence that states something."""
    words = text.split()
    if _SIGNATURE.search(text) or _CAPTION.match(text):
        return True
    contact = _CONTACT.findall(text)
    return bool(contact) and len(words) - sum(len(c.split()) for c in contact) < 10


@dataclass
class Features:
    """What the scorer looks at in one claim sentence."""

    text: str
    entities: int = 0
    has_number: bool = False
    has_date: bool = False
    has_event_verb: bool = False
    has_quote: bool = False


def contributions(features: Features) -> dict[str, float]:
    """Each feature's contribution to the score (non-zero ones only)."""
    text = features.text
    flags = {
        "named_entities": min(features.entities, MAX_ENTITY_BONUS),
        "number": features.has_number,
        "date": features.has_date,
        "event_verb": features.has_event_verb,
        "quote": features.has_quote,
        "age": bool(_AGE.search(text)),
        "question": text.rstrip(" \"'”’").endswith("?"),
        "opinion": bool(_OPINION.search(text)),
        "hedge": bool(_HEDGE.search(text)),
        "first_person": bool(_FIRST_PERSON.search(text)) and not features.has_quote,
        "short": len(text.split()) < SHORT_WORDS and not _AGE.search(text),  # 'Uno was 80.' is short by nature
    }
    return {name: WEIGHTS[name] * float(value) for name, value in flags.items() if value}


def checkworthiness(features: Features) -> float:
    """Score in [0, 1]: BASE plus the feature contributions; 0 for a line that makes no claim."""
    if makes_no_claim(features.text):
        return 0.0
    return round(min(1.0, max(0.0, BASE + sum(contributions(features).values()))), 3)
