"""Numbers with units from spaCy's CARDINAL/MONEY/PERCENT/QUANTITY entities."""

from __future__ import annotations

import re

from spacy.tokens import Span
from text_to_num import text2num

from newsproof.models import Quantity

QUANTITY_LABELS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY"})
SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
}
CURRENCIES = {
    "us$": "USD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "dollar": "USD",
    "dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "yen": "JPY",
    "rupees": "INR",
}
_HEDGES = re.compile(
    r"^(?:about|around|approximately|roughly|nearly|almost|some|more than|over|under|less than|fewer than|"
    r"at least|at most|up to|as many as|as much as|only|just|an estimated)\s+",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")
_UNIT_GAP = 3  # tokens allowed between a number and the noun it counts ("eight other people")


def parse_number(text: str) -> float | None:
    """Value of the number that opens `text`: '5,200', '3.5 million', 'twenty-five square km'; else None."""
    words = re.findall(r"[-+]?\d[\d,]*(?:\.\d+)?|[a-z]+", _HEDGES.sub("", text.strip().lower()))
    value, used = _leading_number(words)
    if value is None:
        return None
    for word in words[used:]:
        if word not in SCALES:
            break
        value *= SCALES[word]
    return value


def _leading_number(words: list[str]) -> tuple[float | None, int]:
    """The number written by the first words (digits or number words) and how many words it used."""
    if not words:
        return None, 0
    if _DIGITS.fullmatch(words[0]):
        try:
            return float(words[0].replace(",", "")), 1
        except ValueError:
            return None, 0
    for size in range(min(len(words), 6), 0, -1):
        if words[size - 1] in SCALES or words[size - 1] == "and":
            continue
        try:
            return float(text2num(" ".join(words[:size]), "en")), size
        except (ValueError, TypeError):
            continue
    return None, 0


def quantity_from_entity(ent: Span, offset: int) -> Quantity | None:
    """A Quantity for a numeric entity, taking the counted noun as unit for bare numbers."""
    value = parse_number(ent.text)
    if value is None:
        return None
    unit: str | None = None
    start_char, end_char = ent.start_char, ent.end_char
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    if before is not None and before.text.lower() in CURRENCIES and before.is_currency:
        start_char = before.idx
        lowered_mark = before.text.lower()
    else:
        lowered_mark = ""
    lowered = f"{lowered_mark}{ent.text.lower()}"
    if ent.label_ == "PERCENT":
        unit = "%"
    elif ent.label_ == "MONEY":
        unit = next(
            (code for mark, code in CURRENCIES.items() if mark in lowered.split() or mark in lowered[:4]),
            None,
        )
    elif ent.label_ == "QUANTITY":
        words = _HEDGES.sub("", lowered).split()
        while words and (
            _DIGITS.fullmatch(words[0]) or words[0] in SCALES or parse_number(words[0]) is not None
        ):
            words.pop(0)
        unit = " ".join(words) or None
    else:
        head = ent.root.head
        counted = ent.root.dep_ in ("nummod", "quantmod") and head.pos_ in ("NOUN", "PROPN")
        if counted and 0 < head.i - ent.end + 1 <= _UNIT_GAP:
            unit = CURRENCIES.get(head.text.lower(), head.text)
            end_char = head.idx + len(head.text)
        elif not any(ch.isdigit() for ch in ent.text):
            return None  # a bare "one" or "two" without a counted noun is not a checkable quantity
    text = ent.doc.text[start_char:end_char]
    return Quantity(text=text, value=value, unit=unit, start=offset + start_char, end=offset + end_char)
