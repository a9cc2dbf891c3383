"""Shared fixtures for the verify tests: real claim sets from the shared data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsproof.paths import shared_data_dir
from newsproof.verify.dataset import claims_file


@pytest.fixture(scope="session")
def claims_dir() -> Path:
    """The shared claims folder (tests skip when the shared data is absent)."""
    root = shared_data_dir()
    if root is None or not (root / "claims").is_dir():
        pytest.skip("shared data folder not available")
    return root / "claims"


@pytest.fixture()
def training_sets() -> tuple[str, ...]:
    """The shared claim sets training reads; a clone without ../shared skips."""
    names = ("climate_fever", "covidfact")
    missing = [name for name in names if claims_file(name) is None]
    if missing:
        pytest.skip(f"shared claim sets not available: {', '.join(missing)}")
    return names
