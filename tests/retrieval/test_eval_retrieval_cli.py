"""`newsproof eval retrieval --json` end to end, on a slice of Climate-FEVER plus claims without evidence."""

from __future__ import annotations

import json
import subprocess
import sys
from itertools import islice
from pathlib import Path

import pytest

from newsproof.paths import shared_data_dir

DATA = shared_data_dir()


@pytest.mark.skipif(DATA is None, reason="shared data not available")
def test_eval_retrieval_json(tmp_path: Path) -> None:
    claims = DATA / "claims"
    with (claims / "climate_fever" / "data.jsonl").open() as fh:
        lines = list(islice(fh, 40))
    with (claims / "snopes" / "data.jsonl").open() as fh:
        lines += list(islice(fh, 5))  # verdict-only records: no evidence text, skipped and counted
    data = tmp_path / "slice.jsonl"
    data.write_text("".join(lines))
    proc = subprocess.run(
        [sys.executable, "-c", "from newsproof.cli import main; main()", "eval", "retrieval", "--data", str(data),
         "--distractors", "300", "--json"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert (result["n"], result["skipped"]) == (40, 5)
    assert result["passages"] > 300
    for method in ("bm25", "dense", "hybrid"):
        metrics = result[method]
        assert set(metrics) >= {"recall@5", "recall@10", "mrr"}
        assert 0.0 <= metrics["recall@5"] <= metrics["recall@10"] <= 1.0
    assert result["hybrid"]["recall@10"] >= result["bm25"]["recall@10"]
    assert result["hybrid"]["mrr"] > 0.4


def test_eval_retrieval_missing_file(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", "from newsproof.cli import main; main()", "eval", "retrieval",
                           "--data", str(tmp_path / "nope.jsonl"), "--json"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "nope.jsonl" in proc.stderr
