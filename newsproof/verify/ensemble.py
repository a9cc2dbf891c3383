"""The default entailment backend: the mean of the learned classifier's and the cross-encoder's probabilities.

The two models err differently (the stacked classifier reads overlap, negation and number features;
the cross-encoder reads the claim and evidence together), and their mean beats either alone on the
held-out claim sets on average (README, "Evaluation of verification"). In the default ensemble the
cross-encoder reads each claim with all its passages only; the learned model's per-passage scores
name the deciding passages (reading every passage alone with the cross-encoder would double the
cost of a check).
"""

from __future__ import annotations

from collections.abc import Sequence

from newsproof.models import Passage
from newsproof.verify.entailment import Judge, Judgement, Probs, make_judgement, no_evidence_probs
from newsproof.verify.labels import LABELS


def mean_probs(rows: Sequence[Probs]) -> Probs:
    """Label-wise mean of probability dicts."""
    return {lab.value: sum(r.get(lab.value, 0.0) for r in rows) / len(rows) for lab in LABELS}


class EnsembleJudge:
    """Averages the claim-level and per-passage probabilities of its member judges."""

    name = "ensemble"

    def __init__(self, members: Sequence[Judge]) -> None:
        self.members = list(members)

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
            per = [(p.id, mean_probs([d[p.id] for d in by_id])) for p in passages]
            out.append(make_judgement(mean_probs([j.probs for j in judged]), per, self.name))
        return out
