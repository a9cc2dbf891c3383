"""What every entailment judge shares: the `Judge` protocol, the `Judgement` it returns and the helpers that
build one from label probabilities. The judges themselves are the sibling modules; `newsproof.verify.judges`
picks one by name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from newsproof.labels import LABELS, Label, to_verdict
from newsproof.models import Passage, Verdict

Probs = dict[str, float]


@dataclass(frozen=True)
class Judgement:
    """A verdict on one claim with the passages that drove it.

    `probs` is over the four `Label` values; `per_passage` holds (passage id, probs) pairs.
    """

    verdict: Verdict
    confidence: float
    supporting: list[str] = field(default_factory=list)
    refuting: list[str] = field(default_factory=list)
    per_passage: list[tuple[str, Probs]] = field(default_factory=list)
    label: Label = Label.NOT_ENOUGH_EVIDENCE
    probs: Probs = field(default_factory=dict)
    backend: str = ""


@runtime_checkable
class Judge(Protocol):
    """Entailment backend: `judge` one claim, or `judge_batch` many at once (faster)."""

    name: str

    def warm_up(self) -> None: ...

    def judge(self, claim: str, passages: Sequence[Passage]) -> Judgement: ...

    def judge_batch(self, items: Sequence[tuple[str, Sequence[Passage]]]) -> list[Judgement]: ...


def normalise_probs(probs: Mapping[Label | str, float]) -> Probs:
    """Probabilities over all four labels (missing ones 0), summing to 1."""
    out = {lab.value: max(float(probs.get(lab, probs.get(lab.value, 0.0))), 0.0) for lab in LABELS}
    total = sum(out.values())
    return {k: v / total for k, v in out.items()} if total > 0 else no_evidence_probs()


def no_evidence_probs() -> Probs:
    """The distribution used when there is nothing to judge."""
    return {lab.value: float(lab is Label.NOT_ENOUGH_EVIDENCE) for lab in LABELS}


def argmax_label(probs: Mapping[str, float], allowed: Sequence[Label] | None = None) -> Label:
    """Most probable label, optionally among `allowed` labels only."""
    choices = allowed or LABELS
    return max(choices, key=lambda lab: probs.get(lab.value, 0.0))


def make_judgement(probs: Mapping[Label | str, float], per_passage: Sequence[tuple[str, Mapping[str, float]]],
                   backend: str) -> Judgement:
    """Build a `Judgement` from claim-level and per-passage label probabilities."""
    probs = normalise_probs(probs)
    label = argmax_label(probs)
    verdict = to_verdict(label)
    confidence = sum(p for lab, p in probs.items() if to_verdict(Label(lab)) is verdict)
    per = [(pid, normalise_probs(p)) for pid, p in per_passage]

    def ranked(target: Label) -> list[str]:
        hits = [(p[target.value], pid) for pid, p in per if argmax_label(p) is target]
        return [pid for _, pid in sorted(hits, reverse=True)]

    return Judgement(verdict=verdict, confidence=round(min(max(confidence, 0.0), 1.0), 4),
                     supporting=ranked(Label.SUPPORTED), refuting=ranked(Label.CONTRADICTED),
                     per_passage=per, label=label, probs=probs, backend=backend)


class BatchByLoop:
    """Mixin: `judge_batch` as a loop over `judge`, for backends with no faster path."""

    def judge_batch(self, items: Sequence[tuple[str, Sequence[Passage]]]) -> list[Judgement]:
        """Judge each (claim, passages) item in turn."""
        return [self.judge(claim, passages) for claim, passages in items]  # type: ignore[attr-defined]
