"""Local batch engine: the per-item check, resumable JSONL output, sequential or worker processes."""

from __future__ import annotations

import contextlib
import heapq
import json
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsproof.batch.output import done_ids, plan_output
from newsproof.batch.readers import Item, count_items, iter_items
from newsproof.batch.summary import Digest, RunStats, digest
from newsproof.errors import ConfigError, Errors, InputError, NewsproofError
from newsproof.progress import make_progress

NO_CONTENT = "no article text: the row has no text, html, markdown, content, body or url value (see --text-column)"
THREAD_ENV = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS")


@dataclass(frozen=True, slots=True)
class CheckerSettings:
    """How to build a Checker; picklable, so it travels to worker processes and Spark executors."""

    store_uri: str | None = None
    config_path: str | None = None
    detector: str = "default"
    allow_private_urls: bool = False

    def build(self) -> Any:
        """A warmed-up Checker (models loaded, store opened read-only)."""
        from newsproof.pipeline import Checker

        checker = Checker(store_uri=self.store_uri, config_path=self.config_path, detector=self.detector,
                          allow_private_urls=self.allow_private_urls)
        checker.warm_up()
        return checker

    def prepare_store(self) -> None:
        """Build the default evidence base once, before any worker opens it."""
        from newsproof.config import load_config
        from newsproof.evidence import open_store

        open_store(self.store_uri or load_config(self.config_path)["store"]["uri"], read_only=True).close()


@dataclass(frozen=True, slots=True)
class Result:
    """One output line plus what the summary needs from it."""

    id: str
    line: str
    digest: Digest
    finished_at: float


def check_item(checker: Any, item: Item) -> dict[str, Any]:
    """Check one item; failures become {"id", "error": {"code", "message"}} instead of raising."""
    try:
        if item.data is not None:
            report = checker.check_bytes(item.data, kind=item.kind, date=item.date, url=item.url)
        elif item.url:
            report = checker.check(item.url, date=item.date)
        else:
            raise InputError(NO_CONTENT, code="E101")
        dumped = report.model_dump(mode="json")
        if item.title and not dumped["article"].get("title"):
            dumped["article"]["title"] = item.title  # the input row's title column
        return {"id": item.id, "report": dumped}
    except NewsproofError as exc:
        return {"id": item.id, "error": {"code": exc.code, "message": str(exc.args[0])}}
    except Exception as exc:  # one bad article must never stop a batch
        return {"id": item.id, "error": {"code": NewsproofError.code, "message": f"{type(exc).__name__}: {exc}"}}


def process_item(checker: Any, item: Item) -> Result:
    """Check one item and serialise its output line (runs in the worker, not the parent)."""
    record = check_item(checker, item)
    return Result(item.id, json.dumps(record, ensure_ascii=False), digest(record), time.time())


def limit_threads(threads: int) -> None:
    """Cap BLAS/OpenMP/torch threads so parallel workers do not oversubscribe the cores."""
    for name in THREAD_ENV:
        os.environ[name] = str(threads)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)


def default_workers() -> int:
    """One worker per usable core."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# ----------------------------------------------------------------------------- worker processes
_CHECKER: Any = None
_INIT_ERROR: BaseException | None = None


def _init_worker(settings: CheckerSettings, threads: int) -> None:
    """Build the worker's Checker; a failure is kept and re-raised by `_work` (Pool would respawn forever)."""
    global _CHECKER, _INIT_ERROR
    limit_threads(threads)
    try:
        _CHECKER = settings.build()
    except Exception as exc:
        _INIT_ERROR = exc


def _work(numbered: tuple[int, Item]) -> tuple[int, Result]:
    if _INIT_ERROR is not None:
        raise _INIT_ERROR
    return numbered[0], process_item(_CHECKER, numbered[1])


def _bounded(items: Iterable[tuple[int, Item]], slots: threading.Semaphore) -> Iterator[tuple[int, Item]]:
    """Yield items only while fewer than the semaphore's size are in flight (Pool reads its input eagerly)."""
    for item in items:
        slots.acquire()
        yield item


def _run_pool(settings: CheckerSettings, items: Iterable[Item], workers: int,
              chunksize: int) -> Iterator[tuple[int, Result]]:
    """(input position, result) pairs in completion order."""
    threads = max(1, default_workers() // workers)
    context = multiprocessing.get_context("spawn")
    slots = threading.Semaphore(max(4 * workers * chunksize, 2 * chunksize))
    with context.Pool(workers, initializer=_init_worker, initargs=(settings, threads)) as pool:
        for numbered in pool.imap_unordered(_work, _bounded(enumerate(items), slots), chunksize=chunksize):
            slots.release()
            yield numbered


def _run_sequential(settings: CheckerSettings, items: Iterable[Item]) -> Iterator[tuple[int, Result]]:
    checker = settings.build()
    try:
        for number, item in enumerate(items):
            yield number, process_item(checker, item)
    finally:
        checker.close()


class InputOrder:
    """Holds results that finish early until every earlier input is done, so lines follow the input order."""

    def __init__(self, ordered: bool = True) -> None:
        self.ordered = ordered
        self.next = 0
        self.waiting: list[tuple[int, str]] = []

    def ready(self, number: int, line: str) -> list[str]:
        """Lines that can be written now that input `number` is done."""
        if not self.ordered:
            return [line]
        heapq.heappush(self.waiting, (number, line))
        lines = []
        while self.waiting and self.waiting[0][0] == self.next:
            lines.append(heapq.heappop(self.waiting)[1])
            self.next += 1
        return lines


# ----------------------------------------------------------------------------- entry point
def run_local(inputs: list[str], out: Path, *, settings: CheckerSettings | None = None,
              workers: int | None = None, resume: bool = False, overwrite: bool = False, ordered: bool = True,
              id_column: str | None = None, text_column: str | None = None, progress: bool = True,
              chunksize: int = 2, on_result: Callable[[Result], None] | None = None) -> RunStats:
    """Check every input item into `out` (JSONL, input order unless `ordered` is false) with a sequential loop
    or a pool of worker processes. A fresh run writes `<out>.partial` and renames it when done."""
    settings = settings or CheckerSettings()
    workers = workers or default_workers()
    if workers < 1:
        raise ConfigError(Errors.E301.format(value=workers, name="--workers", choices="an integer >= 1"))
    target = plan_output(out, resume=resume, overwrite=overwrite)
    skip = done_ids(target.working) if target.append else set()
    total = count_items(inputs)
    stats = RunStats(engine="local" if workers > 1 else "sequential", workers=workers)

    def pending() -> Iterator[Item]:
        for item in iter_items(inputs, id_column=id_column, text_column=text_column):
            if item.id in skip:
                stats.skipped += 1
            else:
                yield item

    settings.prepare_store()
    started = time.time()
    results = _run_sequential(settings, pending()) if workers == 1 else _run_pool(settings, pending(), workers,
                                                                                 chunksize)
    order = InputOrder(ordered)
    handle = target.open()
    with handle, make_progress(progress) as bar, contextlib.closing(results):
        task = bar.add_task("checking", total=None if total is None else max(total - len(skip), 0), failed=0)
        for number, result in results:
            for line in order.ready(number, result.line):
                handle.write(line + "\n")
            handle.flush()
            stats.add(result.digest, result.finished_at - started)
            bar.update(task, advance=1, failed=stats.failed, rate=stats.checking_rate)
            if on_result is not None:
                on_result(result)
        target.finish(handle)
    stats.elapsed_s = time.time() - started
    return stats
