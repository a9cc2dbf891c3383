"""Backend-independent pieces shared by the SQLite and PostgreSQL stores."""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from newsproof.evidence.protocol import Hit, SearchFilters
from newsproof.models import CheckedClaim, Entity, Passage, Position, Verdict

SCHEMA_VERSION = 1
_APOSTROPHES = re.compile(r"['’‘`ʼ]")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_QUERY_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
# Words that only slow lexical search down: they match nearly every passage.
STOPWORDS = frozenset(
    "a an and are as at be been but by for from had has have he her his in is it its of on or she that the "
    "their they this to was were which who will with would not no".split()
)


def normalise_name(text: str) -> str:
    """Lower-case, strip accents and apostrophes, turn other punctuation into spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", _APOSTROPHES.sub("", plain.casefold())).split())


def content_id(prefix: str, *parts: object) -> str:
    """Stable id from content: prefix + 16 hex chars of sha1 over the parts."""
    digest = hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return f"{prefix}_{digest.hexdigest()[:16]}"


def query_tokens(query: str, limit: int = 32) -> list[str]:
    """Safe search tokens from free text: word characters only, stop words dropped, deduplicated."""
    tokens = [t.casefold() for t in _QUERY_TOKEN.findall(query)]
    kept = [t for t in tokens if t not in STOPWORDS] or tokens
    return list(dict.fromkeys(kept))[:limit]


def entity_name_keys(entity: Entity) -> tuple[set[str], set[str]]:
    """Normalised names (name + aliases) and their tokens, for the lookup tables."""
    names = {n for n in (normalise_name(x) for x in [entity.name, *entity.aliases]) if n}
    tokens = {tok for n in names for tok in n.split()}
    return names, tokens


def _position_key(p: Position) -> tuple[str, str | None, str | None]:
    return (normalise_name(p.title), p.start, p.country)


def merge_entities(old: Entity, new: Entity) -> Entity:
    """Fill old's empty fields from new; union aliases, occupations and positions."""
    data = old.model_dump()
    for key, value in new.model_dump().items():
        if key in ("aliases", "occupations"):
            data[key] = list(dict.fromkeys([*data[key], *value]))
        elif key == "positions":
            seen = {_position_key(Position(**p)) for p in data[key]}
            data[key] = data[key] + [p for p in value if _position_key(Position(**p)) not in seen]
        elif key == "popularity":
            data[key] = max(data[key], value)
        elif key == "source" and value and value not in data[key].split(","):
            data[key] = ",".join(filter(None, [data[key], value]))
        elif data.get(key) in (None, "") and value not in (None, ""):
            data[key] = value
    if normalise_name(new.name) != normalise_name(old.name):
        data["aliases"] = list(dict.fromkeys([*data["aliases"], new.name]))
    return Entity(**data)


def passage_from_row(row: Sequence) -> Passage:
    """A Passage from a (id, text, title, source, url, date, kind) row."""
    return Passage(id=row[0], text=row[1], title=row[2], source=row[3] or "", url=row[4], date=row[5],
                   kind=row[6] or "news")


STAT_TABLES = ("passages", "entities", "checked_claims", "embeddings")
CHECKED_CLAIM_COLUMNS = "c.id, c.claim, c.label, c.verdict, c.date, c.speaker, c.source, c.url"


def checked_claim_from_row(row: Sequence) -> CheckedClaim:
    """A CheckedClaim from a row selected with CHECKED_CLAIM_COLUMNS."""
    return CheckedClaim(id=row[0], claim=row[1], label=row[2] or "", verdict=Verdict(row[3]), date=row[4],
                        speaker=row[5], source=row[6] or "", url=row[7])


def has_filters(filters: SearchFilters | None) -> bool:
    """True when `filters` restricts anything."""
    return filters is not None and bool(filters.date_from or filters.date_to or filters.sources or filters.kinds)


def filter_sql(filters: SearchFilters | None, placeholder: str, in_list: Callable[[int], str]) -> tuple[str, list]:
    """` AND ...` clauses over table alias `p` plus their parameters.

    Dates compare lexically; `date_to` is inclusive at its own precision ('2020' admits '2020-12-31').
    Passages without a date never pass a date filter. `in_list(n)` renders an n-value membership test.
    """
    if filters is None:
        return "", []
    clauses, params = [], []
    if filters.date_from:
        clauses.append(f"p.date >= {placeholder}")
        params.append(filters.date_from)
    if filters.date_to:
        clauses.append(f"p.date <= {placeholder}")
        params.append(filters.date_to + "~")
    for column, values in (("source", filters.sources), ("kind", filters.kinds)):
        if values:
            clauses.append(f"p.{column} {in_list(len(values))}")
            params.extend(values)
    return "".join(f" AND {c}" for c in clauses), params


def merge_batch(batch: Iterable[Entity], stored: dict[str, str]) -> tuple[dict[str, Entity], int]:
    """Merge a batch of entities with itself and with stored JSON by id; return (merged by id, new count)."""
    merged: dict[str, Entity] = {}
    for ent in batch:
        merged[ent.id] = merge_entities(merged[ent.id], ent) if ent.id in merged else ent
    for eid, data in stored.items():
        if eid in merged:
            merged[eid] = merge_entities(Entity.model_validate_json(data), merged[eid])
    return merged, len(merged) - len(stored)


def batched(items: Iterable, size: int) -> Iterable[list]:
    """Yield lists of at most `size` items."""
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def as_vector(values: Sequence[float]) -> np.ndarray:
    """float32 vector, L2-normalised (zero vectors stay zero)."""
    vec = np.asarray(values, dtype=np.float32).reshape(-1)
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm > 0 else vec


class DenseCache:
    """Per-model matrix of passage vectors kept in memory; brute-force cosine top-k with numpy."""

    def __init__(self, loader: Callable[[str], tuple[list[str], np.ndarray]]) -> None:
        self._loader = loader
        self._cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._lock = threading.Lock()

    def invalidate(self, model: str | None = None) -> None:
        """Forget the matrix of `model` (all models when None)."""
        with self._lock:
            if model is None:
                self._cache.clear()
            else:
                self._cache.pop(model, None)

    def top(self, vector: Sequence[float], model: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Best `k` (passage id, cosine) pairs, optionally restricted to `allowed` ids."""
        with self._lock:
            if model not in self._cache:
                ids, matrix = self._loader(model)
                self._cache[model] = (np.asarray(ids, dtype=object), matrix)
            ids_arr, matrix = self._cache[model]
        if not len(ids_arr) or k <= 0:
            return []
        query = as_vector(vector)
        if query.shape[0] != matrix.shape[1]:
            return []
        scores = matrix @ query
        if allowed is not None:
            mask = np.fromiter((i in allowed for i in ids_arr), dtype=bool, count=len(ids_arr))
            scores = np.where(mask, scores, -np.inf)
        k = min(k, len(scores))
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(str(ids_arr[i]), float(scores[i])) for i in best if np.isfinite(scores[i])]


def dense_hits(best: list[tuple[str, float]], passages: Iterable[Passage]) -> list[Hit]:
    """Hits for (passage id, cosine) pairs, in that order, skipping ids without a passage."""
    by_id = {p.id: p for p in passages}
    found = [(by_id[pid], score) for pid, score in best if pid in by_id]
    return [Hit(passage=p, score=s, rank=i, scores={"dense": s}) for i, (p, s) in enumerate(found, 1)]
