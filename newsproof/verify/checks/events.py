"""Dated events: a deadly event's date and toll against dated event records in the evidence base.

Event records are the conflict-event passages (UCDP GED: "<headline>. 2016-05-30, <place>, Syria.
Actors: … Deaths (best estimate): 19."). A claim such as "At least 19 people were killed in Aleppo on
30 May 2017" is matched on place and toll: when the base records no event in that place within two
days of the stated date, but records one with the same toll at another date, the event has been
moved. When events in that place on that date are recorded, a stated toll far from all of them is
contradicted. Anything else is NOT ENOUGH EVIDENCE: the base may simply not hold the event.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from newsproof.evidence.protocol import SearchFilters
from newsproof.models import Claim, EvidenceItem, Passage, Verdict
from newsproof.verify.checks.same_event import RECORD, fold, is_country
from newsproof.verify.checks.structured import CheckOutcome

TOLL = re.compile(r"\b(at least |more than |over |some )?(\d{1,5}) (?:people|civilians|persons|fighters|soldiers|"
                  r"militants|children|rebels|troops)\b", re.IGNORECASE)
DEADLY = re.compile(r"\b(?:kill\w*|dead|died|deaths?|death toll)\b", re.IGNORECASE)
IN_PLACE = re.compile(r"\b(?:in|near|at) ((?:[A-Z][\w'’-]+ )*[A-Z][\w'’-]+)")
NEAR_DAYS = 2


@dataclass(frozen=True)
class EventRecord:
    """A dated event passage read into its parts."""

    passage: Passage
    date: dt.date
    place: str
    deaths: int


def read_record(passage: Passage) -> EventRecord | None:
    """The date, place and toll of a conflict-event passage; None for any other passage."""
    match = RECORD.search(passage.text)
    if not match:
        return None
    return EventRecord(passage, dt.date.fromisoformat(match.group(1)), match.group(2), int(match.group(3)))


def _in_place(record: EventRecord, place: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(fold(place))}(?!\w)", fold(record.place)) is not None


class EventCheck:
    """Check deadly-event claims against the store's dated event records."""

    def __init__(self, store: Any, k: int = 200, wide: int = 3000) -> None:
        self.store = store
        self.k = k
        self.wide = wide  # a big town has thousands of records; searched only when none is near the date

    def _records(self, place: str, near: dt.date | None = None) -> list[EventRecord]:
        """Event records in `place`: those within NEAR_DAYS of `near`, or (no date) up to `wide` of them."""
        filters = SearchFilters(kinds=("kb",))
        if near is not None:
            filters = SearchFilters(kinds=("kb",), date_from=(near - dt.timedelta(days=NEAR_DAYS)).isoformat(),
                                    date_to=(near + dt.timedelta(days=NEAR_DAYS)).isoformat())
        hits = self.store.search_passages(place, k=self.k if near is not None else self.wide, filters=filters)
        records = (read_record(h.passage) for h in hits)
        return [r for r in records if r is not None and _in_place(r, place)]

    def check(self, claim: Claim) -> list[CheckOutcome]:
        """An outcome for a deadly-event claim with a place and a day-precise date, else none."""
        if claim.time is None or claim.time.granularity != "day" or not DEADLY.search(claim.text):
            return []
        places = [m.text for m in claim.mentions if m.label in ("GPE", "LOC", "FAC") and not is_country(m.text)]
        for extra in [claim.place, *IN_PLACE.findall(claim.text)]:
            if extra and not is_country(extra) and extra not in places:
                places.append(extra)
        toll_match = TOLL.search(claim.text)
        if not places:
            return []
        day = claim.time.date_start
        for place in places:
            near = [r for r in self._records(place, day) if abs((r.date - day).days) <= NEAR_DAYS]
            settled = self._toll(claim, place, near, toll_match) if near else []
            if settled and settled[0].verdict is Verdict.SUPPORTED:
                return settled
            moved = self._moved(place, day, near, int(toll_match.group(2))) if toll_match else []
            if moved or settled:
                return moved or settled
        return []

    def _moved(self, place: str, day: dt.date, near: list[EventRecord], toll: int) -> list[CheckOutcome]:
        """The stated toll recorded in `place` on one other day only (never near the stated one): the
        event has been moved. A busy town records a common toll on many days: then nothing is said."""
        same = [r for r in self._records(place) if r.deaths == toll] if toll >= 5 else []
        if not same or (near and len({r.date for r in same}) > 1):
            return []
        best = min(same, key=lambda r: abs((r.date - day).days))
        if abs((best.date - day).days) <= NEAR_DAYS:
            return []
        others = (f"none in {place} is recorded within {NEAR_DAYS} days of {day:%-d %b %Y}" if not near
                  else f"no record in {place} near {day:%-d %b %Y} gives that toll")
        return [CheckOutcome(Verdict.CONTRADICTED, 0.85,
                             f"The event record for {place} with {toll} deaths is dated {best.date:%-d %b %Y}, and "
                             f"{others}, the date the article gives", "event_date", [_card(best)])]

    def _toll(self, claim: Claim, place: str, near: list[EventRecord], toll_match: re.Match | None) -> list[CheckOutcome]:
        """The stated toll against the records of the stated day (of the nearby days when that day has
        none): each record's toll and the day's total. Far from all of them (a factor of two) is
        contradicted; a record with that toll supports it; anything between settles nothing."""
        day = claim.time.date_start if claim.time else near[0].date
        pool = [r for r in near if r.date == day] or near
        cards = [_card(r) for r in pool[:3]]
        if toll_match is None:
            return [CheckOutcome(Verdict.SUPPORTED, 0.6, f"An event in {place} on that date is recorded",
                                 "event_date", cards)]
        toll, at_least = int(toll_match.group(2)), bool(toll_match.group(1))
        per_day: dict[dt.date, int] = {}
        for record in pool:
            per_day[record.date] = per_day.get(record.date, 0) + record.deaths
        tolls = sorted({r.deaths for r in pool} | set(per_day.values()))
        if any(t == toll or (at_least and t >= toll) for t in tolls):
            return [CheckOutcome(Verdict.SUPPORTED, 0.8, f"The event record for {place} on {pool[0].date:%-d %b %Y} "
                                 f"gives {toll} deaths", "event_toll", cards)]
        if all(t * 2 <= toll or toll * 2 <= t for t in tolls):
            when = f"on {day:%-d %b %Y}" if pool[0].date == day else f"around {day:%-d %b %Y}"
            return [CheckOutcome(Verdict.CONTRADICTED, 0.8,
                                 f"Event records for {place} {when} give {' or '.join(map(str, tolls))} deaths "
                                 f"(each record and the day's total); the article says {toll}",
                                 "event_toll", cards)]
        return []


def _card(record: EventRecord) -> EvidenceItem:
    p = record.passage
    return EvidenceItem(id=p.id, kind="passage", text=p.text, title=p.title, source=p.source, url=p.url,
                        date=p.date, score=1.0)
