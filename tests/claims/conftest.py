"""Shared fixtures for claims tests: one warmed-up extractor per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsproof.claims import ClaimExtractor
from newsproof.ingest import ingest
from newsproof.models import Article

ARTICLES = Path(__file__).resolve().parent.parent / "resources" / "articles"


@pytest.fixture(scope="session")
def extractor() -> ClaimExtractor:
    """The claim extractor with spaCy loaded once."""
    return ClaimExtractor().warm_up()


@pytest.fixture(scope="session")
def fake_article() -> Article:
    """The fabricated 27 May 2021 strike article (dated 28 May 2021)."""
    return ingest(str(ARTICLES / "soleimani_fake.txt"))


@pytest.fixture(scope="session")
def accurate_article() -> Article:
    """The accurate 3 January 2020 strike article (dated 4 January 2020)."""
    return ingest(str(ARTICLES / "accurate_strike.txt"))
