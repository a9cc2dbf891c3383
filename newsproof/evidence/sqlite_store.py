"""Embedded evidence store: SQLite (WAL) with FTS5 BM25 search and numpy dense search."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from newsproof.errors import Errors, StoreError
from newsproof.evidence.protocol import Hit, SearchFilters
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
from newsproof.models import CheckedClaim, Entity, Passage

BUSY_TIMEOUT_S = 30.0  # how long a connection waits for another writer (schema creation included)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS passages (
  id TEXT PRIMARY KEY, text TEXT NOT NULL, title TEXT, source TEXT, url TEXT, date TEXT, kind TEXT);
CREATE INDEX IF NOT EXISTS passages_date ON passages(date);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
  text, title, content='passages', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2');
CREATE TRIGGER IF NOT EXISTS passages_ai AFTER INSERT ON passages BEGIN
  INSERT INTO passages_fts(rowid, text, title) VALUES (new.rowid, new.text, coalesce(new.title, ''));
END;
CREATE TABLE IF NOT EXISTS entities (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT, popularity REAL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entity_names (name_norm TEXT NOT NULL, entity_id TEXT NOT NULL,
  PRIMARY KEY (name_norm, entity_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entity_tokens (token TEXT NOT NULL, entity_id TEXT NOT NULL,
  PRIMARY KEY (token, entity_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entity_names_id ON entity_names(entity_id);
CREATE INDEX IF NOT EXISTS entity_tokens_id ON entity_tokens(entity_id);
CREATE TABLE IF NOT EXISTS checked_claims (
  id TEXT PRIMARY KEY, claim TEXT NOT NULL, label TEXT, verdict TEXT, date TEXT, speaker TEXT,
  source TEXT, url TEXT);
CREATE VIRTUAL TABLE IF NOT EXISTS claims_fts USING fts5(
  claim, content='checked_claims', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2');
CREATE TRIGGER IF NOT EXISTS claims_ai AFTER INSERT ON checked_claims BEGIN
  INSERT INTO claims_fts(rowid, claim) VALUES (new.rowid, new.claim);
END;
CREATE TABLE IF NOT EXISTS embeddings (passage_id TEXT NOT NULL, model TEXT NOT NULL, vector BLOB NOT NULL,
  PRIMARY KEY (model, passage_id));
"""
# embeddings is a rowid table: in a WITHOUT ROWID table (stores built before) each 1.5 kB vector
# spills into its own overflow page, about 5 kB on disk per vector instead of 2 kB. Same queries.
_PASSAGE_COLS = "p.id, p.text, p.title, p.source, p.url, p.date, p.kind"
_BATCH = 2000


def _fts_query(tokens: Sequence[str]) -> str | None:
    """An FTS5 MATCH expression OR-ing the quoted tokens (word characters only: never raises)."""
    return " OR ".join(f'"{t}"' for t in tokens) if tokens else None


def _in_list(n: int) -> str:
    return f"IN ({','.join('?' * n)})"


def _filter_sql(filters: SearchFilters | None) -> tuple[str, list]:
    return filter_sql(filters, "?", _in_list)


class SQLiteStore:
    """Evidence store in one SQLite file. Safe to share across threads (calls are serialised)."""

    def __init__(self, path: str | Path, *, read_only: bool = False, bulk: bool = False) -> None:
        self.path = Path(path)
        self.uri = f"sqlite:///{self.path}"
        self.read_only = read_only
        self._lock = threading.RLock()
        self._dense = DenseCache(self.iter_embeddings)
        self.term_picker = QueryTermPicker(self._doc_freqs)
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
                self._conn.executescript(f"BEGIN IMMEDIATE;{_SCHEMA}"
                                         f"INSERT OR IGNORE INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}');"
                                         "COMMIT;")
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
    def write_passages(self, passages: Iterable[Passage]) -> int:
        """Insert passages; return how many were new."""
        added = 0
        with self._write() as cur:
            for batch in batched(passages, _BATCH):
                cur.executemany(
                    "INSERT OR IGNORE INTO passages(id, text, title, source, url, date, kind) VALUES (?,?,?,?,?,?,?)",
                    [(p.id, p.text, p.title, p.source, p.url, p.date, p.kind) for p in batch])
                added += max(cur.rowcount, 0)
        if added:
            self.term_picker.invalidate()
        return added

    def write_entities(self, entities: Iterable[Entity]) -> int:
        """Insert entities, merging into an existing record with the same id; return how many were new."""
        new = 0
        with self._write() as cur:
            for batch in batched(entities, _BATCH):
                ids = list({e.id for e in batch})
                stored = dict(cur.execute(f"SELECT id, data FROM entities WHERE id {_in_list(len(ids))}", ids))
                merged, added = merge_batch(batch, stored)
                new += added
                cur.executemany("DELETE FROM entity_names WHERE entity_id = ?", [(i,) for i in stored])
                cur.executemany("DELETE FROM entity_tokens WHERE entity_id = ?", [(i,) for i in stored])
                cur.executemany(
                    "INSERT OR REPLACE INTO entities(id, name, type, popularity, data) VALUES (?,?,?,?,?)",
                    [(e.id, e.name, e.type, e.popularity, e.model_dump_json(exclude_defaults=True))
                     for e in merged.values()])
                keys = [(e.id, *entity_name_keys(e)) for e in merged.values()]
                cur.executemany("INSERT OR IGNORE INTO entity_names VALUES (?,?)",
                                [(n, eid) for eid, names, _ in keys for n in names])
                cur.executemany("INSERT OR IGNORE INTO entity_tokens VALUES (?,?)",
                                [(t, eid) for eid, _, tokens in keys for t in tokens])
        return new

    def write_checked_claims(self, claims: Iterable[CheckedClaim]) -> int:
        """Insert checked claims; return how many were new."""
        added = 0
        with self._write() as cur:
            for batch in batched(claims, _BATCH):
                cur.executemany(
                    "INSERT OR IGNORE INTO checked_claims(id, claim, label, verdict, date, speaker, source, url) "
                    "VALUES (?,?,?,?,?,?,?,?)",
                    [(c.id, c.claim, c.label, c.verdict.value, c.date, c.speaker, c.source, c.url) for c in batch])
                added += max(cur.rowcount, 0)
        return added

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
