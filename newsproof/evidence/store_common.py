"""Backend-independent pieces shared by the SQLite and PostgreSQL stores."""

from __future__ import annotations

import hashlib
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from newsproof.evidence.protocol import Hit, SearchFilters
from newsproof.models import CheckedClaim, Entity, Passage, Position, Verdict

# 2: content hashes (passages.hash, checked_claims.hash) for upserts; stores of version 1 gain the
# column when opened writable, and their rows are hashed the first time they are written again.
SCHEMA_VERSION = 2
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


# A lexical query scores every passage holding any of its terms, so its cost grows with the postings
# of its terms. The query's rarest terms (cumulative postings within LEXICAL_POSTINGS_BUDGET, and at
# least its LEXICAL_MIN_TERMS rarest) select the passages; its commoner terms only add to their scores;
# terms in LEXICAL_COMMON_DOCS passages or more (tiny BM25 weight, long postings) are left out.
# Measured in README "Retrieval and the scale of one machine".
LEXICAL_POSTINGS_BUDGET = 10_000
LEXICAL_MIN_TERMS = 3
LEXICAL_COMMON_DOCS = 100_000
DOC_FREQ_TTL_S = 600.0
_DOC_FREQ_CACHE_MAX = 100_000


@dataclass(frozen=True)
class QueryTerms:
    """The terms of a lexical query, in query order: a passage must hold one of `core` to be
    found; `extra` terms add to the score of such passages."""

    core: list[str]
    extra: list[str]


class QueryTermPicker:
    """Splits a query into core and extra terms by document frequency (see QueryTerms).

    `count(tokens, cap)` is the backend's document frequency of each token, counted up to `cap`,
    so looking at a very common term costs at most `cap` postings. Frequencies are cached
    for `ttl_s` seconds and forgotten by `invalidate()` (after writes). A term with no match counts
    as rare and stays in the core, so a stale cache never drops a term that has started to match.
    """

    def __init__(self, count: Callable[[list[str], int], list[int]], budget: int = LEXICAL_POSTINGS_BUDGET,
                 min_terms: int = LEXICAL_MIN_TERMS, common: int = LEXICAL_COMMON_DOCS,
                 ttl_s: float = DOC_FREQ_TTL_S) -> None:
        self._count = count
        self.budget = budget
        self.min_terms = min_terms
        self.common = common
        self.ttl_s = ttl_s
        self._cache: dict[str, tuple[int, float]] = {}

    def invalidate(self) -> None:
        """Forget the cached document frequencies."""
        self._cache.clear()

    def doc_freqs(self, tokens: list[str]) -> dict[str, int]:
        """Document frequency of each token, capped at `common` (cached; one backend call for the rest)."""
        now = time.monotonic()
        fresh = {t: c[0] for t in tokens if (c := self._cache.get(t)) is not None and now - c[1] < self.ttl_s}
        missing = [t for t in tokens if t not in fresh]
        if missing:
            if len(self._cache) >= _DOC_FREQ_CACHE_MAX:
                self._cache.clear()
            for token, df in zip(missing, self._count(missing, self.common), strict=True):
                self._cache[token] = (df, now)
                fresh[token] = df
        return fresh

    def pick(self, query: str) -> QueryTerms:
        """Core and extra terms among the query's tokens (see `query_tokens`)."""
        tokens = query_tokens(query)
        if len(tokens) <= 1:
            return QueryTerms(tokens, [])
        freqs = self.doc_freqs(tokens)
        core = {t for t in tokens if freqs[t] == 0}
        extra: set[str] = set()
        total = 0
        for n, token in enumerate(sorted((t for t in tokens if freqs[t] > 0), key=freqs.__getitem__)):
            df = freqs[token]
            if (n < self.min_terms and df < self.common) or total + df <= self.budget or n == 0:
                core.add(token)
                total += df
            elif df < self.common:
                extra.add(token)
        return QueryTerms([t for t in tokens if t in core], [t for t in tokens if t in extra])


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
        elif key == "source" and value:  # a set of names: merging the same sources again changes nothing
            data[key] = ",".join(dict.fromkeys(filter(None, [*data[key].split(","), *value.split(",")])))
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


EMBEDDING_PAGE = 10_000


def embedding_count_key(model: str) -> str:
    """Meta-table key holding how many vectors a model has (kept up to date by write_embeddings)."""
    return f"embeddings:{model}"


def paged_embeddings(fetch_page: Callable[[str, int], list[tuple[str, Any]]], decode: Callable[[Any], np.ndarray],
                     batch_size: int = EMBEDDING_PAGE) -> Iterator[tuple[list[str], np.ndarray]]:
    """(passage ids, float32 matrix) batches in passage-id order, by keyset pagination.

    `fetch_page(after_id, n)` returns up to n (passage id, stored vector) rows with ids > after_id;
    no cursor or lock is held between batches.
    """
    after = ""
    while rows := fetch_page(after, batch_size):
        yield [r[0] for r in rows], np.vstack([decode(r[1]) for r in rows]).astype(np.float32, copy=False)
        after = rows[-1][0]


class DenseCache:
    """Per-model vectors kept in memory as the store's batches (never copied into one matrix, so
    loading needs no second copy); brute-force cosine top-k with numpy.

    `batches(model)` yields (ids, matrix) batches: the store's `iter_embeddings`.
    """

    def __init__(self, batches: Callable[[str], Iterable[tuple[list[str], np.ndarray]]]) -> None:
        self._batches = batches
        self._cache: dict[str, tuple[np.ndarray, list[np.ndarray]]] = {}
        self._lock = threading.Lock()

    def invalidate(self, model: str | None = None) -> None:
        """Forget the vectors of `model` (all models when None)."""
        with self._lock:
            if model is None:
                self._cache.clear()
            else:
                self._cache.pop(model, None)

    def top(self, vector: Sequence[float], model: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Best `k` (passage id, cosine) pairs, optionally restricted to `allowed` ids."""
        with self._lock:
            if model not in self._cache:
                ids: list[str] = []
                parts: list[np.ndarray] = []
                for batch_ids, vectors in self._batches(model):
                    ids += batch_ids
                    parts.append(vectors)
                self._cache[model] = (np.asarray(ids, dtype=object), parts)
            ids_arr, parts = self._cache[model]
        if not len(ids_arr) or k <= 0:
            return []
        query = as_vector(vector)
        if query.shape[0] != parts[0].shape[1]:
            return []
        scores = np.concatenate([part @ query for part in parts])
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
