"""The default entailment backend: a weighted mean of the learned classifier's and the cross-encoder's probabilities.

The two models err differently (the stacked classifier reads overlap, negation and number features;
the cross-encoder reads the claim and evidence together), and their mean beats either alone on the
held-out claim sets on average (README, "Evaluation of verification"). In the default ensemble the
cross-encoder reads each claim with all its passages only; the learned model's per-passage scores
name the deciding passages (reading every passage alone with the cross-encoder would double the
cost of a check).
"""

from __future__ import annotations

from collections.abc import Sequence

from newsproof.labels import LABELS
from newsproof.models import Passage
from newsproof.verify.judges.base import Judge, Judgement, Probs, make_judgement, no_evidence_probs


def mean_probs(rows: Sequence[Probs], weights: Sequence[float] | None = None) -> Probs:
    """Label-wise weighted mean of probability dicts (equal weights by default)."""
    weights = list(weights) if weights is not None else [1.0] * len(rows)
    total = sum(weights)
    return {lab.value: sum(w * r.get(lab.value, 0.0) for w, r in zip(weights, rows, strict=True)) / total
            for lab in LABELS}


class EnsembleJudge:
    """Averages the claim-level and per-passage probabilities of its member judges, with `weights`
    (equal by default; the shipped blend is `[verify] ensemble_weight`, chosen by `eval blend` on the
    tune split)."""

    name = "ensemble"

    def __init__(self, members: Sequence[Judge], weights: Sequence[float] | None = None) -> None:
        self.members = list(members)
        self.weights = list(weights) if weights is not None else [1.0] * len(self.members)

    def warm_up(self) -> None:
        """Warm up every member."""
        for member in self.members:
            member.warm_up()

    def judge(self, claim: str, passages: Sequence[Passage]) -> Judgement:
        """Judge one claim."""
        return self.judge_batch([(claim, passages)])[0]

    def judge_batch(self, items: Sequence[tuple[str, Sequence[Passage]]]) -> list[Judgement]:
        """Each member judges the whole batch; the probabilities are averaged per claim and per passage."""
        runs = [member.judge_batch(items) for member in self.members]
        out = []
        for i, (_claim, passages) in enumerate(items):
            if not passages:
                out.append(make_judgement(no_evidence_probs(), [], self.name))
                continue
            judged = [run[i] for run in runs]
            by_id = [dict(j.per_passage) for j in judged]
            per = [(p.id, mean_probs([d[p.id] for d in by_id], self.weights)) for p in passages]
            out.append(make_judgement(mean_probs([j.probs for j in judged], self.weights), per, self.name))
        return out
