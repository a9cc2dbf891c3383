"""Background batch jobs: one worker thread works through queued jobs, resuming unfinished ones on start."""

from __future__ import annotations

import logging
import queue
import threading

from pydantic import ValidationError

from newsproof.errors import NewsproofError
from newsproof.web.errors import BAD_REQUEST, describe
from newsproof.web.service import ArticleInput, CheckService

log = logging.getLogger("newsproof.web.jobs")


class JobRunner:
    """Process batch jobs in submission order on a single daemon thread."""

    def __init__(self, service: CheckService) -> None:
        self.service = service
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the worker and re-queue jobs a previous run did not finish."""
        unfinished = self.service.state.unfinished_jobs()
        if unfinished:
            log.info("resuming %d unfinished batch job(s)", len(unfinished))
        for job_id in unfinished:
            self._queue.put(job_id)
        self._thread = threading.Thread(target=self._work, name="newsproof-batch", daemon=True)
        self._thread.start()

    def submit(self, inputs: list[ArticleInput]) -> str:
        """Store a job and queue it; return its id."""
        job_id = self.service.state.create_job([item.model_dump(mode="json", exclude_none=True) for item in inputs])
        self._queue.put(job_id)
        return job_id

    def stop(self, timeout: float = 60.0) -> None:
        """Finish the article in progress, then stop; unprocessed items stay queued for the next start."""
        self._stop.set()
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout)

    def _work(self) -> None:
        while not self._stop.is_set():
            job_id = self._queue.get()
            if job_id is None:
                break
            try:
                self._run_job(job_id)
            except Exception:  # keep the worker alive whatever one job does
                log.exception("batch job %s failed", job_id)

    def _run_job(self, job_id: str) -> None:
        state = self.service.state
        state.set_job_status(job_id, "running")
        for idx, raw in state.pending_items(job_id):
            if self._stop.is_set():
                return
            report_id, error = self._run_item(raw)
            state.finish_item(job_id, idx, report_id, error)
        state.set_job_status(job_id, "done")

    def _run_item(self, raw: dict) -> tuple[str | None, dict[str, str] | None]:
        try:
            report_id, _ = self.service.check(ArticleInput.model_validate(raw))
            return report_id, None
        except NewsproofError as exc:
            _, code, message = describe(exc)
            return None, {"code": code, "message": message}
        except ValidationError as exc:
            return None, {"code": BAD_REQUEST, "message": str(exc)}
        except Exception as exc:
            log.exception("unexpected error in a batch item")
            return None, {"code": "NP000", "message": f"internal error ({type(exc).__name__})"}
