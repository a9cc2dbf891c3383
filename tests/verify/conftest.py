"""Shared fixtures for the verify tests: real claim sets from the shared data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsproof.paths import shared_data_dir


@pytest.fixture(scope="session")
def claims_dir() -> Path:
    """The shared claims folder (tests skip when the shared data is absent)."""
    root = shared_data_dir()
    if root is None or not (root / "claims").is_dir():
        pytest.skip("shared data folder not available")
    return root / "claims"
