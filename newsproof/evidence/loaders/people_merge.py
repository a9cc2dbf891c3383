"""Merge the records of one person that different KB sources left apart (a bundle-derivation step).

Records are linked when a normalised name, a multi-word alias or the Wikipedia title (from the URL,
disambiguator dropped) agree, nothing contradicts, and something beyond the name agrees.

* Contradictions: birth years more than one apart (exact birth dates more than 31 days), death
  dates differing at their common precision (exact ones by more than 14 days), a birth and a death
  year implying an age outside 0-110, two different Wikipedia titles of which one carries a
  disambiguator ("Jimmy Carter" vs "Jimmy Carter (boxer)"), or two records from a source whose
  records are distinct people by construction (two Bioguide ids, two Pantheon rows, two QIDs...).
* Corroboration: a birth or a death known on both sides, the same Wikipedia title, an occupation
  named in the other's description, or both public figures (office, politician, cleric...). An
  office-holder list entry without dates needs none when one person of that name is known.

Records with more dates are placed first; a record that fits several groups joins the one sharing
its Wikipedia title or, for a public figure, the only public one, else stays apart as a namesake.
Archigos short names ("Carter") join the person with that surname and birth year or office start.
The merged record keeps the id of its most popular member and the Wikipedia title (else that
member's name) as name, lists the other names as aliases, the most precise dates and all sources.

Every person's positions are then cleaned (a less precise duplicate dropped, an open Archigos spell
closed by the dated presidency it matches) and popularity gets a floor by office, so that linking
prefers a president or national leader over a namesake.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote

from newsproof.evidence.loaders.us_terms import cap_at_death
from newsproof.evidence.store_common import merge_entities, normalise_name
from newsproof.models import Entity, Position

# Sources whose distinct records are distinct people (own ids: Bioguide, QID, Pantheon row, list entry).
EXCLUSIVE_SOURCES = frozenset({"pantheon1", "wd_deaths_1990s", "wp_deaths_2020_2025", "wp_deaths_2024",
                               "bioguide", "congress_legislators", "wd_everypolitician", "wd_world_leaders_2021"})
MAX_AGE = 110
_WIKI = "https://en.wikipedia.org/wiki/"
_PAREN = re.compile(r"\s*\([^()]*\)\s*$")
_PUBLIC = re.compile(
    r"\b(politician|president|prime minister|premier|chancellor|minister|senator|congress\w*|representative|"
    r"governor|mayor|leader|king|queen|monarch|emperor|pope|dictator|general|military|diplomat|statesman|"
    r"prelate|cardinal|bishop|archbishop|cleric|imam|ayatollah|patriarch|noble\w*|royal\w*|prince\w*)\b")
_WORD = re.compile(r"[a-z]{4,}")
# Popularity floors by office, so the office-holder outranks namesakes in linking.
_LEADER_TITLE = re.compile(
    r"^(effective national leader|president of (?!the (senate|parliament|assembly|council|national|european|"
    r"general|chamber|house|court|supreme|republic of the)\b)|prime minister of|chancellor of|pope\b|king of|"
    r"queen of|emperor of|supreme leader|head of state|head of government|premier of)", re.IGNORECASE)
POPULARITY_FLOORS: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(r"^President of the United States$"), 0.95),
    (re.compile(r"^Vice President of the United States$"), 0.85),
    (_LEADER_TITLE, 0.8),
    (re.compile(r"^Speaker of the United States House"), 0.45),
    (re.compile(r"^United States Senator from "), 0.3),
    (re.compile(r"^(United States Representative|Delegate|Resident Commissioner) "), 0.2),
)


def wiki_title(url: str | None) -> str | None:
    """The normalised English Wikipedia title of an article URL (disambiguator kept), else None."""
    if not url or not url.startswith(_WIKI):
        return None
    return normalise_name(unquote(url[len(_WIKI):]).replace("_", " ")) + (" ()" if "(" in url else "")


def name_keys(entity: Entity) -> dict[str, bool]:
    """Keys that may link records, each with whether it is a full name: the normalised name,
    multi-word aliases and the Wikipedia title sans disambiguator (full), and the name's first and
    last word when it has more ("LeRoy H. Anderson" -> "leroy anderson", not full)."""
    name = normalise_name(entity.name)
    full = {name} | {k for k in map(normalise_name, entity.aliases) if len(k.split()) > 1}
    if entity.url and entity.url.startswith(_WIKI):
        full.add(normalise_name(_PAREN.sub("", unquote(entity.url[len(_WIKI):]).replace("_", " "))))
    keys = {k: True for k in full if k}
    if len(name.split()) > 2:
        keys.setdefault(f"{name.split()[0]} {name.split()[-1]}", False)
    return keys


def _tags(entity: Entity) -> set[str]:
    return {t for t in entity.source.split(",") if t}


def is_public(entity: Entity) -> bool:
    """Holds or held an office (positions), or is described as a politician, leader, soldier, cleric..."""
    text = " ".join([entity.description or "", *entity.occupations]).lower()
    return bool(entity.positions) or bool(_PUBLIC.search(text))


def _words(*texts: str | None) -> set[str]:
    return set(_WORD.findall(" ".join(t for t in texts if t).lower()))


def _year(date: str) -> int:
    return int(date[:4])


def births_agree(a: str, b: str) -> bool:
    """Birth dates of one person: exact ones within 31 days, else years at most one apart."""
    if len(a) == len(b) == 10:
        return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days) <= 31
    return abs(_year(a) - _year(b)) <= 1


def deaths_agree(a: str, b: str) -> bool:
    """Death dates of one person: exact ones within 14 days, else equal at their common precision."""
    if len(a) == len(b) == 10:
        return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days) <= 14
    n = min(len(a), len(b))
    return a[:n] == b[:n]


@dataclass
class _Group:
    members: list[Entity] = field(default_factory=list)
    births: list[str] = field(default_factory=list)
    deaths: list[str] = field(default_factory=list)
    titles: set[str] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)
    public: bool = False
    jobs: set[str] = field(default_factory=set)
    about: set[str] = field(default_factory=set)

    def add(self, entity: Entity) -> None:
        self.members.append(entity)
        self.births += [entity.birth_date] if entity.birth_date else []
        self.deaths += [entity.death_date] if entity.death_date else []
        title = wiki_title(entity.url)
        self.titles |= {title} if title else set()
        self.tags |= _tags(entity) & EXCLUSIVE_SOURCES
        self.public = self.public or is_public(entity)
        self.jobs |= _words(*entity.occupations)
        self.about |= _words(entity.description, *entity.occupations)

    def accepts(self, entity: Entity, corroborate: bool = True, strict: bool = False) -> bool:
        """True when nothing known about `entity` contradicts this group and (when `corroborate`)
        something beyond the name agrees (see the module docstring and `corroborated`)."""
        if _tags(entity) & self.tags:
            return False
        title = wiki_title(entity.url)
        if title and self.titles and title not in self.titles and (
                title.endswith("()") or any(t.endswith("()") for t in self.titles)):
            return False
        births = self.births + ([entity.birth_date] if entity.birth_date else [])
        deaths = self.deaths + ([entity.death_date] if entity.death_date else [])
        if entity.birth_date and not all(births_agree(entity.birth_date, b) for b in self.births):
            return False
        if entity.death_date and not all(deaths_agree(entity.death_date, d) for d in self.deaths):
            return False
        if not all(0 <= _year(d) - _year(b) <= MAX_AGE for b in births for d in deaths):
            return False
        return not corroborate or self.corroborated(entity, strict)

    def corroborated(self, entity: Entity, strict: bool = False) -> bool:
        """Something beyond the name agrees: a birth or death on both sides, the Wikipedia title,
        an occupation named in the other's description, or both are office-holders/public figures.
        `strict` (names agreeing only in first and last word) wants exact birth dates on both sides."""
        births = bool(entity.birth_date and self.births) and (not strict or (
            len(entity.birth_date or "") == 10 and any(len(b) == 10 for b in self.births)))
        return bool(births or (entity.death_date and self.deaths)
                    or (wiki_title(entity.url) in self.titles)
                    or _words(*entity.occupations) & self.about
                    or self.jobs & _words(entity.description, *entity.occupations)
                    or (self.public and is_public(entity)))


def _order(entity: Entity) -> tuple:
    """Records with more dates first (exact before year-only), then the more popular."""
    return (-len(entity.birth_date or "") - len(entity.death_date or ""), -entity.popularity, entity.id)


def _dateless_office(entity: Entity) -> bool:
    return not entity.birth_date and not entity.death_date and any(p.country for p in entity.positions)


def _choose(groups: list[_Group], entity: Entity) -> _Group | None:
    if len(groups) == 1:
        return groups[0]
    title = wiki_title(entity.url)
    for pick in ([g for g in groups if title and title in g.titles],
                 [g for g in groups if g.public] if is_public(entity) else []):
        if len(pick) == 1:
            return pick[0]
    return None


def group_people(people: Iterable[Entity]) -> list[list[Entity]]:
    """Person records grouped into one list per person (see the module docstring)."""
    groups: list[_Group] = []
    by_key: dict[str, dict[int, bool]] = defaultdict(dict)  # key -> group index -> indexed as a full name
    for entity in sorted(people, key=_order):
        keys = name_keys(entity)
        links: dict[int, bool] = {}  # group index -> linked through a full name on both sides
        for key, full in keys.items():
            for i, group_full in by_key.get(key, {}).items():
                links[i] = links.get(i, False) or (full and group_full)
        seen = sorted(links)
        target = _choose([groups[i] for i in seen if groups[i].accepts(entity, strict=not links[i])], entity)
        if target is None and len(seen) == 1 and _dateless_office(entity) and groups[seen[0]].accepts(entity, False):
            target = groups[seen[0]]  # an office-holder list entry naming the only person of that name
        if target is None:
            target = _Group()
            groups.append(target)
        index = next(i for i in (*seen, len(groups) - 1) if groups[i] is target)
        target.add(entity)
        for key, full in keys.items():
            by_key[key][index] = by_key[key].get(index, False) or full
    _attach_short_names(groups)
    return [g.members for g in groups if g.members]


def _surname_keys(entity: Entity) -> set[str]:
    """Surname + birth year and surname + start month of each dated position."""
    tokens = normalise_name(entity.name).split()
    if not tokens:
        return set()
    keys = {f"{tokens[-1]}|b{entity.birth_date[:4]}"} if entity.birth_date else set()
    return keys | {f"{tokens[-1]}|s{p.start[:7]}" for p in entity.positions if p.start and len(p.start) >= 7}


def _short_name_only(group: _Group) -> bool:
    """Only Archigos records without a Wikipedia link, whose names are Archigos short names ('Carter')."""
    return all(_tags(m) == {"archigos41"} and not wiki_title(m.url) for m in group.members)


def _attach_short_names(groups: list[_Group]) -> None:
    """Fold groups of Archigos short-name records into the one group sharing a surname with a birth year
    or an office start month, when it accepts every record (the short group is emptied)."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, group in enumerate(groups):
        if not _short_name_only(group):
            for key in {k for m in group.members if len(m.name.split()) > 1 for k in _surname_keys(m)}:
                by_key[key].append(i)
    for group in groups:
        if not group.members or not _short_name_only(group):
            continue
        seen = sorted({i for m in group.members for k in _surname_keys(m) for i in by_key.get(k, [])})
        fits = [groups[i] for i in seen if all(groups[i].accepts(m) for m in group.members)]
        target = _choose(fits, group.members[0])
        if target is not None:
            for member in group.members:
                target.add(member)
            group.members = []


def _primary(entity: Entity) -> tuple:
    return (-entity.popularity, not entity.id.startswith("p_"), entity.id)


def combine(members: list[Entity]) -> Entity:
    """One record from a person's records: the most popular one's id and name, gaps filled from the rest."""
    ranked = sorted(members, key=_primary)
    merged = ranked[0]
    for other in ranked[1:]:
        merged = merge_entities(merged, other)
    update: dict[str, object] = {}
    for key in ("birth_date", "death_date"):
        dates = [getattr(m, key) for m in ranked if getattr(m, key)]
        if dates:
            update[key] = max(dates, key=len)
    wiki = [m.url for m in ranked if m.url and m.url.startswith(_WIKI)]
    if wiki and merged.url != wiki[0]:
        update["url"] = wiki[0]
    title = unquote(wiki[0][len(_WIKI):]).replace("_", " ") if wiki else ""
    names = {normalise_name(n) for n in [merged.name, *merged.aliases]}
    if title and "(" not in title and title != merged.name and normalise_name(title) in names:
        update["name"] = title
    name = update.get("name", merged.name)
    aliases = [a for a in dict.fromkeys([merged.name, *merged.aliases]) if a != name]
    if aliases != merged.aliases:
        update["aliases"] = aliases
    return merged.model_copy(update=update) if update else merged


def _countries_agree(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    na, nb = normalise_name(a), normalise_name(b)
    return na.startswith(nb) or nb.startswith(na)


def _finer(q: Position, p: Position) -> bool:
    """q says what p says (same title, p's dates prefixes of q's), more precisely."""
    return (normalise_name(p.title) == normalise_name(q.title) and _countries_agree(p.country, q.country)
            and (q.start or "").startswith(p.start or "") and (p.end is None or (q.end or "").startswith(p.end))
            and len(q.start or "") + len(q.end or "") > len(p.start or "") + len(p.end or ""))


def _close_open_spell(p: Position, others: list[Position]) -> Position:
    """An open Archigos spell ('still in office' in 2015) ends with the dated office that began with it."""
    if p.title != "effective national leader" or p.end is not None or not p.start or len(p.start) != 10:
        return p
    ends = {q.end for q in others if q.end and q.start and len(q.start) == 10 and _LEADER_TITLE.match(q.title)
            and q.title != p.title
            and abs((dt.date.fromisoformat(q.start) - dt.date.fromisoformat(p.start)).days) <= 7}
    return p.model_copy(update={"end": ends.pop()}) if len(ends) == 1 else p


def clean_positions(positions: list[Position]) -> list[Position]:
    """Exact and less precise duplicates dropped, open Archigos spells closed, sorted by start date."""
    unique = list({(p.title, p.org, p.country, p.start, p.end): p for p in positions}.values())
    kept = [p for p in unique if not any(_finer(q, p) for q in unique if q is not p)]
    out = [_close_open_spell(p, kept) for p in kept]
    return sorted(out, key=lambda p: (p.start or "9999", p.title, p.end or ""))


def popularity_floor(entity: Entity) -> float:
    """The popularity an office-holder gets at least (0 for people without such an office)."""
    return max((floor for p in entity.positions for pattern, floor in POPULARITY_FLOORS
                if pattern.match(p.title) and (pattern is not _LEADER_TITLE or p.country)), default=0.0)


def finish(entity: Entity) -> Entity:
    """Positions cleaned (none running past an exact death date) and the popularity floor applied."""
    positions = clean_positions([cap_at_death(p, entity.death_date) for p in entity.positions])
    popularity = max(entity.popularity, popularity_floor(entity))
    return entity.model_copy(update={"positions": positions, "popularity": popularity})


def merge_people(entities: Iterable[Entity]) -> list[Entity]:
    """All entities, with each person's records merged into one and finished; sorted by id."""
    people, others = [], []
    for entity in entities:
        (people if entity.type == "person" else others).append(entity)
    merged = [finish(combine(members)) for members in group_people(people)]
    return sorted([*merged, *others], key=lambda e: e.id)
