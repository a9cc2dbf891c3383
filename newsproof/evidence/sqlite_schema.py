"""The SQLite store's schema and its migration from older versions."""

from __future__ import annotations

import sqlite3

from newsproof.evidence.store_common import SCHEMA_VERSION

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS passages (
  id TEXT PRIMARY KEY, text TEXT NOT NULL, title TEXT, source TEXT, url TEXT, date TEXT, kind TEXT, hash TEXT);
CREATE INDEX IF NOT EXISTS passages_date ON passages(date);
CREATE INDEX IF NOT EXISTS passages_url ON passages(url);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
  text, title, content='passages', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2');
CREATE TRIGGER IF NOT EXISTS passages_ai AFTER INSERT ON passages BEGIN
  INSERT INTO passages_fts(rowid, text, title) VALUES (new.rowid, new.text, coalesce(new.title, ''));
END;
CREATE TRIGGER IF NOT EXISTS passages_ad AFTER DELETE ON passages BEGIN
  INSERT INTO passages_fts(passages_fts, rowid, text, title) VALUES ('delete', old.rowid, old.text, coalesce(old.title, ''));
END;
CREATE TRIGGER IF NOT EXISTS passages_au AFTER UPDATE OF text, title ON passages BEGIN
  INSERT INTO passages_fts(passages_fts, rowid, text, title) VALUES ('delete', old.rowid, old.text, coalesce(old.title, ''));
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
  source TEXT, url TEXT, hash TEXT);
CREATE VIRTUAL TABLE IF NOT EXISTS claims_fts USING fts5(
  claim, content='checked_claims', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2');
CREATE TRIGGER IF NOT EXISTS claims_ai AFTER INSERT ON checked_claims BEGIN
  INSERT INTO claims_fts(rowid, claim) VALUES (new.rowid, new.claim);
END;
CREATE TRIGGER IF NOT EXISTS claims_ad AFTER DELETE ON checked_claims BEGIN
  INSERT INTO claims_fts(claims_fts, rowid, claim) VALUES ('delete', old.rowid, old.claim);
END;
CREATE TRIGGER IF NOT EXISTS claims_au AFTER UPDATE OF claim ON checked_claims BEGIN
  INSERT INTO claims_fts(claims_fts, rowid, claim) VALUES ('delete', old.rowid, old.claim);
  INSERT INTO claims_fts(rowid, claim) VALUES (new.rowid, new.claim);
END;
CREATE TABLE IF NOT EXISTS embeddings (passage_id TEXT NOT NULL, model TEXT NOT NULL, vector BLOB NOT NULL,
  PRIMARY KEY (model, passage_id));
"""
# embeddings is a rowid table: in a WITHOUT ROWID table (stores built before) each 1.5 kB vector
# spills into its own overflow page, about 5 kB on disk per vector instead of 2 kB. Same queries.
HASHED_TABLES = ("passages", "checked_claims")  # tables with a content-hash column (schema 2)


def migrate(conn: sqlite3.Connection) -> None:
    """Give a store of schema 1 its content-hash columns, in one transaction (its rows are hashed when
    next written). `conn` is in autocommit mode; a no-op on a current store."""
    def missing() -> list[str]:
        return [t for t in HASHED_TABLES if "hash" not in {r[1] for r in conn.execute(f"PRAGMA table_info({t})")}]

    if not missing():
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for table in missing():  # again under the write lock: another process may have migrated meanwhile
            conn.execute(f"ALTER TABLE {table} ADD COLUMN hash TEXT")
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
