"""Splices of facts about people's lives: death date, death place, acting after death, the victim of
a killing, age at death."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from newsproof.evaluation.splices.cases import Side, Splice
from newsproof.evaluation.splices.facts import Facts, Person
from newsproof.evaluation.splices.places import PlacePicker

ATTRIBUTIONS = ("a family spokesperson said", "local media reported", "officials said",
                "according to a statement from the family", "the news agency reported")
REPORTED_THAT = ("Officials said", "Local media reported", "The family said", "The news agency reported")
ACTIONS = ("told reporters {when} that talks would continue", "met foreign ministers in {city} {when}",
           "signed an agreement on regional trade {when}", "visited a hospital in {city} {when}",
           "attended a ceremony in {city} {when}", "said in a statement {when} that the plan would go ahead")
CITIES = ("London", "Paris", "Geneva", "Cairo", "Nairobi", "New Delhi", "Tokyo", "Berlin")


def shift_date(day: dt.date, rng: random.Random) -> dt.date:
    """The date moved by a day, a month or a year, either way."""
    sign = rng.choice((-1, 1))
    unit = rng.choice(("day", "month", "year"))
    if unit == "day":
        return day + dt.timedelta(days=sign)
    if unit == "year":
        return safe_date(day.year + sign, day.month, day.day)
    month = day.month + sign
    return safe_date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, day.day)


def safe_date(year: int, month: int, day: int) -> dt.date:
    """The date, with the day clipped to the month's length."""
    while True:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1


def subject(person: Person, rng: random.Random) -> str:
    """The person as a sentence opens on them: the name, or the name with an apposition."""
    desc = person.description
    if desc and len(desc) < 60 and rng.random() < 0.5:
        return f"{person.name}, {a_or_an(desc)},"
    return person.name


def background(person: Person) -> list[str]:
    """A true sentence referring back to the person by surname."""
    if person.description and len(person.description) < 80:
        return [f"{person.surname} was known as {a_or_an(person.description)}."]
    return []


def a_or_an(text: str) -> str:
    """'an American actor', 'a singer'."""
    return ("an " if text[:1].lower() in "aeiou" else "a ") + text


def _death_template(who: str, place: str | None, rng: random.Random, verb: str = "died") -> str:
    where = f" in {place}" if place else ""
    style = rng.randrange(4)
    if style == 0:
        return f"{who} {verb} {{when}}{where}, {rng.choice(ATTRIBUTIONS)}."
    if style == 1:
        return f"{who} {verb}{where} {{when}}."
    if style == 2:
        return f"{who} {verb}{where} {{when}} after a long illness, {rng.choice(ATTRIBUTIONS)}."
    return f"{rng.choice(REPORTED_THAT)} that {who.rstrip(',')} had {verb} {{when}}{where}."


def _splice(kind: str, person: Person, entity: str, true: Side, spliced: Side, rng: random.Random,
            **probe: str) -> Splice:
    return Splice(kind, person.id, entity, person.id, true, spliced, title=f"{person.name} dies",
                  city=person.death_place or rng.choice(CITIES), background=background(person),
                  probe={"name": entity, **probe})


def death_date(facts: Facts, rng: random.Random) -> Iterator[Splice]:
    """The death date moved by a day, a month or a year."""
    for person in shuffled(facts.people, rng):
        place = person.death_place if rng.random() < 0.4 else None
        template = _death_template(subject(person, rng), place, rng)
        claimed = shift_date(person.death, rng)
        yield _splice("death_date", person, person.name,
                      Side(person.death.isoformat(), person.death, template),
                      Side(claimed.isoformat(), claimed, template), rng, death=person.death.isoformat())


def death_place(facts: Facts, rng: random.Random) -> Iterator[Splice]:
    """The place of death swapped for another real place, in the same country where one is known."""
    picker = PlacePicker([p.death_place for p in facts.people if p.death_place])
    for person in shuffled([p for p in facts.people if p.death_place], rng):
        other = picker.other(person.death_place or "", rng)
        if other is None:
            continue
        who = subject(person, rng)
        true = _death_template(who, person.death_place, rng)
        yield _splice("death_place", person, person.name,
                      Side(person.death_place or "", person.death, true),
                      Side(other, person.death, true.replace(f" in {person.death_place}", f" in {other}")), rng,
                      death=person.death.isoformat(), death_place=person.death_place or "")


def posthumous_action(facts: Facts, rng: random.Random) -> Iterator[Splice]:
    """A dead person acting months or years after their death; the control acts while alive."""
    for person in shuffled([p for p in facts.people if p.birth_year], rng):
        after = person.death + dt.timedelta(days=rng.randint(60, 900))
        before = person.death - dt.timedelta(days=rng.randint(365, 1800))
        if before.year - (person.birth_year or before.year) < 30 or after > dt.date(2025, 12, 31):
            continue
        action = rng.choice(ACTIONS).replace("{city}", rng.choice(CITIES))
        template = f"{subject(person, rng)} {action}."
        yield Splice("posthumous_action", person.id, person.name, person.id,
                     Side(before.isoformat(), before, template), Side(after.isoformat(), after, template),
                     title=f"{person.name} in talks", city=rng.choice(CITIES), background=background(person),
                     probe={"name": person.name, "death": person.death.isoformat()})


def victim_swap(facts: Facts, rng: random.Random) -> Iterator[Splice]:
    """The victim of a real killing swapped for another real person who died on another date."""
    killed = facts.killed
    others = [p for p in facts.people if p.birth_year]
    for victim in shuffled(killed, rng):
        other = rng.choice(others)
        if abs((other.death - victim.death).days) < 60 or other.name == victim.name:
            continue
        verb = "was shot dead" if "shot" in (victim.cause or "") else "was killed in an attack"
        place = f" in {victim.death_place}" if victim.death_place else ""
        template = "{who} " + verb + place + " {when}, " + rng.choice(ATTRIBUTIONS) + "."
        true = Side(victim.name, victim.death, template.replace("{who}", victim.name))
        spliced = Side(other.name, victim.death, template.replace("{who}", other.name))
        yield Splice("victim_swap", f"{victim.id}|{other.id}", other.name, victim.id, true, spliced,
                     title="Deadly attack", city=victim.death_place or rng.choice(CITIES),
                     probe={"name": other.name, "death": other.death.isoformat()})


def age_change(facts: Facts, rng: random.Random) -> Iterator[Splice]:
    """The age at death changed by one to five years."""
    for person in shuffled([p for p in facts.people if p.birth], rng):
        age = person.age_on(person.death)
        if age is None or age < 20:
            continue
        wrong = age + rng.choice((-1, 1)) * rng.randint(1, 5)
        who = subject(person, rng)
        template = rng.choice(("{who} died {when} at the age of {age}, " + rng.choice(ATTRIBUTIONS) + ".",
                               "{who} died {when}. " + person.surname + " was {age}."))
        yield Splice("number_change", person.id, person.name, person.id,
                     Side(str(age), person.death, template.replace("{who}", who).replace("{age}", str(age))),
                     Side(str(wrong), person.death, template.replace("{who}", who).replace("{age}", str(wrong))),
                     title=f"{person.name} dies", city=person.death_place or rng.choice(CITIES),
                     background=background(person),
                     probe={"name": person.name, "death": person.death.isoformat(),
                            "birth": person.birth.isoformat() if person.birth else ""})


def shuffled(items: list, rng: random.Random) -> list:
    """A shuffled copy."""
    out = list(items)
    rng.shuffle(out)
    return out
