"""Fit the causal-LM detectors' (threshold, scale) for the packaged SmolLM2 (PACKAGED_CALIBRATION).

Scores fold 4 of train.jsonl (the detector's held-out fold, 1,290 articles, ~5 min on 2 cores) with both
criteria and Platt-fits each with class-balanced weights; prints the pairs to paste into binoculars.py.
Run: .venv/bin/python scripts/calibrate_lm_detector.py [--data ../shared/data/mgt] [--limit N]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from rich.progress import track
from sklearn.linear_model import LogisticRegression
from sklearn.utils.class_weight import compute_sample_weight

from newsproof.detect import get_detector
from newsproof.detect.binoculars import CRITERIA
from newsproof.detect.train.data import group_folds, load_corpus
from newsproof.detect.train.stack import FOLDS, HOLDOUT_FOLD
from newsproof.paths import shared_data_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=None, help="folder with train.jsonl")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N held-out articles")
    args = parser.parse_args()
    train = load_corpus((Path(args.data) if args.data else shared_data_dir() / "mgt") / "train.jsonl")
    held = train.subset(group_folds(train.texts, FOLDS) == HOLDOUT_FOLD)
    texts, labels = held.texts[: args.limit], held.labels[: args.limit]
    detector = get_detector("newsproof.fast-detectgpt.v1", config={})
    rows = [detector.raw_scores(t) for t in track(texts, description="scoring the held-out fold")]
    weights = compute_sample_weight("balanced", labels)
    for criterion in CRITERIA:
        x = np.array([[r[criterion]] for r in rows])
        fit = LogisticRegression(C=1e4).fit(x, labels, sample_weight=weights)
        slope, intercept = float(fit.coef_[0, 0]), float(fit.intercept_[0])
        # p = sigmoid(slope * (x - threshold)); a criterion where machine text scores low has slope < 0
        print(f'"{criterion}": ({-intercept / slope:.4f}, {abs(1 / slope):.4f})')


if __name__ == "__main__":
    main()
