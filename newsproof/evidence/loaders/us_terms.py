"""US presidents, vice-presidents and members of Congress with exact-date terms (shared `kb/us/`).

Three files feed one person per Bioguide id (or per Wikidata QID when a YAML file gives one, so
the id equals the one `people.jsonl` derives from that QID):

* `executive.yaml` (congress-legislators): presidents and vice-presidents, exact term dates.
* `legislators-current.yaml` (congress-legislators): sitting members with every term, exact dates.
* `bioguide_people.csv.gz` + `bioguide_positions.csv.gz` (Congressional Biographical Directory):
  everyone who served in Congress, with birth/death dates and one position row per Congress. The
  long profile text is not kept. Presidents/vice-presidents come from `executive.yaml`, and the
  terms of members in `legislators-current.yaml` from there (exact dates), not from these rows.

Consecutive terms of one office merge into one spell. An end date later than the newest term start
in a YAML file is a scheduled end (the term was running when the file was made), so it becomes None.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from newsproof.evidence.loaders.generic import Record, open_text
from newsproof.models import Entity, Position

US = "United States"
PRESIDENT = "President of the United States"
VICE_PRESIDENT = "Vice President of the United States"
SPEAKER = "Speaker of the United States House of Representatives"
SOURCE_CL, SOURCE_BIOGUIDE = "congress_legislators", "bioguide"
STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho",
    "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
    "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia",
    "WI": "Wisconsin", "WY": "Wyoming", "DC": "the District of Columbia", "PR": "Puerto Rico", "GU": "Guam",
    "VI": "the Virgin Islands", "AS": "American Samoa", "MP": "the Northern Mariana Islands",
    "PI": "the Philippine Islands", "DK": "Dakota Territory", "OL": "the Territory of Orleans",
}
# Bioguide job -> title template; other jobs (party whips, leaders, justices) are left out.
_JOBS = {
    "Senator": "United States Senator from {state}",
    "Representative": "United States Representative from {state}",
    "Delegate": "Delegate to the United States House of Representatives from {state}",
    "Resident Commissioner": "Resident Commissioner to the United States House of Representatives from {state}",
}
_SPEAKER_JOB = "Speaker Of The House"
_YAML_TYPES = {"prez": PRESIDENT, "viceprez": VICE_PRESIDENT, "sen": _JOBS["Senator"],
               "rep": _JOBS["Representative"]}
_MERGE_GAP_DAYS = 7


def congress_start(n: int) -> str:
    """First day of the n-th Congress: 4 March 1789 + 2(n-1) years; 3 January from the 74th (1935) on."""
    year = 1789 + 2 * (n - 1)
    return f"{year}-03-04" if n <= 73 else f"{year}-01-03"


def person_id(qid: str | None, bioguide: str | None, govtrack: object = None) -> str:
    """`p_` + 12 hex of sha1(QID) (as people.jsonl derives it), else of 'bioguide:<id>' or 'govtrack:<id>'."""
    key = qid or (f"bioguide:{bioguide}" if bioguide else f"govtrack:{govtrack}")
    return "p_" + hashlib.sha1(key.encode()).hexdigest()[:12]


def _days(a: str, b: str) -> int:
    return (dt.date.fromisoformat(b[:10]) - dt.date.fromisoformat(a[:10])).days


def merge_spells(spells: Iterable[Position]) -> list[Position]:
    """Join spells of one title and country where one starts within a week of the previous one's end."""
    out: list[Position] = []
    for spell in sorted(spells, key=lambda p: (p.title, p.start or "")):
        last = out[-1] if out else None
        if (last is not None and last.title == spell.title and last.end and spell.start
                and len(last.end) == len(spell.start) == 10 and 0 <= _days(last.end, spell.start) <= _MERGE_GAP_DAYS):
            out[-1] = last.model_copy(update={"end": spell.end if spell.end is None or spell.end > last.end
                                                     else last.end})
        else:
            out.append(spell)
    return sorted(out, key=lambda p: (p.start or "", p.title))


def _load_yaml(path: Path) -> list[dict[str, Any]]:
    try:
        import yaml
    except ImportError as exc:  # pragma: no cover - pyyaml comes with the test/torch extras
        raise ImportError("reading kb/us/*.yaml needs PyYAML: pip install pyyaml") from exc
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or []


@cache
def _yaml_people(path: Path) -> tuple[dict[str, Any], ...]:
    return tuple(_load_yaml(path))


def _names(name: dict[str, Any], wikipedia: str | None, initials_first: bool = False) -> tuple[str, list[str]]:
    """Display name (Wikipedia title, else nickname/first + last, or first + initials + last when
    `initials_first`, for namesakes like the two George Bushes) and aliases (full, initials, official)."""
    wikipedia = re.sub(r"\s*\([^()]*\)$", "", wikipedia) if wikipedia else None  # "Adam Smith (Washington politician)"
    first, last = name.get("first", ""), name.get("last", "")
    middle, nick, suffix = name.get("middle"), name.get("nickname"), name.get("suffix")
    initials = " ".join(f"{w[0]}." for w in (middle or "").replace(".", " ").split())
    candidates = [
        wikipedia, f"{nick} {last}" if nick else None, f"{first} {last}", initials and f"{first} {initials} {last}",
        middle and f"{first} {middle} {last}", suffix and f"{first} {middle + ' ' if middle else ''}{last} {suffix}",
        name.get("official_full"),
    ]
    if initials_first and initials and not wikipedia:
        candidates.insert(0, f"{first} {initials} {last}")
    names = list(dict.fromkeys(" ".join(c.split()) for c in candidates if c))
    return names[0], names[1:]


def _yaml_cutoff(people: Iterable[dict[str, Any]]) -> str:
    return max((t["start"] for p in people for t in p.get("terms") or []), default="9999")


def _yaml_entity(person: dict[str, Any], cutoff: str, qids: dict[str, str], namesakes: set[str]) -> Entity:
    ids = person.get("id") or {}
    bioguide = ids.get("bioguide")
    pid = person_id(ids.get("wikidata") or qids.get(bioguide or ""), bioguide, ids.get("govtrack"))
    name, aliases = _names(person.get("name") or {}, ids.get("wikipedia"))
    if name in namesakes:
        name, aliases = _names(person.get("name") or {}, ids.get("wikipedia"), initials_first=True)
    spells = []
    for term in person.get("terms") or []:
        title = _YAML_TYPES.get(term.get("type", ""))
        if title is None:
            continue
        end = str(term["end"]) if term.get("end") and str(term["end"]) <= cutoff else None
        spells.append(Position(title=title.format(state=STATES.get(term.get("state", ""), term.get("state"))),
                               country=US, start=str(term["start"]), end=end))
    wikipedia = ids.get("wikipedia")
    return Entity(id=pid, name=name, type="person", aliases=aliases,
                  birth_date=_s((person.get("bio") or {}).get("birthday")), occupations=["politician"],
                  positions=merge_spells(spells), country=US, source=SOURCE_CL,
                  url=f"https://en.wikipedia.org/wiki/{wikipedia.replace(' ', '_')}" if wikipedia else None)


def _s(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def load_us_yaml(path: Path) -> Iterator[Record]:
    """executive.yaml / legislators-current.yaml -> one person each, with merged dated spells."""
    people = _yaml_people(path)
    cutoff = _yaml_cutoff(people)
    qids, _ = _yaml_index(path.parent)
    names = Counter(_names(p.get("name") or {}, (p.get("id") or {}).get("wikipedia"))[0] for p in people)
    namesakes = {n for n, count in names.items() if count > 1}
    for person in people:
        yield _yaml_entity(person, cutoff, qids, namesakes)


def _yaml_index(folder: Path) -> tuple[dict[str, str], set[str]]:
    """Bioguide id -> QID from the YAML files beside the Bioguide CSVs, and the ids of sitting members."""
    qids: dict[str, str] = {}
    current: set[str] = set()
    for name in ("executive.yaml", "legislators-current.yaml"):
        if not (folder / name).is_file():
            continue
        for person in _yaml_people(folder / name):
            ids = person.get("id") or {}
            if ids.get("bioguide") and ids.get("wikidata"):
                qids[ids["bioguide"]] = ids["wikidata"]
            if ids.get("bioguide") and name.startswith("legislators"):
                current.add(ids["bioguide"])
    return qids, current


def bioguide_spells(rows: Iterable[dict[str, str]], *, terms: bool = True) -> list[Position]:
    """One person's Bioguide rows (one per office and Congress) -> spells over consecutive Congresses.

    A spell starts at the first row's own start date, else the start of its Congress, and ends at
    the last row's own end date, else the start of the next Congress. A row with its own end date
    (resigned, died, appointed elsewhere) closes the spell. Speaker rows count too; `terms=False`
    keeps only those (for sitting members, whose terms come from the YAML file).
    """
    groups: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        if (terms and row.get("job") in _JOBS) or row.get("job") == _SPEAKER_JOB:
            groups[(row["job"], row.get("state") or "")].append(row)
    spells: list[Position] = []
    for (job, state), group in groups.items():
        title = SPEAKER if job == _SPEAKER_JOB else _JOBS[job].format(state=STATES.get(state, state or US))
        run: list[dict[str, str]] = []
        for row in sorted((r for r in group if r.get("congress")), key=lambda r: (int(r["congress"]), r["start"])):
            if run and (int(row["congress"]) > int(run[-1]["congress"]) + 1 or run[-1].get("end")):
                spells.append(_spell(title, run))
                run = []
            run.append(row)
        if run:
            spells.append(_spell(title, run))
    return merge_spells(spells)


def _spell(title: str, run: list[dict[str, str]]) -> Position:
    first, last = run[0], run[-1]
    return Position(title=title, country=US, start=first.get("start") or congress_start(int(first["congress"])),
                    end=last.get("end") or congress_start(int(last["congress"]) + 1))


def cap_at_death(spell: Position, death: str | None) -> Position:
    """A spell ending after its holder's exact death date ends on it (died in office)."""
    if death and len(death) == 10 and spell.end and spell.end > death >= (spell.start or ""):
        return spell.model_copy(update={"end": death})
    return spell


def load_bioguide(path: Path) -> Iterator[Record]:
    """bioguide_people.csv.gz (+ bioguide_positions.csv.gz beside it) -> people with birth/death and spells."""
    qids, current = _yaml_index(path.parent)
    rows_by_id: dict[str, list[dict[str, str]]] = defaultdict(list)
    positions = path.with_name("bioguide_positions.csv.gz")
    if positions.is_file():
        with open_text(positions) as fh:
            for row in csv.DictReader(fh):
                rows_by_id[row["id"]].append(row)
    with open_text(path) as fh:
        for row in csv.DictReader(fh):
            bid = row["id"]
            name = " ".join(f"{row.get('given') or ''} {row.get('family') or ''}".split())
            if not name:
                continue
            death = _s(row.get("death"))
            spells = bioguide_spells(rows_by_id.get(bid, []), terms=bid not in current)
            spells = [cap_at_death(p, death) for p in spells]
            yield Entity(id=person_id(qids.get(bid), bid), name=name, type="person", birth_date=_s(row.get("birth")),
                         death_date=death, occupations=["politician"], positions=spells,
                         country=US, source=SOURCE_BIOGUIDE,
                         url=f"https://bioguide.congress.gov/search/bio/{bid}")
