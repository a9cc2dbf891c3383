"""Quote checks: is a direct quote found in the archive, and from the person it is attributed to?

* found verbatim or near-verbatim with that speaker named around it -> SUPPORTED;
* found, but attributed there to someone else -> CONTRADICTED (misattributed quote);
* not found (or too short to check) -> NOT ENOUGH EVIDENCE, flagged as an unverified quote.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from newsproof.evidence.protocol import EvidenceStore
from newsproof.evidence.retrieval import Retriever
from newsproof.models import Passage, Quote, Verdict

_NAME = r"[A-Z][\w'.-]+(?:\s+(?:[A-Z][\w'.-]+|de|van|von|al|bin|el))*"
_VERB = r"(?:said|says|told|added|stated|wrote|declared|insisted|argued|explained|warned|tweeted)"
_ATTRIBUTION = re.compile(rf"(?:{_VERB}\s+(?P<after>{_NAME}))|(?:(?P<before>{_NAME})\s+{_VERB})")
_PRONOUNS = frozenset("he she they it we i you his her their its the this that a an".split())
_HONORIFICS = frozenset("mr mrs ms dr sir president minister senator rep gov general prime".split())
Status = Literal["verified", "misattributed", "unverified", "speaker-unconfirmed"]


@dataclass(frozen=True)
class QuoteCheck:
    """Outcome of a quote check."""

    verdict: Verdict
    confidence: float
    status: Status
    reason: str
    passage: Passage | None = None
    found_speaker: str | None = None
    similarity: float = 0.0


def normalise(text: str) -> str:
    """Lower-case ASCII words only (curly quotes, dashes and punctuation dropped)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).split())


def name_tokens(name: str) -> list[str]:
    """Lower-case name parts without honorifics ('President Joe Biden' -> ['joe', 'biden'])."""
    return [t for t in normalise(name).split() if t not in _HONORIFICS]


def same_person(a: str, b: str) -> bool:
    """True when two names plausibly denote one person (shared surname or full-name containment)."""
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return False
    return ta[-1] == tb[-1] or set(ta) <= set(tb) or set(tb) <= set(ta)


def _mentions(name: str, text: str) -> bool:
    parts = name_tokens(name)
    if not parts:
        return False
    norm = f" {normalise(text)} "
    return f" {' '.join(parts)} " in norm or (len(parts[-1]) > 2 and f" {parts[-1]} " in norm)


def attributions(window: str) -> list[tuple[int, str]]:
    """(position, name) of 'X said' / 'said X' attributions in a text window, pronouns dropped."""
    out = []
    for m in _ATTRIBUTION.finditer(window):
        name = m.group("after") or m.group("before")
        words = [w for w in name.split() if w.lower() not in _PRONOUNS]
        if words and name.split()[0].lower() not in _PRONOUNS:
            out.append((m.start(), " ".join(words)))
    return out


class QuoteChecker:
    """Checks quotes against the passages of an evidence store."""

    def __init__(self, store: EvidenceStore, min_similarity: float = 90.0, window: int = 200,
                 candidates: int = 10, min_words: int = 4, retriever: Retriever | None = None) -> None:
        self.store = store
        self.retriever = retriever or Retriever(store, mode="bm25")
        self.min_similarity = min_similarity
        self.window = window
        self.candidates = candidates
        self.min_words = min_words

    def locate(self, quote: str, passage: Passage) -> tuple[float, int, int]:
        """Best fuzzy alignment of the quote in the passage: (score 0-100, start, end) in passage chars."""
        alignment = fuzz.partial_ratio_alignment(quote.lower(), passage.text.lower())
        if alignment is None:
            return 0.0, 0, 0
        return alignment.score, alignment.dest_start, alignment.dest_end

    def check(self, quote: Quote) -> QuoteCheck:
        """Check one quote (its text and, if known, its speaker)."""
        text = quote.text.strip().strip("\"'“”‘’")
        if len(normalise(text).split()) < self.min_words:
            return QuoteCheck(Verdict.NOT_ENOUGH_EVIDENCE, 0.5, "unverified",
                              f"unverified quote: too short to check ({text!r})")
        found: list[tuple[float, Passage, int, int]] = []
        for hit in self.retriever.search(text, self.candidates):
            score, start, end = self.locate(text, hit.passage)
            if score >= self.min_similarity:
                found.append((score, hit.passage, start, end))
        if not found:
            return QuoteCheck(Verdict.NOT_ENOUGH_EVIDENCE, 0.6, "unverified",
                              "unverified quote: not found in the archive")
        found.sort(key=lambda f: -f[0])
        speaker = quote.speaker or quote.speaker_org
        others: list[tuple[float, Passage, str]] = []
        for score, passage, start, end in found:
            window = passage.text[max(0, start - self.window): end + self.window]
            if speaker and _mentions(speaker, window):
                return QuoteCheck(Verdict.SUPPORTED, round(0.6 + 0.4 * score / 100, 3), "verified",
                                  f"quote found ({score:.0f}% match) attributed to {speaker}", passage, speaker, score)
            near = sorted(attributions(window), key=lambda a: abs(a[0] - (start - max(0, start - self.window))))
            named = [n for _, n in near if not (speaker and same_person(n, speaker))]
            if named:
                others.append((score, passage, named[0]))
        if speaker and others:
            score, passage, other = others[0]
            return QuoteCheck(Verdict.CONTRADICTED, round(0.5 + 0.4 * score / 100, 3), "misattributed",
                              f"misattributed quote: the archive attributes it to {other}, not {speaker}",
                              passage, other, score)
        score, passage = found[0][0], found[0][1]
        who = f"; the archive does not name {speaker} as its source" if speaker else ""
        return QuoteCheck(Verdict.NOT_ENOUGH_EVIDENCE, 0.5, "speaker-unconfirmed",
                          f"quote found ({score:.0f}% match) but its speaker is not confirmed{who}",
                          passage, None, score)
