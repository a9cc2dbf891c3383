"""Spark engine: the same per-item check run with `mapPartitions`, one Checker per executor process.

Inputs: Parquet/JSONL/CSV URIs (hdfs://, s3a://, file://...) are read by Spark; local paths (any
input kind) are read on the driver and parallelised. Output: a local JSONL file (streamed to the driver),
or a Spark destination: a `.parquet` path or any `scheme://` URI (JSON lines as text part files).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from newsproof.batch.output import OutputFile, done_ids, plan_output, refuse_existing
from newsproof.batch.readers import TABLE_SUFFIXES, Item, iter_items, record_to_item
from newsproof.batch.runner import CheckerSettings, Result, limit_threads, process_item
from newsproof.batch.summary import RunStats
from newsproof.errors import EXIT_OK, ConfigError, NewsproofError
from newsproof.progress import make_progress

SPARK_FILES_PREFIX = "sparkfiles:"
JOB_GROUP = "newsproof-batch"
_EXECUTOR_CHECKERS: dict[CheckerSettings, Any] = {}


def spark_session(master: str | None = None, app_name: str = "newsproof-batch") -> Any:
    """A SparkSession tuned for batch checking (no UI, few shuffle partitions, the venv's Python)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise ConfigError("--engine spark needs pyspark: pip install 'newsproof[spark]'") from exc
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (SparkSession.builder.appName(app_name)
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "8")
               .config("spark.driver.memory", os.environ.get("NEWSPROOF_SPARK_DRIVER_MEMORY", "1g"))
               .config("spark.python.worker.reuse", "true"))
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):
        # A local run keeps all of Spark's traffic on the loopback interface.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def is_spark_destination(out: str) -> bool:
    """True when Spark itself writes `out` (Parquet, or a URI such as hdfs:// or s3a://)."""
    return out.lower().endswith(".parquet") or "://" in out


# ----------------------------------------------------------------------------- executor side
def executor_checker(settings: CheckerSettings) -> Any:
    """The Checker of this executor Python process, built on first use (store opened read-only)."""
    checker = _EXECUTOR_CHECKERS.get(settings)
    if checker is None:
        from pyspark import SparkFiles, TaskContext

        context = TaskContext.get()
        limit_threads(context.cpus() if context is not None else 1)
        local = settings
        if settings.store_uri and settings.store_uri.startswith(SPARK_FILES_PREFIX):
            local = replace(settings, store_uri=SparkFiles.get(settings.store_uri[len(SPARK_FILES_PREFIX):]))
        checker = _EXECUTOR_CHECKERS[settings] = local.build()
    return checker


def check_partition(settings: CheckerSettings, items: Iterable[Item]) -> Iterator[Result]:
    """mapPartitions body: a Result (id, JSON line, digest, finished_at) for every item of the partition."""
    checker = None
    for item in items:
        checker = checker or executor_checker(settings)
        yield process_item(checker, item)


def _parquet_row(result: Result) -> tuple[str, str | None, str | None, str | None]:
    record = json.loads(result.line)
    error = record.get("error") or {}
    report = json.dumps(record["report"], ensure_ascii=False) if "report" in record else None
    return result.id, report, error.get("code"), error.get("message")


# ----------------------------------------------------------------------------- driver side
def items_rdd(spark: Any, inputs: list[str], id_column: str | None, text_column: str | None,
              partitions: int | None) -> Any:
    """One RDD of Items: URIs (hdfs://, s3a://, file://...) of tables are read by Spark, local paths by the driver."""
    sc = spark.sparkContext
    rdds, local = [], []
    for source in inputs:
        if "://" in source:
            name = source.rstrip("/").rsplit("/", 1)[-1]
            rdds.append(_read_table(spark, source).rdd.zipWithIndex().map(
                lambda pair, name=name: record_to_item(pair[0].asDict(recursive=True), f"{name}:{pair[1] + 1}",
                                                       id_column, text_column)))
        else:
            local.extend(iter_items([source], id_column=id_column, text_column=text_column))
    slices = partitions or 8 * sc.defaultParallelism
    if local:
        rdds.append(sc.parallelize(local, max(1, min(slices, len(local)))))
    if not rdds:
        return sc.emptyRDD()
    return rdds[0] if len(rdds) == 1 and local else sc.union(rdds).repartition(slices)


def _read_table(spark: Any, source: str) -> Any:
    lower = source.lower().rstrip("/")
    if not lower.endswith(TABLE_SUFFIXES):
        raise ConfigError(f"{source}: Spark reads only JSONL, CSV or Parquet URIs; copy other inputs locally")
    if lower.endswith(".parquet"):
        return spark.read.parquet(source)
    if lower.endswith(".csv"):
        return spark.read.options(header=True, multiLine=True, escape='"').csv(source)
    return spark.read.json(source)


def spark_done_ids(spark: Any, out: str) -> set[str]:
    """Ids already written to a Spark destination (empty if it does not exist yet)."""
    from pyspark.errors import AnalysisException

    try:
        if out.lower().endswith(".parquet"):
            return {row.id for row in spark.read.parquet(out).select("id").collect()}
        return set(spark.read.text(out).rdd.map(lambda row: str(json.loads(row.value)["id"])).collect())
    except AnalysisException:
        return set()


def _watch_tasks(sc: Any, bar: Any, task: Any, stop: threading.Event) -> None:
    """Mirror the job group's task counts into the progress bar until `stop` is set."""
    tracker = sc.statusTracker()
    while not stop.wait(0.5):
        done = total = 0
        for job_id in tracker.getJobIdsForGroup(JOB_GROUP):
            job = tracker.getJobInfo(job_id)
            for stage_id in job.stageIds if job else []:
                stage = tracker.getStageInfo(stage_id)
                if stage is not None:
                    done, total = done + stage.numCompletedTasks, total + stage.numTasks
        bar.update(task, completed=done, total=total or None)


def run_spark(inputs: list[str], out: str, *, settings: CheckerSettings | None = None, master: str | None = None,
              resume: bool = False, overwrite: bool = False, id_column: str | None = None,
              text_column: str | None = None, partitions: int | None = None, progress: bool = True,
              spark: Any = None) -> RunStats:
    """Check every input item with Spark; same output lines as `run_local`. An existing output is appended to
    with `resume`, replaced (only once the new one is complete) with `overwrite`, and otherwise refused."""
    from pyspark import StorageLevel

    settings = settings or CheckerSettings()
    started = time.time()
    own_session = spark is None
    spark = spark or spark_session(master)
    sc = spark.sparkContext
    try:
        if sc.master.startswith("local") and not (settings.store_uri or "").startswith(SPARK_FILES_PREFIX):
            settings.prepare_store()
        distributed = is_spark_destination(out)
        target = None if distributed else plan_output(Path(out), resume=resume, overwrite=overwrite)
        if distributed and not (resume or overwrite):
            filesystem, path = _hadoop_path(spark, out)
            if filesystem.exists(path):
                refuse_existing(Path(out))
        skip = (spark_done_ids(spark, out) if target is None else done_ids(target.working)) if resume else set()
        stats = RunStats(engine=f"spark {sc.master}", workers=sc.defaultParallelism)
        items = items_rdd(spark, inputs, id_column, text_column, partitions)
        if skip:
            skipped = sc.broadcast(skip)
            counted = sc.accumulator(0)

            def keep(item: Item) -> bool:
                if item.id in skipped.value:
                    counted.add(1)
                    return False
                return True

            items = items.filter(keep)
        results = items.mapPartitions(lambda part: check_partition(settings, part)).persist(
            StorageLevel.MEMORY_AND_DISK)
        sc.setJobGroup(JOB_GROUP, "newsproof batch check")
        stop = threading.Event()
        with make_progress(progress, unit="tasks") as bar:
            task = bar.add_task("spark", total=None, failed=0)
            watcher = threading.Thread(target=_watch_tasks, args=(sc, bar, task, stop), daemon=True)
            watcher.start()
            try:  # one pass: results are computed and cached, only digests come back
                digests = results.map(lambda r: (r.digest, r.finished_at)).collect()
            finally:
                stop.set()
                watcher.join()
        for item_digest, finished_at in digests:
            stats.add(item_digest, finished_at - started)
        stats.skipped = counted.value if skip else 0
        _write(spark, results, out, resume, target)
        results.unpersist()
        stats.elapsed_s = time.time() - started
        return stats
    finally:
        if own_session:
            spark.stop()


def _hadoop_path(spark: Any, uri: str) -> tuple[Any, Any]:
    """(Hadoop FileSystem, Path) for a destination, so existence checks and renames work on any scheme."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    return path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), path


def _write(spark: Any, results: Any, out: str, resume: bool, target: OutputFile | None) -> None:
    if target is not None:  # a local JSONL file, streamed through the driver like the local engine writes it
        with target.open() as handle:
            for line in results.map(lambda r: r.line).toLocalIterator(prefetchPartitions=True):
                handle.write(line + "\n")
            target.finish(handle)
        return
    # Spark destinations: append when resuming; else write beside the output and swap it in once complete.
    destination = out if resume else out.rstrip("/") + ".partial"
    mode = "append" if resume else "overwrite"  # overwrite only ever replaces our own .partial
    if out.lower().endswith(".parquet"):
        spark.createDataFrame(results.map(_parquet_row),
                              "id string, report string, error_code string, error_message string"
                              ).write.mode(mode).parquet(destination)
    else:
        spark.createDataFrame(results.map(lambda r: (r.line,)), "line string").write.mode(mode).text(destination)
    if not resume:
        filesystem, final = _hadoop_path(spark, out)
        _, written = _hadoop_path(spark, destination)
        if filesystem.exists(final):
            filesystem.delete(final, True)  # --overwrite was given (checked before the run)
        if not filesystem.rename(written, final):
            raise ConfigError(f"could not move {destination} to {out}; the new results are kept in {destination}")


def _parser() -> argparse.ArgumentParser:
    """The options of `newsproof batch` that a Spark run uses (`newsproof batch --help` explains each)."""
    parser = argparse.ArgumentParser(prog="spark.py", description="newsproof batch --engine spark, for spark-submit.")
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="JSONL/CSV/Parquet URIs or local inputs.")
    parser.add_argument("--out", "-o", required=True, help="Output JSONL, a .parquet path or an hdfs://, s3a://... URI.")
    parser.add_argument("--master", help="Spark master URL (default: spark-submit's).")
    parser.add_argument("--resume", action="store_true", help="Skip ids already in the output and append.")
    parser.add_argument("--overwrite", action="store_true", help="Replace an existing output, summary and reports.")
    parser.add_argument("--summary", type=Path, help="Write an HTML summary to this file.")
    parser.add_argument("--reports", type=Path, help="Write an HTML report per article into this folder.")
    parser.add_argument("--id-column", help="Table column holding the item id.")
    parser.add_argument("--text-column", help="Table column holding the article.")
    parser.add_argument("--store", help="Evidence store URI (sparkfiles:NAME for a file shipped with --files).")
    parser.add_argument("--config", help="TOML file overriding the packaged defaults.")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=True, help="Show the progress bar.")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """`spark-submit .../newsproof/batch/spark.py INPUT... --out URI [options]`: `newsproof batch --engine spark`
    through `run_batch`; returns the CLI's exit code (a failure is one line on stderr)."""
    from newsproof.batch import run_batch

    args = _parser().parse_args(argv)
    try:
        run_batch(args.inputs, args.out, engine="spark",
                  settings=CheckerSettings(store_uri=args.store, config_path=args.config), master=args.master,
                  resume=args.resume, overwrite=args.overwrite, id_column=args.id_column, text_column=args.text_column,
                  summary_html=args.summary, reports=args.reports, progress=args.progress)
    except NewsproofError as exc:
        print(f"newsproof: error: {exc}", file=sys.stderr)
        return exc.exit_code
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
