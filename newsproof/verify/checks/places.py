"""Compare two place phrases by gazetteer containment and distance, never by shared words.

`compare_places("Baghdad International Airport, Baghdad, Iraq", "Damascus")` resolves each phrase
to gazetteer entities (city, region/US state/county, country; see `newsproof.verify.checks.gazetteer`) and
answers MATCH (the same place, one inside the other, or cities within 30 km), MISMATCH (clearly
different: cities over 50 km apart, different regions or countries) or UNKNOWN (a side does not
resolve, or its readings disagree). UNKNOWN must not yield a verdict.

Resolution reads capitalised name spans only ("his home" resolves to nothing), longest name first
("Rio de Janeiro", "Santa Monica"), accents folded ("São Paulo" = "Sao Paulo"). A phrase is read
right to left, the rightmost name being the widest: "Plains, Georgia" keeps the Plains inside
Georgia (the US state, as no Plains lies in the country). A bare name keeps its most populous
readings (within a factor of 20 of the largest: "Paris" is Paris, France, but "Plains" is any of
six towns); the other side then picks among them. Names used inside a longer proper name
("Abraham Lincoln Hospital") and bare names of small towns can match but never contradict.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from newsproof.verify.checks.gazetteer import Place, is_small_country, lookup, state_code, tokens

NEAR_KM = 30.0  # cities this close are the same place for a news report (Santa Monica, Los Angeles)
FAR_KM = 50.0  # cities further apart are clearly different places
DOMINANCE = 20  # a bare name's readings: population within this factor of its largest city
AREA_CITY_MIN = 100_000  # a name that is also a region/country means a city only if this big ("Washington")
SMALL_TOWN = 15_000  # a bare name whose readings are all smaller towns never contradicts
MAX_WORDS = 6
CONNECTORS = frozenset(
    "de del da do dos das des du di la le les el al es en of on upon am an der den d l y e i sur au aux "
    "bin ibn the and s".split()
)
# 'Novosibirsk Oblast', 'Province of Buenos Aires', 'São Paulo state': the area, not its city.
ADMIN_WORDS = frozenset(
    "oblast governorate prefecture province state county department canton region district municipality "
    "borough parish township krai raion voivodeship emirate commune shire territory okrug".split()
)
# Words that are (rarely) also town names but mostly name facilities or directions in place phrases.
GENERIC = frozenset(
    "airport international hospital home house university college school church cathedral mosque temple "
    "palace castle hotel center centre medical clinic prison jail camp base station street road avenue "
    "square park garden gardens city county state province district region village town north south east "
    "west northern southern eastern western central capital national general memorial saint st new old "
    "great greater upper lower institute republic kingdom united federal democratic island islands lake "
    "river mount mountain valley beach bay harbor harbour military air force army navy headquarters embassy "
    "residence compound ministry building tower hall monastery abbey court bridge farm ranch estate manor "
    "villa field stadium arena office police market club museum library theatre theater sanatorium hospice "
    "nursing care royal imperial presidential complex council his her their its near outside people".split()
) | ADMIN_WORDS


class PlaceMatch(enum.Enum):
    """How a claimed place stands to a recorded one."""

    MATCH = "match"
    MISMATCH = "mismatch"
    UNKNOWN = "unknown"


class _Rel(enum.Enum):
    SAME = 0
    INSIDE = 1  # the first place lies inside the second
    CONTAINS = 2
    NEAR = 3
    DISJOINT = 4
    UNSURE = 5


_FLIP = {_Rel.INSIDE: _Rel.CONTAINS, _Rel.CONTAINS: _Rel.INSIDE}
_LEVEL = {"country": 0, "region": 1, "county": 2, "city": 3}


@dataclass(frozen=True)
class Resolution:
    """What a place phrase may denote.

    `readings` are all candidates, `plausible` the ones taken seriously; `inexact` means the phrase
    names something smaller than its readings that the gazetteer lacks ("Smallville, Texas"); `weak`
    means the phrase may not name a place at all, so it can match but never contradict.
    """

    readings: tuple[Place, ...] = ()
    plausible: tuple[Place, ...] = ()
    inexact: bool = False
    weak: bool = True


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    named: tuple[Place, ...]
    alts: tuple[Place, ...]
    embedded: bool = False

    @property
    def places(self) -> tuple[Place, ...]:
        return self.named + self.alts


@lru_cache(maxsize=4096)
def compare_places(recorded: str, claimed: str) -> PlaceMatch:
    """MATCH, MISMATCH or UNKNOWN for a claimed place against a recorded one."""
    a, b = resolve(recorded), resolve(claimed)
    if not a.plausible or not b.plausible:
        return PlaceMatch.UNKNOWN
    outcomes = {_outcome(x, y, a.inexact, b.inexact) for x in a.plausible for y in b.plausible}
    if PlaceMatch.MATCH in outcomes:
        return PlaceMatch.MATCH
    if PlaceMatch.UNKNOWN in outcomes or a.weak or b.weak:
        return PlaceMatch.UNKNOWN
    # A less likely reading of one side that is, or holds, a reading of the other ("Paris" against
    # "Paris, Texas") leaves the comparison open.
    if any(_relate(x, y) in (_Rel.SAME, _Rel.INSIDE, _Rel.CONTAINS) for x in a.readings for y in b.readings):
        return PlaceMatch.UNKNOWN
    return PlaceMatch.MISMATCH


@lru_cache(maxsize=4096)
def resolve(text: str) -> Resolution:
    """The gazetteer readings of a place phrase, narrowed right to left ('Plains, Georgia')."""
    words, segments = _words(text)
    mentions = _mentions(words, segments)
    if not mentions:
        return Resolution()
    free = [m for m in mentions if not m.embedded]
    last = (free or mentions)[-1]
    readings, plausible, qualified = last.places, _plausible(last.named, last.alts), False
    used = [last]
    for mention in reversed(free[:-1] if free else []):
        named = tuple(p for p in mention.named if any(_within(p, r) for r in readings))
        alts = tuple(p for p in mention.alts if any(_within(p, r) for r in readings))
        if named or alts:
            readings, plausible, qualified = named + alts, _plausible(named, alts), True
            used.append(mention)
    covered = {i for m in used for i in range(m.start, m.end)}
    leftover = any(_proper_word(w) and i not in covered for i, w in enumerate(words))
    inexact = leftover and all(p.kind != "city" for p in plausible)
    small = all(p.kind == "city" and p.population < SMALL_TOWN for p in plausible)
    return Resolution(readings, plausible, inexact, weak=not qualified and (small or last.embedded))


def _words(text: str) -> tuple[list[str], list[int]]:
    """The words of `text` and, for each, the number of its comma-separated part."""
    words: list[str] = []
    segments: list[int] = []
    for number, part in enumerate(re.split(r"[,;:()\[\]/|]", text)):
        found = tokens(part)
        words += found
        segments += [number] * len(found)
    return words, segments


def _mentions(words: list[str], segments: list[int]) -> list[_Mention]:
    """Gazetteer names among `words`, longest first, left to right, each within one part. A name next
    to another proper word of its part that is no region or country is embedded ('Abraham Lincoln')."""
    found: list[_Mention] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
            if segments[i + n - 1] != segments[i]:
                continue
            named, alts = _names(words[i:i + n])
            if named or alts:
                found.append(_Mention(i, i + n, named, alts))
                i += n
                break
        else:
            i += 1
    found = [m for m in (_admin_area(m, words, segments) for m in found) if m.places]
    areas = {j for m in found if any(p.kind != "city" for p in m.named) for j in range(m.start, m.end)}

    def bare(j: int, home: int) -> bool:
        return not (0 <= j < len(words)) or segments[j] != home or j in areas or not _proper_word(words[j])

    return [_Mention(m.start, m.end, m.named, m.alts,
                     not (bare(m.start - 1, segments[m.start]) and bare(m.end, segments[m.start]))) for m in found]


def _admin_area(mention: _Mention, words: list[str], segments: list[int]) -> _Mention:
    """`mention` less its cities when an administrative word names it an area ('Kanagawa Prefecture')."""
    part = segments[mention.start]
    after = words[mention.end].lower() if mention.end < len(words) and segments[mention.end] == part else ""
    prefix = [words[i].lower() for i in range(max(0, mention.start - 2), mention.start) if segments[i] == part]
    if after in ADMIN_WORDS or (len(prefix) == 2 and prefix[0] in ADMIN_WORDS and prefix[1] == "of"):
        return _Mention(mention.start, mention.end, tuple(p for p in mention.named if p.kind != "city"),
                        tuple(p for p in mention.alts if p.kind != "city"))
    return mention


def _names(span: list[str]) -> tuple[tuple[Place, ...], tuple[Place, ...]]:
    """Places named exactly by `span`: capitalised words, lowercase connectors inside ('Dar es Salaam')."""
    if not span[-1][0].isupper() or any(not w[0].isupper() and w not in CONNECTORS for w in span):
        return (), ()
    key = " ".join(span).lower()
    if len(span) == 1:
        word = span[0]
        if len(word) == 2 and word.isupper() and (state := state_code(word)):
            return (state,), ()
        if key in GENERIC:
            return (), ()
        if len(key) < 3:
            named, _ = lookup(key) if word.isupper() else ((), ())
            return tuple(p for p in named if p.kind != "city"), ()
    return lookup(key)


def _proper_word(word: str) -> bool:
    """A capitalised word that could name something ('Smallville'), not a facility word ('Hospital')."""
    return word[0].isupper() and word.lower() not in GENERIC and word.lower() not in CONNECTORS


def _plausible(named: tuple[Place, ...], alts: tuple[Place, ...]) -> tuple[Place, ...]:
    """The readings worth believing: every area; cities near the largest one's population, and only
    cities of 100,000+ when the name is also a region or country. Other names count only alone."""
    pool = named or alts
    areas = tuple(p for p in pool if p.kind != "city")
    cities = [p for p in pool if p.kind == "city"]
    if not cities:
        return areas
    floor = max(p.population for p in cities) / DOMINANCE
    if areas:
        floor = max(floor, AREA_CITY_MIN)
    return areas + tuple(p for p in cities if p.population >= floor)


def _within(place: Place, container: Place) -> bool:
    """Whether `place` is `container`, lies inside it, or is a city next to it."""
    return _relate(place, container) in (_Rel.SAME, _Rel.INSIDE, _Rel.NEAR)


def _outcome(x: Place, y: Place, x_inexact: bool, y_inexact: bool) -> PlaceMatch:
    rel = _relate(x, y)
    if rel is _Rel.DISJOINT:
        return PlaceMatch.MISMATCH
    if rel is _Rel.UNSURE or (x_inexact and y_inexact):
        return PlaceMatch.UNKNOWN
    # An unnamed place inside x matches whatever holds x, but not something x merely holds.
    if (x_inexact and rel is _Rel.CONTAINS) or (y_inexact and rel is _Rel.INSIDE):
        return PlaceMatch.UNKNOWN
    return PlaceMatch.MATCH


def _relate(x: Place, y: Place) -> _Rel:
    """How place `x` stands to place `y`."""
    if x.key == y.key:
        return _Rel.SAME
    if x.cc != y.cc:
        px, py = _point(x), _point(y)
        near = px is not None and py is not None and _km(px, py) <= NEAR_KM
        return _Rel.UNSURE if near else _Rel.DISJOINT  # across a border (Vatican City, Rome)
    if _LEVEL[x.kind] > _LEVEL[y.kind]:
        rel = _relate(y, x)
        return _FLIP.get(rel, rel)
    if x.kind == "country":
        return _Rel.CONTAINS
    if x.kind == "city":
        km = _km((x.lat, x.lon), (y.lat, y.lon))
        return _Rel.NEAR if km <= NEAR_KM else _Rel.UNSURE if km <= FAR_KM else _Rel.DISJOINT
    if x.admin1 is None or y.admin1 is None:
        return _Rel.UNSURE
    if x.admin1 != y.admin1 or (x.kind == "county" and y.kind == "county"):
        return _Rel.DISJOINT
    if x.kind == "county":
        return _Rel.UNSURE  # a city in the county's state: counties carry no outline here
    return _Rel.SAME if y.kind == "region" else _Rel.CONTAINS


def _point(place: Place) -> tuple[float, float] | None:
    """A city's position; a city state's or enclave's capital; else none."""
    if place.lat is None or place.lon is None:
        return None
    if place.kind == "city" or (place.kind == "country" and is_small_country(place.cc)):
        return place.lat, place.lon
    return None


def _km(a: tuple[float | None, float | None], b: tuple[float | None, float | None]) -> float:
    """Great-circle distance in kilometres."""
    lat1, lon1, lat2, lon2 = (math.radians(v or 0.0) for v in (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))
