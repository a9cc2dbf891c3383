"""Splices of events and what was said: an event moved in time, a death toll changed, a quote given
to another speaker."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterator

from newsproof.evaluation.splices.cases import Side, Splice
from newsproof.evaluation.splices.facts import ConflictEvent, Facts
from newsproof.evaluation.splices.people import safe_date, shuffled

REPORTERS = ("a monitoring group said", "local activists reported", "state media reported",
             "a war monitor said")


def _moved(day: dt.date, rng: random.Random) -> dt.date:
    if rng.random() < 0.5:
        return safe_date(day.year + rng.choice((-1, 1)), day.month, day.day)
    month = day.month + rng.choice((-3, -2, 2, 3))
    return safe_date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, day.day)


def _event_template(event: ConflictEvent, toll: str, rng: random.Random) -> str:
    style = rng.randrange(3)
    if style == 0:
        return f"At least {toll} people were killed in {event.town}, Syria, {{when}}, {rng.choice(REPORTERS)}."
    if style == 1:
        return f"An attack in {event.town} killed {toll} people {{when}}, {rng.choice(REPORTERS)}."
    return f"{{when}}, fighting in {event.town} left {toll} people dead, {rng.choice(REPORTERS)}."


def event_date(facts: Facts, rng: random.Random) -> Iterator[Splice]:
    """A dated conflict event moved to another year or month, where no other event in that town fits."""
    by_town: dict[str, set[dt.date]] = defaultdict(set)
    for event in facts.events:
        by_town[event.town].add(event.date)
    for event in shuffled(facts.events, rng):
        moved = _moved(event.date, rng)
        if any(abs((moved - day).days) <= 7 for day in by_town[event.town]):
            continue
        template = _event_template(event, str(event.deaths), rng)
        yield _event_splice("event_date", event, Side(event.date.isoformat(), event.date, template),
                            Side(moved.isoformat(), moved, template))


def toll_change(facts: Facts, rng: random.Random) -> Iterator[Splice]:
    """A conflict event's death toll multiplied or divided by three or more."""
    for event in shuffled([e for e in facts.events if e.deaths >= 10], rng):
        wrong = event.deaths * rng.randint(3, 6) if rng.random() < 0.7 else max(1, event.deaths // 4)
        template = _event_template(event, "{toll}", rng).replace("At least ", "")
        yield _event_splice("number_change", event,
                            Side(str(event.deaths), event.date, template.replace("{toll}", str(event.deaths))),
                            Side(str(wrong), event.date, template.replace("{toll}", str(wrong))))


def _event_splice(kind: str, event: ConflictEvent, true: Side, spliced: Side) -> Splice:
    return Splice(kind, event.id, event.town, event.id, true, spliced, title=f"Deadly fighting in {event.town}",
                  city="Beirut", probe={"passage": event.id})


def quote_swap(facts: Facts, rng: random.Random) -> Iterator[Splice]:
    """A real quote attributed to another real speaker."""
    speakers = sorted({q.speaker for q in facts.quotes})
    for quote in shuffled([q for q in facts.quotes if q.date], rng):
        other = rng.choice(speakers)
        if other.split()[-1] == quote.speaker.split()[-1]:
            continue
        style = rng.randrange(3)
        if style == 0:
            template = f'"{quote.words}," {{who}} said {{when}}.'
        elif style == 1:
            template = f'{{who}} said {{when}}: "{quote.words}"'
        else:
            template = f'"{quote.words}," said {{who}}.'
        day = quote.date or dt.date(2000, 1, 1)
        yield Splice("quote_swap", f"{quote.id}|{quote.speaker}", other, quote.id,
                     Side(quote.speaker, day, template.replace("{who}", quote.speaker)),
                     Side(other, day, template.replace("{who}", other)),
                     title="Officials react", city="London", probe={"passage": quote.id, "quote": quote.words})
