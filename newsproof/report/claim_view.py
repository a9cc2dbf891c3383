"""What a reader sees of one claim: the evidence the verdict rests on, why each card is relevant, what a
NOT ENOUGH EVIDENCE verdict means here, and what to search next.

Shared by the terminal, HTML and web reports, so all of them show the same cards and words.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from newsproof.models import Article, ClaimResult, EvidenceItem, FactResult, Report, Verdict
from newsproof.report.sources import Citation, cite
from newsproof.report.wording import check_name, facts_line

NAME_LABELS = frozenset({"PERSON", "ORG", "FAC", "EVENT", "GPE", "LOC", "WORK_OF_ART", "LAW"})
DATE_SLACK_DAYS = {"day": 3, "month": 31, "year": 366}
MAX_CARDS = 3
_TRAILING_SOURCE = re.compile(
    r",?\s*(?:according to [^,.;]+|[^,.;]{1,60}\s(?:said|says|told \w+|reported))\s*\.?\s*$", re.IGNORECASE)
_LEADING_SOURCE = re.compile(r"^[^,.;\"]{1,40}\s(?:said|says|told \w+|reported)\s+(?:that\s+)?", re.IGNORECASE)
_LEAN = re.compile(r"^Evidence leans [A-Z ]+ but not confidently")
_PERCENT = re.compile(r"\s*\(\d+%\)")
_STOP = frozenset("a an the of in on at to and or but for with by from as is was were be been are it its this that "
                  "these those he she they his her their also after before than then there which who whom".split())

# NOT ENOUGH EVIDENCE, by why: (short label, sentence for the reader)
NEE_KINDS: dict[str, tuple[str, str]] = {
    "nothing": ("nothing relevant in the evidence base",
                "Nothing in the evidence base names this claim's people, places or date."),
    "unsettled": ("related evidence, nothing settles it",
                  "The evidence base has related material, but none of it confirms or refutes this claim. "
                  "The closest passage is shown below."),
    "date_unknown": ("article date unknown",
                     "The article's date is unknown, so a relative date such as 'on Thursday' could not be "
                     "placed in time. Give the date (--date YYYY-MM-DD) and check again."),
}


@dataclass
class Card:
    """One evidence card: the item, how to cite it, why it is relevant, and its role."""

    item: EvidenceItem
    citation: Citation
    why: list[str]
    closest: bool = False  # for NOT ENOUGH EVIDENCE: the nearest passage, which settles nothing

    @property
    def dated(self) -> str:
        """The card's date in words: a KB person's date is their recorded death."""
        date = self.item.date or ""
        return f"died {date}" if date and self.item.kind == "kb" and self.item.id.startswith("p_") else date


@dataclass
class ClaimView:
    """Everything a report shows for one claim."""

    number: int
    result: ClaimResult
    check: str
    cards: list[Card]
    confidence: str | None  # "97%", or None for NOT ENOUGH EVIDENCE (no meaningful percentage)
    nee_kind: str | None = None
    search_phrases: list[str] = field(default_factory=list)
    lookups: list[str] = field(default_factory=list)

    @property
    def facts(self) -> str:
        return facts_line(self.result.facts)

    @property
    def fact_list(self) -> list[FactResult]:
        return self.result.facts

    @property
    def reason(self) -> str:
        """The verifier's reason; for NOT ENOUGH EVIDENCE without a percentage or a lean on passages that
        settle nothing."""
        if self.nee_kind is None:
            return self.result.reason
        reason, _, partly = self.result.reason.partition("; partly confirmed: ")
        if _LEAN.match(reason) or self.result.check.startswith(("entailment_", "none")):
            reason = self.nee_text  # the verifier's lean on passages that settle nothing is no reason
        reason = _PERCENT.sub("", reason)
        return f"{reason}; partly confirmed: {partly}" if partly else reason

    @property
    def nee_label(self) -> str:
        return NEE_KINDS[self.nee_kind][0] if self.nee_kind else ""

    @property
    def nee_text(self) -> str:
        return NEE_KINDS[self.nee_kind][1] if self.nee_kind else ""


def claim_views(report: Report) -> list[ClaimView]:
    """A view per claim, in report order."""
    return [claim_view(number, result, report.article) for number, result in enumerate(report.claims, 1)]


def claim_view(number: int, result: ClaimResult, article: Article) -> ClaimView:
    """The view of one claim."""
    names = claim_names(result)
    relevant = [Card(item, cite(item), why) for item in result.evidence
                if (why := relevance(item, result, names))]
    if result.verdict is Verdict.NOT_ENOUGH_EVIDENCE:
        kind = _nee_kind(result, article, relevant)
        cards = relevant[:1]
        for card in cards:
            card.closest = True
        phrases, lookups = next_steps(result, article, names)
        return ClaimView(number, result, check_name(result.check), cards, None, kind, phrases, lookups)
    # Reports written before schema 1.2 do not say which evidence decided; the deciding check's evidence comes
    # first there, so that item counts as deciding, and further items only where they are relevant.
    decided = set(result.decided_by) if result.decided_by is not None else {i.id for i in result.evidence[:1]}
    cards = [Card(item, cite(item), relevance(item, result, names) or ["the check that decided read this"])
             for item in result.evidence if item.id in decided]
    if result.decided_by is None:
        cards += [card for card in relevant if card.item.id not in decided]
    return ClaimView(number, result, check_name(result.check), cards[:MAX_CARDS], f"{result.confidence:.0%}")


def claim_names(result: ClaimResult) -> list[tuple[str, str | None]]:
    """(name in the claim, linked KB id) for the claim's specific names: people, organisations, places smaller
    than a country, events."""
    # imported here: verify may import report helpers
    from newsproof.verify.checks.same_event import is_country

    seen: dict[str, str | None] = {}
    for mention in result.claim.mentions:
        if mention.label in NAME_LABELS and len(mention.text) > 2 and not is_country(mention.text):
            seen.setdefault(mention.text, mention.entity_id)
    return list(seen.items())


def relevance(item: EvidenceItem, result: ClaimResult, names: list[tuple[str, str | None]]) -> list[str]:
    """Why `item` bears on the claim: the names it shares with the claim and a matching date. Empty: unrelated."""
    from newsproof.verify.checks.same_event import fold

    records, named = [], []
    text = fold(f"{item.title or ''} {item.text}")
    for name, entity_id in names:
        if entity_id and entity_id == item.id:
            records.append(f"the evidence base's record of {name}")
        elif _mentions(fold(name), text):
            named.append(name)
    why = records + ([f"names {', '.join(named[:3])}"] if named else [])
    date_note = _date_match(result, item.date)
    if date_note and (why or result.claim.time and result.claim.time.granularity == "day"):
        why.append(date_note)
    if item.kind == "factcheck" and not why:
        why.append("a fact-checked claim worded like this one")
    return why


def _mentions(name: str, text: str) -> bool:
    """The full name, or a person's distinctive last word ('Soleimani'), appears in the text."""
    if re.search(rf"\b{re.escape(name)}\b", text):
        return True
    last = name.split()[-1] if " " in name else ""
    return len(last) >= 5 and re.search(rf"\b{re.escape(last)}\b", text) is not None


def _date_match(result: ClaimResult, stated: str | None) -> str | None:
    """'same day as the claim' when the item is dated within the claim's date range (at its precision)."""
    time = result.claim.time
    if time is None or not stated:
        return None
    try:
        day = dt.date.fromisoformat(stated[:10]) if len(stated) >= 10 else dt.date(int(stated[:4]), 1, 1)
    except ValueError:
        return None
    slack = dt.timedelta(days=DATE_SLACK_DAYS[time.granularity])
    if not time.date_start - slack <= day <= time.date_end + slack:
        return None
    same = time.date_start <= day <= time.date_end
    return f"dated {stated}, {'the claim' if same else 'close to the claim'}'s date ({time.text})"


def _nee_kind(result: ClaimResult, article: Article, relevant: list[Card]) -> str:
    claim = result.claim
    if article.date is None and claim.time is None and any(m.label == "DATE" for m in claim.mentions):
        return "date_unknown"
    return "unsettled" if relevant else "nothing"


def next_steps(result: ClaimResult, article: Article, names: list[tuple[str, str | None]]
               ) -> tuple[list[str], list[str]]:
    """Exact search phrases for an unverified claim, and the names to look up."""
    claim = result.claim
    phrases: list[str] = []
    quoted = [f'"{name}"' for name, _ in names]
    if claim.quote is not None:
        words = claim.quote.text.strip(' "“”,.').split()
        phrases.append('"' + " ".join(words[:12]) + '"' + (f' "{claim.quote.speaker}"' if claim.quote.speaker else ""))
    else:
        core = _LEADING_SOURCE.sub("", _TRAILING_SOURCE.sub("", claim.text.strip())).strip().rstrip(".")
        core = re.sub(r"[\"“”]", "", core)
        if len(core.split()) <= 14:
            phrases.append(f'"{core}"')
        if quoted or len(core.split()) > 14:
            content = [w for w in re.findall(r"[\w'-]+", core) if w.lower() not in _STOP
                       and not any(w in n for n, _ in names)]
            phrases.append(" ".join(quoted + content[:6]))
    when = claim.time.text if claim.time else (f"{article.date:%B %Y}" if article.date else "")
    if when and quoted:
        phrases.append(" ".join(quoted) + f" {when}")
    lookups = [name + ("" if entity_id else " (no record linked)") for name, entity_id in names]
    return list(dict.fromkeys(p.strip() for p in phrases if p.strip())), lookups
