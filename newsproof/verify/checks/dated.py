"""Structured checks that need the article's date or the claim's wording: offices held at a date and
age at death; plus the name mentions spaCy mislabels or misses in a claim's frame."""

from __future__ import annotations

import datetime as dt
import re

from newsproof.models import Claim, Entity, Mention
from newsproof.verify.checks.ages import check_age, obituary_age
from newsproof.verify.checks.kbdates import from_time
from newsproof.verify.checks.offices import check_office, day_range
from newsproof.verify.checks.same_event import is_country
from newsproof.verify.checks.structured import DEATH_LEMMAS, CheckOutcome, entity_evidence

NAME = re.compile(r"(?:[A-Z][\w'’.-]+\s){1,3}[A-Z][\w'’-]+")
IN_PLACE = re.compile(r"\b(?:died|killed|dead|assassinated|murdered)\b[^.]*?\bin ((?:[A-Z][\w'’-]+ )*[A-Z][\w'’-]+)")
TITLE_WORDS = frozenset("former late president vice prime minister leader chancellor senator king queen pope general "
                        "governor mayor chief chairman secretary ambassador commander of the".split())
NOT_NAME_WORDS = re.compile(r"\b(?:The|Inc|Corp|Co|Ltd|Bank|Group|Party|Force|Forces|Ministry|Council|University|"
                            r"Company|Association|Agency|Airport|Street|Army|Police|News|Syria|Iraq)\b")


def with_name_mentions(claim: Claim) -> Claim:
    """The claim with the person named in its frame's agent/target as a PERSON mention, where spaCy
    missed, mislabelled or cut the name ('Telly Savalas was shot dead', 'Former leader of Chile Eduardo
    Frei Montalva' read as 'Montalva'), and with a death claim's place read from 'in <Place>'."""
    claim = _whole_possessive_names(claim)
    added: list[Mention] = []
    labels = {m.text: m.label for m in claim.mentions}
    aged = AGE_SENTENCE.fullmatch(claim.text)
    if aged and not any(m.label == "PERSON" for m in claim.mentions) and not NOT_NAME_WORDS.search(aged.group(1)):
        # 'Uno was 80.': spaCy often reads the surname as nothing and the age as a date
        added.append(Mention(text=aged.group(1), label="PERSON", start=claim.start, end=claim.start + len(aged.group(1))))
    for role in (claim.target, claim.agent):
        name = trailing_name(role or "")
        if not name or labels.get(name) == "PERSON":
            continue
        start = claim.text.find(name)
        if start >= 0:
            added.append(Mention(text=name, label="PERSON", start=claim.start + start,
                                 end=claim.start + start + len(name)))
    update: dict = {}
    if added:
        inside = [m for m in claim.mentions if any(m.text in a.text for a in added)]
        update["mentions"] = [m for m in claim.mentions if m not in inside] + added
    if claim.place is None and (claim.action_lemma or "") in DEATH_LEMMAS:
        place = IN_PLACE.search(claim.text)
        if place and not NOT_NAME_WORDS.search(place.group(1)):
            update["place"] = place.group(1)
    return claim.model_copy(update=update) if update else claim


AGE_SENTENCE = re.compile(r"\s*((?:[A-Z][\w'’-]+ ){0,3}[A-Z][\w'’-]+) was \d{1,3}(?: years old)?\.\s*")
CUT_POSSESSIVE = re.compile(r"^ ((?:[A-Z][\w-]+ ){0,1}[A-Z][\w-]+)['’]s\b")


def _whole_possessive_names(claim: Claim) -> Claim:
    """A PERSON mention that spaCy cut before a possessive name ('Aung San' in "Aung San Suu Kyi's
    party") widened to the whole name, so it never links to a namesake (her father, Aung San)."""
    mentions = list(claim.mentions)
    for i, mention in enumerate(mentions):
        offset = mention.end - claim.start
        rest = CUT_POSSESSIVE.match(claim.text[offset:]) if mention.label == "PERSON" and offset >= 0 else None
        if rest and not NOT_NAME_WORDS.search(rest.group(1)):
            whole = f"{mention.text} {rest.group(1)}"
            mentions[i] = mention.model_copy(update={"text": whole, "end": mention.start + len(whole)})
    return claim.model_copy(update={"mentions": mentions}) if mentions != claim.mentions else claim


def trailing_name(phrase: str) -> str | None:
    """The person's name at the end of a frame phrase: 'Former leader of Chile Eduardo Frei Montalva'
    -> 'Eduardo Frei Montalva'; None when the phrase does not end in a name of two to four words."""
    words = phrase.split()
    name: list[str] = []
    for word in reversed(words):
        if not word[:1].isupper() or word.lower().strip(",") in TITLE_WORDS or word.endswith(("'s", "'", "’s")) \
                or is_country(word):
            break
        name.insert(0, word)
    text = " ".join(name)
    if not 2 <= len(name) <= 4 or not NAME.fullmatch(text) or NOT_NAME_WORDS.search(text):
        return None
    return text


def dated_checks(claim: Claim, linked: list[tuple[str, str, Entity]], article_date: dt.date | None) -> list[CheckOutcome]:
    """Office-at-date and age-at-death outcomes for the linked people of `claim`."""
    outcomes: list[CheckOutcome] = []
    dates = (day_range(article_date), from_time(claim.time) if claim.time else None)
    for name, role, entity in linked:
        if entity.type != "person":
            continue
        found = check_office(entity, claim.text, name, *dates)
        if found:
            outcomes.append(CheckOutcome(*found, check="office_date", evidence=[entity_evidence(entity)]))
        aged = None
        if role == "target" and (claim.action_lemma or "") in DEATH_LEMMAS:
            aged = check_age(entity, claim)
        elif (age := obituary_age(entity, claim, name, article_date)) is not None:
            aged = check_age(entity, claim, age)
        if aged:
            outcomes.append(CheckOutcome(*aged, check="age_at_death", evidence=[entity_evidence(entity)]))
    return outcomes
