"""Number parsing and check-worthiness scoring: small, exact checks."""

from __future__ import annotations

import pytest

from newsproof.claims.quantities import parse_number
from newsproof.claims.scoring import Features, checkworthiness, contributions


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5,200", 5200),
        ("about 5,200", 5200),
        ("3.5 million", 3_500_000),
        ("$500,000", 500_000),
        ("twenty-five", 25),
        ("one hundred and five thousand", 105_000),
        ("2 billion", 2e9),
        ("eight", 8),
        ("more than 170", 170),
        ("dozens", None),
        ("", None),
    ],
)
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


def test_scoring_is_transparent_and_bounded() -> None:
    fact = Features(
        "Soleimani was killed in Baghdad on 3 January 2020.", entities=2, has_date=True, has_event_verb=True
    )
    assert contributions(fact) == {"named_entities": 0.24, "date": 0.15, "event_verb": 0.2}
    assert checkworthiness(fact) == 0.69
    question = Features("Was he killed?", has_event_verb=True)
    assert checkworthiness(question) == 0.0
    loaded = Features(
        "x " * 20, entities=9, has_number=True, has_date=True, has_event_verb=True, has_quote=True
    )
    assert checkworthiness(loaded) == 1.0
