"""Binary detector metrics (AUROC, TPR at 1% FPR, accuracy, F1, ECE), shared by detector training
(detect/train/) and `eval detect` (newsproof/evaluation/detect.py)."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score, roc_curve
from sklearn.utils.class_weight import compute_sample_weight


def tpr_at_fpr(y: np.ndarray, p: np.ndarray, max_fpr: float = 0.01) -> float:
    """Highest true-positive rate reachable with a false-positive rate at most `max_fpr`."""
    fpr, tpr, _ = roc_curve(y, p)
    return float(tpr[fpr <= max_fpr].max())


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10, balanced: bool = False) -> float:
    """ECE over equal-width probability bins; `balanced` reweights the classes to a 50/50 prior."""
    w = compute_sample_weight("balanced", y) if balanced and len(set(y.tolist())) == 2 else np.ones(len(y))
    idx = np.minimum((p * bins).astype(int), bins - 1)
    total, ece = w.sum(), 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            ece += abs(np.average(y[m], weights=w[m]) - np.average(p[m], weights=w[m])) * w[m].sum() / total
    return float(ece)


def binary_metrics(y: np.ndarray, p: np.ndarray, threshold: float = 0.5) -> dict[str, Any]:
    """All metrics for labels `y` (1 = machine) and probabilities `p`; rank metrics need both classes."""
    pred = (p >= threshold).astype(int)
    both = len(set(y.tolist())) == 2
    return {
        "n": len(y),
        "n_machine": int(y.sum()),
        "auroc": float(roc_auc_score(y, p)) if both else None,
        "tpr_at_1pct_fpr": tpr_at_fpr(y, p) if both else None,
        "accuracy": float(accuracy_score(y, pred)),
        "f1": float(f1_score(y, pred, zero_division=0)),
        "ece": expected_calibration_error(y, p),
        "ece_balanced": expected_calibration_error(y, p, balanced=True),
    }
