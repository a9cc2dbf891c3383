"""The splice generator: deterministic, every splice changes the fact it names, controls match the KB."""

from __future__ import annotations

import json
import re

import pytest

from newsproof.evaluation.splices import FORMATS, TYPES, generate, split_of
from newsproof.paths import shared_data_dir

DATA = shared_data_dir()
pytestmark = pytest.mark.skipif(DATA is None, reason="needs ../shared/data")


@pytest.fixture(scope="module")
def cases():
    return generate(DATA, seed=0)


@pytest.fixture(scope="module")
def kb():
    """The shared-data records the facts come from, by id."""
    people = {}
    for name in ("people.jsonl",):
        with (DATA / "kb" / name).open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                people[row["id"]] = row
    events = {}
    with (DATA / "kb" / "conflict_events.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            events[row["id"]] = row
    return people, events


def test_same_seed_same_bytes_and_another_seed_differs(cases):
    again = generate(DATA, seed=0)
    assert [c.to_dict() for c in again] == [c.to_dict() for c in cases]
    other = generate(DATA, seed=1, types=["death_date"])
    assert [c.content for c in other] != [c.content for c in cases if c.splice_type == "death_date"][: len(other)]


def test_size_types_formats_and_split(cases):
    spliced = [c for c in cases if c.kind == "spliced"]
    controls = [c for c in cases if c.kind == "control"]
    assert len(spliced) >= 500 and len(controls) == len(spliced)
    assert {c.splice_type for c in spliced} == set(TYPES)
    assert {c.format for c in spliced} == set(FORMATS)
    assert {c.split for c in cases} == {"tune", "dev"}
    # A person or event sits in one split only: the split comes from the key, not the draw.
    assert all(c.split == split_of(c.record_id) for c in cases if c.splice_type in ("death_date", "event_date"))
    dev = generate(DATA, seed=0, split="dev", types=["death_date"])
    assert dev and all(c.split == "dev" for c in dev)


def test_every_splice_changes_its_fact_and_every_control_matches_the_kb(cases, kb):
    people, events = kb
    for case in cases:
        if case.kind == "spliced":
            assert case.stated_value != case.true_value, case.id
            assert case.stated_value in case.sentence or case.splice_type in (
                "death_date", "posthumous_action", "office_out_of_term", "former_misuse", "event_date"), case.id
        else:
            assert case.stated_value == case.true_value, case.id
        if case.splice_type in ("death_date", "death_place", "number_change") and case.record_id in people:
            row = people[case.record_id]
            assert case.probe["death"] == row["death_date"]
            if case.splice_type == "death_date":
                assert case.true_value == row["death_date"]
            if case.splice_type == "death_place":
                assert case.true_value == row["death_place"]
                assert (case.stated_value in case.sentence) and (case.kind == "control") == (
                    row["death_place"] in case.sentence)
        if case.splice_type == "event_date":
            assert case.true_value == events[case.record_id]["date"]
        if case.splice_type == "posthumous_action" and case.kind == "spliced":
            assert case.stated_value > people[case.record_id]["death_date"]
        if case.splice_type == "posthumous_action" and case.kind == "control":
            assert case.stated_value < people[case.record_id]["death_date"]


def test_office_splices_fall_outside_the_term_and_controls_inside(cases):
    for case in (c for c in cases if c.splice_type in ("office_out_of_term", "former_misuse")):
        start, end = case.probe["start"], case.probe["end"] or "9999"
        inside = start <= case.stated_value < end
        says_former = "former" in case.sentence.lower()
        if case.splice_type == "office_out_of_term":
            assert inside == (case.kind == "control"), case.id
        else:
            assert says_former and inside == (case.kind == "spliced"), case.id


def test_formats_carry_their_dates(cases):
    for case in cases:
        if case.format in ("city_dash", "agency"):
            assert case.date is not None
        elif case.format == "html":
            assert case.media == "html" and 'article:published_time' in case.content
        else:
            assert case.date is None
        if case.format == "no_date" and case.splice_type != "quote_swap":  # quoted words may say 'on Monday'
            assert not re.search(r"\byesterday\b|\bon (?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b", case.sentence), \
                case.sentence
