"""Structured KB checks on real knowledge-base entities from the bundled evidence base."""

from __future__ import annotations

import datetime as dt

import pytest

from newsproof.models import Claim, Entity, Mention, Position, TimeExpression, Verdict
from newsproof.verify.checks.kbdates import parse_kb_date
from newsproof.verify.checks.places import PlaceMatch, compare_places
from newsproof.verify.checks.structured import claimed_roles, run_checks


def _entity(store, name: str):
    found = [e for e in store.find_entities(name) if e.name == name]
    assert found, f"{name} missing from the bundled KB"
    return found[0]


def _claim(text: str, lemma: str, target: str | None = None, agent: str | None = None,
           day: dt.date | None = None, granularity: str = "day", place: str | None = None) -> Claim:
    time = None
    if day:
        end = {"day": day, "month": day.replace(day=28), "year": day.replace(month=12, day=31)}[granularity]
        time = TimeExpression(text=str(day), start=0, end=1, date_start=day, date_end=end, granularity=granularity)
    return Claim(id="c1", kind="event", text=text, start=0, end=len(text), agent=agent, action=lemma,
                 action_lemma=lemma, target=target, place=place, time=time,
                 mentions=[Mention(text=target or agent or "", label="PERSON", start=0, end=1)])


def test_kill_date_after_recorded_death_is_contradicted_with_both_dates(default_store):
    soleimani = _entity(default_store, "Qasem Soleimani")
    claim = _claim("Qasem Soleimani was killed on 27 May 2021.", "kill", target="Qasem Soleimani",
                   day=dt.date(2021, 5, 27))
    [outcome] = run_checks(claim, [("Qasem Soleimani", "target", soleimani)])
    assert outcome.verdict is Verdict.CONTRADICTED
    assert "3 Jan 2020" in outcome.reason and "27 May 2021" in outcome.reason
    assert outcome.evidence[0].kind == "kb" and outcome.evidence[0].id == soleimani.id


def test_kill_date_matching_record_is_supported_at_year_granularity(default_store):
    muhandis = _entity(default_store, "Abu Mahdi al-Muhandis")
    claim = _claim("Abu Mahdi al-Muhandis was killed in 2020 in Baghdad.", "kill", target="Abu Mahdi al-Muhandis",
                   day=dt.date(2020, 1, 1), granularity="year", place="Baghdad")
    outcomes = run_checks(claim, [("Abu Mahdi al-Muhandis", "target", muhandis)])
    assert {o.check for o in outcomes} == {"death_date", "death_place"}
    assert all(o.verdict is Verdict.SUPPORTED for o in outcomes)


def test_wrong_death_place_is_contradicted(default_store):
    soleimani = _entity(default_store, "Qasem Soleimani")
    claim = _claim("Qasem Soleimani was killed in Damascus.", "kill", target="Qasem Soleimani", place="Damascus")
    [outcome] = run_checks(claim, [("Qasem Soleimani", "target", soleimani)])
    assert outcome.verdict is Verdict.CONTRADICTED and outcome.check == "death_place"
    assert "Damascus" in outcome.reason and "Baghdad" in outcome.reason


def test_person_acting_after_death_is_contradicted(default_store):
    muhandis = _entity(default_store, "Abu Mahdi al-Muhandis")
    claim = _claim("Abu Mahdi al-Muhandis met militia commanders in March 2021.", "meet",
                   agent="Abu Mahdi al-Muhandis", day=dt.date(2021, 3, 1), granularity="month")
    [outcome] = run_checks(claim, [("Abu Mahdi al-Muhandis", "agent", muhandis)])
    assert outcome.verdict is Verdict.CONTRADICTED and outcome.check == "posthumous_event"
    assert "Mar 2021" in outcome.reason


def test_mourning_after_death_is_not_a_contradiction(default_store):
    soleimani = _entity(default_store, "Qasem Soleimani")
    claim = _claim("Iranians mourned Qasem Soleimani on 3 January 2021.", "mourn", target="Qasem Soleimani",
                   day=dt.date(2021, 1, 3))
    assert run_checks(claim, [("Qasem Soleimani", "target", soleimani)]) == []


def test_event_before_organisation_existed_is_contradicted(default_store):
    nujaba = [e for e in default_store.find_entities("Harakat Hezbollah al-Nujaba") if e.type == "organization"][0]
    claim = _claim("Harakat Hezbollah al-Nujaba attacked a base in 2008.", "attack",
                   agent="Harakat Hezbollah al-Nujaba", day=dt.date(2008, 1, 1), granularity="year")
    [outcome] = run_checks(claim, [("Harakat Hezbollah al-Nujaba", "agent", nujaba)])
    assert outcome.verdict is Verdict.CONTRADICTED and outcome.check == "organisation_inception"


def test_deputy_called_leader_is_a_role_contradiction(default_store):
    muhandis = _entity(default_store, "Abu Mahdi al-Muhandis")
    text = "Abu Mahdi al-Muhandis, the chairman of the Popular Mobilization Committee, spoke."
    claim = _claim(text, "speak", agent="Abu Mahdi al-Muhandis")
    outcomes = run_checks(claim, [("Abu Mahdi al-Muhandis", "other", muhandis)])
    assert [o.check for o in outcomes] == ["role"]
    assert outcomes[0].verdict is Verdict.CONTRADICTED and "deputy" in outcomes[0].reason.lower()


@pytest.mark.parametrize(("sentence", "name", "expected"), [
    ("Quds Force commander Qasem Soleimani arrived.", "Qasem Soleimani", ["Quds Force commander"]),
    ("It killed Soleimani, the head of the Quds Force, and others.", "Soleimani", ["head of the Quds Force"]),
    ("Qasem Soleimani arrived in Baghdad.", "Qasem Soleimani", []),
])
def test_claimed_roles(sentence, name, expected):
    assert claimed_roles(sentence, name) == expected


def test_places_and_dates_compare_with_sensible_granularity():
    assert compare_places("Baghdad International Airport, Baghdad, Iraq", "Baghdad airport") is PlaceMatch.MATCH
    assert compare_places("Baghdad International Airport, Baghdad, Iraq", "Damascus") is PlaceMatch.MISMATCH
    year, day = parse_kb_date("2020"), parse_kb_date("2020-01-03")
    assert year.overlaps(day) and not parse_kb_date("2021-05").overlaps(day)
    assert parse_kb_date("not a date") is None


SOLEIMANI = Entity(
    id="p_soleimani", name="Qasem Soleimani", death_date="2020-01-03",
    description="Iranian major general, Islamic Revolutionary Guard Corps; commander of the Quds Force 1998-2020",
    positions=[Position(title="Commander of the IRGC Quds Force", start="1998", end="2020")])
MUHANDIS = Entity(id="p_muhandis", name="Abu Mahdi al-Muhandis", death_date="2020-01-03",
                  description="deputy chairman of the Popular Mobilization Committee")


@pytest.mark.parametrize(("entity", "text", "expected"), [
    # 'former' is no deputy word: a former commander is compared as a commander.
    (SOLEIMANI, "Former Quds Force commander Qasem Soleimani visited Baghdad.", Verdict.SUPPORTED),
    (SOLEIMANI, "Quds Force deputy commander Qasem Soleimani visited Baghdad.", Verdict.CONTRADICTED),
    (MUHANDIS, "Abu Mahdi al-Muhandis, the former deputy chairman of the Popular Mobilization Committee, spoke.",
     Verdict.SUPPORTED),
    (MUHANDIS, "Abu Mahdi al-Muhandis, the former chairman of the Popular Mobilization Committee, spoke.",
     Verdict.CONTRADICTED),
])
def test_former_role_is_compared_as_the_role(entity, text, expected):
    claim = _claim(text, "visit", agent=entity.name)
    outcomes = [o for o in run_checks(claim, [(entity.name, "other", entity)]) if o.check == "role"]
    assert [o.verdict for o in outcomes] == [expected]
