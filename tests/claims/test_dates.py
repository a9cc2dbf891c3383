"""normalise_time: absolute dates, month/year ranges and relative expressions against a reference date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsproof.claims.dates import normalise_time

REF = date(2020, 1, 4)  # a Saturday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("27 May 2021", (date(2021, 5, 27), date(2021, 5, 27), "day")),
        ("on 27 May 2021", (date(2021, 5, 27), date(2021, 5, 27), "day")),
        ("May 27, 2021", (date(2021, 5, 27), date(2021, 5, 27), "day")),
        ("May 2021", (date(2021, 5, 1), date(2021, 5, 31), "month")),
        ("February 2020", (date(2020, 2, 1), date(2020, 2, 29), "month")),
        ("2021", (date(2021, 1, 1), date(2021, 12, 31), "year")),
        ("in 1998", (date(1998, 1, 1), date(1998, 12, 31), "year")),
        ("the 1990s", (date(1990, 1, 1), date(1999, 12, 31), "year")),
        ("on Friday", (date(2020, 1, 3), date(2020, 1, 3), "day")),
        ("early Friday morning", (date(2020, 1, 3), date(2020, 1, 3), "day")),
        ("Thursday night", (date(2020, 1, 2), date(2020, 1, 2), "day")),
        ("Saturday", (REF, REF, "day")),
        ("yesterday", (date(2020, 1, 3), date(2020, 1, 3), "day")),
        ("last night", (date(2020, 1, 3), date(2020, 1, 3), "day")),
        ("today", (REF, REF, "day")),
        ("three days ago", (date(2020, 1, 1), date(2020, 1, 1), "day")),
        ("last week", (date(2019, 12, 23), date(2019, 12, 29), "day")),
        ("last month", (date(2019, 12, 1), date(2019, 12, 31), "month")),
        ("January 3", (date(2020, 1, 3), date(2020, 1, 3), "day")),
        ("Jan. 3, 2020", (date(2020, 1, 3), date(2020, 1, 3), "day")),
    ],
)
def test_normalise(text: str, expected: tuple[date, date, str]) -> None:
    assert normalise_time(text, REF) == expected


@pytest.mark.parametrize(
    "text", ["two years", "48 hours", "decades", "three days", "hello", "1", "", "shortly after midnight"]
)
def test_durations_and_non_dates_are_none(text: str) -> None:
    assert normalise_time(text, REF) is None


@pytest.mark.parametrize(
    "text",
    ["yesterday", "on Thursday", "Friday", "last year", "this week", "three days ago", "today", "last month",
     "January 3", "1 March", "the past year", "next week", "earlier this year", "last night"],
)
def test_relative_expressions_stay_unresolved_without_reference(text: str) -> None:
    assert normalise_time(text, REF) is not None  # resolvable with an article date ...
    assert normalise_time(text, None) is None  # ... but never against the clock


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("27 May 2021", (date(2021, 5, 27), date(2021, 5, 27), "day")),
        ("on Friday 3 January 2020", (date(2020, 1, 3), date(2020, 1, 3), "day")),
        ("March 2019", (date(2019, 3, 1), date(2019, 3, 31), "month")),
        ("in 2020", (date(2020, 1, 1), date(2020, 12, 31), "year")),
        ("the 1990s", (date(1990, 1, 1), date(1999, 12, 31), "year")),
    ],
)
def test_absolute_expressions_resolve_without_reference(text: str, expected: tuple[date, date, str]) -> None:
    assert normalise_time(text, None) == expected


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    st.sampled_from(["%d %B %Y", "%B %d, %Y"]),
)
def test_full_dates_round_trip(day: date, fmt: str) -> None:
    assert normalise_time(day.strftime(fmt), REF) == (day, day, "day")


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_month_names_give_the_whole_month(day: date) -> None:
    start, end, granularity = normalise_time(day.strftime("%B %Y"), REF)  # type: ignore[misc]
    assert granularity == "month" and start == day.replace(day=1) and start <= day <= end
    assert (end + timedelta(days=1)).day == 1


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=2, max_value=300), st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 1, 1))
)
def test_days_ago(days: int, reference: date) -> None:
    expected = reference - timedelta(days=days)
    assert normalise_time(f"{days} days ago", reference) == (expected, expected, "day")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.one_of(st.none(), st.dates()))
def test_never_raises_and_ranges_are_ordered(text: str, reference: date | None) -> None:
    result = normalise_time(text, reference)
    if result is not None:
        start, end, granularity = result
        assert start <= end and granularity in ("day", "month", "year")
