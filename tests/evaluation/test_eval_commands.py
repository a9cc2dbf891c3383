"""`newsproof eval splices` and `eval controls`: a 20-article smoke run of each, and bad input."""

from __future__ import annotations

import json

import pytest
from support.cli import run_cli

from newsproof.paths import shared_data_dir

DATA = shared_data_dir()
needs_data = pytest.mark.skipif(DATA is None, reason="needs ../shared/data")


@needs_data
def test_eval_splices_smoke_run(tmp_path):
    page = tmp_path / "splices.html"
    proc = run_cli("eval", "splices", "--split", "all", "--limit", "20", "--json", "--html", str(page),
                   "--data", str(DATA), timeout=900)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    result = json.loads(proc.stdout)
    assert result["n_spliced"] == 10 and result["n_controls"] == 10
    assert set(result["overall"]) >= {"recall", "precision", "false_alarm_rate"}
    assert len(result["by_type"]) == 9
    for row in result["by_type"].values():
        assert {"n", "recall", "precision", "in_kb"} <= set(row)
    assert set(result["by_format"]) <= {"wire", "city_dash", "agency", "html", "byline", "no_date"}
    assert 0.0 <= result["overall"]["recall"] <= 1.0
    assert "<svg" in page.read_text() and "Recall per splice type" in page.read_text()


@needs_data
def test_eval_controls_smoke_run():
    proc = run_cli("eval", "controls", "--limit", "20", "--json", "--data", str(DATA), timeout=900)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    result = json.loads(proc.stdout)
    assert result["articles"] == 20 and result["claims"] > 20
    assert result["decided"] <= result["claims"] and result["contradicted"] == len(result["alarms"])
    for alarm in result["alarms"]:
        assert alarm["claim"] and alarm["reason"]


@needs_data
@pytest.mark.parametrize("args", [["--types", "death_date,moon_landing"], ["--formats", "pdf"],
                                  ["--split", "train"]])
def test_unknown_names_are_one_line_errors(args):
    proc = run_cli("eval", "splices", *args, "--data", str(DATA))
    err = proc.stderr.decode().strip()
    assert proc.returncode == 2 and len(err.splitlines()) == 1 and "Traceback" not in err, err


@pytest.mark.parametrize("command", ["splices", "controls"])
def test_missing_data_folder_is_a_one_line_error(tmp_path, command):
    proc = run_cli("eval", command, "--data", str(tmp_path / "nowhere"))
    err = proc.stderr.decode().strip()
    assert proc.returncode == 2 and len(err.splitlines()) == 1 and "nowhere" in err, err
