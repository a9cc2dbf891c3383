"""Reliability suite plumbing: the corpus on disk and the tally printed as one summary line at the end."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.hostile import HostileInput, Tally, write_corpus

TALLY = Tally()


@pytest.fixture(scope="session")
def tally() -> Tally:
    """The run's tally."""
    return TALLY


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[HostileInput, Path]]:
    """The whole bad-input corpus written to disk (the 100 MB file is sparse)."""
    return list(write_corpus(tmp_path_factory.mktemp("hostile")))


@pytest.fixture(scope="session")
def np_home() -> Iterator[Path]:
    """$NEWSPROOF_HOME for child processes: the caller's, so the default evidence base is built once."""
    from newsproof.paths import home_dir

    yield home_dir()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the reliability summary line when any reliability test ran."""
    if TALLY.inputs or TALLY.kill_rounds:
        terminalreporter.write_sep("=", "reliability summary")
        terminalreporter.write_line(TALLY.line())
        for kind, labels in (("crashes", TALLY.crashes), ("hangs", TALLY.hangs)):
            if labels:
                terminalreporter.write_line(f"  {kind}: {', '.join(labels)}")
