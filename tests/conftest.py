"""Session-wide fixtures: the bundled default evidence base and a warmed-up Checker."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def checker():
    """One Checker on the bundled default store, warmed up once for the session."""
    from newsproof.pipeline import Checker

    instance = Checker()
    instance.warm_up()
    yield instance
    instance.close()


@pytest.fixture(scope="session")
def default_store(checker):
    """The bundled default evidence base (read-only), shared with the session Checker."""
    return checker.store_
