"""Embedded evidence store: SQLite (WAL) with FTS5 BM25 search and numpy dense search."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from newsproof.errors import Errors, StoreError
from newsproof.evidence.protocol import Hit, SearchFilters, WriteCounts
from newsproof.evidence.sqlite_schema import SCHEMA, migrate
from newsproof.evidence.store_common import (
    CHECKED_CLAIM_COLUMNS,
    SCHEMA_VERSION,
    STAT_TABLES,
    DenseCache,
    QueryTermPicker,
    as_vector,
    batched,
    checked_claim_from_row,
    dense_hits,
    embedding_count_key,
    entity_name_keys,
    filter_sql,
    has_filters,
    merge_batch,
    normalise_name,
    paged_embeddings,
    passage_from_row,
    query_tokens,
)
from newsproof.evidence.upsert import (
    CLAIM_COLUMNS,
    EMBEDDING_MODELS_SQL,
    PASSAGE_COLUMNS,
    CountedWrites,
    WriteTally,
    claim_row,
    entity_changes,
    passage_row,
    plan_upsert,
)
from newsproof.models import CheckedClaim, Entity, Passage

BUSY_TIMEOUT_S = 30.0  # how long a connection waits for another writer (schema creation included)

_PASSAGE_COLS = "p.id, p.text, p.title, p.source, p.url, p.date, p.kind"
_BATCH = 2000


def _fts_query(tokens: Sequence[str]) -> str | None:
    """An FTS5 MATCH expression OR-ing the quoted tokens (word characters only: never raises)."""
    return " OR ".join(f'"{t}"' for t in tokens) if tokens else None


def _in_list(n: int) -> str:
    return f"IN ({','.join('?' * n)})"


def _filter_sql(filters: SearchFilters | None) -> tuple[str, list]:
    return filter_sql(filters, "?", _in_list)


class SQLiteStore(CountedWrites):
    """Evidence store in one SQLite file. Safe to share across threads (calls are serialised)."""

    def __init__(self, path: str | Path, *, read_only: bool = False, bulk: bool = False) -> None:
        self.path = Path(path)
        self.uri = f"sqlite:///{self.path}"
        self.read_only = read_only
        self._lock = threading.RLock()
        self._dense = DenseCache(self.iter_embeddings)
        self.term_picker = QueryTermPicker(self._doc_freqs)
        self._tally = WriteTally()
        try:
            if read_only:
                if not self.path.is_file():
                    raise StoreError(Errors.E201.format(uri=str(path), why="file does not exist"))
                self._conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False,
                                             timeout=BUSY_TIMEOUT_S)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                             timeout=BUSY_TIMEOUT_S)
                journal = "OFF" if bulk else "WAL"
                self._conn.execute(f"PRAGMA journal_mode={journal}")
                self._conn.execute(f"PRAGMA synchronous={'OFF' if bulk else 'NORMAL'}")
                # One transaction: a process killed while creating the store leaves all of the schema or none.
                self._conn.executescript(f"BEGIN IMMEDIATE;{SCHEMA}"
                                         f"INSERT OR IGNORE INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}');"
                                         "COMMIT;")
                migrate(self._conn)
            self._conn.execute("SELECT count(*) FROM passages").fetchone()
        except sqlite3.Error as exc:
            raise StoreError(Errors.E201.format(uri=str(path), why=exc)) from exc

    # ------------------------------------------------------------------ plumbing
    @contextmanager
    def _write(self) -> Iterator[sqlite3.Cursor]:
        """One write transaction; rolled back on any error."""
        if self.read_only:
            raise StoreError(Errors.E201.format(uri=self.uri, why="store was opened read-only"))
        with self._lock:
            cur = self._conn.cursor()
            try:
                cur.execute("BEGIN IMMEDIATE")
                try:
                    yield cur
                except BaseException:
                    cur.execute("ROLLBACK")
                    raise
                cur.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StoreError(f"write failed on {self.uri}: {exc}") from exc

    def _rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise StoreError(f"query failed on {self.uri}: {exc}") from exc

    # ------------------------------------------------------------------ writes
    def _upsert(self, cur: sqlite3.Cursor, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> tuple[
            WriteCounts, list[str]]:
        """Upsert rows (id first) by content hash; return the counts and the ids of the changed rows."""
        cols = ", ".join(columns)
        plan = plan_upsert(
            rows, lambda ids: dict(cur.execute(f"SELECT id, hash FROM {table} WHERE id {_in_list(len(ids))}", ids)),
            lambda ids: cur.execute(f"SELECT {cols} FROM {table} WHERE id {_in_list(len(ids))}", ids).fetchall())
        cur.executemany(f"INSERT INTO {table}({cols}, hash) VALUES ({','.join('?' * (len(columns) + 1))})", plan.new)
        cur.executemany(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns[1:])}, hash = ? WHERE id = ?",
                        [(*row[1:], row[0]) for row in plan.changed])
        cur.executemany(f"UPDATE {table} SET hash = ? WHERE id = ?", plan.rehash)
        return plan.counts(), [row[0] for row in plan.changed]

    def _drop_vectors(self, cur: sqlite3.Cursor, ids: Sequence[str]) -> set[str]:
        """Delete the vectors of passages `ids` (every model), keeping the per-model counters; return the models."""
        touched: set[str] = set()
        for (model,) in cur.execute(EMBEDDING_MODELS_SQL).fetchall() if ids else []:
            gone = 0
            for chunk in batched(ids, 500):
                cur.execute(f"DELETE FROM embeddings WHERE model = ? AND passage_id {_in_list(len(chunk))}",
                            [model, *chunk])
                gone += max(cur.rowcount, 0)
            if gone:
                cur.execute("UPDATE meta SET value = CAST(value AS INTEGER) - ? WHERE key = ?",
                            (gone, embedding_count_key(model)))
                touched.add(model)
        return touched

    def write_passages(self, passages: Iterable[Passage]) -> int:
        """Upsert passages by content hash (changed ones lose their vectors); return how many were new or changed."""
        counts, models = WriteCounts(), set()
        with self._write() as cur:
            for batch in batched(passages, _BATCH):
                done, changed = self._upsert(cur, "passages", PASSAGE_COLUMNS, map(passage_row, batch))
                counts += done
                models |= self._drop_vectors(cur, changed)
        self._tally.add("passages", counts)
        self._after_passage_change(counts.changed, models)
        return counts.changed

    def delete_passages(self, ids: Sequence[str]) -> int:
        """Remove passages, their full-text entries (trigger) and vectors; return how many existed."""
        ids = list(dict.fromkeys(ids))
        gone = 0
        with self._write() as cur:
            models = self._drop_vectors(cur, ids)
            for chunk in batched(ids, 500):
                cur.execute(f"DELETE FROM passages WHERE id {_in_list(len(chunk))}", chunk)
                gone += max(cur.rowcount, 0)
        self._after_passage_change(gone, models)
        return gone

    def passage_ids_for_url(self, url: str) -> list[str]:
        """Ids of the passages with exactly this url, sorted."""
        return [r[0] for r in self._rows("SELECT id FROM passages WHERE url = ? ORDER BY id", (url,))]

    def write_entities(self, entities: Iterable[Entity]) -> int:
        """Insert entities, merging into an existing record with the same id; return how many were new."""
        counts = WriteCounts()
        with self._write() as cur:
            for batch in batched(entities, _BATCH):
                ids = list({e.id for e in batch})
                stored = dict(cur.execute(f"SELECT id, data FROM entities WHERE id {_in_list(len(ids))}", ids))
                merged, _ = merge_batch(batch, stored)
                write, done = entity_changes(merged, stored)
                counts += done
                cur.executemany("DELETE FROM entity_names WHERE entity_id = ?", [(e.id,) for e in write])
                cur.executemany("DELETE FROM entity_tokens WHERE entity_id = ?", [(e.id,) for e in write])
                cur.executemany(
                    "INSERT OR REPLACE INTO entities(id, name, type, popularity, data) VALUES (?,?,?,?,?)",
                    [(e.id, e.name, e.type, e.popularity, e.model_dump_json(exclude_defaults=True)) for e in write])
                keys = [(e.id, *entity_name_keys(e)) for e in write]
                cur.executemany("INSERT OR IGNORE INTO entity_names VALUES (?,?)",
                                [(n, eid) for eid, names, _ in keys for n in names])
                cur.executemany("INSERT OR IGNORE INTO entity_tokens VALUES (?,?)",
                                [(t, eid) for eid, _, tokens in keys for t in tokens])
        self._tally.add("entities", counts)
        return counts.new

    def write_checked_claims(self, claims: Iterable[CheckedClaim]) -> int:
        """Upsert checked claims by content hash; return how many were new or changed."""
        counts = WriteCounts()
        with self._write() as cur:
            for batch in batched(claims, _BATCH):
                counts += self._upsert(cur, "checked_claims", CLAIM_COLUMNS, map(claim_row, batch))[0]
        self._tally.add("checked_claims", counts)
        return counts.changed

    def get_meta(self, key: str) -> str | None:
        """A value of the meta table."""
        rows = self._rows("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str | None) -> None:
        """Set (None: remove) a key of the meta table."""
        with self._write() as cur:
            if value is None:
                cur.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                cur.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def write_embeddings(self, items: Iterable[tuple[str, Sequence[float]]], model: str) -> int:
        """Store float32 L2-normalised vectors for passage ids; return how many were new."""
        added = 0
        with self._write() as cur:
            for batch in batched(items, _BATCH):
                cur.executemany("INSERT OR IGNORE INTO embeddings(passage_id, model, vector) VALUES (?,?,?)",
                                [(pid, model, as_vector(vec).tobytes()) for pid, vec in batch])
                added += max(cur.rowcount, 0)
            key = embedding_count_key(model)
            cur.execute("UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key = ?", (added, key))
            if cur.rowcount == 0:  # first vectors of this model (or a store from before the counter)
                cur.execute("INSERT INTO meta VALUES (?, (SELECT count(*) FROM embeddings WHERE model = ?))",
                            (key, model))
        self._dense.invalidate(model)
        return added

    # ------------------------------------------------------------------ reads
    def _doc_freqs(self, tokens: list[str], cap: int) -> list[int]:
        """Passages matching each token, counted up to `cap`."""
        return [self._rows("SELECT count(*) FROM (SELECT 1 FROM passages_fts WHERE passages_fts MATCH ? LIMIT ?)",
                           (f'"{token}"', cap))[0][0] for token in tokens]

    def search_passages(self, query: str, k: int = 10, filters: SearchFilters | None = None) -> list[Hit]:
        """BM25 search over passage text and title (FTS5; user text is quoted, never parsed as syntax).

        Passages holding one of the query's core terms (`QueryTermPicker`) are found by one FTS5
        query; a second, `(core) AND (extra)`, scores those that also hold extra terms with every
        term. A passage's best score is its BM25 over all core and extra terms, so the merged top
        k is exactly that ranking among the passages holding a core term.
        """
        terms = self.term_picker.pick(query)
        core = _fts_query(terms.core)
        if core is None or k <= 0:
            return []
        where, params = _filter_sql(filters)
        source = "passages_fts JOIN passages p ON p.rowid = passages_fts.rowid" if where else "passages_fts"
        sql = (f"SELECT passages_fts.rowid, bm25(passages_fts) AS s FROM {source} WHERE passages_fts MATCH ?{where} "
               "ORDER BY s LIMIT ?")
        matches = [core] + ([f"({core}) AND ({_fts_query(terms.extra)})"] if terms.extra else [])
        scores: dict[int, float] = {}
        for match in matches:
            for rowid, score in self._rows(sql, [match, *params, k]):
                scores[rowid] = min(score, scores.get(rowid, score))  # bm25() is negated: lower is better
        best = sorted(scores, key=lambda r: (scores[r], r))[:k]
        rows = {r[0]: r[1:] for r in self._rows(
            f"SELECT p.rowid, {_PASSAGE_COLS} FROM passages p WHERE p.rowid {_in_list(len(best))}", best)}
        return [Hit(passage=passage_from_row(rows[r]), score=-scores[r], rank=i, scores={"bm25": -scores[r]})
                for i, r in enumerate(best, 1)]

    def passages_missing_embeddings(self, model: str, limit: int = 1000) -> list[Passage]:
        """Passages without a vector for `model`, in insertion order."""
        rows = self._rows(
            f"SELECT {_PASSAGE_COLS} FROM passages p WHERE NOT EXISTS "
            "(SELECT 1 FROM embeddings e WHERE e.model = ? AND e.passage_id = p.id) ORDER BY p.rowid LIMIT ?",
            (model, limit))
        return [passage_from_row(r) for r in rows]

    def iter_embeddings(self, model: str, batch_size: int = 10_000) -> Iterator[tuple[list[str], np.ndarray]]:
        """All vectors of `model` as (passage ids, float32 matrix) batches, in passage-id order."""
        return paged_embeddings(
            lambda after, n: self._rows("SELECT passage_id, vector FROM embeddings WHERE model = ? AND passage_id > ? "
                                        "ORDER BY passage_id LIMIT ?", (model, after, n)),
            lambda blob: np.frombuffer(blob, dtype=np.float32), batch_size)

    def embedding_count(self, model: str) -> int:
        """How many vectors `model` has (a counter kept by write_embeddings; counted for older stores)."""
        rows = self._rows("SELECT value FROM meta WHERE key = ?", (embedding_count_key(model),))
        if rows:
            return int(rows[0][0])
        return self._rows("SELECT count(*) FROM embeddings WHERE model = ?", (model,))[0][0]

    def search_dense(self, vector: Sequence[float], model: str, k: int = 10,
                     filters: SearchFilters | None = None) -> list[Hit]:
        """Nearest passages by cosine similarity among the vectors of `model`."""
        allowed = None
        if has_filters(filters):
            where, params = _filter_sql(filters)
            allowed = {r[0] for r in self._rows(f"SELECT p.id FROM passages p WHERE 1=1{where}", params)}
        best = self._dense.top(vector, model, k, allowed)
        return dense_hits(best, self.get_passages([pid for pid, _ in best]))

    def get_passages(self, ids: Sequence[str]) -> list[Passage]:
        """Passages by id, in the order asked (unknown ids left out)."""
        found: dict[str, Passage] = {}
        for chunk in batched(ids, 500):
            rows = self._rows(f"SELECT {_PASSAGE_COLS} FROM passages p WHERE p.id {_in_list(len(chunk))}", chunk)
            found.update((r[0], passage_from_row(r)) for r in rows)
        return [found[i] for i in dict.fromkeys(ids) if i in found]

    def get_entity(self, entity_id: str) -> Entity | None:
        """One entity by id."""
        rows = self._rows("SELECT data FROM entities WHERE id = ?", (entity_id,))
        return Entity.model_validate_json(rows[0][0]) if rows else None

    def find_entities(self, name: str, limit: int = 20) -> list[Entity]:
        """Exact normalised name/alias matches first, then name prefixes and token matches, by popularity."""
        norm = normalise_name(name)
        if not norm or limit <= 0:
            return []
        tokens = norm.split()
        exact = self._rows(
            "SELECT n.entity_id FROM entity_names n JOIN entities e ON e.id = n.entity_id "
            "WHERE n.name_norm = ? ORDER BY e.popularity DESC LIMIT ?", (norm, limit))
        token_sql = " INTERSECT ".join(["SELECT entity_id FROM entity_tokens WHERE token = ?"] * (len(tokens) - 1)
                                       + ["SELECT entity_id FROM entity_tokens WHERE token >= ? AND token < ?"])
        fuzzy = self._rows(
            "SELECT e.id FROM entities e WHERE e.id IN (SELECT entity_id FROM entity_names WHERE name_norm > ? "
            f"AND name_norm < ? UNION {token_sql}) ORDER BY e.popularity DESC LIMIT ?",
            (norm, norm + "\uffff", *tokens[:-1], tokens[-1], tokens[-1] + "\uffff", limit))
        ids = list(dict.fromkeys(r[0] for r in exact + fuzzy))[:limit]
        rows = dict(self._rows(f"SELECT id, data FROM entities WHERE id {_in_list(len(ids))}", ids))
        return [Entity.model_validate_json(rows[i]) for i in ids if i in rows]

    def search_checked_claims(self, query: str, k: int = 10) -> list[tuple[CheckedClaim, float]]:
        """BM25 search over previously checked claims (all query terms: the table is small)."""
        match = _fts_query(query_tokens(query))
        if match is None or k <= 0:
            return []
        rows = self._rows(
            f"SELECT {CHECKED_CLAIM_COLUMNS}, bm25(claims_fts) AS s "
            "FROM claims_fts JOIN checked_claims c ON c.rowid = claims_fts.rowid WHERE claims_fts MATCH ? "
            "ORDER BY s LIMIT ?", (match, k))
        return [(checked_claim_from_row(r), -float(r[8])) for r in rows]

    def stats(self) -> dict[str, int]:
        """Row counts: passages, entities, checked_claims, embeddings."""
        return {t: self._rows(f"SELECT count(*) FROM {t}")[0][0] for t in STAT_TABLES}

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
