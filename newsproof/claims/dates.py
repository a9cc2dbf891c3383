"""Normalise time expressions ("27 May 2021", "on Friday", "last week") to absolute date ranges.

Relative expressions need the article's date as reference; without one they stay unresolved (None).
The clock is never read: resolving "on Thursday" against today would invent a date.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal

from dateparser.date import DateDataParser

Granularity = Literal["day", "month", "year"]
TimeRange = tuple[date, date, Granularity]

_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_PHRASES = [
    (re.compile(r"\blast night\b", re.IGNORECASE), "yesterday"),
    (re.compile(r"\b(?:the )?past (week|month|year)\b", re.IGNORECASE), r"last \1"),
    (re.compile(r"\b(?:this (?:morning|afternoon|evening)|tonight)\b", re.IGNORECASE), "today"),
]
# Words that shift the time of day or are prepositions, but do not change the date.
_NOISE = re.compile(
    r"\b(?:early|late|earlier|later|mid|on|in|at|during|since|by|around|about|the|of|local time|"
    r"morning|afternoon|evening|night|overnight|midday|noon|midnight|dawn|dusk)\b",
    re.IGNORECASE,
)
_DURATION = re.compile(
    r"^(?:\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|"
    r"many|some|a few|dozens of|hundreds of)\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|"
    r"decades?|centuries)(?:\s+(?:long|old))?$",
    re.IGNORECASE,
)
_DECADE = re.compile(r"^(\d{3})0s$", re.IGNORECASE)
_YEAR = re.compile(r"^(?:year\s+)?(\d{4})$", re.IGNORECASE)
_HAS_DATE_WORD = re.compile(
    r"\d|today|yesterday|tomorrow|tonight|ago|week|month|year|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday",
    re.IGNORECASE,
)


@lru_cache(maxsize=64)
def _parser(reference: date) -> DateDataParser:
    settings = {
        "RELATIVE_BASE": datetime(reference.year, reference.month, reference.day, 12),
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    return DateDataParser(languages=["en"], settings=settings)


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _simplify(text: str) -> str:
    """Map 'last night'/'tonight' to days and drop time-of-day words and prepositions."""
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    return re.sub(r"\s+", " ", _NOISE.sub(" ", text)).strip(" ,.-")


# Two far-apart references (different years, months and weekdays): an expression that resolves the same
# against both is absolute ("27 May 2021", "March 2019"); one that does not is relative ("January 3").
_PROBES = (date(1901, 3, 13), date(1987, 9, 26))


@lru_cache(maxsize=4096)
def normalise_time(text: str, reference: date | None) -> TimeRange | None:
    """Absolute (start, end, granularity) of a time expression; relative ones need `reference`.

    With `reference` None, expressions whose meaning depends on the reference date (weekdays,
    "yesterday", "last year", "this week", "three days ago", "January 3") give None.
    """
    if reference is not None:
        return _resolve(text, reference)
    found = [_resolve(text, probe) for probe in _PROBES]
    return found[0] if found[0] == found[1] else None


def _resolve(text: str, reference: date) -> TimeRange | None:
    raw = re.sub(r"\s+", " ", text).strip(" ,.")
    if not raw or len(raw) > 60 or _DURATION.match(raw):
        return None
    simplified = _simplify(raw)
    if not _HAS_DATE_WORD.search(simplified) or _DURATION.match(simplified):
        return None
    if match := _DECADE.match(simplified):
        start = int(match.group(1)) * 10
        return date(start, 1, 1), date(start + 9, 12, 31), "year"
    if match := _YEAR.match(simplified):
        year = int(match.group(1))
        return (date(year, 1, 1), date(year, 12, 31), "year") if 1 <= year <= 9999 else None
    if simplified.isdigit():
        return None
    if simplified.lower() in _WEEKDAYS:
        back = (reference.weekday() - _WEEKDAYS[simplified.lower()]) % 7
        day = reference - timedelta(days=back)
        return day, day, "day"
    try:
        data = _parser(reference).get_date_data(simplified)
    except (ValueError, OverflowError, TypeError, KeyError):
        return None
    if data.date_obj is None:
        return None
    found = data.date_obj.date()
    if data.period == "year":
        return date(found.year, 1, 1), date(found.year, 12, 31), "year"
    if data.period == "month":
        return (*_month_range(found.year, found.month), "month")
    if data.period == "week":
        start = found - timedelta(days=found.weekday())
        return start, start + timedelta(days=6), "day"
    return found, found, "day"
