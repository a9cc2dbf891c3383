"""Data safety of `newsproof batch`: existing outputs are never written over without --overwrite, a SIGKILL at
any point loses no complete result line, and --resume finishes the job with every id exactly once.

Ends with `data-safety(batch): operations tried N, records lost 0`."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.hostile import NEWS_EN, NEWSPROOF

from newsproof.batch.output import partial_path

pytestmark = pytest.mark.slow
TOWNS = ("Riverton", "Oakham", "Lakeside", "Millbrook", "Ashford", "Kingsbury", "Westfield", "Northgate",
         "Brookfield", "Fairview", "Elmstead", "Stonebridge", "Redhill", "Harwood")


class Ledger:
    """Operations tried and complete result lines that went missing."""

    def __init__(self) -> None:
        self.operations = 0
        self.lost: list[str] = []

    def keep(self, before: set[str], after: Path, operation: str) -> None:
        """Every line of `before` must still be in `after`, byte for byte."""
        self.operations += 1
        now = set(complete_lines(after))
        self.lost += [f"{operation}: {line[:60]}" for line in before - now]

    def line(self) -> str:
        return f"data-safety(batch): operations tried {self.operations}, records lost {len(self.lost)}"


@pytest.fixture(scope="module")
def ledger(request: pytest.FixtureRequest) -> Iterator[Ledger]:
    """The module's ledger; its summary line is printed at the end of the run."""
    ledger = Ledger()
    yield ledger
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            reporter.write_line(ledger.line())
    assert not ledger.lost, ledger.lost


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of short English news articles, one per town."""
    folder = tmp_path_factory.mktemp("articles")
    for number, town in enumerate(TOWNS[:10]):
        text = NEWS_EN.replace("Riverton", town).replace("1,200", f"{1200 + 37 * number:,}")
        (folder / f"{number:02d}-{town.lower()}.txt").write_text(text, encoding="utf-8")
    return folder


def complete_lines(path: Path) -> list[str]:
    """The newline-terminated lines of a file (what a reader can rely on)."""
    if not path.exists():
        return []
    data = path.read_text(encoding="utf-8")
    return data.splitlines()[: data.count("\n")]


def ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in complete_lines(path)]


def batch(folder: Path, out: Path, *options: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([*NEWSPROOF, "batch", str(folder), "--out", str(out), "--workers", "1", "--no-progress",
                             *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **env}, start_new_session=True)


def finish(process: subprocess.Popen, timeout: float = 600) -> tuple[int, str]:
    _, stderr = process.communicate(timeout=timeout)
    return process.returncode, stderr


def kill_after(process: subprocess.Popen, watched: Path, lines: int, timeout: float = 600) -> None:
    """SIGKILL the run (its whole process group) once `watched` holds `lines` complete lines."""
    deadline = time.monotonic() + timeout
    while len(complete_lines(watched)) < lines:
        assert process.poll() is None, f"the run ended before the kill: {process.stderr.read()[-1500:]}"
        assert time.monotonic() < deadline, "no progress"
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):  # it may have just finished
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def assert_refused(returncode: int, stderr: str) -> None:
    """Exit 2 with one stderr line that says why."""
    assert returncode == 2 and stderr.count("\n") == 1 and stderr.startswith("newsproof: error:"), stderr[-1500:]
    assert "refusing to write over it" in stderr, stderr


def test_existing_outputs_are_refused_and_untouched(articles: Path, tmp_path: Path, np_home: Path,
                                                    ledger: Ledger) -> None:
    env = {"NEWSPROOF_HOME": str(np_home)}
    precious = tmp_path / "results.jsonl"
    precious.write_bytes(b"my own notes, not batch output\n\x00binary tail")
    summary = tmp_path / "summary.html"
    summary.write_text("<p>last week's summary</p>")
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "kept.html").write_text("kept")
    snapshot = {p: p.read_bytes() for p in (precious, summary, reports / "kept.html")}
    for options, out in (((), precious), (("--summary", str(summary)), tmp_path / "new.jsonl"),
                         (("--reports", str(reports)), tmp_path / "new.jsonl")):
        returncode, stderr = finish(batch(articles, out, *options, env=env), timeout=120)
        ledger.operations += 1
        assert_refused(returncode, stderr)
        assert {p: p.read_bytes() for p in snapshot} == snapshot
        assert not (tmp_path / "new.jsonl").exists() and not partial_path(tmp_path / "new.jsonl").exists()


def test_kill_then_resume_keeps_every_complete_line(articles: Path, tmp_path: Path, np_home: Path,
                                                    ledger: Ledger) -> None:
    env = {"NEWSPROOF_HOME": str(np_home)}
    out = tmp_path / "results.jsonl"
    partial = partial_path(out)

    # 1. a fresh run killed mid-way: nothing at the final name, complete lines in the .partial
    kill_after(batch(articles, out, env=env), partial, 3)
    assert not out.exists(), "a killed fresh run never leaves a half-written output under the final name"
    written = set(complete_lines(partial))
    assert len(written) >= 3

    # 2. a plain re-run refuses to start over the killed run's work
    assert_refused(*finish(batch(articles, out, env=env), timeout=120))
    ledger.keep(written, partial, "re-run without --resume")

    # 3. --resume finishes it: the kept lines byte for byte, every id once. The last kept record has lost its
    #    newline (the old `_cut_torn_tail` emptied such a file when it held no newline at all): it is kept too.
    data = partial.read_bytes()
    partial.write_bytes(data[: data.rindex(b"\n")])
    returncode, stderr = finish(batch(articles, out, "--resume", env=env))
    assert returncode == 0, stderr[-1500:]
    ledger.keep(written, out, "resume after kill")
    assert ids(out) == sorted(p.name for p in articles.iterdir()), "every id once, in input order"
    assert not partial.exists()

    # 4. new articles, a resume killed while appending: the finished output's lines all survive
    before = set(complete_lines(out))
    for number, town in enumerate(TOWNS[10:], start=10):
        (articles / f"{number:02d}-{town.lower()}.txt").write_text(NEWS_EN.replace("Riverton", town), encoding="utf-8")
    kill_after(batch(articles, out, "--resume", env=env), out, len(before) + 1)
    ledger.keep(before, out, "resume killed while appending")
    with out.open("ab") as handle:
        handle.write(b'{"id": "torn-by-the-kill", "rep')  # the worst case: a kill in the middle of a line
    returncode, stderr = finish(batch(articles, out, "--resume", env=env))
    assert returncode == 0, stderr[-1500:]
    ledger.keep(before, out, "resume over a torn line")
    assert sorted(ids(out)) == sorted(p.name for p in articles.iterdir()), "each id exactly once, torn line gone"

    # 5. --overwrite killed mid-way: the old output is still whole; a resume then completes the replacement
    old = out.read_bytes()
    kill_after(batch(articles, out, "--overwrite", env=env), partial, 2)
    ledger.operations += 1
    assert out.read_bytes() == old, "the old output stays until the new one is complete"
    replacing = set(complete_lines(partial))
    returncode, stderr = finish(batch(articles, out, "--resume", env=env))
    assert returncode == 0, stderr[-1500:]
    ledger.keep(replacing, out, "resume of a killed --overwrite")
    assert sorted(ids(out)) == sorted(p.name for p in articles.iterdir()) and not partial.exists()
