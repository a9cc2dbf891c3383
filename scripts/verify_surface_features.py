"""Experiment (README, "Evaluation of verification"): how far surface features separate a claim set's labels
given the gold evidence. Prints each feature's AUROC and 5-fold cross-validated trees' AUROC and macro-F1.

Run: .venv/bin/python scripts/verify_surface_features.py [--data ../shared/data/claims/covidfact/data.jsonl]
     [--positive REFUTED]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import cross_val_predict

from newsproof.paths import shared_data_dir
from newsproof.verify.features import content, lexical_overlap, missing_word_features, tokens

NAMES = ("aligned substitutions", "overlap", "missing words", "rarest missing (Zipf)", "mean missing (Zipf)",
         "missing non-words", "claim non-words")


def aligned_substitutions(claim: str, evidence: str) -> float:
    """Claim content words absent from the evidence whose left and right neighbours occur there around
    a different word ("cases rose sharply" against "cases fell sharply")."""
    ct, et = tokens(claim), tokens(evidence)
    slots: dict[tuple[str, str], set[str]] = defaultdict(set)
    for left, word, right in zip(et, et[1:], et[2:], strict=False):
        slots[(left, right)].add(word)
    present, words = set(et), set(content(ct))
    return float(sum(1 for left, word, right in zip(ct, ct[1:], ct[2:], strict=False)
                     if word in words and word not in present and slots.get((left, right), set()) - {word}))


def features(claim: str, evidence: str) -> list[float]:
    return [aligned_substitutions(claim, evidence), lexical_overlap(claim, evidence),
            *missing_word_features(claim, evidence)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=shared_data_dir() / "claims" / "covidfact" / "data.jsonl")
    parser.add_argument("--positive", default="REFUTED", help="the label scored as the positive class")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.data.open(encoding="utf-8")]
    rows = [r for r in rows if r.get("evidence")]
    x = np.array([features(r["claim"], " ".join(e["text"] for e in r["evidence"])) for r in rows])
    y = np.array([r["label"] == args.positive for r in rows])
    for name, column in zip(NAMES, x.T, strict=True):
        print(f"{name:24s} AUROC {roc_auc_score(y, column):.3f}")
    p = cross_val_predict(HistGradientBoostingClassifier(max_iter=200, random_state=0), x, y, cv=5,
                          method="predict_proba")[:, 1]
    print(f"trees, 5-fold CV on {len(y)} claims: AUROC {roc_auc_score(y, p):.3f}, "
          f"macro-F1 {f1_score(y, p > 0.5, average='macro'):.3f}")


if __name__ == "__main__":
    main()
