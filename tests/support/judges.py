"""Assertions every entailment judge's output must satisfy, shared by the judge test modules."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from newsproof.labels import LABELS
from newsproof.models import Passage
from newsproof.verify.judges import Judge, Judgement, get_judge


def assert_well_formed(items: Sequence[tuple[str, Sequence[Passage]]], judgements: Sequence[Judgement]) -> None:
    """Probabilities over every label summing to 1, one per-passage row per passage in order, and the
    supporting/refuting ids disjoint and drawn from the claim's own passages."""
    assert len(judgements) == len(items)
    for (_, passages), j in zip(items, judgements, strict=True):
        ids = [p.id for p in passages]
        assert set(j.probs) == {lab.value for lab in LABELS} and sum(j.probs.values()) == pytest.approx(1.0)
        assert [pid for pid, _ in j.per_passage] == ids
        assert set(j.supporting) | set(j.refuting) <= set(ids)
        assert not set(j.supporting) & set(j.refuting)
        assert 0.0 <= j.confidence <= 1.0


def shipped_judge(name: str, artifact: Path, rebuild: str) -> Judge:
    """The judge `name` on its shipped artifact, warmed up (fails, naming the rebuild command, when missing)."""
    assert artifact.is_file(), f"the shipped artifact {artifact.name} is missing: run `{rebuild}`"
    judge = get_judge(name)
    judge.warm_up()
    return judge
