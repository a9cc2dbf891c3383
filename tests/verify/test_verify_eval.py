"""`newsproof eval verify` in a subprocess on a real slice of a claim set."""

from __future__ import annotations

import json
import subprocess
import sys

from newsproof.verify.dataset import is_dev, read_examples


def _dev_slice(src, dst, n):
    keep = {ex.id for ex in read_examples(src) if is_dev(ex)}
    lines = [line for line in src.open() if json.loads(line)["id"] in keep][:n]
    dst.write_text("".join(lines))


def test_eval_verify_cli_json_and_plot(claims_dir, tmp_path):
    data = tmp_path / "averitec_dev.jsonl"
    _dev_slice(claims_dir / "averitec" / "data.jsonl", data, 60)
    proc = subprocess.run(
        [sys.executable, "-c", "from newsproof.cli import main; main()", "eval", "verify", "--data", str(data),
         "--json", "--plots", str(tmp_path / "plots")],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["n"] == 60 and 0.0 <= result["accuracy"] <= 1.0
    for name in ("majority", "lexical"):
        assert 0.0 <= result["baselines"][name]["macro_f1"] <= 1.0
    assert result["baselines"]["majority"]["macro_f1"] < result["macro_f1"]
    assert len(result["predicted"]) >= 2, "collapsed to one class"
    assert set(result["per_class"]) == set(result["labels"])
    (png,) = result["plots"]
    assert png.endswith(".png") and (tmp_path / "plots").joinpath(png.split("/")[-1]).stat().st_size > 1000


def test_eval_verify_cli_bad_input(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-c", "from newsproof.cli import main; main()", "eval", "verify", "--data",
         str(tmp_path / "missing.jsonl"), "--json"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "does not exist" in proc.stderr
