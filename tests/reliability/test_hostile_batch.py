"""`newsproof batch` over a folder holding the whole bad-input corpus: the run completes, every item gets
one output line with a report or a per-item error, and no error is an unexpected exception."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.hostile import NEWSPROOF, HostileInput, Tally, run_child

import newsproof.batch  # noqa: F401  (an import error in batch must fail these tests, not skip them)

pytestmark = pytest.mark.slow
UNEXPECTED = "NP000"  # the code batch gives an exception that is not a NewsproofError


def test_batch_records_per_item_errors_and_completes(corpus: list[tuple[HostileInput, Path]], np_home: Path,
                                                     tmp_path: Path, tally: Tally) -> None:
    folder = corpus[0][1].parent
    out = tmp_path / "results.jsonl"
    outcome = run_child([*NEWSPROOF, "batch", str(folder), "--out", str(out), "--workers", "1", "--no-progress"],
                        timeout=900, env={"NEWSPROOF_HOME": str(np_home)}, workdir=tmp_path / "run")
    tally.record("batch:corpus-folder", outcome, crashed=outcome.returncode not in (0, 1, 2, None))
    assert outcome.returncode is not None, "batch hung"
    assert b"Traceback" not in outcome.stderr and outcome.returncode in (0, 1), outcome.stderr[-1500:]
    records = {r["id"]: r for r in map(json.loads, out.read_text("utf-8").splitlines())}  # id: the file name
    assert sorted(records) == sorted(path.name for _, path in corpus)
    for item, path in corpus:
        record = records[path.name]
        assert ("report" in record) != ("error" in record)
        if "error" in record:
            assert record["error"]["code"] != UNEXPECTED, f"{item.name}: {record['error']}"
            assert item.expect != "accept", f"{item.name}: {record['error']}"
        else:
            assert item.expect != "refuse", item.name
    assert outcome.max_rss_mb < 2000
