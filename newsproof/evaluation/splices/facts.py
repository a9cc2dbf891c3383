"""Real facts the splice generator starts from, read from the shared data folder.

People with exact death dates (and places, causes, ages), exact-date office terms (US presidents
and vice-presidents, Archigos national leaders), dated conflict events (UCDP), quotes with their
speaker from news text, and ordinary news sentences used as filler. Nothing here is hand-typed:
every fact comes from a record in `../shared/data`, and keeps that record's id.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from newsproof.errors import Errors, InputError

TITLED_NAME = re.compile(r"\b(?:President|Senator|Sen\.|Rep\.|Representative|Governor|Gov\.|Premier|Chancellor|"
                         r"Minister|Secretary|King|Queen|Chairman|Mayor|Prime Minister)\s+[A-Z]")
KILLING_CAUSES = ("shot", "airstrike", "assassinat", "stabbed", "bomb", "killed", "murder", "gunshot",
                  "executed", "beheaded", "drone strike", "explosion", "ambush")


@dataclass(frozen=True)
class Person:
    """One person with an exact death date."""

    id: str
    name: str
    death: dt.date
    birth: dt.date | None = None
    birth_year: int | None = None
    death_place: str | None = None
    cause: str | None = None
    description: str | None = None
    prominence: float = 0.0

    @property
    def surname(self) -> str:
        return self.name.split()[-1]

    def age_on(self, day: dt.date) -> int | None:
        """Age in whole years on `day`, when the exact birth date is known."""
        if self.birth is None:
            return None
        return day.year - self.birth.year - ((day.month, day.day) < (self.birth.month, self.birth.day))


@dataclass(frozen=True)
class Term:
    """One spell in an office, with exact dates."""

    person_id: str
    name: str
    title: str  # as written before a name: "President", "Vice President", "Zambian leader"
    office: str  # as written after "the": "president of the United States", "leader of Zambia"
    start: dt.date
    end: dt.date | None
    death: dt.date | None = None
    birth_year: int | None = None


@dataclass(frozen=True)
class ConflictEvent:
    """A dated UCDP event with a death toll and a named place."""

    id: str
    date: dt.date
    place: str
    town: str
    deaths: int
    actors: tuple[str, ...]


@dataclass(frozen=True)
class SpokenQuote:
    """A direct quote from news text and the person who said it."""

    id: str
    words: str
    speaker: str
    date: dt.date | None
    source: str


@dataclass
class Facts:
    """Everything the generator draws from; loaded lazily from `root` (the shared data folder)."""

    root: Path

    def __post_init__(self) -> None:
        if not (self.root / "kb" / "people.jsonl").is_file():
            raise InputError(Errors.E106.format(source=str(self.root / "kb" / "people.jsonl")) +
                             " (the splice benchmark needs the shared data folder; pass --data)", code="E106")

    @cached_property
    def people(self) -> list[Person]:
        """Prominent people with an exact death date, sorted by id."""
        return [p for p in self._dead if p.prominence > 0]

    @cached_property
    def killed(self) -> list[Person]:
        """People whose recorded cause of death is a killing (shot, airstrike, ...), prominent or not."""
        return [p for p in self._dead if p.cause and any(c in p.cause.lower() for c in KILLING_CAUSES)]

    @cached_property
    def _dead(self) -> list[Person]:
        births: dict[str, dt.date] = {}
        for row in read_jsonl(self.root / "kb" / "people_extra.jsonl"):
            if (born := iso_day(row.get("birth_date"))) is not None:
                births[row["id"]] = born
        out = []
        for row in read_jsonl(self.root / "kb" / "people.jsonl"):
            died = iso_day(row.get("death_date")) if row.get("death_date_precision") == "day" else None
            prominence = _prominence(row)
            if died is None or not _plain_name(row["name"]):
                continue
            out.append(Person(
                id=row["id"], name=row["name"], death=died, birth=births.get(row["id"]) or iso_day(row.get("birth_date")),
                birth_year=row.get("birth_year"), death_place=row.get("death_place"),
                cause=row.get("cause_of_death"), description=row.get("description"), prominence=prominence))
        return sorted(out, key=lambda p: p.id)

    @cached_property
    def terms(self) -> list[Term]:
        """Exact-date office terms: US presidents and vice-presidents, Archigos national leaders."""
        deaths: dict[str, set[dt.date]] = {}
        for person in self._dead:
            deaths.setdefault(person.name, set()).add(person.death)
        out = [replace(t, death=_only(deaths.get(t.name))) for t in _us_terms(self.root / "kb" / "us" / "executive.yaml")]
        for row in read_jsonl(self.root / "kb" / "leaders.jsonl"):
            start, end = iso_day(row.get("start")), iso_day(row.get("end"))
            if row.get("source") != "archigos41" or start is None or row.get("country_abbr") == "USA":
                continue
            country = row.get("country")
            if not country or not _plain_name(row["name"]) or len(row["name"].split()) < 2:
                continue
            out.append(Term(person_id=row["archigos_leadid"] or row["id"], name=row["name"],
                            title=f"{_demonym(country)} leader", office=f"leader of {country}", start=start, end=end,
                            death=iso_day(row.get("death_date")) or _only(deaths.get(row["name"]))
                            or (dt.date(row["death_year"], 1, 1) if row.get("death_year") else None),
                            birth_year=row.get("birth_year")))
        return sorted(out, key=lambda t: (t.person_id, t.start))

    @cached_property
    def events(self) -> list[ConflictEvent]:
        """UCDP events dated to the day, with at least 5 deaths and a named town."""
        out = []
        for row in read_jsonl(self.root / "kb" / "conflict_events.jsonl"):
            day = iso_day(row.get("date"))
            deaths = int((row.get("deaths") or {}).get("best") or 0)
            if day is None or row.get("date_precision_code") != 1 or row.get("date_end") or deaths < 5:
                continue
            town = _town(row.get("place") or "")
            if not town:
                continue
            out.append(ConflictEvent(id=row["id"], date=day, place=row["place"], town=town, deaths=deaths,
                                     actors=tuple(row.get("actors") or ())))
        return sorted(out, key=lambda e: e.id)

    @cached_property
    def quotes(self) -> list[SpokenQuote]:
        """Direct quotes with a named speaker from the dated news files."""
        out = []
        news = self.root / "news"
        for name in ("pages_news_excerpts.jsonl", "wikipedia_current_events.jsonl", "reuters21578.jsonl"):
            for row in read_jsonl(news / name):
                text = re.sub(r"\s+", " ", row.get("text") or "")
                for words, speaker in _quoted(text):
                    out.append(SpokenQuote(id=row["id"], words=words, speaker=speaker, date=iso_day(row.get("date")),
                                           source=name.split(".")[0]))
        return out

    @cached_property
    def filler(self) -> list[str]:
        """Ordinary news sentences (Reuters-21578) to wrap a fact in: no quotes, and no office-holder named by
        title ('President Reagan' is true in a 1987 story, not in the 1997 article the filler lands in)."""
        out = []
        for row in read_jsonl(self.root / "news" / "reuters21578.jsonl"):
            text = re.sub(r"\s+", " ", row.get("text") or "")
            for sentence in re.split(r"(?<=[a-z0-9]\.)\s+(?=[A-Z])", text):
                words = sentence.split()
                if 10 <= len(words) <= 28 and sentence.endswith(".") and '"' not in sentence \
                        and sentence[0].isupper() and "Reuter" not in sentence and not sentence.isupper() \
                        and not TITLED_NAME.search(sentence):
                    out.append(sentence)
            if len(out) >= 20_000:
                break
        return out


def read_jsonl(path: Path) -> Iterator[dict]:
    """Records of a JSONL file; E106 (exit 2) when it is missing."""
    if not path.is_file():
        raise InputError(Errors.E106.format(source=str(path)), code="E106")
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _only(days: set[dt.date] | None) -> dt.date | None:
    """The earliest death date recorded for the name: an upper bound on when the person can be
    written about as alive (a namesake's earlier death only makes the generator more careful)."""
    return min(days) if days else None


def iso_day(value: object) -> dt.date | None:
    """A YYYY-MM-DD string as a date; None for anything else."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _prominence(row: dict) -> float:
    """Sitelinks or page views or Pantheon languages, on one rough scale; 0 for obscure people."""
    pop = row.get("popularity") or {}
    sitelinks = row.get("sitelinks") or 0
    views = pop.get("wp_pageviews_60d_after_death") or 0
    langs = pop.get("numlangs") or 0
    score = max(sitelinks / 20, views / 200_000, langs / 20)
    return score if score >= 1.0 else 0.0


def _plain_name(name: str) -> bool:
    """A 'First Last' style name the templates can use (no titles, numbers or brackets)."""
    return bool(re.fullmatch(r"[A-Z][\w'.-]+(?: [A-Z][\w'.-]+){1,3}", name)) and not re.search(r"\d", name)


def _town(place: str) -> str | None:
    """'Teir Maaleh village, Ar Rastan district, Homs Governorate' -> 'Ar Rastan' (the district town)."""
    parts = [p.strip() for p in place.split(",")]
    for part in parts:
        match = re.fullmatch(r"([A-Z][\w' -]+?) (?:town|city|district)", part)
        if match:
            return match.group(1)
    return None


_QUOTE = re.compile(r'"([^"]{30,220}[.,!?])"\s*,?\s*(?:said|says)\s+((?:[A-Z][a-z]+|[A-Z]\.)(?:\s(?:[A-Z]\.|Mc[A-Z][a-z]+|[A-Z][a-z]+)){1,2})'
                    r'(?=[,.])')
NOT_A_PERSON = re.compile(r"\b(?:President|Minister|Chairman|Officer|Director|Secretary|Spokesman|Analyst|Bank|Corp|"
                          r"Inc|Co|Group|Savings|Reserve|Board|Department|Ministry|Association|Exchange|Street)\b")


def _quoted(text: str) -> Iterator[tuple[str, str]]:
    for match in _QUOTE.finditer(text):
        words, speaker = match.group(1).rstrip(","), match.group(2)
        if len(words.split()) >= 6 and not NOT_A_PERSON.search(speaker):
            yield words, speaker


def _us_terms(path: Path) -> Iterator[Term]:
    import yaml

    if not path.is_file():
        raise InputError(Errors.E106.format(source=str(path)), code="E106")
    people = yaml.safe_load(path.read_text(encoding="utf-8"))
    for person in people:
        names = person["name"]
        name = f"{names.get('nickname') or names['first']} {names['last']}"
        born = str(person.get("bio", {}).get("birthday") or "")[:4]
        for term in person.get("terms", []):
            office = "president" if term["type"] == "prez" else "vice president"
            ident = person["id"].get("bioguide") or person["id"].get("icpsr_prez") or name
            yield Term(person_id=f"us_{ident}",
                       name=name, title=office.title(), office=f"{office} of the United States",
                       start=dt.date.fromisoformat(str(term["start"])), end=iso_day(str(term["end"])),
                       birth_year=int(born) if born.isdigit() else None)


def _demonym(country: str) -> str:
    """'Zambia' -> 'Zambia's' is always correct English; demonyms are not needed for clarity."""
    return f"{country}'s" if not country.endswith("s") else f"{country}'"
