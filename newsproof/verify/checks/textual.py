"""Textual checks: quotes, previously fact-checked claims and learned entailment over retrieved passages.

Each check takes all claims of an article at once (`run_batch`) so models see one batch, and
returns one list of `CheckOutcome` per claim, to be combined with the structured KB checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from newsproof.evidence.hybrid import passage_text
from newsproof.evidence.retrieval import Retriever
from newsproof.models import Article, Claim, EvidenceItem, Passage, Verdict
from newsproof.verify.checks.structured import CheckOutcome
from newsproof.verify.features import shares_rare_word


class TextualCheck(Protocol):
    """A check that reads evidence text rather than KB fields."""

    def warm_up(self) -> None: ...

    def run_batch(self, claims: Sequence[Claim], article: Article) -> list[list[CheckOutcome]]: ...


def passage_evidence(passage: Passage, score: float) -> EvidenceItem:
    """A retrieved passage as an evidence card."""
    return EvidenceItem(id=passage.id, kind="passage", text=passage.text[:600], title=passage.title,
                        source=passage.source, url=passage.url, date=passage.date, score=round(score, 4))


def _snippet(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _source(passage: Passage) -> str:
    where = passage.title or passage.source or "the archive"
    return f"{where} ({passage.date})" if passage.date else where


class QuoteAttributionCheck:
    """Direct quotes looked up in the passage archive, with their attributed speaker."""

    def __init__(self, store: Any, retriever: Retriever) -> None:
        self.store = store
        self.retriever = retriever
        self.checker_: Any = None

    def warm_up(self) -> None:
        """Build the quote checker."""
        from newsproof.verify.checks.quotes import QuoteChecker

        self.checker_ = self.checker_ or QuoteChecker(self.store, retriever=self.retriever)

    def run_batch(self, claims: Sequence[Claim], article: Article) -> list[list[CheckOutcome]]:
        """An outcome for each quote claim; nothing for other claims."""
        out: list[list[CheckOutcome]] = []
        for claim in claims:
            if claim.quote is None:
                out.append([])
                continue
            result = self.checker_.check(claim.quote)
            evidence = [passage_evidence(result.passage, result.similarity / 100)] if result.passage else []
            out.append([CheckOutcome(result.verdict, result.confidence, result.reason, f"quote_{result.status}",
                                     evidence)])
        return out


class FactCheckMatchCheck:
    """Claims that a fact-checker already rated (matched by embedding similarity + lexical overlap)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.matcher_: Any = None

    def warm_up(self) -> None:
        """Load the matcher's tuned thresholds and embedder."""
        from newsproof.verify.checks.factcheck import FactCheckMatcher

        if self.matcher_ is None:
            self.matcher_ = FactCheckMatcher(self.store)
            self.matcher_.warm_up()

    def run_batch(self, claims: Sequence[Claim], article: Article) -> list[list[CheckOutcome]]:
        """The best match per claim, carrying the fact-checker's verdict."""
        out: list[list[CheckOutcome]] = []
        for matches in self.matcher_.match_batch([c.text for c in claims], k=3):
            if not matches:
                out.append([])
                continue
            best = matches[0]
            checked = best.checked
            when = f" on {checked.date}" if checked.date else ""
            reason = (f"Already fact-checked{when}: {_snippet(checked.claim)!r} was rated {checked.label!r} "
                      f"by {checked.source or 'a fact-checker'}")
            confidence = min(0.9, 0.5 + best.score / 2)
            out.append([CheckOutcome(checked.verdict, confidence, reason, "factcheck_match",
                                     [m.evidence_item() for m in matches])])
        return out


class EntailmentCheck:
    """Retrieve passages for each claim and let the entailment judge read them."""

    def __init__(self, store: Any, config: dict[str, Any], retriever: Retriever) -> None:
        self.store = store
        self.config = config
        self.retriever = retriever
        self.top_k = config["top_k"]
        self.judge_: Any = None

    def warm_up(self) -> None:
        """Load the configured judge (default: the learned model shipped in the package)."""
        from newsproof.verify.judges import get_judge

        if self.judge_ is None:
            self.judge_ = get_judge(config=self.config)
            self.judge_.warm_up()

    def run_batch(self, claims: Sequence[Claim], article: Article) -> list[list[CheckOutcome]]:
        """One outcome per claim with evidence; NOT ENOUGH EVIDENCE where nothing relevant is found.

        The judge reads every retrieved passage, but only passages sharing one of the claim's rarer
        words are cited (reason and evidence cards): a lean on an unrelated passage is not evidence.
        A claim whose passages are all unrelated gets NOT ENOUGH EVIDENCE.
        """
        retrieved = [[hit.passage for hit in hits] for hits in self.retriever.search_many([c.text for c in claims],
                                                                                           k=self.top_k)]
        todo = [i for i, passages in enumerate(retrieved) if passages]
        judgements = self.judge_.judge_batch([(claims[i].text, retrieved[i]) for i in todo]) if todo else []
        out: list[list[CheckOutcome]] = [[] for _ in claims]
        for i, judgement in zip(todo, judgements, strict=True):
            passages = {p.id: p for p in retrieved[i]}
            ranked = judgement.supporting if judgement.verdict is Verdict.SUPPORTED else judgement.refuting
            named = [passages[pid] for pid in ranked if pid in passages]
            ordered = named + [p for p in retrieved[i] if p not in named]
            cited = [p for p in ordered if shares_rare_word(claims[i].text, passage_text(p))]
            evidence = [passage_evidence(p, 1.0 - rank / 10) for rank, p in enumerate(cited)]
            check = f"entailment_{judgement.backend}"
            if not cited:
                out[i] = [CheckOutcome(Verdict.NOT_ENOUGH_EVIDENCE, 0.5, UNRELATED, check, [])]
            elif named and cited[0] not in named:  # the judge leaned on unrelated passages only
                out[i] = [CheckOutcome(Verdict.NOT_ENOUGH_EVIDENCE, 0.5, UNSETTLED, check, evidence)]
            else:
                out[i] = [CheckOutcome(judgement.verdict, judgement.confidence,
                                       _entailment_reason(judgement.verdict, cited[0]), check, evidence)]
        return out


UNRELATED = "The passages found share none of this claim's distinctive words"
UNSETTLED = "Related passages were found, but none settles this claim"


def _entailment_reason(verdict: Verdict, passage: Passage) -> str:
    if verdict is Verdict.NOT_ENOUGH_EVIDENCE:
        return UNSETTLED
    if verdict is Verdict.SUPPORTED:
        return f"{_source(passage)} supports this: {_snippet(passage.text)!r}"
    return f"{_source(passage)} contradicts this: {_snippet(passage.text)!r}"


def build_textual_checks(store: Any, config: dict[str, Any], retriever: Retriever) -> list[TextualCheck]:
    """The textual checks run after the structured ones, most specific first; every passage they read
    comes from `retriever`, the one retrieval stage."""
    return [QuoteAttributionCheck(store, retriever), FactCheckMatchCheck(store), EntailmentCheck(store, config, retriever)]
