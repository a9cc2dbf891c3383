"""Splices of offices held at a date: a title used outside its term, and "former" used in office."""

from __future__ import annotations

import datetime as dt
import random
import zlib
from collections import defaultdict
from collections.abc import Iterator

from newsproof.evaluation.splices.cases import Side, Splice
from newsproof.evaluation.splices.facts import Facts, Term
from newsproof.evaluation.splices.people import CITIES, shuffled

VERBS = ("told reporters {when} that the talks had been productive",
         "met the visiting foreign minister {when}",
         "signed a new security agreement {when}",
         "visited flood-hit areas {when}",
         "said {when} that the government would cut fuel taxes",
         "addressed a summit in {city} {when}")


def _holds(terms: list[Term], day: dt.date) -> bool:
    return any(t.start <= day and (t.end is None or day < t.end) for t in terms)


def _alive_adult(term: Term, day: dt.date) -> bool:
    if term.death is not None and day >= term.death:
        return False
    return term.birth_year is None or day.year - term.birth_year >= 30


def _by_office(facts: Facts) -> dict[tuple[str, str], list[Term]]:
    grouped: dict[tuple[str, str], list[Term]] = defaultdict(list)
    for term in facts.terms:
        grouped[(term.name, term.office)].append(term)
    return grouped


def _in_term(term: Term, rng: random.Random) -> dt.date | None:
    end = term.end or dt.date(2025, 6, 30)
    days = (end - term.start).days
    return term.start + dt.timedelta(days=rng.randint(30, days - 30)) if days > 90 else None


def _sentence(title: str, term: Term, rng: random.Random) -> str:
    verb = rng.choice(VERBS).replace("{city}", rng.choice(CITIES))
    if rng.random() < 0.6:
        return f"{title} {term.name} {verb}."
    office = term.office if title[:1].isupper() and not title.lower().startswith("former") else f"former {term.office}"
    return f"{term.name}, the {office}, {verb}."


def office_out_of_term(facts: Facts, rng: random.Random) -> Iterator[Splice]:
    """A current title at a date before the term began or after it ended."""
    grouped = _by_office(facts)
    for term in shuffled(facts.terms, rng):
        spells = grouped[(term.name, term.office)]
        inside = _in_term(term, rng)
        if rng.random() < 0.5:
            outside = term.start - dt.timedelta(days=rng.randint(200, 1500))
        elif term.end is not None:
            outside = term.end + dt.timedelta(days=rng.randint(200, 1500))
        else:
            continue
        if inside is None or _holds(spells, outside) or not _alive_adult(term, outside) \
                or outside > dt.date(2025, 12, 31):
            continue
        template = _sentence(term.title, term, rng)
        yield _office_splice("office_out_of_term", term, Side(inside.isoformat(), inside, template),
                             Side(outside.isoformat(), outside, template))


def former_misuse(facts: Facts, rng: random.Random) -> Iterator[Splice]:
    """'Former <title>' at a date inside the term; the control says 'former' after it ended."""
    grouped = _by_office(facts)
    for term in shuffled([t for t in facts.terms if t.end is not None], rng):
        spells = grouped[(term.name, term.office)]
        inside = _in_term(term, rng)
        after = (term.end or term.start) + dt.timedelta(days=rng.randint(200, 1500))
        if inside is None or _holds(spells, after) or not _alive_adult(term, after) or after > dt.date(2025, 12, 31):
            continue
        title = "former " + (term.title if term.title[:1].isupper() and "'" not in term.title else term.office)
        template = _sentence(title, term, rng)
        yield _office_splice("former_misuse", term, Side(after.isoformat(), after, template),
                             Side(inside.isoformat(), inside, template))


def _office_splice(kind: str, term: Term, true: Side, spliced: Side) -> Splice:
    return Splice(kind, term.person_id, term.name, term.person_id, true, spliced,
                  title=f"{term.name} speaks on policy", city=CITIES[zlib.crc32(term.name.encode()) % len(CITIES)],
                  background=[],
                  probe={"name": term.name, "office": term.office, "start": term.start.isoformat(),
                         "end": term.end.isoformat() if term.end else ""})
