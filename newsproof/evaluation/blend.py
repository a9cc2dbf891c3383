"""`newsproof eval blend`: choose the ensemble's cross-encoder share on the claim sets' tune split.

Both members judge every tune claim once (claim level, gold evidence); each candidate share then
blends the stored probabilities, and the share with the best mean macro-F1 over the sets wins (ties
go to the share nearest 0.5). The dev split is never read, so `eval verify --split dev` stays a
held-out measurement of the chosen blend. The members must not have learned from the tune split:
train them with `newsproof train verify --split train` first (the shipped models learn from train +
tune, so `eval blend` on them is optimistic for whichever member fits its training claims better).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from newsproof.errors import InputError
from newsproof.evaluation.verify import scores
from newsproof.labels import LABELS
from newsproof.verify.dataset import EVIDENCE_SETS, claims_file, read_examples
from newsproof.verify.judges.base import argmax_label

GRID = tuple(round(x, 2) for x in np.arange(0.0, 1.0001, 0.05))


def member_probs(judge: Any, items: Sequence[tuple[str, Sequence[Any]]]) -> np.ndarray:
    """Claim-level probabilities (rows in `LABELS` order) of one judge."""
    judge.warm_up()
    return np.array([[j.probs.get(lab.value, 0.0) for lab in LABELS] for j in judge.judge_batch(items)])


def choose_blend(sets: Sequence[str] = EVIDENCE_SETS, split: str = "tune",
                 grid: Sequence[float] = GRID) -> dict[str, Any]:
    """Macro-F1 per set for every cross-encoder share in `grid`, and the chosen share."""
    from newsproof.verify.judges.crossencoder import CrossEncoderJudge
    from newsproof.verify.judges.learned import LearnedJudge

    if split == "dev":
        raise InputError("the blend is chosen on the tune (or train) split, never on dev")
    learned, cross = LearnedJudge(), CrossEncoderJudge(read_singly=False)
    table: dict[str, dict[float, float]] = {}
    sizes: dict[str, int] = {}
    for name in sets:
        path = claims_file(name)
        if path is None:
            raise InputError(f"claim set {name!r} not found under the shared data folder")
        examples = read_examples(path, split=split)
        items = [(ex.claim, list(ex.passages)) for ex in examples]
        gold = [ex.label for ex in examples]
        allowed = [lab for lab in LABELS if lab in set(gold)]
        a, b = member_probs(learned, items), member_probs(cross, items)
        table[name], sizes[name] = {}, len(examples)
        for share in grid:
            mixed = (1 - share) * a + share * b
            pred = [argmax_label({lab.value: float(p) for lab, p in zip(LABELS, row, strict=True)}, allowed)
                    for row in mixed]
            table[name][share] = scores(gold, pred, allowed)["macro_f1"]
    mean = {share: round(float(np.mean([table[n][share] for n in sets])), 4) for share in grid}
    best = max(grid, key=lambda s: (mean[s], -abs(s - 0.5)))
    return {"split": split, "sets": sizes, "grid": list(grid), "mean_macro_f1": mean,
            "per_set": {n: {str(s): v for s, v in table[n].items()} for n in sets}, "chosen": best}


def format_blend(result: dict[str, Any]) -> str:
    """A short text table: share, mean macro-F1, per set."""
    names = list(result["per_set"])
    lines = [f"split {result['split']} ({', '.join(f'{n} {k}' for n, k in result['sets'].items())})",
             "share  mean   " + "  ".join(f"{n[:12]:>12}" for n in names)]
    for share in result["grid"]:
        mark = " <- chosen" if share == result["chosen"] else ""
        row = "  ".join(f"{result['per_set'][n][str(share)]:>12.3f}" for n in names)
        lines.append(f"{share:<5.2f}  {result['mean_macro_f1'][share]:.3f}  {row}{mark}")
    return "\n".join(lines)
