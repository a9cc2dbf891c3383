"""Every bad-input corpus item through `newsproof check` in a child process: a report (exit 0/1) or one
`newsproof: error:` line with exit 2; never a traceback, a hang or a memory blow-up."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from support.hostile import (
    NEWSPROOF,
    HostileInput,
    Outcome,
    Tally,
    hostile_inputs,
    one_line_error,
    run_child,
)

from newsproof.report import validate_report_json

TIMEOUT_S = 240  # per article, on a loaded 2-core machine
MEMORY_LIMIT_MB = 1500  # the warmed-up CLI needs ~550 MB
NAMES = [item.name for item in hostile_inputs()]


def crashed(outcome: Outcome) -> bool:
    """An exit other than report/refusal, or a traceback."""
    return outcome.returncode not in (0, 1, 2, None) or b"Traceback" in outcome.stderr


def judge(item: HostileInput, outcome: Outcome) -> list[str]:
    """Everything wrong with one outcome (empty when it is correct)."""
    problems = []
    stderr = outcome.stderr.decode("utf-8", "replace")
    if outcome.returncode is None:
        return [f"hang: killed after {TIMEOUT_S} s"]
    if crashed(outcome):
        problems.append(f"crash: exit {outcome.returncode}: {stderr[-500:]}")
    elif outcome.returncode == 2 and not one_line_error(outcome):
        problems.append(f"exit 2 without a one-line error: {stderr[-300:]!r}")
    elif outcome.returncode in (0, 1):
        report = json.loads(outcome.stdout)
        validate_report_json(report)
        if item.must_contain and item.must_contain not in report["article"]["text"]:
            problems.append(f"article text lacks {item.must_contain!r}")
        if len(report["claims"]) > 40:
            problems.append(f"{len(report['claims'])} claims, over claims.max_claims")
    if item.expect == "refuse" and outcome.returncode != 2:
        problems.append(f"expected a refusal (exit 2), got exit {outcome.returncode}")
    if item.expect == "accept" and outcome.returncode not in (0, 1):
        problems.append(f"expected a report, got exit {outcome.returncode}: {stderr[-300:]}")
    if outcome.max_rss_mb > MEMORY_LIMIT_MB:
        problems.append(f"memory: {outcome.max_rss_mb:.0f} MB > {MEMORY_LIMIT_MB} MB")
    return problems


@pytest.fixture(scope="module")
def outcomes(corpus: list[tuple[HostileInput, Path]], np_home: Path, tally: Tally,
             tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[HostileInput, Outcome]]:
    """Run the corpus through the CLI, two children at a time (the machine has two cores)."""
    from newsproof.evidence.bundle import ensure_default_store

    ensure_default_store(progress=False)  # build once here, not in every child
    work = tmp_path_factory.mktemp("cli")

    def run(pair: tuple[HostileInput, Path]) -> tuple[str, tuple[HostileInput, Outcome]]:
        item, path = pair
        outcome = run_child([*NEWSPROOF, "check", str(path), "--format", "json"], timeout=TIMEOUT_S,
                            env={"NEWSPROOF_HOME": str(np_home)}, workdir=work / item.name)
        tally.record(f"check:{item.name}", outcome, crashed=crashed(outcome))
        return item.name, (item, outcome)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run, corpus))


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_check_cli_survives(name: str, outcomes: dict[str, tuple[HostileInput, Outcome]]) -> None:
    item, outcome = outcomes[name]
    assert judge(item, outcome) == [], f"{name} ({item.note or item.expect}) took {outcome.seconds:.1f} s"


@pytest.mark.slow
def test_terminal_report_has_no_escape_sequences_from_the_article(
        corpus: list[tuple[HostileInput, Path]], np_home: Path, tally: Tally, tmp_path: Path) -> None:
    """An article full of ANSI/OSC sequences cannot drive the user's terminal through the text report."""
    path = dict((item.name, p) for item, p in corpus)["ansi_escapes"]
    outcome = run_child([*NEWSPROOF, "check", str(path)], timeout=TIMEOUT_S,
                        env={"NEWSPROOF_HOME": str(np_home), "TERM": "dumb"}, workdir=tmp_path)
    tally.record("check-text:ansi_escapes", outcome, crashed=crashed(outcome))
    assert outcome.returncode in (0, 1), outcome.stderr[-500:]
    assert b"Riverton" in outcome.stdout
    assert b"\x1b" not in outcome.stdout and b"\x07" not in outcome.stdout


@pytest.mark.slow
def test_html_report_has_no_script_from_the_article(
        corpus: list[tuple[HostileInput, Path]], np_home: Path, tally: Tally, tmp_path: Path) -> None:
    """Markup written in an article is shown as text in the HTML report, never executed."""
    path = dict((item.name, p) for item, p in corpus)["html_script_as_text"]
    outcome = run_child([*NEWSPROOF, "check", str(path), "--format", "html"], timeout=TIMEOUT_S,
                        env={"NEWSPROOF_HOME": str(np_home)}, workdir=tmp_path)
    tally.record("check-html:html_script_as_text", outcome, crashed=crashed(outcome))
    assert outcome.returncode in (0, 1), outcome.stderr[-500:]
    page = outcome.stdout.decode()
    assert "alert(&#39;x&#39;)" in page or "alert(&#x27;x&#x27;)" in page  # shown, escaped
    assert "<script>alert(" not in page and "alert('page')" not in page


@pytest.mark.slow
@pytest.mark.parametrize("name", ["huge_100mb", "png_image", "latin1_news"])
def test_check_cli_reads_stdin_within_limits(name: str, corpus: list[tuple[HostileInput, Path]], np_home: Path,
                                             tally: Tally, tmp_path: Path) -> None:
    """`newsproof check -` reads at most ingest.max_bytes + 1 bytes of a stream, whatever its length."""
    item, path = next((item, p) for item, p in corpus if item.name == name)
    outcome = run_child([*NEWSPROOF, "check", "-", "--format", "json"], timeout=TIMEOUT_S, stdin=path,
                        env={"NEWSPROOF_HOME": str(np_home)}, workdir=tmp_path)
    tally.record(f"check-stdin:{name}", outcome, crashed=crashed(outcome))
    assert judge(item, outcome) == []
    assert outcome.max_rss_mb < MEMORY_LIMIT_MB
