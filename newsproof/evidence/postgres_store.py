"""PostgreSQL evidence store for teams: tsvector + GIN search, COPY bulk loads, numpy dense search.

Lexical search ranks by BM25-style weights: each lexeme's document frequency is kept in
`passage_terms` (and the passage count in `np_meta`), updated in the transaction that writes the
passages, so looking up a query's frequencies is one indexed read.
Vectors are stored as float4[] and searched in numpy (the matrix is cached per model). pgvector
is not required; it is not used even when installed, so every server behaves the same.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from newsproof.errors import Errors, StoreError
from newsproof.evidence.pg_vectors import register_vector_adapters
from newsproof.evidence.postgres_writes import (
    PASSAGE_COUNT,
    TERMS_MARKER,
    apply_terms,
    backfill_terms,
    clean,
    drop_vectors,
    migrate,
    start_terms,
    upsert,
    write_entity_batch,
)
from newsproof.evidence.protocol import Hit, SearchFilters, WriteCounts
from newsproof.evidence.store_common import (
    CHECKED_CLAIM_COLUMNS,
    STAT_TABLES,
    DenseCache,
    QueryTermPicker,
    as_vector,
    batched,
    checked_claim_from_row,
    dense_hits,
    embedding_count_key,
    filter_sql,
    has_filters,
    normalise_name,
    paged_embeddings,
    passage_from_row,
    query_tokens,
)
from newsproof.evidence.upsert import (
    CLAIM_COLUMNS,
    PASSAGE_COLUMNS,
    CountedWrites,
    WriteTally,
    claim_row,
    passage_row,
)
from newsproof.models import CheckedClaim, Entity, Passage

_SCHEMA = """
CREATE TABLE IF NOT EXISTS np_meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS passages (
  id TEXT PRIMARY KEY, text TEXT NOT NULL, title TEXT, source TEXT, url TEXT, date TEXT, kind TEXT, hash TEXT,
  seq BIGSERIAL,
  tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', coalesce(title, '')), 'B') || to_tsvector('english', text)) STORED);
CREATE INDEX IF NOT EXISTS passages_tsv ON passages USING GIN (tsv);
CREATE INDEX IF NOT EXISTS passages_date ON passages (date);
CREATE INDEX IF NOT EXISTS passages_url ON passages (url);
CREATE TABLE IF NOT EXISTS entities (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT, popularity REAL, data JSONB NOT NULL);
CREATE TABLE IF NOT EXISTS entity_names (name_norm TEXT NOT NULL, entity_id TEXT NOT NULL,
  PRIMARY KEY (name_norm, entity_id));
CREATE INDEX IF NOT EXISTS entity_names_prefix ON entity_names (name_norm text_pattern_ops);
CREATE INDEX IF NOT EXISTS entity_names_id ON entity_names (entity_id);
CREATE TABLE IF NOT EXISTS entity_tokens (token TEXT NOT NULL, entity_id TEXT NOT NULL,
  PRIMARY KEY (token, entity_id));
CREATE INDEX IF NOT EXISTS entity_tokens_prefix ON entity_tokens (token text_pattern_ops);
CREATE INDEX IF NOT EXISTS entity_tokens_id ON entity_tokens (entity_id);
CREATE TABLE IF NOT EXISTS checked_claims (
  id TEXT PRIMARY KEY, claim TEXT NOT NULL, label TEXT, verdict TEXT, date TEXT, speaker TEXT, source TEXT,
  url TEXT, hash TEXT, tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', claim)) STORED);
CREATE INDEX IF NOT EXISTS checked_claims_tsv ON checked_claims USING GIN (tsv);
CREATE TABLE IF NOT EXISTS embeddings (passage_id TEXT NOT NULL, model TEXT NOT NULL, vector float4[] NOT NULL,
  PRIMARY KEY (model, passage_id));
CREATE TABLE IF NOT EXISTS passage_terms (lexeme TEXT PRIMARY KEY, ndoc BIGINT NOT NULL);
"""
# Candidate selection (QueryTermPicker): ranking costs a ts_rank call per candidate and query term,
# so PostgreSQL selects candidates by fewer postings than SQLite (2,000, and at least the 2 rarest
# terms). Gold-evidence recall@10 of the 4 claim sets at 1M passages: .401 with 2,000 / 3 terms,
# .397 with 2,000 / 2, .395 with 10,000 / 3, while 2 terms instead of 3 halved the p95 latency.
LEXICAL_POSTINGS_BUDGET_PG = 2000
LEXICAL_MIN_TERMS_PG = 2
# ts_rank label weights {D, C, B, A}: title (B) and text (D) count alike, as in SQLite's bm25().
_RANK_WEIGHTS = "'{1,1,1,1}'"
_SELECT_PASSAGE = "p.id, p.text, p.title, p.source, p.url, p.date, p.kind"
_BATCH = 5000


def _tsquery(tokens: Sequence[str]) -> str | None:
    """A to_tsquery expression OR-ing word-only tokens (no user syntax reaches the parser)."""
    return " | ".join(tokens) if tokens else None


def _idf(total: int, df: int) -> float:
    """BM25's inverse document frequency."""
    return math.log(1 + max(total - df + 0.5, 0.0) / (df + 0.5))


def _filter_sql(filters: SearchFilters | None) -> tuple[str, list]:
    return filter_sql(filters, "%s", lambda n: f"IN ({', '.join(['%s'] * n)})")


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class PostgresStore(CountedWrites):
    """Evidence store in a PostgreSQL database (psycopg 3, imported lazily)."""

    def __init__(self, uri: str, *, read_only: bool = False) -> None:
        try:
            import psycopg
        except ImportError as exc:
            raise StoreError(Errors.E201.format(uri=uri, why="psycopg is not installed; pip install "
                                                "'newsproof[postgres]'")) from exc
        self.uri = uri
        self.read_only = read_only
        self._errors = psycopg.Error
        self._lock = threading.RLock()
        self._dense = DenseCache(self.iter_embeddings)
        self.term_picker = QueryTermPicker(self._doc_freqs, budget=LEXICAL_POSTINGS_BUDGET_PG,
                                           min_terms=LEXICAL_MIN_TERMS_PG)
        self._tally = WriteTally()
        try:
            self._conn = psycopg.connect(uri.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
            register_vector_adapters(self._conn)
            if read_only:
                self._conn.execute("SET default_transaction_read_only = on")
            else:
                with self._conn.transaction():
                    self._conn.execute("SELECT pg_advisory_xact_lock(684201)")  # serialise concurrent schema setup
                    self._conn.execute(_SCHEMA)
                    migrate(self._conn)
                    backfill_terms(self._conn)
            self._conn.execute("SELECT count(*) FROM passages").fetchone()
            has_terms = self._conn.execute("SELECT 1 FROM np_meta WHERE key = %s", (TERMS_MARKER,)).fetchone()
        except psycopg.Error as exc:
            raise StoreError(Errors.E201.format(uri=uri, why=str(exc).strip())) from exc
        if not has_terms:
            self._conn.close()
            raise StoreError(Errors.E201.format(uri=uri, why="the store predates term statistics; open it once "
                                                "writable (any index command) to add them"))

    # ------------------------------------------------------------------ plumbing
    @contextmanager
    def _write(self) -> Iterator[Any]:
        """One write transaction; rolled back on any error."""
        if self.read_only:
            raise StoreError(Errors.E201.format(uri=self.uri, why="store was opened read-only"))
        with self._lock:
            try:
                with self._conn.transaction(), self._conn.cursor() as cur:
                    yield cur
            except self._errors as exc:
                raise StoreError(f"write failed on {self.uri}: {exc}") from exc

    def _rows(self, sql: str, params: Sequence | None = None, *, binary: bool = False,
              prepare: bool | None = None) -> list[tuple]:
        """Rows of one query; `prepare=False` keeps psycopg from preparing it after repeated use."""
        with self._lock:
            try:
                return self._conn.execute(sql, params, binary=binary, prepare=prepare).fetchall()
            except self._errors as exc:
                raise StoreError(f"query failed on {self.uri}: {exc}") from exc

    # ------------------------------------------------------------------ writes
    def write_passages(self, passages: Iterable[Passage]) -> int:
        """Upsert passages by content hash (bulk COPY; changed ones lose their vectors); return how many
        were new or changed. Document frequencies (passage_terms) follow in the same transaction."""
        counts, models = WriteCounts(), set()
        with self._write() as cur:
            start_terms(cur)
            for batch in batched(passages, _BATCH):
                rows = [tuple(clean(v) for v in passage_row(p)) for p in batch]
                done, changed = upsert(cur, "passages", PASSAGE_COLUMNS, rows, terms=True)
                counts += done
                models |= drop_vectors(cur, changed)
            if counts.changed:
                apply_terms(cur, counts.new, removed=counts.updated > 0)
        self._tally.add("passages", counts)
        self._after_passage_change(counts.changed, models)
        return counts.changed

    def delete_passages(self, ids: Sequence[str]) -> int:
        """Remove passages, their term counts and vectors; return how many existed."""
        ids = list(dict.fromkeys(ids))
        with self._write() as cur:
            start_terms(cur)
            models = drop_vectors(cur, ids)
            cur.execute("WITH gone AS (DELETE FROM passages WHERE id = ANY(%s) RETURNING tsv), terms AS (INSERT INTO "
                        "tmp_terms SELECT u.lexeme, -count(*) FROM gone, unnest(gone.tsv) u GROUP BY u.lexeme) "
                        "SELECT count(*) FROM gone", (ids,))
            gone = cur.fetchone()[0]
            if gone:
                apply_terms(cur, -gone, removed=True)
        self._after_passage_change(gone, models)
        return gone

    def passage_ids_for_url(self, url: str) -> list[str]:
        """Ids of the passages with exactly this url, sorted."""
        return [r[0] for r in self._rows("SELECT id FROM passages WHERE url = %s ORDER BY id", (clean(url),))]

    def write_entities(self, entities: Iterable[Entity]) -> int:
        """Insert entities, merging into an existing record with the same id; return how many were new."""
        counts = WriteCounts()
        with self._write() as cur:
            for batch in batched(entities, _BATCH):
                counts += write_entity_batch(cur, batch)
        self._tally.add("entities", counts)
        return counts.new

    def write_checked_claims(self, claims: Iterable[CheckedClaim]) -> int:
        """Upsert checked claims by content hash (bulk COPY); return how many were new or changed."""
        counts = WriteCounts()
        with self._write() as cur:
            for batch in batched(claims, _BATCH):
                rows = [tuple(clean(v) for v in claim_row(c)) for c in batch]
                counts += upsert(cur, "checked_claims", CLAIM_COLUMNS, rows)[0]
        self._tally.add("checked_claims", counts)
        return counts.changed

    def get_meta(self, key: str) -> str | None:
        """A value of the np_meta table."""
        rows = self._rows("SELECT value FROM np_meta WHERE key = %s", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str | None) -> None:
        """Set (None: remove) a key of the np_meta table."""
        with self._write() as cur:
            if value is None:
                cur.execute("DELETE FROM np_meta WHERE key = %s", (key,))
            else:
                cur.execute("INSERT INTO np_meta VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                            (key, clean(value)))

    def write_embeddings(self, items: Iterable[tuple[str, Sequence[float]]], model: str) -> int:
        """Store float32 L2-normalised vectors (float4[]) for passage ids; return how many were new."""
        added = 0
        with self._write() as cur:
            for batch in batched(items, _BATCH):
                cur.execute("CREATE TEMP TABLE IF NOT EXISTS tmp_embeddings AS SELECT * FROM embeddings WITH NO DATA")
                cur.execute("TRUNCATE tmp_embeddings")
                with cur.copy("COPY tmp_embeddings (passage_id, model, vector) FROM STDIN (FORMAT BINARY)") as copy:
                    for pid, vec in batch:
                        copy.write_row((pid, model, as_vector(vec)))
                cur.execute("INSERT INTO embeddings SELECT DISTINCT ON (model, passage_id) * FROM tmp_embeddings "
                            "ON CONFLICT DO NOTHING")
                added += max(cur.rowcount, 0)
            key = embedding_count_key(model)
            cur.execute("UPDATE np_meta SET value = (value::bigint + %s)::text WHERE key = %s", (added, key))
            if cur.rowcount == 0:  # first vectors of this model (or a store from before the counter)
                cur.execute("INSERT INTO np_meta SELECT %s, count(*)::text FROM embeddings WHERE model = %s "
                            "ON CONFLICT (key) DO UPDATE SET value = (np_meta.value::bigint + %s)::text",
                            (key, model, added))
        self._dense.invalidate(model)
        return added

    # ------------------------------------------------------------------ reads
    def _doc_freqs(self, tokens: list[str], cap: int) -> list[int]:
        """Passages holding each token's lexeme, up to `cap` (passage_terms; one round trip)."""
        rows = self._rows("SELECT least(coalesce((SELECT max(ndoc) FROM passage_terms WHERE lexeme = "
                          "ANY(tsvector_to_array(to_tsvector('english', t)))), 0), %s) "
                          "FROM unnest(%s::text[]) WITH ORDINALITY AS u(t, i) ORDER BY i", (cap, tokens))
        return [r[0] for r in rows]

    def search_passages(self, query: str, k: int = 10, filters: SearchFilters | None = None) -> list[Hit]:
        """Full-text search (english tsvector) over passage text and title, ranked BM25-style.

        Finds the passages holding one of the query's core terms (`QueryTermPicker`) and scores
        them by all core and extra terms: the sum over terms of idf(term) x ts_rank of the term
        (which saturates with its frequency in the passage), divided by 1 + ln(passage lexemes).
        A term not in the cached frequencies counts as rarest.
        """
        terms = self.term_picker.pick(query)
        core = _tsquery(terms.core)
        if core is None or k <= 0:
            return []
        ranked = terms.core + terms.extra
        freqs = self.term_picker.doc_freqs(ranked)
        total = int(self._rows("SELECT value FROM np_meta WHERE key = %s", (PASSAGE_COUNT,))[0][0])
        score = " + ".join([f"%s * ts_rank({_RANK_WEIGHTS}, p.tsv, to_tsquery('english', %s))"] * len(ranked))
        weights = [x for t in ranked for x in (_idf(total, freqs[t]), t)]
        where, params = _filter_sql(filters)
        rows = self._rows(
            f"SELECT {_SELECT_PASSAGE}, ({score}) / (1 + ln(length(p.tsv))) AS s FROM passages p, "
            f"to_tsquery('english', %s) q WHERE p.tsv @@ q{where} ORDER BY s DESC, p.seq LIMIT %s",
            [*weights, core, *params, k], prepare=False)  # a generic plan would parse every term for every row
        return [Hit(passage=passage_from_row(r), score=float(r[7]), rank=i, scores={"bm25": float(r[7])})
                for i, r in enumerate(rows, 1)]

    def passages_missing_embeddings(self, model: str, limit: int = 1000) -> list[Passage]:
        """Passages without a vector for `model`, in insertion order."""
        rows = self._rows(
            f"SELECT {_SELECT_PASSAGE} FROM passages p WHERE NOT EXISTS (SELECT 1 FROM embeddings e "
            "WHERE e.model = %s AND e.passage_id = p.id) ORDER BY p.seq LIMIT %s", (model, limit))
        return [passage_from_row(r) for r in rows]

    def iter_embeddings(self, model: str, batch_size: int = 10_000) -> Iterator[tuple[list[str], np.ndarray]]:
        """All vectors of `model` as (passage ids, float32 matrix) batches, in passage-id order."""
        return paged_embeddings(
            lambda after, n: self._rows("SELECT passage_id, vector FROM embeddings WHERE model = %s AND passage_id > %s "
                                        "ORDER BY passage_id LIMIT %s", (model, after, n), binary=True),
            lambda vector: vector, batch_size)

    def embedding_count(self, model: str) -> int:
        """How many vectors `model` has (a counter kept by write_embeddings; counted for older stores)."""
        rows = self._rows("SELECT value FROM np_meta WHERE key = %s", (embedding_count_key(model),))
        if rows:
            return int(rows[0][0])
        return self._rows("SELECT count(*) FROM embeddings WHERE model = %s", (model,))[0][0]

    def search_dense(self, vector: Sequence[float], model: str, k: int = 10,
                     filters: SearchFilters | None = None) -> list[Hit]:
        """Nearest passages by cosine similarity among the vectors of `model`."""
        allowed = None
        if has_filters(filters):
            where, params = _filter_sql(filters)
            allowed = {r[0] for r in self._rows(f"SELECT p.id FROM passages p WHERE true{where}", params)}
        best = self._dense.top(vector, model, k, allowed)
        return dense_hits(best, self.get_passages([pid for pid, _ in best]))

    def get_passages(self, ids: Sequence[str]) -> list[Passage]:
        """Passages by id, in the order asked (unknown ids left out)."""
        rows = self._rows(f"SELECT {_SELECT_PASSAGE} FROM passages p WHERE p.id = ANY(%s)", (list(ids),))
        found = {r[0]: passage_from_row(r) for r in rows}
        return [found[i] for i in dict.fromkeys(ids) if i in found]

    def get_entity(self, entity_id: str) -> Entity | None:
        """One entity by id."""
        rows = self._rows("SELECT data::text FROM entities WHERE id = %s", (entity_id,))
        return Entity.model_validate_json(rows[0][0]) if rows else None

    def find_entities(self, name: str, limit: int = 20) -> list[Entity]:
        """Exact normalised name/alias matches first, then name prefixes and token matches, by popularity."""
        norm = normalise_name(name)
        if not norm or limit <= 0:
            return []
        tokens = norm.split()
        exact = self._rows(
            "SELECT n.entity_id FROM entity_names n JOIN entities e ON e.id = n.entity_id "
            "WHERE n.name_norm = %s ORDER BY e.popularity DESC, e.id LIMIT %s", (norm, limit))
        token_sql = " INTERSECT ".join(["SELECT entity_id FROM entity_tokens WHERE token = %s"] * (len(tokens) - 1)
                                       + ["SELECT entity_id FROM entity_tokens WHERE token LIKE %s"])
        fuzzy = self._rows(
            "SELECT e.id FROM entities e WHERE e.id IN (SELECT entity_id FROM entity_names WHERE name_norm LIKE %s "
            f"UNION {token_sql}) ORDER BY e.popularity DESC, e.id LIMIT %s",
            (_like_prefix(norm), *tokens[:-1], _like_prefix(tokens[-1]), limit))
        ids = list(dict.fromkeys(r[0] for r in exact + fuzzy))[:limit]
        rows = dict(self._rows("SELECT id, data::text FROM entities WHERE id = ANY(%s)", (ids,)))
        return [Entity.model_validate_json(rows[i]) for i in ids if i in rows]

    def search_checked_claims(self, query: str, k: int = 10) -> list[tuple[CheckedClaim, float]]:
        """Full-text search over previously checked claims (all query terms: the table is small)."""
        tsq = _tsquery(query_tokens(query))
        if tsq is None or k <= 0:
            return []
        rows = self._rows(
            f"SELECT {CHECKED_CLAIM_COLUMNS}, ts_rank_cd(c.tsv, q) AS s "
            "FROM checked_claims c, to_tsquery('english', %s) q WHERE c.tsv @@ q ORDER BY s DESC, c.id LIMIT %s",
            (tsq, k))
        return [(checked_claim_from_row(r), float(r[8])) for r in rows]

    def stats(self) -> dict[str, int]:
        """Row counts: passages, entities, checked_claims, embeddings."""
        return {t: self._rows(f"SELECT count(*) FROM {t}")[0][0] for t in STAT_TABLES}

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
