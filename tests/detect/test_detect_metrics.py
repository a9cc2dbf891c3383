"""Detector metrics on hand-checkable inputs."""

from __future__ import annotations

import numpy as np
import pytest

from newsproof.detect.metrics import binary_metrics, expected_calibration_error, tpr_at_fpr


def test_tpr_at_fpr_allows_only_the_given_false_positive_rate() -> None:
    y = np.array([0] * 100 + [1] * 10)
    p = np.r_[np.linspace(0.0, 0.5, 99), 0.95, np.linspace(0.6, 1.0, 10)]  # one human scores 0.95
    # FPR <= 1% lets the one high-scoring human through, so every machine text (>= 0.6) counts
    assert tpr_at_fpr(y, p) == pytest.approx(1.0)
    # with no false positive allowed, only the machines above 0.95 (0.956 and 1.0) count
    assert tpr_at_fpr(y, p, max_fpr=0.0) == pytest.approx(0.2)


def test_ece_zero_when_calibrated_and_balanced_variant_reweights() -> None:
    y = np.array([1] * 8 + [0] * 2 + [1] * 2 + [0] * 8)
    p = np.array([0.8] * 10 + [0.2] * 10)
    assert expected_calibration_error(y, p) == pytest.approx(0.0)
    skewed_y, skewed_p = np.array([1, 1, 1, 0]), np.array([0.9, 0.9, 0.9, 0.9])
    assert expected_calibration_error(skewed_y, skewed_p) == pytest.approx(0.15)
    assert expected_calibration_error(skewed_y, skewed_p, balanced=True) == pytest.approx(0.4)


def test_binary_metrics_single_class_has_no_rank_metrics() -> None:
    m = binary_metrics(np.array([1, 1, 1]), np.array([0.9, 0.2, 0.7]))
    assert m["auroc"] is None and m["accuracy"] == pytest.approx(2 / 3) and m["n"] == 3
