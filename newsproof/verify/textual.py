"""Textual checks: claims judged against retrieved passages rather than KB fields."""

from __future__ import annotations

import re
from typing import Any

from newsproof.models import Article, Claim, EvidenceItem, Passage, Verdict
from newsproof.verify.structured import CheckOutcome

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]+")
_STOP = frozenset(
    "the a an of to in on at for and or but with by from as is was were be been are that this it its his her "
    "their they he she said says also after before over about into than then there which who whom".split()
)


def content_words(text: str) -> set[str]:
    """Lower-cased content words of `text`."""
    return {w.lower() for w in _WORD.findall(text)} - _STOP


def passage_evidence(passage: Passage, score: float) -> EvidenceItem:
    """A retrieved passage as an evidence card."""
    return EvidenceItem(id=passage.id, kind="passage", text=passage.text[:600], title=passage.title,
                        source=passage.source, url=passage.url, date=passage.date, score=round(score, 4))


class RetrievalCheck:
    """Retrieve passages for a claim and judge them by content-word overlap (can only support)."""

    name = "lexical_overlap"

    def __init__(self, store: Any, top_k: int = 5, support_threshold: float = 0.6) -> None:
        self.store = store
        self.top_k = top_k
        self.support_threshold = support_threshold

    def warm_up(self) -> None:
        """Nothing to load."""

    def run(self, claim: Claim, article: Article) -> list[CheckOutcome]:
        """One outcome: SUPPORTED when a passage covers most of the claim's content words."""
        hits = self.store.search_passages(claim.text, k=self.top_k)
        if not hits:
            return []
        words = content_words(claim.text)
        scored = sorted(
            ((len(words & content_words(h.passage.text)) / max(len(words), 1), h) for h in hits),
            key=lambda pair: -pair[0],
        )
        best_overlap, best = scored[0]
        evidence = [passage_evidence(h.passage, overlap) for overlap, h in scored]
        if best_overlap >= self.support_threshold:
            source = best.passage.title or best.passage.source
            return [CheckOutcome(Verdict.SUPPORTED, min(0.9, 0.4 + best_overlap / 2),
                                 f"A passage from {source} states most of this claim "
                                 f"({best_overlap:.0%} of its content words)", self.name, evidence)]
        return [CheckOutcome(Verdict.NOT_ENOUGH_EVIDENCE, 0.5,
                             "Related passages found, but none states this claim", self.name, evidence)]


def build_textual_checks(store: Any, config: dict) -> list[RetrievalCheck]:
    """The textual checks run after the structured ones, in order."""
    return [RetrievalCheck(store, top_k=config.get("top_k", 5))]
