"""Places compare by gazetteer containment and distance, never by shared words."""

from __future__ import annotations

import pytest

from newsproof.models import Claim, Entity, Mention, Verdict
from newsproof.verify.checks.places import PlaceMatch, compare_places, resolve
from newsproof.verify.checks.structured import check_death, run_checks

MATCH, MISMATCH, UNKNOWN = PlaceMatch.MATCH, PlaceMatch.MISMATCH, PlaceMatch.UNKNOWN


@pytest.mark.parametrize(("recorded", "claimed", "expected"), [
    # Facilities resolve to the city they name; two airports share words, not a city.
    ("Damascus International Airport", "Baghdad International Airport", MISMATCH),
    ("Baghdad International Airport, Baghdad, Iraq", "Baghdad", MATCH),
    ("Baghdad International Airport, Baghdad, Iraq", "Baghdad airport", MATCH),
    ("Baghdad International Airport, Baghdad, Iraq", "Damascus", MISMATCH),
    # Containment either way.
    ("Baghdad", "Iraq", MATCH),
    ("Dar es Salaam", "Tanzania", MATCH),
    ("London", "England", MATCH),
    ("London", "Scotland", MISMATCH),
    # Georgia the US state holds Plains; a bare 'Plains' takes the reading the other side names.
    ("Plains, Georgia", "Plains", MATCH),
    ("Plains", "his home in Plains, Georgia", MATCH),
    ("Plains, Georgia", "Atlanta", MISMATCH),
    ("Georgia", "Tbilisi", MATCH),
    # Accents and articles.
    ("São Paulo, Brazil", "Sao Paulo", MATCH),
    ("São Paulo", "a hospital in Sao Paulo", MATCH),
    ("The Hague", "Amsterdam", MISMATCH),
    # Distance: a neighbouring city is the same place, a city 390 km off is not.
    ("Los Angeles", "Santa Monica", MATCH),
    ("Paris", "Lyon", MISMATCH),
    ("Sao Paulo", "Rio de Janeiro", MISMATCH),
    ("London", "Paris", MISMATCH),
    # Unresolvable or ambiguous sides give no answer.
    ("Paris", "his home", UNKNOWN),
    ("Paris", "the hospital", UNKNOWN),
    ("Paris, Texas", "Paris", UNKNOWN),  # Paris, France is the likely reading, but not the only one
    ("Plains", "Atlanta", UNKNOWN),  # which Plains?
    ("Smallville, Texas", "Houston", UNKNOWN),  # an unlisted town somewhere in Texas
    ("Smallville, Texas", "Texas", MATCH),
    ("Abraham Lincoln Hospital", "Chicago", UNKNOWN),  # Lincoln is a person's name here
    ("Vatican City", "Rome", UNKNOWN),  # an enclave: across a border, but within the city
])
def test_compare_places(recorded, claimed, expected):
    assert compare_places(recorded, claimed) is expected
    assert compare_places(claimed, recorded) is expected


def test_resolution_reads_capitalised_names_and_prefers_the_populous_city():
    assert not resolve("his home").plausible
    paris = resolve("Paris").plausible
    assert [(p.kind, p.cc) for p in paris] == [("city", "FR")]
    [plains] = resolve("Plains, Georgia").plausible
    assert (plains.cc, plains.admin1) == ("US", "GA")
    assert {p.cc for p in resolve("Georgia").plausible} == {"GE", "US"}


def _claim(text: str, place: str | None, target: str = "Pelé") -> Claim:
    return Claim(id="c1", kind="event", text=text, start=0, end=len(text), action="die", action_lemma="die",
                 target=target, place=place, mentions=[Mention(text=target, label="PERSON", start=0, end=1)])


PELE = Entity(id="p_pele", name="Pelé", death_date="2022-12-29", death_place="São Paulo")


@pytest.mark.parametrize(("place", "verdict"), [
    ("Rio de Janeiro", Verdict.CONTRADICTED),
    ("a Sao Paulo hospital", Verdict.SUPPORTED),
    ("Brazil", Verdict.SUPPORTED),
    ("his home", None),
    ("Paris, Texas", Verdict.CONTRADICTED),
])
def test_death_place_of_an_uncurated_person(place, verdict):
    outcomes = [o for o in check_death(PELE, _claim(f"Pelé died in {place}.", place)) if o.check == "death_place"]
    assert [o.verdict for o in outcomes] == ([verdict] if verdict else [])
    if verdict is Verdict.CONTRADICTED:
        assert "São Paulo" in outcomes[0].reason and place in outcomes[0].reason


def test_unknown_place_leaves_the_date_check_alone():
    claim = _claim("Pelé died at his home.", "his home")
    assert run_checks(claim, [("Pelé", "target", PELE)]) == []
