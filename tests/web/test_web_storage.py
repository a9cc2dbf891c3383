"""The web state file: job bookkeeping survives closing and reopening it."""

from __future__ import annotations

import threading
from pathlib import Path

from newsproof.web.storage import StateStore


def test_job_progress_and_resume_after_reopen(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    store = StateStore(path)
    job_id = store.create_job([{"text": "a"}, {"text": "b"}, {"url": "https://example.com"}])
    store.set_job_status(job_id, "running")
    store.finish_item(job_id, 0, None, {"code": "NP101", "message": "empty"})
    store.close()

    reopened = StateStore(path)
    assert reopened.unfinished_jobs() == [job_id]
    assert reopened.pending_items(job_id) == [(1, {"text": "b"}), (2, {"url": "https://example.com"})]
    job = reopened.job(job_id)
    assert (job["status"], job["total"], job["processed"], job["failed"], job["progress"]) == ("running", 3, 1, 1, 0.3333)
    assert job["results"][0] == {"index": 0, "status": "error", "error": {"code": "NP101", "message": "empty"}}
    assert job["results"][1] == {"index": 1, "status": "queued"}
    reopened.set_job_status(job_id, "done")
    assert reopened.unfinished_jobs() == [] and reopened.job(job_id)["finished_at"] is not None
    assert reopened.job("missing-job-id") is None and reopened.report("missing-report") is None
    reopened.close()


def test_connections_are_per_thread(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.sqlite")
    ids: list[str] = []
    threads = [threading.Thread(target=lambda: ids.append(store.create_job([{"text": "x"}]))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(ids)) == 8 and sorted(store.unfinished_jobs()) == sorted(ids)
    store.close()
