"""`newsproof eval detect` in a subprocess on a small slice of dev."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsproof.detect.feature_detector import WINDOW_ARTIFACT


def test_eval_detect_json_and_plots(mgt_dir: Path, tmp_path: Path) -> None:
    if not WINDOW_ARTIFACT.is_file():
        pytest.skip("detector artifact not built")
    lines = (mgt_dir / "dev.jsonl").read_text("utf-8").splitlines()
    data = tmp_path / "slice.jsonl"
    data.write_text("\n".join(lines[::10]) + "\n", "utf-8")
    plots = tmp_path / "plots"
    proc = subprocess.run(
        [sys.executable, "-c", "from newsproof.cli import main; main()", "eval", "detect",
         "--data", str(data), "--json", "--plots", str(plots)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert {"auroc", "tpr_at_1pct_fpr", "f1", "ece", "n", "per_generator", "per_length"} <= set(result)
    assert result["n"] == len(lines[::10]) and result["detector"] == "newsproof.features+minilm.v3"
    assert 0.8 < result["auroc"] <= 1.0 and 0.0 <= result["ece"] <= 1.0
    assert "gpt-3.5-turbo" in result["per_generator"]
    for name in ("roc.png", "reliability.png"):
        assert (plots / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_eval_detect_missing_file_is_a_clean_error(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "from newsproof.cli import main; main()", "eval", "detect",
         "--data", str(tmp_path / "missing.jsonl")],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 2 and "does not exist" in proc.stderr and "Traceback" not in proc.stderr
