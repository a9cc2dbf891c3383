"""The PostgreSQL store's schema migration and write steps, on an open connection or cursor inside the
caller's transaction: upserts by
content hash through COPY into temp tables, document-frequency bookkeeping (`passage_terms`, through
the tmp_terms table), vector removal and entity merges."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from newsproof.evidence.protocol import WriteCounts
from newsproof.evidence.store_common import (
    SCHEMA_VERSION,
    embedding_count_key,
    entity_name_keys,
    merge_batch,
)
from newsproof.evidence.upsert import EMBEDDING_MODELS_SQL, entity_changes, plan_upsert
from newsproof.models import Entity

PASSAGE_COUNT = "passages"  # np_meta key of the passage count (kept with passage_terms)
TERMS_MARKER = "passage_terms"  # np_meta key marking a store whose passage_terms is complete


def migrate(conn: Any) -> None:
    """Give a store of schema 1 its content-hash columns (its rows are hashed when next written).
    Columns are checked first: ALTER TABLE would take an exclusive lock even when they exist."""
    for table in ("passages", "checked_claims"):
        if not conn.execute("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                                  "AND table_name = %s AND column_name = 'hash'", (table,)).fetchone():
            conn.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS hash TEXT")
    conn.execute("INSERT INTO np_meta VALUES ('schema_version', %s) ON CONFLICT (key) DO UPDATE "
                       "SET value = EXCLUDED.value WHERE np_meta.value <> EXCLUDED.value", (str(SCHEMA_VERSION),))


def backfill_terms(conn: Any) -> None:
    """Fill passage_terms and the passage count from the stored passages, once per store."""
    if conn.execute("SELECT 1 FROM np_meta WHERE key = %s", (TERMS_MARKER,)).fetchone():
        return
    conn.execute("INSERT INTO passage_terms SELECT u.lexeme, count(*) FROM passages, unnest(tsv) u "
                       "GROUP BY u.lexeme")
    conn.execute("INSERT INTO np_meta SELECT %s, count(*)::text FROM passages "
                       "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", (PASSAGE_COUNT,))
    conn.execute("INSERT INTO np_meta VALUES (%s, '1')", (TERMS_MARKER,))


def clean(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL characters."""
    return value.replace("\x00", "") if isinstance(value, str) else value


def copy_tmp(cur: Any, table: str, cols: Sequence[str], rows: Iterable[Sequence]) -> None:
    """COPY rows into the (emptied) temp twin of `table`."""
    col_list = ", ".join(cols)
    cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS tmp_{table} AS SELECT {col_list} FROM {table} WITH NO DATA")
    cur.execute(f"TRUNCATE tmp_{table}")
    with cur.copy(f"COPY tmp_{table} ({col_list}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def upsert(cur: Any, table: str, columns: Sequence[str], rows: Iterable[tuple], *,
           terms: bool = False) -> tuple[WriteCounts, list[str]]:
    """Upsert rows (id first, NULs removed) by content hash; return the counts and the changed ids.

    With `terms` (passages), the lexemes of the replaced rows are counted out of tmp_terms and
    those of the written rows into it.
    """
    cols = (*columns, "hash")
    col_list = ", ".join(cols)
    plan = plan_upsert(
        rows, lambda ids: dict(cur.execute(f"SELECT id, hash FROM {table} WHERE id = ANY(%s)", (ids,)).fetchall()),
        lambda ids: cur.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = ANY(%s)", (ids,)).fetchall())
    changed = [row[0] for row in plan.changed]
    if changed:
        if terms:
            cur.execute("INSERT INTO tmp_terms SELECT u.lexeme, -count(*) FROM passages, unnest(tsv) u "
                        "WHERE id = ANY(%s) GROUP BY u.lexeme", (changed,))
        copy_tmp(cur, table, cols, plan.changed)
        update = (f"UPDATE {table} t SET {', '.join(f'{c} = s.{c}' for c in cols[1:])} FROM tmp_{table} s "
                  "WHERE t.id = s.id")
        cur.execute(f"WITH up AS ({update} RETURNING t.tsv) INSERT INTO tmp_terms SELECT u.lexeme, count(*) "
                    "FROM up, unnest(up.tsv) u GROUP BY u.lexeme" if terms else update)
    added = 0
    if plan.new:
        copy_tmp(cur, table, cols, plan.new)
        insert = f"INSERT INTO {table} ({col_list}) SELECT {col_list} FROM tmp_{table} ON CONFLICT (id) DO NOTHING"
        if terms:
            cur.execute(f"WITH new AS ({insert} RETURNING tsv), terms AS (INSERT INTO tmp_terms SELECT u.lexeme, "
                        "count(*) FROM new, unnest(new.tsv) u GROUP BY u.lexeme) SELECT count(*) FROM new")
            added = cur.fetchone()[0]
        else:
            cur.execute(insert)
            added = max(cur.rowcount, 0)
    if plan.rehash:
        cur.execute(f"UPDATE {table} t SET hash = v.h FROM unnest(%s::text[], %s::text[]) AS v(h, id) "
                    "WHERE t.id = v.id", ([h for h, _ in plan.rehash], [i for _, i in plan.rehash]))
    counts = plan.counts()
    return WriteCounts(added, counts.updated, counts.unchanged + len(plan.new) - added), changed


def drop_vectors(cur: Any, ids: Sequence[str]) -> set[str]:
    """Delete the vectors of passages `ids` (every model), keeping the per-model counters; return the models."""
    touched: set[str] = set()
    for (model,) in cur.execute(EMBEDDING_MODELS_SQL).fetchall() if ids else []:
        cur.execute("DELETE FROM embeddings WHERE model = %s AND passage_id = ANY(%s)", (model, list(ids)))
        if cur.rowcount > 0:
            cur.execute("UPDATE np_meta SET value = (value::bigint - %s)::text WHERE key = %s",
                        (cur.rowcount, embedding_count_key(model)))
            touched.add(model)
    return touched


def start_terms(cur: Any) -> None:
    """An empty tmp_terms table for this transaction's lexeme counts."""
    cur.execute("CREATE TEMP TABLE IF NOT EXISTS tmp_terms (lexeme TEXT, n BIGINT)")
    cur.execute("TRUNCATE tmp_terms")


def apply_terms(cur: Any, added: int, removed: bool) -> None:
    """Add tmp_terms to passage_terms once, in lexeme order (concurrent writers lock rows in the same
    order), dropping lexemes no passage holds any more (`removed`); add `added` to the passage count."""
    cur.execute("INSERT INTO passage_terms SELECT lexeme, sum(n) FROM tmp_terms GROUP BY lexeme HAVING sum(n) <> 0 "
                "ORDER BY lexeme ON CONFLICT (lexeme) DO UPDATE SET ndoc = passage_terms.ndoc + EXCLUDED.ndoc")
    if removed:
        cur.execute("DELETE FROM passage_terms WHERE ndoc <= 0 AND lexeme IN (SELECT lexeme FROM tmp_terms)")
    if added:
        cur.execute("UPDATE np_meta SET value = (value::bigint + %s)::text WHERE key = %s", (added, PASSAGE_COUNT))


def write_entity_batch(cur: Any, batch: list[Entity]) -> WriteCounts:
    """Merge a batch of entities into the stored ones by id; write only the new and changed ones."""
    cur.execute("SELECT id, data::text FROM entities WHERE id = ANY(%s)", (list({e.id for e in batch}),))
    stored = dict(cur.fetchall())
    merged, _ = merge_batch(batch, stored)
    write, done = entity_changes(merged, stored)
    cur.execute("DELETE FROM entity_names WHERE entity_id = ANY(%s)", ([e.id for e in write],))
    cur.execute("DELETE FROM entity_tokens WHERE entity_id = ANY(%s)", ([e.id for e in write],))
    cur.executemany(
        "INSERT INTO entities (id, name, type, popularity, data) VALUES (%s, %s, %s, %s, %s::jsonb) "
        "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, type = EXCLUDED.type, "
        "popularity = EXCLUDED.popularity, data = EXCLUDED.data",
        [(e.id, clean(e.name), e.type, e.popularity, clean(e.model_dump_json(exclude_defaults=True)))
         for e in write])
    keys = [(e.id, *entity_name_keys(e)) for e in write]
    with cur.copy("COPY entity_names (name_norm, entity_id) FROM STDIN") as copy:
        for eid, names, _ in keys:
            for n in names:
                copy.write_row((clean(n), eid))
    with cur.copy("COPY entity_tokens (token, entity_id) FROM STDIN") as copy:
        for eid, _, tokens in keys:
            for t in tokens:
                copy.write_row((clean(t), eid))
    return done
