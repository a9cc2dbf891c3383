"""Whole-article checks on people and events that were never hand-curated: each splice kind is
caught in an ordinary wire format, and the accurate version of the same article draws no alarm."""

from __future__ import annotations

import datetime as dt

import pytest

from newsproof.models import Verdict

CASES = [
    # (spliced article, accurate article, name the contradicted claim must carry, deciding check)
    ("HARARE, May 3, 2001 — Joshua Nkomo addressed a rally in Bulawayo on Wednesday, promising land reform.",
     "HARARE, May 3, 1995 — Joshua Nkomo addressed a rally in Bulawayo on Wednesday, promising land reform.",
     "Nkomo", "posthumous_event"),
    ("WASHINGTON — Vice President Kamala Harris told reporters on March 3, 2019 that the bill would pass.",
     "WASHINGTON — Senator Kamala Harris told reporters on March 3, 2019 that the bill would pass.",
     "Harris", "office_date"),
    ("SANTIAGO, May 22, 1969 — Former leader of Chile Eduardo Frei Montalva said on Wednesday that taxes "
     "would fall.",
     "SANTIAGO, May 22, 1975 — Former leader of Chile Eduardo Frei Montalva said on Wednesday that taxes "
     "would fall.",
     "Frei", "office_date"),
    ("BEIRUT — On 21 August 2019, fighting in Kafr Nabudah left 52 people dead, a monitoring group said.",
     "BEIRUT — On 21 May 2019, fighting in Kafr Nabudah left 52 people dead, a monitoring group said.",
     "Kafr Nabudah", "event_date"),
    ("Jean Marais dies\n\nPARIS, November 9, 1998 — French actor Jean Marais died in Lyon on Sunday, his "
     "agent said.",
     "Jean Marais dies\n\nPARIS, November 9, 1998 — French actor Jean Marais died in Cannes on Sunday, his "
     "agent said.",
     "Marais", "death_place"),
]


def _contradicted(report):
    return [r for r in report.claims if r.verdict is Verdict.CONTRADICTED]


@pytest.mark.parametrize(("spliced", "accurate", "name", "check"), CASES)
def test_splice_caught_and_accurate_version_clean(checker, spliced, accurate, name, check):
    date = dt.date(2019, 8, 22) if "BEIRUT" in spliced else None
    found = _contradicted(checker.check_bytes(spliced.encode(), kind="text", date=date))
    assert any(name in r.claim.text and r.check == check for r in found), [(r.check, r.reason) for r in found]
    clean_date = dt.date(2019, 5, 22) if "BEIRUT" in accurate else None
    assert _contradicted(checker.check_bytes(accurate.encode(), kind="text", date=clean_date)) == []


def test_linked_mentions_carry_entity_ids(checker):
    report = checker.check_bytes(b"HARARE, May 3, 2001 - Joshua Nkomo addressed a rally in Bulawayo on Wednesday.",
                                 kind="text")
    ids = [m.entity_id for r in report.claims for m in r.claim.mentions if m.text == "Joshua Nkomo"]
    assert ids and all(ids)


def test_relative_dates_without_an_article_date_decide_nothing(checker):
    text = b"Joshua Nkomo addressed a rally in Bulawayo on Wednesday, promising land reform."
    report = checker.check_bytes(text, kind="text")
    assert report.article.date is None and _contradicted(report) == []
