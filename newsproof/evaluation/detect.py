"""Detector metrics (AUROC, TPR at 1% FPR, accuracy, F1, ECE), breakdowns and plots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score, roc_curve

from newsproof.detect.metrics import binary_metrics, expected_calibration_error
from newsproof.detect.train.data import Corpus, load_corpus, word_counts

LENGTH_BUCKETS: tuple[tuple[int, int], ...] = ((0, 80), (80, 150), (150, 300), (300, 600), (600, 10**9))


def breakdowns(corpus: Corpus, p: np.ndarray, threshold: float) -> tuple[dict[str, Any], dict[str, Any]]:
    """Metrics per generator (its texts against all human texts) and per length bucket."""
    gens = np.array(corpus.generators)
    human = gens == "human"
    per_gen = {
        g: binary_metrics(corpus.labels[human | (gens == g)], p[human | (gens == g)], threshold)
        for g in sorted(set(corpus.generators) - {"human"})
    }
    n_words = word_counts(corpus.texts)
    per_len = {}
    for lo, hi in LENGTH_BUCKETS:
        mask = (n_words >= lo) & (n_words < hi)
        if mask.any():
            per_len[f"{lo}-{hi}" if hi < 10**9 else f"{lo}+"] = binary_metrics(corpus.labels[mask], p[mask], threshold)
    return per_gen, per_len


def write_plots(y: np.ndarray, p: np.ndarray, out_dir: Path, title: str) -> list[Path]:
    """ROC curve (log-scaled FPR) and reliability diagram as PNG files."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    fpr, tpr, _ = roc_curve(y, p)
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.plot(np.maximum(fpr, 1e-4), tpr, label=f"AUROC {roc_auc_score(y, p):.3f}")
    ax.axvline(0.01, ls=":", c="grey")
    ax.set(xscale="log", xlabel="false-positive rate", ylabel="true-positive rate", title=f"ROC: {title}")
    ax.legend(loc="lower right")
    roc_path = out_dir / "roc.png"
    fig.savefig(roc_path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    edges = np.linspace(0, 1, 11)
    idx = np.minimum((p * 10).astype(int), 9)
    centres = [(p[idx == b].mean(), y[idx == b].mean()) for b in range(10) if (idx == b).any()]
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.plot([0, 1], [0, 1], ls=":", c="grey")
    ax.plot(*zip(*centres, strict=True), marker="o")
    ax.hist(p, bins=edges, weights=np.full(len(p), 1 / len(p)), alpha=0.3)
    ax.set(xlabel="predicted probability (machine)", ylabel="observed share machine",
           title=f"Reliability (ECE {expected_calibration_error(y, p):.3f})")
    rel_path = out_dir / "reliability.png"
    fig.savefig(rel_path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return [roc_path, rel_path]


def evaluate_detector(data: str | Path, detector_name: str = "default", plots: str | Path | None = None,
                      limit: int | None = None, *, attacks: list[str] | None = None,
                      max_words: list[int] | None = None, mixed: bool = False, seed: int = 0,
                      evasion: str | None = None, artifact: str | Path | None = None) -> dict[str, Any]:
    """Score a JSONL data set with a detector; metrics overall, per generator and per length bucket; with
    `attacks`, `max_words` or `mixed`, also the robustness figures of `newsproof.evaluation.detect_robustness`
    (under "attacks", "max_words", "mixed"). `evasion` overrides the `detect.evasion` config key, `artifact`
    the `detect.artifact` key (a model from `train detect`, scored before it is shipped)."""
    from newsproof.config import load_config
    from newsproof.detect import get_detector

    corpus = load_corpus(data, limit=limit)
    config = dict(load_config().get("detect", {}))
    if evasion is not None:
        config["evasion"] = evasion
    if artifact is not None:
        config["artifact"] = str(artifact)
    detector = get_detector(detector_name, config)
    detector.warm_up()
    p = detector.probabilities(corpus.texts)
    threshold = detector.threshold
    result = binary_metrics(corpus.labels, p, threshold)
    result.update(detector=detector.name, threshold=threshold, data=str(data))
    result["per_generator"], result["per_length"] = breakdowns(corpus, p, threshold)
    if plots is not None:
        result["plots"] = [str(x) for x in write_plots(corpus.labels, p, Path(plots), Path(data).name)]
    if attacks or max_words or mixed:
        from newsproof.evaluation import detect_robustness as robust

        result["seed"] = seed
        if attacks:
            result["attacks"] = robust.attack_metrics(detector, corpus, attacks, clean=p, seed=seed)
        if max_words:
            result["max_words"] = robust.truncation_metrics(detector, corpus, max_words)
        if mixed:
            result["mixed"] = robust.mixed_metrics(detector, corpus, seed=seed)
    return result
