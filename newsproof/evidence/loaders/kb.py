"""Loaders for the shared knowledge base: people, leaders, events, conflict events, Wikipedia excerpts."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsproof.evidence.loaders.generic import Record, read_jsonl
from newsproof.evidence.store_common import content_id, normalise_name
from newsproof.models import Entity, Passage, Position

_DATE = re.compile(r"\d{4}(?:-\d{2}(?!\d))?(?:-\d{2}(?!\d))?")
_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_MONTH_YEAR = re.compile(r"\b([A-Za-z]{3})[a-z]*\.?\s+(\d{4})\b")
_PAREN = re.compile(r"\s*\(([^()]*)\)\s*$")
_ORG_WORD = re.compile(r"^(?:[A-Z0-9][\w'’.-]*|al-\w+|al|of|the|and|for|de|el)$")


def enwiki_url(title: str | None) -> str | None:
    """English Wikipedia URL for an article title."""
    return f"https://en.wikipedia.org/wiki/{title.replace(' ', '_')}" if title else None


def _dates_in(text: str) -> list[str]:
    found = _DATE.findall(text)
    for month, year in _MONTH_YEAR.findall(text):
        if month.lower()[:3] in _MONTHS and year in found:
            found[found.index(year)] = f"{year}-{_MONTHS[month.lower()[:3]]:02d}"
    return found


def parse_position(value: str | dict[str, Any]) -> Position:
    """A Position from a source dict, or from text like 'Commander of X (1998-2020)' / '(from Feb 2020)'."""
    if isinstance(value, dict):
        return Position(title=value.get("title") or "office holder", org=value.get("org"),
                        country=value.get("country"), start=_s(value.get("start")), end=_s(value.get("end")))
    match = _PAREN.search(value)
    if not match:
        return Position(title=value.strip())
    title, span = value[: match.start()].strip(), match.group(1)
    dates = _dates_in(span)
    if span.strip().lower().startswith(("from", "since")):
        return Position(title=title, start=dates[0] if dates else None)
    return Position(title=title, start=dates[0] if dates else None, end=dates[1] if len(dates) > 1 else None)


def _s(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def popularity(row: dict[str, Any]) -> float:
    """0..1 prominence from Pantheon HPI, language editions, page views after death, Wikidata sitelinks."""
    pop = row.get("popularity") or {}
    parts = [
        (pop.get("pantheon_hpi") or 0) / 100,
        (pop.get("numlangs") or 0) / 100,
        math.log10(1 + (pop.get("wp_pageviews_60d_after_death") or 0)) / 7,
        math.log10(1 + (row.get("sitelinks") or 0)) / 2.5,
    ]
    bonus = 0.3 if "pages_curated" in (row.get("sources") or []) else 0.0
    return round(min(1.0, max(parts) + bonus), 4)


def person_from_row(row: dict[str, Any]) -> Entity:
    """An Entity from a people.jsonl / people_extra.jsonl row."""
    return Entity(
        id=row["id"], name=row["name"], type="person", aliases=[a for a in row.get("aliases") or [] if a],
        description=row.get("description"),
        birth_date=row.get("birth_date") or _s(row.get("birth_year")),
        death_date=row.get("death_date") or _s(row.get("death_year_only")),
        birth_place=row.get("birth_place"), death_place=row.get("death_place"),
        cause_of_death=row.get("cause_of_death"), manner_of_death=row.get("manner_of_death"),
        killed_by=row.get("killed_by"), occupations=row.get("occupations") or [],
        positions=[parse_position(p) for p in row.get("positions") or []], country=row.get("country"),
        popularity=popularity(row), source=",".join(row.get("sources") or []),
        url=enwiki_url(row.get("enwiki_title")) or next(iter(row.get("evidence_urls") or []), None)
        or (f"https://en.wikipedia.org/?curid={row['enwiki_curid']}" if row.get("enwiki_curid") else None))


_PANTHEON_FIELDS = ("name", "birth_year", "occupations", "country", "pantheon_category", "enwiki_curid")
_PANTHEON_POPULARITY = ("pantheon_hpi", "numlangs")
_WORDS = re.compile(r"[a-z]{4,}")
# Coarse domains of a deaths-list description, and of a Pantheon "industry / domain".
_DOMAIN_WORDS = {
    "sports": r"foot\w*|soccer|rugby|cricketer|baseball|basketball|hockey|boxer|wrestler|athlete|sports\w*|"
              r"skydiver|chess|golfer|tennis|cyclist|swimmer|jockey|racing driver|olympian",
    "music": r"singer\w*|musician|drummer|guitarist|composer|rapper|keyboardist|pianist|songwriter|"
             r"record producer|bassist|vocalist|violinist|conductor",
    "film": r"actor|actress|film director|filmmaker|comedian|screenwriter|television",
    "politics": r"politician|president|prime minister|minister|diplomat|general|military|officer|royal|monarch|"
                r"king|queen|prince|princess|militant|activist",
    "religion": r"priest|prelate|bishop|cleric|theologian|pope|cardinal|imam|rabbi",
    "visual": r"photographer|painter|sculptor|illustrator|cartoonist",
}
_DOMAIN_RES = {d: re.compile(rf"\b(?:{words})\b") for d, words in _DOMAIN_WORDS.items()}
_SYNONYMS = {"singer": ("musician",), "musician": ("singer",), "actor": ("actress",), "soccer": ("footballer",)}
_PANTHEON_DOMAINS = {
    "team sports / sports": "sports", "individual sports / sports": "sports", "music / arts": "music",
    "film and theatre / arts": "film", "government / institutions": "politics", "military / institutions": "politics",
    "religion / institutions": "religion", "fine arts / arts": "visual",
}


def _glued_namesakes(row: dict[str, Any]) -> bool:
    """True when a merged Pantheon + deaths-list row evidently joins two people (see split_namesake_row)."""
    sources = row.get("sources") or []
    if "pantheon1" not in sources:
        return False
    domain = _PANTHEON_DOMAINS.get(row.get("pantheon_category") or "")
    if "wd_deaths_1990s" in sources:
        match = _PAREN.search(row.get("enwiki_title") or "")
        if not match:
            return False
        known_text = " ".join([*(row.get("occupations") or []), row.get("pantheon_category") or ""])
        known = set(_WORDS.findall(known_text.lower()))
        known |= {syn for word in known for syn in _SYNONYMS.get(word, ())}
        return not set(_WORDS.findall(match.group(1).lower())) & known
    if not any(s.startswith("wp_deaths") for s in sources):
        return False
    age, born, died = row.get("age_at_death"), row.get("birth_year"), row.get("death_date")
    if age is not None and born and died and abs(int(died[:4]) - int(born) - int(age)) > 1:
        return True
    found = _domains(row.get("description") or "")
    return bool(domain and found and domain not in found)


def _domains(text: str) -> set[str]:
    return {d for d, pattern in _DOMAIN_RES.items() if pattern.search(text.lower())}


def split_namesake_row(row: dict[str, Any]) -> list[dict[str, Any]]:
    """A people.jsonl row that glued a Pantheon person to a namesake's death, split in two.

    The shared merge matched Pantheon (no death dates) to deaths lists by name and a plausible age,
    so Jimmy Carter the president (born 1924) took the boxer's 1994 death. Two people are assumed
    when the Wikidata title carries a disambiguator sharing no word with the Pantheon occupation or
    domain ("Jimmy Carter (boxer)"), or when a deaths-list entry states an age the Pantheon birth
    year contradicts, or describes another domain (a footballer for a Pantheon musician). The
    Pantheon part gets the id people.jsonl gives Pantheon-only rows (sha1 of 'normname|'); the
    death keeps the row's id.
    """
    if not _glued_namesakes(row):
        return [row]
    pop = row.get("popularity") or {}
    pantheon = {k: row.get(k) for k in _PANTHEON_FIELDS} | {
        "id": "p_" + hashlib.sha1(f"{normalise_name(row['name'])}|".encode()).hexdigest()[:12],
        "sources": ["pantheon1"], "popularity": {k: pop[k] for k in _PANTHEON_POPULARITY if k in pop}}
    death = {k: v for k, v in row.items() if k not in _PANTHEON_FIELDS or k == "name"} | {
        "sources": [s for s in row["sources"] if s != "pantheon1"],
        "popularity": {k: v for k, v in pop.items() if k not in _PANTHEON_POPULARITY}}
    return [pantheon, death]


def load_people(path: Path) -> Iterator[Record]:
    """people.jsonl and people_extra.jsonl: same-id rows merge in the store (fields filled, positions added)."""
    for row in read_jsonl(path):
        for part in split_namesake_row(row):
            yield person_from_row(part)


def _people_index(kb_dir: Path) -> dict[str, str]:
    """qid / enwiki title / unique normalised name -> person id, from the people files beside leaders.jsonl."""
    index: dict[str, str] = {}
    name_ids: dict[str, set[str]] = {}
    for name in ("people.jsonl", "people_extra.jsonl"):
        if not (kb_dir / name).is_file():
            continue
        for row in read_jsonl(kb_dir / name):
            for key in (row.get("qid"), row.get("enwiki_title") and "t:" + row["enwiki_title"]):
                if key:
                    index.setdefault(key, row["id"])
            name_ids.setdefault(normalise_name(row["name"]), set()).add(row["id"])
    index.update({"n:" + n: next(iter(ids)) for n, ids in name_ids.items() if len(ids) == 1})
    return index


def load_leaders(path: Path) -> Iterator[Record]:
    """leaders.jsonl spells -> a Position on the matching person (by QID, enwiki title, unique name) or own entity."""
    index = _people_index(path.parent)
    for row in read_jsonl(path):
        qid, title = row.get("qid"), row.get("enwiki_title")
        pid = (index.get(qid or "") or index.get("t:" + (title or "")) or index.get("n:" + normalise_name(row["name"])))
        if pid is None:
            pid = "p_" + hashlib.sha1(qid.encode()).hexdigest()[:12] if qid else content_id(
                "ld", row.get("archigos_leadid") or normalise_name(row["name"]))
        role = row.get("role") or "leader"
        yield Entity(
            id=pid, name=row["name"], type="person",
            aliases=[a for a in [row.get("archigos_name")] if a and a != row["name"]],
            birth_date=row.get("birth_date") or _s(row.get("birth_year")),
            death_date=row.get("death_date") or _s(row.get("death_year")),
            positions=[Position(title=role.split(" (")[0], country=row.get("country"), start=_s(row.get("start")),
                                end=_s(row.get("end")))],
            occupations=["politician"], source=row.get("source") or "leaders", url=enwiki_url(title))


def org_entity(name: str, *, aliases: list[str] | None = None, description: str | None = None,
               inception: str | None = None, source: str = "", url: str | None = None) -> Entity:
    """An organisation entity whose id derives from its normalised name (so sources merge)."""
    return Entity(id=content_id("org", normalise_name(name)), name=name, type="organization",
                  aliases=aliases or [], description=description, inception=inception, source=source, url=url)


def actor_names(actor: str) -> list[str]:
    """Organisation-like names in an actor string: parentheses dropped, '/'-split, capitalised words only."""
    out = []
    for part in re.sub(r"\([^)]*\)", "", actor).split("/"):
        words = part.split()
        if words and len(words) <= 6 and all(_ORG_WORD.match(w) for w in words):
            out.append(" ".join(words))
    return out


def load_events(path: Path) -> Iterator[Record]:
    """events.jsonl: an event Entity (inception = event date) and a kb passage each, plus actor organisations."""
    for row in read_jsonl(path):
        actors = row.get("actors") or []
        killed = row.get("killed") or []
        parts = [f"{row['name']}.", f"Date: {row.get('date')}.", row.get("place") and f"Place: {row['place']}.",
                 row.get("type") and f"What: {row['type']}.", actors and f"Actors: {'; '.join(actors)}.",
                 killed and f"Killed: {'; '.join(killed)}.", row.get("victims") and f"Victims: {row['victims']}.",
                 row.get("time_note") and f"Note: {row['time_note']}.", row.get("date_note") and f"Note: {row['date_note']}."]
        text = " ".join(p for p in parts if p)
        url = next(iter(row.get("evidence") or []), None)
        yield Entity(id=row["id"], name=row["name"], type="event", aliases=row.get("aliases") or [],
                     description=text, inception=row.get("date"), source=row.get("source") or "events", url=url)
        yield Passage(id=row["id"] + "-kb", text=text, title=row["name"], source=row.get("source") or "events",
                      url=url, date=row.get("date"), kind="kb")
        for actor in actors:
            for name in actor_names(actor):
                yield org_entity(name, source="events", description=f"Actor in: {row['name']} ({row.get('date')})")


def load_conflict_events(path: Path) -> Iterator[Record]:
    """conflict_events.jsonl (UCDP GED): one dated passage per event, plus each armed actor once."""
    seen: set[str] = set()
    for row in read_jsonl(path):
        deaths = row.get("deaths") or {}
        actors = " vs ".join(a for a in (row.get("side_a"), row.get("side_b")) if a)
        date = row["date"] + (f" to {row['date_end']}" if row.get("date_end") else "")
        text = (f"{row.get('description') or row.get('dyad_name') or 'Conflict event'}. {date}, {row.get('place')}, "
                f"{row.get('country')}. Actors: {actors}. Deaths (best estimate): {deaths.get('best', 'unknown')}"
                f"{', civilians: ' + str(deaths['civilians']) if deaths.get('civilians') else ''}. "
                f"Type: {row.get('type_of_violence')}.")
        yield Passage(id=row["id"], text=text, title=row.get("dyad_name"), source=row.get("source") or "ucdp_ged",
                      url=f"https://ucdp.uu.se/event/{row['ucdp_id']}" if row.get("ucdp_id") else None,
                      date=row["date"], kind="kb")
        for side in (row.get("side_a"), row.get("side_b")):
            if side and side not in seen:
                seen.add(side)
                yield org_entity(side, source=row.get("source") or "ucdp_ged",
                                 description=f"Armed actor in UCDP GED events ({row.get('conflict_name')})")


_ORG_INFOBOX_KEYS = ("active", "dates_of_operation", "founded", "formation")
_TITLE_SUFFIX = re.compile(r"\s*\((?:older revision|[^)]*Wikipedia[^)]*)\)$|,\s*lead section$")
_LEAD_ALIASES = re.compile(r"^[^(]{0,120}\(([^)]*)\)")


def _inception(text: str) -> str | None:
    dates = _dates_in(text)
    return dates[0] if dates else None


def load_wikipedia(path: Path) -> Iterator[Record]:
    """Wikipedia excerpts -> one encyclopedia passage per paragraph; organisation infoboxes -> entities."""
    for row in read_jsonl(path):
        title = _TITLE_SUFFIX.sub("", row.get("title") or "").strip() or None
        url = row.get("url")
        for i, para in enumerate(p.strip() for p in (row.get("text") or "").split("\n")):
            if para:
                yield Passage(id=f"{row['id']}-{i}", text=para, title=row.get("title"),
                              source=row.get("source") or "wikipedia", url=url, kind="encyclopedia")
        box = row.get("infobox") or {}
        key = next((k for k in _ORG_INFOBOX_KEYS if box.get(k)), None)
        if title and key:
            lead = _LEAD_ALIASES.match(row.get("text") or "")
            aliases = [box[k] for k in ("other_name",) if box.get(k)]
            if lead:
                aliases += [a.strip() for a in re.split(r";|\bor\b|,", lead.group(1)) if a.strip() and a.strip().isascii()
                            and ":" not in a and not a.strip().startswith("lit") and len(a.strip()) < 40]
            facts = "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in box.items() if isinstance(v, str))
            yield org_entity(title, aliases=aliases, description=facts, inception=_inception(box[key]),
                             source="wikipedia", url=row.get("mirror_of") or url)
