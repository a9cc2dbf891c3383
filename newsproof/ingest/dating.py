"""The article's time anchor: wire datelines, dated head lines and the choice of the article date.

Nothing here reads the clock: a date is either written on the page, given by the caller, or unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

import dateparser

DateSource = Literal["metadata", "text", "option", "none"]
LineKind = Literal["published", "updated"]

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_CAPS = "A-ZÀ-ÖØ-Þ"
_CITY_WORD = rf"[{_CAPS}][{_CAPS}.'’-]+"
_NOT_MONTH = rf"(?!(?i:{_MONTH})\.?\s*\d)"
_REGION_WORD = rf"{_NOT_MONTH}[{_CAPS}][\w.'’-]*"
_DAY_MONTH = rf"(?i:{_MONTH})\.?\s\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\s(?i:{_MONTH})\.?"
# "PLAINS, Georgia, December 30, 2023 —", "SAO PAULO, Dec 29 (World News) -", "BAGHDAD (AP) —", "BAGHDAD —".
_DATELINE = re.compile(
    rf"^(?P<place>{_CITY_WORD}(?:\s{_CITY_WORD}){{0,4}})"
    rf"(?:,\s(?P<region>{_REGION_WORD}(?:\s{_REGION_WORD}){{0,2}}))?"
    rf"(?:,\s(?:(?i:mon|tues|wednes|thurs|fri|satur|sun)day,?\s)?(?P<date>(?:{_DAY_MONTH})(?:,?\s(?P<year>\d{{4}}))?))?"
    rf"(?:\s*\((?P<agency>[^()\n]{{1,40}})\))?"
    rf"(?:\s*[—–]\s*|\s+-{{1,2}}\s+|\s*[—–-]{{1,2}}\s*$)"
)
_HEAD_PREFIX = re.compile(
    r"^\s*(?:(?:first\s+)?(?P<kind>published|posted|updated|last updated|modified|date|dated)\b\s*"
    r"(?:on|at)?\s*:?\s*)?(?P<date>.+)$",
    re.IGNORECASE,
)
_YEAR_IN = re.compile(r"\b(?:1[5-9]|20)\d{2}\b")
_MONTH_OR_NUMERIC = re.compile(rf"\b{_MONTH}\b|\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{1,4}}", re.IGNORECASE)
# A fixed base so that dateparser never falls back on today's date for a missing part.
_FIXED_BASE = datetime(2000, 1, 1)
_FULL_DATE = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
    "RELATIVE_BASE": _FIXED_BASE,
    "PREFER_DATES_FROM": "past",
}
_MONTHS = {name: i for i, name in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
TIMEZONE_SLACK = timedelta(days=1)  # a local dateline may be a day ahead of a UTC publication stamp


@dataclass(frozen=True)
class Dateline:
    """A wire dateline opening the body: its place, optional date parts and agency, and its length."""

    place: str
    region: str | None
    agency: str | None
    day: date | None  # complete date (year given in the dateline)
    month_day: tuple[int, int] | None  # (month, day) when the dateline gives no year
    length: int  # characters of the paragraph the dateline (and its dash) takes up

    def completed(self, page_date: date | None) -> date | None:
        """The dateline's date: as written, or with the year taken from the page's other date."""
        if self.day is not None:
            return self.day
        if self.month_day is None or page_date is None:
            return None
        return complete_year(*self.month_day, page_date)


def parse_full_date(text: str) -> date | None:
    """A date with day, month and year, or None (relative words and missing parts never use the clock)."""
    if not _YEAR_IN.search(text) or not _MONTH_OR_NUMERIC.search(text):
        return None
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=_FULL_DATE)
    except (ValueError, OverflowError, TypeError, KeyError):
        return None
    return parsed.date() if parsed else None


def complete_year(month: int, day: int, page_date: date) -> date | None:
    """The latest `month`/`day` that is not after `page_date` (give or take a day of time zone)."""
    for year in range(page_date.year + 1, page_date.year - 8, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:  # 29 February outside a leap year
            continue
        if candidate <= page_date + TIMEZONE_SLACK:
            return candidate
    return None


def match_dateline(paragraph: str) -> Dateline | None:
    """The dateline opening `paragraph` ("CITY, Month D, YYYY —", "CITY, Mon D (Agency) -", "CITY —")."""
    match = _DATELINE.match(paragraph)
    if match is None:
        return None
    rest = paragraph[match.end() :]
    if rest and not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"'“‘("):
        return None  # "US-Iran talks", "UN - led": not a dateline
    day = month_day = None
    if match.group("date"):
        if match.group("year"):
            day = parse_full_date(match.group("date"))
            if day is None:
                return None
        else:
            partial = _parse_day_month(match.group("date"))
            if partial is None:
                return None
            month_day = partial
    place = match.group("place").strip(" .-'’")
    return Dateline(
        place=place,
        region=match.group("region"),
        agency=(match.group("agency") or "").strip() or None,
        day=day,
        month_day=month_day,
        length=match.end(),
    )


def _parse_day_month(text: str) -> tuple[int, int] | None:
    """(month, day) of "Dec 29", "Sept. 3rd", "29 December"."""
    month = re.search(_MONTH, text, re.IGNORECASE)
    day = re.search(r"\d{1,2}", text)
    if month is None or day is None:
        return None
    number = _MONTHS.get(month.group().lower()[:3])
    if number is None or not 1 <= int(day.group()) <= 31:
        return None
    return number, int(day.group())


def head_line_date(text: str) -> tuple[date, LineKind] | None:
    """Date of a 'Published …'/'Updated …' line or of a line that is only a date, with its kind."""
    match = _HEAD_PREFIX.match(text)
    if match is None:
        return None
    candidate = re.sub(r"\s*(?:\||•|·)\s*", " ", match.group("date")).strip()
    if len(candidate) > 60:
        return None
    found = parse_full_date(candidate)
    if found is None:
        return None
    kind = (match.group("kind") or "").lower()
    return found, "updated" if kind in ("updated", "last updated", "modified") else "published"


def choose_date(
    option: date | None,
    metadata: date | None,
    dateline: Dateline | None,
    published: date | None,
    updated: date | None,
) -> tuple[date | None, DateSource]:
    """The article date (the anchor for "on Thursday", "last year") and where it came from.

    Precedence, most trusted first:

    1. the caller's `--date` ("option");
    2. a complete dateline date ("PLAINS, Georgia, December 30, 2023 —", "text"): the day the story
       was filed, written out by the newsroom, so the right anchor for the weekdays in it; page
       metadata is often the web publication or update stamp, in UTC, and can be a day later;
    3. the page's machine-readable original publication date ("metadata");
    4. a yearless agency dateline ("SAO PAULO, Dec 29 (World News) -", "text") completed with the year
       of a Published/byline date in the text: it is never allowed to override the metadata the year
       would come from, but it beats a text date line, which may be a later update;
    5. a 'Published …' or dated byline line, else an 'Updated …' line ("text").
    """
    if option is not None:
        return option, "option"
    if dateline is not None and dateline.day is not None:
        return dateline.day, "text"
    if metadata is not None:
        return metadata, "metadata"
    in_text = published or updated
    completed = dateline.completed(in_text) if dateline is not None else None
    if completed is not None:
        return completed, "text"
    if in_text is not None:
        return in_text, "text"
    return None, "none"
