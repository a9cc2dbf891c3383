"""Reports and batch jobs kept in a small SQLite file of their own (not the evidence store)."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
import threading
from pathlib import Path
from typing import Any

from newsproof.models import Report

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, title TEXT, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, finished_at TEXT,
    status TEXT NOT NULL, total INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS job_items (
    job_id TEXT NOT NULL REFERENCES jobs(id), idx INTEGER NOT NULL, input TEXT,
    status TEXT NOT NULL DEFAULT 'queued', report_id TEXT, error TEXT,
    PRIMARY KEY (job_id, idx));
"""

ID_PATTERN = r"^[A-Za-z0-9_-]{8,64}$"
# Report and job ids: 128 bits from the OS's CSPRNG, 22 URL-safe characters. A report URL is its only
# secret when no API key is set, so an attacker making a billion guesses a second against a server
# holding a million reports would need about 10^16 years to expect one hit (2^128 / 10^6 / 10^9 s).
ID_BITS = 128


def new_id() -> str:
    """An unguessable URL-safe id of ID_BITS random bits (reports are shared by URL: ids are not enumerable)."""
    return secrets.token_urlsafe(ID_BITS // 8)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class StateStore:
    """Thread-safe access to the web state file: one connection per thread, WAL journal."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        with self._connection() as conn:
            conn.executescript(_SCHEMA)

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def close(self) -> None:
        """Close every connection opened by any thread."""
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    # ------------------------------------------------------------------ reports
    def save_report(self, body: str, title: str | None = None) -> str:
        """Store a JSON report and return its new id."""
        report_id = new_id()
        with self._connection() as conn:
            conn.execute("INSERT INTO reports (id, created_at, title, body) VALUES (?, ?, ?, ?)",
                         (report_id, _now(), title, body))
        return report_id

    def report_json(self, report_id: str) -> str | None:
        """The stored JSON text of a report, or None."""
        row = self._connection().execute("SELECT body FROM reports WHERE id = ?", (report_id,)).fetchone()
        return row["body"] if row else None

    def report(self, report_id: str) -> Report | None:
        """A stored report, or None."""
        body = self.report_json(report_id)
        return Report.model_validate_json(body) if body is not None else None

    def delete_report(self, report_id: str) -> bool:
        """Delete a report (its article text goes with it); False when there was none."""
        with self._connection() as conn:
            conn.execute("UPDATE job_items SET report_id = NULL WHERE report_id = ?", (report_id,))
            return conn.execute("DELETE FROM reports WHERE id = ?", (report_id,)).rowcount > 0

    def purge(self, keep_days: int, now: dt.datetime | None = None) -> tuple[int, int]:
        """Delete reports, and finished jobs, older than `keep_days` days; return (reports, jobs) deleted."""
        cutoff = ((now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=keep_days)).isoformat(timespec="seconds")
        with self._connection() as conn:
            conn.execute("UPDATE job_items SET report_id = NULL WHERE report_id IN "
                         "(SELECT id FROM reports WHERE created_at < ?)", (cutoff,))
            reports = conn.execute("DELETE FROM reports WHERE created_at < ?", (cutoff,)).rowcount
            old_jobs = "SELECT id FROM jobs WHERE status = 'done' AND finished_at < ?"
            conn.execute(f"DELETE FROM job_items WHERE job_id IN ({old_jobs})", (cutoff,))
            jobs = conn.execute(f"DELETE FROM jobs WHERE id IN ({old_jobs})", (cutoff,)).rowcount
        return reports, jobs

    # ------------------------------------------------------------------ jobs
    def create_job(self, inputs: list[dict[str, Any]]) -> str:
        """Store a batch job with one queued item per input; return its id."""
        job_id = new_id()
        with self._connection() as conn:
            conn.execute("INSERT INTO jobs (id, created_at, status, total) VALUES (?, ?, 'queued', ?)",
                         (job_id, _now(), len(inputs)))
            conn.executemany("INSERT INTO job_items (job_id, idx, input) VALUES (?, ?, ?)",
                             [(job_id, n, json.dumps(item)) for n, item in enumerate(inputs)])
        return job_id

    def unfinished_jobs(self) -> list[str]:
        """Ids of queued or interrupted jobs, oldest first."""
        rows = self._connection().execute(
            "SELECT id FROM jobs WHERE status != 'done' ORDER BY created_at, rowid").fetchall()
        return [row["id"] for row in rows]

    def set_job_status(self, job_id: str, status: str) -> None:
        """Mark a job queued, running or done."""
        finished = _now() if status == "done" else None
        with self._connection() as conn:
            conn.execute("UPDATE jobs SET status = ?, finished_at = ? WHERE id = ?", (status, finished, job_id))

    def pending_items(self, job_id: str) -> list[tuple[int, dict[str, Any]]]:
        """(index, input) of the job's items not yet processed."""
        rows = self._connection().execute(
            "SELECT idx, input FROM job_items WHERE job_id = ? AND status = 'queued' ORDER BY idx", (job_id,))
        return [(row["idx"], json.loads(row["input"])) for row in rows]

    def finish_item(self, job_id: str, idx: int, report_id: str | None, error: dict[str, str] | None) -> None:
        """Record an item's outcome and drop its input text."""
        with self._connection() as conn:
            conn.execute("UPDATE job_items SET status = ?, report_id = ?, error = ?, input = NULL "
                         "WHERE job_id = ? AND idx = ?",
                         ("error" if error else "done", report_id, json.dumps(error) if error else None,
                          job_id, idx))

    def job(self, job_id: str) -> dict[str, Any] | None:
        """A job with its progress and per-article results, or None."""
        conn = self._connection()
        job = conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if job is None:
            return None
        items = conn.execute(
            "SELECT i.idx, i.status, i.report_id, i.error, json_extract(r.body, '$.summary') AS summary "
            "FROM job_items i "
            "LEFT JOIN reports r ON r.id = i.report_id WHERE i.job_id = ? ORDER BY i.idx", (job_id,)).fetchall()
        results = [_item_result(row) for row in items]
        done = sum(1 for r in results if r["status"] != "queued")
        return {"id": job["id"], "status": job["status"], "created_at": job["created_at"],
                "finished_at": job["finished_at"], "total": job["total"], "processed": done,
                "failed": sum(1 for r in results if r["status"] == "error"),
                "progress": round(done / job["total"], 4) if job["total"] else 1.0, "results": results}


def _item_result(row: sqlite3.Row) -> dict[str, Any]:
    result: dict[str, Any] = {"index": row["idx"], "status": row["status"]}
    if row["report_id"]:
        result.update(report_id=row["report_id"], summary=json.loads(row["summary"]) if row["summary"] else None)
    if row["error"]:
        result["error"] = json.loads(row["error"])
    return result
