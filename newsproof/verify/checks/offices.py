"""Offices held at a date: a title an article gives a person, against the person's dated KB positions.

"Vice President Kamala Harris told reporters on 3 March 2019" names an office held from 2021: the
title is used outside every recorded term of that office. "Former leader of Chile Eduardo Frei
Montalva said on 21 May 1969" calls him former while a recorded term covers the date. A title is
judged at the article's date and at the claim's own date, and contradicted only when wrong at both. Only positions of the same office
(title and, where the article names one, country) are compared; a title the KB does not record for
the person is never a contradiction.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from newsproof.models import Entity, Position, Verdict
from newsproof.verify.checks.kbdates import DateRange, parse_kb_date

# Office words, most specific first; each maps to words a matching KB title must contain.
OFFICES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    # (word in the article, KB title must contain one of, KB title must not contain any of)
    ("vice president", ("vice president", "vice-president"), ()),
    ("vice-president", ("vice president", "vice-president"), ()),
    ("prime minister", ("prime minister",), ("deputy",)),
    ("premier", ("prime minister", "premier"), ("deputy",)),
    ("president", ("president",), ("vice", "deputy")),
    ("chancellor", ("chancellor",), ("vice",)),
    ("senator", ("senator",), ()),
    ("congressman", ("representative",), ()),
    ("congresswoman", ("representative",), ()),
    ("representative", ("representative",), ()),
    ("leader", ("effective national leader", "president", "prime minister", "head of state"), ("vice", "deputy")),
)
FORMER = re.compile(r"\b(?:former|ex-|then-former)\b", re.IGNORECASE)
NOT_AN_OFFICE = re.compile(r"\b(?:opposition|party|rebel|militia|group|union|company|club|team|church|bank|"
                           r"university|deputy|vice(?! president)|acting|elect|candidate|hopeful|nominee)\b",
                           re.IGNORECASE)
PLAIN_WORDS = {part for word, _, _ in OFFICES for part in re.split(r"[ -]", word)} | {"former", "the", "of", "ex"}
ABBREVIATION = re.compile(r"\b(?:[A-Z]\.){2,}")  # 'U.S.' would end the clause before a title
US_WORDS = ("us", "u.s.", "united states", "american", "america")


@dataclass(frozen=True)
class TitleUse:
    """An office title an article attaches to a name."""

    phrase: str
    office: str
    former: bool


def titles_before_and_after(sentence: str, name: str) -> list[TitleUse]:
    """Titles in front of `name` ('Former leader of Chile Eduardo Frei') or in an apposition after it
    ('Harris, the vice president,')."""
    uses: list[TitleUse] = []
    sentence = ABBREVIATION.sub(lambda m: m.group(0).replace(".", ""), sentence)
    escaped = re.escape(name)
    before = re.search(r"(?:^|[,;:.—–(\"“])\s*([^,;:.—–(\"“]{0,80}?)\s*" + escaped, sentence)
    if before and before.group(1):
        uses += _read(before.group(1), tail=True)
    after = re.search(escaped + r",\s+(?:the|a|an)\s+([^,;.]{3,80})[,;.]", sentence)
    if after:
        uses += _read(after.group(1), tail=False)
    return uses


def _read(phrase: str, *, tail: bool) -> list[TitleUse]:
    text = phrase.strip().lower()
    for word, _, _ in OFFICES:
        match = re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)
        if not match:
            continue
        if tail and len(text[match.end():].split()) > 3:  # the title must sit right before the name
            return []
        if NOT_AN_OFFICE.search(text):
            return []
        shown = " ".join(phrase.split()[-6:]) if tail else phrase.strip()  # the title, not the whole clause
        return [TitleUse(phrase=shown, office=word, former=bool(FORMER.search(text)))]
    return []


def _matching_positions(entity: Entity, use: TitleUse) -> list[Position]:
    must, must_not = next((m, n) for w, m, n in OFFICES if w == use.office)
    out = []
    for position in entity.positions:
        title = position.title.lower()
        if not any(m in title for m in must) or any(n in title for n in must_not):
            continue
        if not _same_country(use.phrase, position):
            continue
        out.append(position)
    return out


def _same_country(phrase: str, position: Position) -> bool:
    """False when the phrase names a country other than the position's."""
    where = " ".join(filter(None, (position.country, position.org, position.title))).lower()
    if not where:
        return True
    lower = phrase.lower()
    named_us = any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", lower) for w in US_WORDS)
    is_us = "united states" in where
    if named_us != is_us and (named_us or _names_place(phrase)):
        return False
    if position.country and _names_place(phrase) and not named_us:
        return position.country.lower().split()[0][:5] in lower
    return True


def _names_place(phrase: str) -> bool:
    """Whether a title phrase carries a capitalised qualifier ('Chile', "Laos'", 'Japanese')."""
    words = re.findall(r"[A-Za-z][\w'’.]*", phrase)
    return any(w[0].isupper() and w.lower() not in PLAIN_WORDS for w in words)


def _term(position: Position) -> tuple[DateRange, DateRange | None] | None:
    start = parse_kb_date(position.start)
    if start is None or start.granularity != "day":
        return None
    end = parse_kb_date(position.end) if position.end else None
    if position.end and (end is None or end.granularity != "day"):
        return None
    return start, end


def check_office(entity: Entity, sentence: str, name: str,
                 *dates: DateRange | None) -> tuple[Verdict, float, str] | None:
    """Compare each title `sentence` gives `name` with `entity`'s dated terms of that office.

    `dates` are the article's date and the claim's own date: journalists give a title as of the day
    they write ('President Carter signed the accords in 1978' in a 2024 article), so a title is
    contradicted only when it is wrong at every known date, and supported when right at any."""
    known = [d for d in dates if d is not None and d.granularity != "year"]
    if not known:
        return None
    for use in titles_before_and_after(sentence, name):
        positions = _matching_positions(entity, use)
        terms = [t for t in (_term(p) for p in positions) if t]
        if not terms:
            continue
        judged = [_judge(use, terms, when) for when in known]
        supported = [(v, w) for v, w in judged if v is Verdict.SUPPORTED]
        if supported:
            verdict, when = supported[0]
        elif all(v is Verdict.CONTRADICTED for v, _ in judged):
            verdict, when = judged[-1]
        else:
            continue
        spans = "; ".join(f"{s.human()} to {e.human() if e else 'present'}"
                          for s, e in sorted(terms, key=lambda t: t[0].start))
        held = f"{entity.name} held the office of {_office_name(positions[0])} {spans}"
        said = f"the article calls {entity.name} '{use.phrase}' on {when.human()}"
        if verdict is Verdict.SUPPORTED:
            return verdict, 0.75, f"{held}; {said}"
        in_office = ", so was in office then" if use.former else ""
        return verdict, 0.85, f"{held}{in_office}; {said}"
    return None


def _judge(use: TitleUse, terms: list[tuple[DateRange, DateRange | None]], when: DateRange) -> tuple[Verdict | None, DateRange]:
    """The title's verdict at one date. An open-ended term (the source's 'still in office') proves
    nothing for 'former': the source may simply end before the date."""
    inside_closed = any(s.start <= when.end and e is not None and when.start < e.start for s, e in terms)
    inside_open = any(s.start <= when.end and e is None for s, e in terms)
    ended_before = any(e is not None and e.start <= when.start for _, e in terms)
    began_after = all(when.end < s.start for s, _ in terms)
    if use.former:
        if inside_closed:
            return Verdict.CONTRADICTED, when
        if ended_before and not inside_open:
            return Verdict.SUPPORTED, when
        return None, when
    if inside_closed or inside_open:
        return Verdict.SUPPORTED, when
    if began_after or ended_before:
        return Verdict.CONTRADICTED, when
    return None, when


def _office_name(position: Position) -> str:
    if position.title.lower().startswith("effective national leader") and position.country:
        return f"national leader of {position.country}"
    return position.title + (f" ({position.country})" if position.country and position.country not in position.title
                             else "")


def day_range(day: dt.date | None) -> DateRange | None:
    """A single day as a DateRange (None stays None)."""
    return DateRange(day, day, "day") if day else None
