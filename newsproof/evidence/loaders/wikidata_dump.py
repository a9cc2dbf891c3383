"""Wikidata JSON dumps (`latest-all.json.gz|.bz2`) -> KB entities (people, organisations, places, events).

The dump is one JSON array with an entity per line; it is streamed line by line. Item-valued
statements (birth place, cause of death, positions...) name other items, whose English labels may
appear anywhere in the file, so loading takes one full parse (kept entities are spooled compactly
to a temporary file, with the set of items they refer to) plus one cheap id-only scan collecting
the labels of the referred items; the kept entities are then resolved and yielded.

Person ids follow the shared KB convention (`p_` + sha1(QID)[:12]) so they merge with its records.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import json
import math
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from newsproof.errors import InputError
from newsproof.evidence.loaders.kb import enwiki_url, org_entity
from newsproof.models import Entity, Passage, Position

HUMAN = "Q5"
ORG_CLASSES = frozenset({"Q43229", "Q7278", "Q4830453", "Q783794", "Q484652", "Q245065", "Q17149090", "Q2659904",
                         "Q327333", "Q7210356", "Q15911314", "Q163740", "Q1530022", "Q11691", "Q1616075", "Q891723"})
PLACE_CLASSES = frozenset({"Q6256", "Q3624078", "Q515", "Q1549591", "Q5119", "Q486972", "Q35657", "Q10864048",
                           "Q3957", "Q532", "Q1637706"})
EVENT_CLASSES = frozenset({"Q1190554", "Q1656682", "Q178561", "Q645883", "Q2223653", "Q3839081", "Q124757",
                           "Q40231", "Q7283", "Q8065", "Q18669875", "Q3199915", "Q217327"})
ITEM_PROPS = ("P31", "P19", "P20", "P509", "P1196", "P157", "P106", "P39", "P463", "P102", "P27", "P17", "P276",
              "P710", "P642")
_ID_PREFIX = re.compile(r'"id"\s*:\s*"([QP]\d+)"')


def open_dump(path: Path) -> IO[str]:
    """Text stream of a dump, decompressing .gz/.bz2 on the fly."""
    name = path.name.lower()
    if name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    if name.endswith(".bz2"):
        return bz2.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def dump_lines(handle: IO[str]) -> Iterator[str]:
    """The entity JSON texts of a dump: array brackets and trailing commas stripped."""
    for line in handle:
        line = line.strip().rstrip(",")
        if line and line not in ("[", "]"):
            yield line


def wikidata_time(value: dict[str, Any]) -> str | None:
    """'+1952-03-11T00:00:00Z' at precision 11/10/9 -> '1952-03-11' / '1952-03' / '1952'."""
    time = value.get("time") or ""
    match = re.match(r"([+-])(\d+)-(\d{2})-(\d{2})", time)
    if not match:
        return None
    sign, year, month, day = match.groups()
    year = f"{'-' if sign == '-' else ''}{int(year):04d}"
    precision = value.get("precision", 11)
    return f"{year}-{month}-{day}" if precision >= 11 else f"{year}-{month}" if precision == 10 else year


def _snak_value(snak: dict[str, Any]) -> Any:
    value = (snak.get("datavalue") or {}).get("value")
    if isinstance(value, dict) and value.get("entity-type") == "item":
        return value.get("id")
    if isinstance(value, dict) and "time" in value:
        return wikidata_time(value)
    return value


def _statements(claims: dict[str, Any], prop: str) -> list[tuple[Any, dict[str, list[Any]]]]:
    """(value, {qualifier prop: values}) of the non-deprecated statements of `prop`, preferred first."""
    out = []
    for stmt in sorted(claims.get(prop) or [], key=lambda s: s.get("rank") != "preferred"):
        if stmt.get("rank") == "deprecated":
            continue
        value = _snak_value(stmt.get("mainsnak") or {})
        if value is not None:
            quals = {p: [v for v in map(_snak_value, snaks) if v is not None]
                     for p, snaks in (stmt.get("qualifiers") or {}).items()}
            out.append((value, quals))
    return out


def compact(entity: dict[str, Any]) -> dict[str, Any] | None:
    """The fields newsproof keeps from a raw Wikidata item, or None when it is none of person/org/place/event."""
    claims = entity.get("claims") or {}
    classes = {v for v, _ in _statements(claims, "P31")}
    kind = ("person" if HUMAN in classes else "event" if classes & EVENT_CLASSES or "P585" in claims
            else "organization" if classes & ORG_CLASSES else "place" if classes & PLACE_CLASSES else None)
    label = ((entity.get("labels") or {}).get("en") or {}).get("value")
    if kind is None or not label:
        return None
    props = ("P569", "P570", "P571", "P576", "P585", *ITEM_PROPS[1:])
    return {"id": entity["id"], "type": kind, "label": label,
            "aliases": [a["value"] for a in (entity.get("aliases") or {}).get("en", [])],
            "description": ((entity.get("descriptions") or {}).get("en") or {}).get("value"),
            "enwiki": ((entity.get("sitelinks") or {}).get("enwiki") or {}).get("title"),
            "sitelinks": len(entity.get("sitelinks") or {}),
            "claims": {p: _statements(claims, p) for p in props if p in claims}}


def _refs(record: dict[str, Any]) -> set[str]:
    found = set()
    for statements in record["claims"].values():
        for value, quals in statements:
            for v in [value, *(x for vs in quals.values() for x in vs)]:
                if isinstance(v, str) and re.fullmatch(r"Q\d+", v):
                    found.add(v)
    return found


def _hash_id(prefix: str, qid: str) -> str:
    return f"{prefix}_{hashlib.sha1(qid.encode()).hexdigest()[:12]}"


def to_records(rec: dict[str, Any], labels: dict[str, str]) -> Iterator[Entity | Passage]:
    """Entities (and an event passage) from a compact record, item values resolved through `labels`."""
    claims = rec["claims"]

    def first(prop: str) -> str | None:
        values = [labels.get(v, v) if isinstance(v, str) and v.startswith("Q") else v for v, _ in claims.get(prop, [])]
        return next((str(v) for v in values if v), None)

    def spells(prop: str, title: str | None = None) -> list[Position]:
        return [Position(title=title or labels.get(v, v), org=labels.get(v, v) if title else None,
                         start=next(iter(q.get("P580", [])), None), end=next(iter(q.get("P582", [])), None))
                for v, q in claims.get(prop, []) if isinstance(v, str)]

    name, url = rec["label"], enwiki_url(rec["enwiki"])
    popularity = round(min(1.0, math.log10(1 + rec["sitelinks"]) / 2.5), 4)
    country = first("P27") or first("P17")
    if rec["type"] == "person":
        yield Entity(id=_hash_id("p", rec["id"]), name=name, type="person", aliases=rec["aliases"],
                     description=rec["description"], birth_date=first("P569"), death_date=first("P570"),
                     birth_place=first("P19"), death_place=first("P20"), cause_of_death=first("P509"),
                     manner_of_death=first("P1196"), killed_by=first("P157"),
                     occupations=[labels.get(v, v) for v, _ in claims.get("P106", [])],
                     positions=spells("P39") + spells("P463", "member") + spells("P102", "party member"),
                     country=country, popularity=popularity, source="wikidata", url=url)
    elif rec["type"] == "organization":
        org = org_entity(name, aliases=rec["aliases"], description=rec["description"], inception=first("P571"),
                         source="wikidata", url=url)
        yield org.model_copy(update={"dissolved": first("P576"), "country": country, "popularity": popularity})
    elif rec["type"] == "place":
        yield Entity(id=_hash_id("pl", rec["id"]), name=name, type="place", aliases=rec["aliases"],
                     description=rec["description"], country=country, popularity=popularity, source="wikidata",
                     url=url)
    else:
        date, place = first("P585") or first("P571"), first("P276")
        participants = [labels.get(v, v) for v, _ in claims.get("P710", [])]
        parts = [f"{name}.", rec["description"] and f"{rec['description']}.", date and f"Date: {date}.",
                 place and f"Place: {place}.", participants and f"Participants: {'; '.join(participants)}."]
        text = " ".join(p for p in parts if p)
        eid = _hash_id("ev", rec["id"])
        yield Entity(id=eid, name=name, type="event", aliases=rec["aliases"], description=text, inception=date,
                     country=country, popularity=popularity, source="wikidata", url=url)
        yield Passage(id=f"{eid}-kb", text=text, title=name, source="wikidata", url=url, date=date, kind="kb")


def load_wikidata_dump(path: Path) -> Iterator[Entity | Passage]:
    """Stream a Wikidata JSON dump into entities (two reads of the file; memory: the referred labels only)."""
    referred: set[str] = set()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        with open_dump(path) as handle:
            for lineno, line in enumerate(dump_lines(handle), 1):
                try:
                    record = compact(json.loads(line))
                except (json.JSONDecodeError, KeyError, TypeError) as exc:
                    raise InputError(f"{path}: entity {lineno} is not valid Wikidata JSON ({exc})") from exc
                if record is not None:
                    referred |= _refs(record)
                    spool.write(json.dumps(record) + "\n")
        labels: dict[str, str] = {}
        with open_dump(path) as handle:
            for line in dump_lines(handle):
                match = _ID_PREFIX.search(line, 0, 200)
                qid = match.group(1) if match else json.loads(line).get("id")
                if qid in referred:
                    label = ((json.loads(line).get("labels") or {}).get("en") or {}).get("value")
                    if label:
                        labels[qid] = label
        spool.seek(0)
        for line in spool:
            yield from to_records(json.loads(line), labels)
