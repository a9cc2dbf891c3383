"""The trained feature detector: trigram LM features, optional char n-gram model, classifier, calibration."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from newsproof.detect.char_hash import WordCachedHasher
from newsproof.detect.features import FEATURE_VERSION, FEATURES, FeatureExtractor
from newsproof.detect.lm_columns import DESCRIPTIONS as LM_DESCRIPTIONS
from newsproof.detect.lm_columns import LMColumns
from newsproof.detect.ngram import HashedTrigramLM
from newsproof.detect.text import without_articles
from newsproof.detect.windows import DESCRIPTION as WINDOW_DESCRIPTION
from newsproof.detect.windows import SIGNAL as WINDOW_SIGNAL
from newsproof.detect.windows import WindowMember, WindowScorer

CHAR_SIGNAL = "char_ngram_style"
CHAR_DESCRIPTION = "character n-gram style model (hashed TF-IDF + logistic regression), log-odds"

# how the stack (features and char model, not the window member) reads a text: "plain", or "no-articles" (without
# a, an, the: article deletion cannot move it)
READINGS = ("plain", "no-articles")


def stack_text(text: str, reading: str) -> str:
    """`text` as a stack with this reading reads it."""
    return without_articles(text) if reading == "no-articles" else text

# name -> (uses handcrafted features, uses char n-gram model, uses SmolLM2 statistics, classifier on the columns);
# the shipped artifact names its kind, which says which columns to compute (training: `detect.train.stack`)
CANDIDATES: dict[str, tuple[bool, bool, bool, str | None]] = {
    "handcrafted+logreg": (True, False, False, "logreg"),
    "handcrafted+gbm": (True, False, False, "gbm"),
    "charngram+logreg": (False, True, False, None),
    "stacked+gbm": (True, True, False, "gbm"),
    "stacked+lm+gbm": (True, True, True, "gbm"),
}


def char_logit(model: Pipeline, texts: list[str]) -> np.ndarray:
    """Log-odds of 'machine' from the char n-gram model."""
    return model.decision_function(texts)


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


@dataclass
class DetectorModel:
    """Everything needed to score a text; pickled into the shipped artifact."""

    kind: str
    lm: HashedTrigramLM
    machine_lm: HashedTrigramLM
    classifier: Any = None
    char_model: Pipeline | None = None
    calibrator: LogisticRegression | None = None
    medians: np.ndarray | None = None
    threshold: float = 0.5
    feature_version: str = FEATURE_VERSION
    column_names: tuple[str, ...] = field(default_factory=tuple)
    # optional fine-tuned MiniLM member, mixed with the stack's log-odds by a logistic regression fitted on
    # texts neither had trained on (it is also the calibration of the mix)
    window: WindowMember | None = None
    blender: LogisticRegression | None = None
    window_median: float = 0.0
    reading: str = "plain"  # one of READINGS; artifacts from before the field read plain text

    @property
    def uses_features(self) -> bool:
        return CANDIDATES[self.kind][0]

    @property
    def uses_lm(self) -> bool:
        return CANDIDATES[self.kind][2]

    def stack_view(self, text: str) -> str:
        """The text as the stack reads it (`reading`)."""
        return stack_text(text, self.reading)

    def columns(self, texts: list[str], extractor: FeatureExtractor | None = None, *,
                lm: LMColumns | None = None) -> np.ndarray:
        """Classifier input: handcrafted features and/or the char-model log-odds column, then the SmolLM2
        statistics (read by `lm`) for a causal-LM candidate."""
        texts = [self.stack_view(t) for t in texts]
        parts = []
        if self.uses_features:
            parts.append((extractor or FeatureExtractor(self.lm, self.machine_lm)).transform(texts))
        if self.char_model is not None:
            parts.append(char_logit(self.char_model, texts)[:, None])
        if self.uses_lm:
            parts.append((lm or LMColumns()).transform(texts))
        return np.hstack(parts)

    def raw_logit(self, cols: np.ndarray) -> np.ndarray:
        """Uncalibrated log-odds of 'machine' from classifier columns."""
        if self.classifier is None:
            return cols[:, -1]
        return _logit(self.classifier.predict_proba(cols)[:, 1])

    def calibrated(self, logits: np.ndarray) -> np.ndarray:
        """Probability of 'machine' after Platt scaling (identity sigmoid when uncalibrated)."""
        if self.calibrator is None:
            return 1 / (1 + np.exp(-logits))
        return self.calibrator.predict_proba(logits[:, None])[:, 1]

    def mixed(self, logits: np.ndarray, window_logits: np.ndarray | None) -> np.ndarray:
        """Probability of 'machine' from the stack's log-odds and the window member's (stack alone without it)."""
        if self.blender is None or window_logits is None:
            return self.calibrated(logits)
        return self.blender.predict_proba(np.column_stack([logits, window_logits]))[:, 1]

    def predict_proba(self, texts: list[str], extractor: FeatureExtractor | None = None,
                      scorer: WindowScorer | None = None, lm: LMColumns | None = None) -> np.ndarray:
        """Calibrated probability of 'machine' for each text (`scorer` runs the window member, if any)."""
        window = scorer.logits(texts) if scorer is not None and self.blender is not None else None
        return self.mixed(self.raw_logit(self.columns(texts, extractor, lm=lm)), window)

    def paragraph_columns(self, whole: str, paras: list[str], groups: list[tuple[int, int]],
                          extractor: FeatureExtractor | None = None, lm: LMColumns | None = None,
                          hasher: WordCachedHasher | None = None) -> np.ndarray:
        """Classifier input for the whole text (row 0) and for each range [lo, hi) of `paras` (the rows after).

        `whole` is the paragraphs joined: the char n-gram counts (word-bounded) of a row are the sum of its
        paragraphs' counts, so each paragraph is hashed once (by `hasher`, a `WordCachedHasher` of the char
        model's vectorizer, when given). Every text is read as `reading` says.
        """
        whole, paras = self.stack_view(whole), [self.stack_view(p) for p in paras]
        texts = [whole, *("\n".join(paras[lo:hi]) for lo, hi in groups)]
        parts = []
        if self.uses_features:
            parts.append((extractor or FeatureExtractor(self.lm, self.machine_lm)).transform(texts))
        if self.char_model is not None:
            ranges = [(0, len(paras)), *groups]
            rows = np.concatenate([np.full(hi - lo, r) for r, (lo, hi) in enumerate(ranges)])
            members = np.concatenate([np.arange(lo, hi) for lo, hi in ranges])
            picks = sparse.csr_matrix((np.ones(len(rows)), (rows, members)), shape=(len(ranges), len(paras)))
            summed = picks @ (hasher or self.char_model[0]).transform(paras)  # each row: the sum of its paragraphs' counts
            parts.append(self.char_model[1:].decision_function(summed)[:, None])
        if self.uses_lm:
            parts.append((lm or LMColumns()).transform(texts))
        return np.hstack(parts)

    def score_and_explain(self, cols: np.ndarray, window_logit: float | None = None
                          ) -> tuple[np.ndarray, list[tuple[str, float, float]]]:
        """Probabilities of all rows (row 0 the article, the others paragraphs) and per signal of row 0: (name,
        value, change in probability when the signal is set to its training median). With `window_logit` (the
        member's reading of the article) every row is the mix: row 0 with that reading, each paragraph with the
        member's median (the member reads no paragraph: its readings of paragraph spans lowered paragraph-level
        AUROC on dev mixed articles, 0.827 -> 0.802). One classifier call for everything."""
        n_cols = cols.shape[1]
        medians = self.medians if self.medians is not None else np.zeros(n_cols)
        occluded = np.repeat(cols[:1], n_cols, axis=0)
        occluded[np.arange(n_cols), np.arange(n_cols)] = medians
        logits = self.raw_logit(np.vstack([cols, occluded]))
        names, values = list(self.column_names), [float(v) for v in cols[0]]
        if window_logit is None or self.blender is None:
            probs = self.calibrated(logits)
        else:  # the last row: the article with the member's term occluded (set to its median)
            windows = np.r_[window_logit, np.full(len(cols) - 1, self.window_median), np.full(n_cols, window_logit),
                            self.window_median]
            probs = self.mixed(np.r_[logits, logits[0]], windows)
            names.append(WINDOW_SIGNAL)
            values.append(float(window_logit))
        base, rest = probs[: len(cols)], probs[len(cols) :]
        return base, [(name, value, float(base[0] - rest[i])) for i, (name, value) in enumerate(zip(names, values, strict=True))]


def describe(column: str) -> str:
    """User-facing description of a classifier column."""
    return ({CHAR_SIGNAL: CHAR_DESCRIPTION, WINDOW_SIGNAL: WINDOW_DESCRIPTION, **LM_DESCRIPTIONS}.get(column)
            or FEATURES.get(column, column))
