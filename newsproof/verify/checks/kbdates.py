"""Dates with precision: KB strings (YYYY, YYYY-MM, YYYY-MM-DD) as inclusive day ranges."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from newsproof.models import TimeExpression


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of days with the precision it was stated at."""

    start: date
    end: date
    granularity: str

    def before(self, other: DateRange) -> bool:
        """True when this range ends strictly before `other` starts."""
        return self.end < other.start

    def overlaps(self, other: DateRange) -> bool:
        """True when the two ranges share at least one day."""
        return self.start <= other.end and other.start <= self.end

    def human(self) -> str:
        """'3 Jan 2020', 'Jan 2020' or '2020', depending on precision."""
        if self.granularity == "day":
            return f"{self.start.day} {self.start:%b %Y}"
        if self.granularity == "month":
            return f"{self.start:%b %Y}"
        if self.start.year == self.end.year:
            return str(self.start.year)
        return f"{self.start.year}–{self.end.year}"


def parse_kb_date(value: str | int | None) -> DateRange | None:
    """Parse 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (or an int year) into a DateRange; None if unparseable."""
    if value is None:
        return None
    text = str(value).strip()
    parts = text.split("-")
    try:
        year = int(parts[0])
        if len(parts) == 1:
            return DateRange(date(year, 1, 1), date(year, 12, 31), "year")
        month = int(parts[1])
        if len(parts) == 2:
            return DateRange(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "month")
        day = date(year, month, int(parts[2][:2]))
        return DateRange(day, day, "day")
    except (ValueError, IndexError):
        return None


def from_time(time: TimeExpression) -> DateRange:
    """The DateRange of a normalised time expression from a claim."""
    return DateRange(time.date_start, time.date_end, time.granularity)
