"""Offices held at a date, age at death, dated events and the same-event guard, on people and
events that were never hand-curated."""

from __future__ import annotations

import datetime as dt

from newsproof.models import Claim, Entity, EvidenceItem, Mention, Position, TimeExpression, Verdict
from newsproof.verify.checks.ages import check_age
from newsproof.verify.checks.dated import with_name_mentions
from newsproof.verify.checks.events import EventCheck, read_record
from newsproof.verify.checks.kbdates import DateRange
from newsproof.verify.checks.offices import check_office, titles_before_and_after
from newsproof.verify.checks.same_event import same_event

HARRIS = Entity(id="p_harris", name="Kamala Harris", positions=[
    Position(title="United States Senator from California", country="United States", start="2017-01-03",
             end="2021-01-18"),
    Position(title="Vice President of the United States", country="United States", start="2021-01-20",
             end="2025-01-20")])
FREI = Entity(id="p_frei", name="Eduardo Frei Montalva", positions=[
    Position(title="effective national leader", country="Chile", start="1964-11-03", end="1970-11-03")])


def _day(text: str) -> DateRange:
    day = dt.date.fromisoformat(text)
    return DateRange(day, day, "day")


def test_title_used_before_the_term_began_is_contradicted():
    sentence = "Vice President Kamala Harris told reporters on March 3, 2019 that the talks would go on."
    verdict, _, reason = check_office(HARRIS, sentence, "Kamala Harris", _day("2019-03-03"))
    assert verdict is Verdict.CONTRADICTED
    assert "20 Jan 2021" in reason and "3 Mar 2019" in reason


def test_title_inside_the_term_is_supported_and_senator_is_not_vice_president():
    sentence = "Vice President Kamala Harris told reporters on Tuesday that the talks would go on."
    assert check_office(HARRIS, sentence, "Kamala Harris", _day("2022-05-03"))[0] is Verdict.SUPPORTED
    senator = "Senator Kamala Harris questioned the nominee on Tuesday."
    assert check_office(HARRIS, senator, "Kamala Harris", _day("2019-03-05"))[0] is Verdict.SUPPORTED
    assert check_office(HARRIS, senator, "Kamala Harris", _day("2023-03-07"))[0] is Verdict.CONTRADICTED


def test_former_inside_the_term_is_contradicted_and_after_it_is_not():
    sentence = "Former leader of Chile Eduardo Frei Montalva said on 21 May 1969 that taxes would fall."
    assert check_office(FREI, sentence, "Eduardo Frei Montalva", _day("1969-05-21"))[0] is Verdict.CONTRADICTED
    later = "Eduardo Frei Montalva, the former leader of Chile, met the minister on Friday."
    assert check_office(FREI, later, "Eduardo Frei Montalva", _day("1975-02-14"))[0] is Verdict.SUPPORTED


def test_titles_the_kb_does_not_record_or_other_countries_never_contradict():
    assert check_office(FREI, "Party leader Eduardo Frei Montalva spoke in 1990.", "Eduardo Frei Montalva",
                        _day("1990-01-01")) is None
    assert check_office(FREI, "Peru's leader Eduardo Frei Montalva spoke.", "Eduardo Frei Montalva",
                        _day("1990-01-01")) is None
    assert check_office(HARRIS, "Kamala Harris spoke on Monday.", "Kamala Harris", _day("2019-03-04")) is None
    assert check_office(HARRIS, "Vice President Kamala Harris spoke.", "Kamala Harris", None) is None


def test_titles_are_read_before_the_name_and_in_an_apposition():
    uses = titles_before_and_after("Kamala Harris, the vice president, said on Monday.", "Kamala Harris")
    assert [(u.office, u.former) for u in uses] == [("vice president", False)]
    uses = titles_before_and_after("The court heard that former U.S. President Jimmy Carter wrote.", "Jimmy Carter")
    assert [(u.office, u.former) for u in uses] == [("president", True)]


def _claim(text: str, **extra) -> Claim:
    return Claim(id="c", kind="event", text=text, start=0, end=len(text), **extra)


def test_age_at_death_against_exact_dates():
    pele = Entity(id="p_pele", name="Pelé", birth_date="1940-10-23", death_date="2022-12-29")
    assert check_age(pele, _claim("Pelé died on Thursday at the age of 82, his family said."))[0] is Verdict.SUPPORTED
    verdict, _, reason = check_age(pele, _claim("Pelé died on Thursday aged 85."))
    assert verdict is Verdict.CONTRADICTED and "aged 82" in reason
    assert check_age(Entity(id="x", name="X", birth_date="1940", death_date="2022-12-29"),
                     _claim("X died aged 85.")) is None


def test_frame_names_become_person_mentions_when_spacy_misses_them():
    claim = _claim("Telly Savalas was shot dead on Sunday.", target="Telly Savalas", action_lemma="shoot")
    assert [(m.text, m.label) for m in with_name_mentions(claim).mentions] == [("Telly Savalas", "PERSON")]
    org = _claim("Acme Corp was sold.", target="Acme Corp",
                 mentions=[Mention(text="Acme Corp", label="ORG", start=0, end=9)])
    assert with_name_mentions(org) == org


def _time(day: str) -> TimeExpression:
    d = dt.date.fromisoformat(day)
    return TimeExpression(text=day, start=0, end=1, date_start=d, date_end=d, granularity="day")


def test_textual_contradiction_needs_a_passage_about_the_same_event():
    claim = _claim("19 people were killed in Aleppo, Syria, on Monday.", time=_time("2016-05-30"),
                   mentions=[Mention(text="Aleppo", label="GPE", start=25, end=31),
                             Mention(text="Syria", label="GPE", start=33, end=38)])
    afrin = EvidenceItem(id="a", kind="passage", text="A car bomb hits Afrin, Syria.", date="2018-12-16")
    aleppo_late = EvidenceItem(id="b", kind="passage", text="Shelling in Aleppo.", date="2018-12-16")
    aleppo = EvidenceItem(id="c", kind="passage", text="Shelling in Aleppo kills 19.", date="2016-05-31")
    assert not same_event(claim, [afrin]) and not same_event(claim, [aleppo_late])
    assert same_event(claim, [aleppo])


def test_event_moved_to_another_date_is_contradicted(default_store):
    """UCDP records 52 deaths in Kafr Nabudah on 21 May 2019; the same event put in August is moved."""
    check = EventCheck(default_store)
    text = "On 21 August 2019, fighting in Kafr Nabudah left 52 people dead, a monitoring group said."
    moved = _claim(text, time=_time("2019-08-21"), mentions=[Mention(text="Kafr Nabudah", label="GPE", start=31,
                                                                      end=43)])
    (outcome,) = check.check(moved)
    assert outcome.verdict is Verdict.CONTRADICTED and "21 May 2019" in outcome.reason
    assert read_record(default_store.get_passages([outcome.evidence[0].id])[0]).deaths == 52
    right = moved.model_copy(update={"text": text.replace("August", "May"), "time": _time("2019-05-21")})
    assert all(o.verdict is not Verdict.CONTRADICTED for o in check.check(right))
    unknown = moved.model_copy(update={"text": text.replace("Kafr Nabudah", "Springfield"),
                                       "mentions": [Mention(text="Springfield", label="GPE", start=31, end=42)]})
    assert check.check(unknown) == []


def _in_place(text: str, place: str, day: str) -> Claim:
    start = text.index(place)
    return _claim(text, time=_time(day), mentions=[Mention(text=place, label="GPE", start=start,
                                                           end=start + len(place))])


def test_toll_is_judged_against_the_days_records_and_their_total(default_store):
    """UCDP records 0, 4, 4, 4, 16, 45 and 73 deaths in Deir ez Zor on 29 Oct 2017 (146 in all)."""
    check = EventCheck(default_store)
    (outcome,) = check.check(_in_place("365 people were killed in Deir ez Zor on 29 October 2017.", "Deir ez Zor",
                                       "2017-10-29"))
    assert outcome.verdict is Verdict.CONTRADICTED and outcome.check == "event_toll" and "146" in outcome.reason
    (outcome,) = check.check(_in_place("73 people were killed in Deir ez Zor on 29 October 2017.", "Deir ez Zor",
                                       "2017-10-29"))
    assert outcome.verdict is Verdict.SUPPORTED
    # A busy town: a toll close to one of that day's records settles nothing.
    assert check.check(_in_place("4 people were killed in Aleppo on 30 May 2016.", "Aleppo", "2016-05-30")) == []


def test_a_toll_recorded_on_one_other_day_only_shows_the_event_moved(default_store):
    """Maarat al-Numaan: 95 deaths recorded on 10 Jan 2018 only; that toll put on 7 Feb (a day with a
    record of 12) is the event moved. 34 deaths are recorded on two days: only the toll is judged."""
    check = EventCheck(default_store)
    (outcome,) = check.check(_in_place("95 people were killed in Maarat al-Numaan on 7 February 2018.",
                                       "Maarat al-Numaan", "2018-02-07"))
    assert outcome.verdict is Verdict.CONTRADICTED and outcome.check == "event_date" and "10 Jan 2018" in outcome.reason
    (outcome,) = check.check(_in_place("34 people were killed in Maarat al-Numaan on 7 February 2018.",
                                       "Maarat al-Numaan", "2018-02-07"))
    assert outcome.verdict is Verdict.CONTRADICTED and outcome.check == "event_toll"


def test_an_obituarys_short_age_sentence_names_its_person():
    claim = _claim("Uno was 80.", mentions=[Mention(text="80", label="DATE", start=8, end=10)])
    assert ("Uno", "PERSON") in [(m.text, m.label) for m in with_name_mentions(claim).mentions]
    assert with_name_mentions(_claim("The Ministry was 80.")).mentions == []
