"""Shared fixtures for the detector tests: the mgt data set, skipped cleanly when absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsproof.detect.train.data import Corpus, load_corpus, word_counts
from newsproof.paths import shared_data_dir


@pytest.fixture(scope="session")
def mgt_dir() -> Path:
    """The shared `mgt` folder (train.jsonl, dev.jsonl)."""
    root = shared_data_dir()
    if root is None or not (root / "mgt" / "dev.jsonl").is_file():
        pytest.skip("shared/data/mgt is not available")
    return root / "mgt"


@pytest.fixture(scope="session")
def dev(mgt_dir: Path) -> Corpus:
    """The dev split (held out from training)."""
    return load_corpus(mgt_dir / "dev.jsonl")


@pytest.fixture(scope="session")
def long_dev(dev: Corpus) -> Corpus:
    """Dev texts of 150+ words."""
    return dev.subset(word_counts(dev.texts) >= 150)
