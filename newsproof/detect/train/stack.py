"""Reproducible training of the feature detector: cross-fitted features, candidate comparison, calibration.

Features of training texts are cross-fitted (5 folds grouped by article opening): the trigram LMs that
score a text never saw that text, nor the char n-gram model whose log-odds feed the stacked model.
Candidates are compared, and probabilities Platt-scaled (class-balanced weights: a 50/50 prior), on the
classifier's out-of-fold predictions over train; the dev split is only reported, never fitted on.

With `window=True` the chosen model also gets the fine-tuned MiniLM window member: it trains on every fold
but HOLDOUT_FOLD, and on that fold (unseen by the member, out-of-fold for the stack) a logistic regression
mixes the two log-odds; that mix is the calibration of the final probability.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.class_weight import compute_sample_weight

from newsproof.detect.features import FEATURE_NAMES, FEATURE_VERSION, FeatureExtractor
from newsproof.detect.lm_columns import COLUMNS as LM_COLUMNS
from newsproof.detect.lm_columns import LMColumns
from newsproof.detect.metrics import binary_metrics
from newsproof.detect.model import CANDIDATES, CHAR_SIGNAL, READINGS, DetectorModel, stack_text
from newsproof.detect.ngram import HashedTrigramLM
from newsproof.detect.text import normalise, sentence_paragraphs, words
from newsproof.detect.train.attacks import attack
from newsproof.detect.train.data import Corpus, file_sha256, group_folds, load_corpus
from newsproof.detect.windows import WindowScorer
from newsproof.errors import ConfigError, Errors

FOLDS = 5
HOLDOUT_FOLD = 4
CHUNK_WORDS = 30
AUGMENT_SEED = 1  # attacks of training copies; eval detect attacks with --seed 0 by default
ARTIFACT_VERSION = 2
WINDOW_ARTIFACT_VERSION = 3
LM_ARTIFACT_VERSION = 4
SEED = 0
# compared by default: the causal-LM candidate needs the torch extra and ~25 min of LM reading on 2 cores
DEFAULT_CANDIDATES = tuple(kind for kind, (_, _, lm, _) in CANDIDATES.items() if not lm)


def make_char_model() -> Pipeline:
    """Hashed character 2-4-gram TF-IDF with a class-balanced logistic regression."""
    return make_pipeline(
        HashingVectorizer(analyzer="char_wb", ngram_range=(2, 4), n_features=2**18, alternate_sign=False,
                          norm=None, preprocessor=normalise),
        TfidfTransformer(sublinear_tf=True),
        LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000),
    )


def make_classifier(kind: str) -> Any:
    """A class-balanced classifier for the feature columns."""
    if kind == "logreg":
        return make_pipeline(StandardScaler(), LogisticRegression(C=0.5, class_weight="balanced", max_iter=5000))
    # each tree sees 30% of the columns (better cross-validated train AUROC than all-column trees); 300 trees
    # keep score() with its per-column explanation above 50 articles/s
    return HistGradientBoostingClassifier(max_iter=300, learning_rate=0.06, max_leaf_nodes=15, min_samples_leaf=20,
                                          l2_regularization=1.0, max_features=0.3, class_weight="balanced",
                                          early_stopping=False, random_state=SEED)


def column_names(kind: str) -> tuple[str, ...]:
    """Names of the classifier input columns for a candidate."""
    feats, char, lm, _ = CANDIDATES[kind]
    return (FEATURE_NAMES if feats else ()) + ((CHAR_SIGNAL,) if char else ()) + (LM_COLUMNS if lm else ())


def train_lms(corpus: Corpus) -> tuple[HashedTrigramLM, HashedTrigramLM]:
    """Trigram LMs on the human texts and on the machine texts of `corpus`."""
    return tuple(  # type: ignore[return-value]
        HashedTrigramLM.train(words(normalise(t)) for t, y in zip(corpus.texts, corpus.labels, strict=True) if y == label)
        for label in (0, 1)
    )


def oof_features(corpus: Corpus, folds: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Handcrafted features, each fold scored by LMs trained on the other folds' rows in `mask` (default all)."""
    mask = np.ones(len(corpus), bool) if mask is None else mask
    out = np.zeros((len(corpus), len(column_names("handcrafted+logreg"))))
    for k in np.unique(folds):
        extractor = FeatureExtractor(*train_lms(corpus.subset(mask & (folds != k))))
        idx = np.flatnonzero(folds == k)
        out[idx] = extractor.transform([corpus.texts[i] for i in idx])
    return out


@dataclass
class CharFitter:
    """Fits the char n-gram model on row subsets of one pre-hashed matrix (hashing is stateless)."""

    corpus: Corpus

    def __post_init__(self) -> None:
        self.template = make_char_model()
        self.hashed = self.template[0].transform(self.corpus.texts)
        self._fitted: dict[bytes, Pipeline] = {}

    def fit(self, mask: np.ndarray) -> Pipeline:
        """Char model trained on the rows in `mask` (memoised per mask)."""
        key = np.packbits(mask).tobytes()
        if key not in self._fitted:
            tfidf, lr = clone(self.template[1]), clone(self.template[2])
            lr.fit(tfidf.fit_transform(self.hashed[mask]), self.corpus.labels[mask])
            self._fitted[key] = Pipeline([("hash", self.template[0]), ("tfidf", tfidf), ("lr", lr)])
        return self._fitted[key]

    def oof_logits(self, folds: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        """Out-of-fold log-odds for every row, fitting only on rows in `mask` (default: all)."""
        mask = np.ones(len(self.corpus), bool) if mask is None else mask
        out = np.zeros(len(self.corpus))
        for k in np.unique(folds):
            model = self.fit(mask & (folds != k))
            rows = folds == k
            out[rows] = model[2].decision_function(model[1].transform(self.hashed[rows]))
        return out


def fit_model(kind: str, corpus: Corpus, feats: np.ndarray | None, char_oof: np.ndarray | None,
              chars: CharFitter | None, mask: np.ndarray, folds: np.ndarray, lm_cols: np.ndarray | None = None
              ) -> tuple[DetectorModel, dict[str, Any], np.ndarray]:
    """Fit candidate `kind` on the rows of `corpus` in `mask` from cross-fitted columns (and the SmolLM2
    statistics `lm_cols` for a causal-LM candidate), Platt-scaled on the classifier's out-of-fold logits;
    also return the cross-validated metrics of those calibrated logits, and the logits."""
    use_feats, use_char, use_lm, clf_kind = CANDIDATES[kind]
    if use_lm and lm_cols is None:
        raise ConfigError(f"the {kind} candidate needs the SmolLM2 statistics of the training texts")
    parts = ((feats if use_feats else None), (char_oof[:, None] if use_char else None), (lm_cols if use_lm else None))
    cols = np.hstack([x for x in parts if x is not None])[mask]
    y, folds = corpus.labels[mask], folds[mask]
    model = DetectorModel(kind, *train_lms(corpus.subset(mask)), column_names=column_names(kind))
    if use_char:
        assert chars is not None
        model.char_model = chars.fit(mask)
    oof = cols[:, -1]  # the char model's out-of-fold log-odds, when it scores alone
    if clf_kind is not None:
        oof = np.zeros(len(y))
        for k in np.unique(folds):
            model.classifier = make_classifier(clf_kind).fit(cols[folds != k], y[folds != k])
            oof[folds == k] = model.raw_logit(cols[folds == k])
        model.classifier = make_classifier(clf_kind).fit(cols, y)
    model.medians = np.median(cols, axis=0)
    model.calibrator = LogisticRegression(C=1e4).fit(oof[:, None], y, sample_weight=compute_sample_weight("balanced", y))
    return model, binary_metrics(y, model.calibrated(oof)), oof


def lm_reader(progress: Callable[[int, int], None] | None = None) -> LMColumns:
    """SmolLM2 statistics for training, each finished chunk cached under $NEWSPROOF_HOME/cache/detect/lm."""
    from newsproof.paths import home_dir

    return LMColumns(cache=home_dir() / "cache" / "detect" / "lm", progress=progress)


def add_window_member(model: DetectorModel, corpus: Corpus, folds: np.ndarray, stack_oof: np.ndarray, *,
                      epochs: int, original: np.ndarray | None = None,
                      progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Train the window member on the original rows (`original`, default all) of all folds but HOLDOUT_FOLD;
    on that fold's original rows fit the calibrated mix of the stack's out-of-fold log-odds and the member's
    log-odds (as the shipped ONNX path computes them). Extra rows (chunks, attacked copies) only teach the stack."""
    from newsproof.detect.train.windows import train_member

    original = np.ones(len(corpus), bool) if original is None else original
    fitted, held = (folds != HOLDOUT_FOLD) & original, (folds == HOLDOUT_FOLD) & original
    part = corpus.subset(fitted)
    model.window = train_member(part.texts, part.labels, epochs=epochs, progress=progress)
    window = WindowScorer(model.window).logits(corpus.subset(held).texts)
    y = corpus.labels[held]
    model.blender = LogisticRegression(C=1e4).fit(np.column_stack([stack_oof[held], window]), y,
                                                  sample_weight=compute_sample_weight("balanced", y))
    model.window_median = float(np.median(window))
    return {"holdout_fold": HOLDOUT_FOLD, "n_fit": int(fitted.sum()), "n_holdout": int(held.sum()), "epochs": epochs,
            "member_holdout": binary_metrics(y, 1 / (1 + np.exp(-window))),
            "mix_coefficients": [round(float(c), 4) for c in (*model.blender.coef_[0], model.blender.intercept_[0])]}


def with_extra_rows(corpus: Corpus, folds: np.ndarray, *, chunks: int = 0, augment: tuple[str, ...] = (),
                    seed: int = SEED) -> tuple[Corpus, np.ndarray, np.ndarray]:
    """`corpus` plus extra rows, each in its source's fold with its source's label; also the mask of the
    original rows. `chunks`: for every text of two or more sentence paragraphs (30+ words), this many of them
    at random (short texts and single paragraphs to learn from). `augment`: one attacked copy of every text,
    the attack drawn at random from these names (human and machine texts alike, so the classifier learns
    that the edit itself says nothing about the author; attack seed AUGMENT_SEED, not eval's 0)."""
    rng = np.random.default_rng(seed)
    extra: list[tuple[int, str]] = []
    split = ((i, sentence_paragraphs(t, CHUNK_WORDS)) for i, t in enumerate(corpus.texts)) if chunks else ()
    for i, paras in ((i, paras) for i, paras in split if len(paras) >= 2):
        picks = [rng.integers(len(paras))] if chunks == 1 else sorted(rng.choice(len(paras), min(chunks, len(paras)), replace=False))
        extra += [(i, paras[k]) for k in picks]
    if augment:
        picks = rng.integers(len(augment), size=len(corpus))
        extra += [(i, attack(augment[k], t, AUGMENT_SEED)) for i, (t, k) in enumerate(zip(corpus.texts, picks, strict=True))]
    src = np.array([i for i, _ in extra], dtype=np.int64)
    grown = Corpus(corpus.texts + [c for _, c in extra], np.r_[corpus.labels, corpus.labels[src]],
                   corpus.generators + [corpus.generators[i] for i in src])
    return grown, np.r_[folds, folds[src]], np.r_[np.ones(len(corpus), bool), np.zeros(len(src), bool)]


def reuse_window_member(model: DetectorModel, source: DetectorModel, corpus: Corpus, folds: np.ndarray,
                        stack_oof: np.ndarray, original: np.ndarray) -> dict[str, Any]:
    """Give `model` the window member of an earlier artifact (trained on every fold but HOLDOUT_FOLD with the
    same fold assignment) and fit the mix on the original rows of HOLDOUT_FOLD, as `add_window_member` does."""
    if source.window is None:
        raise ConfigError("--window-from needs an artifact with a window member")
    held = (folds == HOLDOUT_FOLD) & original
    window = WindowScorer(source.window).logits(corpus.subset(held).texts)
    y = corpus.labels[held]
    model.window, model.window_median = source.window, float(np.median(window))
    model.blender = LogisticRegression(C=1e4).fit(np.column_stack([stack_oof[held], window]), y,
                                                  sample_weight=compute_sample_weight("balanced", y))
    return {"holdout_fold": HOLDOUT_FOLD, "n_holdout": int(held.sum()), "reused": True,
            "member_holdout": binary_metrics(y, 1 / (1 + np.exp(-window))),
            "mix_coefficients": [round(float(c), 4) for c in (*model.blender.coef_[0], model.blender.intercept_[0])]}


def train_detector(data_dir: str | Path, out: str | Path, *, candidates: tuple[str, ...] | None = None,
                   limit: int | None = None, window: bool = False, window_epochs: int = 3,
                   chunks: int = 0, augment: tuple[str, ...] = (), window_from: str | Path | None = None,
                   reading: str = "plain", progress: Callable[[int, int], None] | None = None,
                   lm_progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Train every candidate (default: DEFAULT_CANDIDATES) on train.jsonl, keep the best by cross-validation,
    optionally add the MiniLM window member, save it as `out` (+ .json); dev.jsonl metrics are recorded for
    every candidate. `progress` gets (done, total) of the member's training steps, `lm_progress` of the
    texts read by SmolLM2 (train, then dev). `chunks`: the classifier also learns from this many sentence
    paragraphs of every text, `augment`: from an attacked copy of every text (`with_extra_rows`; the trigram LMs still read
    the original whole texts only). `window_from`: take the window
    member of that artifact instead of training one (no torch needed) and fit only the mix. `reading`: how the
    stack reads every text (`model.READINGS`; the window member always reads the text as it is)."""
    data_dir, out = Path(data_dir), Path(out)
    train = load_corpus(data_dir / "train.jsonl", limit=limit)
    dev = load_corpus(data_dir / "dev.jsonl", limit=limit)
    kinds = candidates or DEFAULT_CANDIDATES
    if reading not in READINGS:
        raise ConfigError(Errors.E301.format(value=reading, name="--reading", choices=", ".join(READINGS)))
    unknown = [k for k in kinds if k not in CANDIDATES]
    if unknown:
        raise ConfigError(Errors.E301.format(value=unknown[0], name="--model", choices=", ".join(CANDIDATES)))
    folds = group_folds(train.texts, FOLDS)
    rows, row_folds, original = with_extra_rows(train, folds, chunks=chunks, augment=augment)
    seen = Corpus([stack_text(t, reading) for t in rows.texts], rows.labels, rows.generators)  # as the stack reads
    feats = oof_features(seen, row_folds, original) if any(CANDIDATES[k][0] for k in kinds) else None
    chars = CharFitter(seen) if any(CANDIDATES[k][1] for k in kinds) else None
    char_oof = chars.oof_logits(row_folds) if chars is not None else None
    lm = lm_reader(lm_progress) if any(CANDIDATES[k][2] for k in kinds) else None
    lm_cols = lm.transform(seen.texts) if lm is not None else None
    everything = np.ones(len(rows), bool)
    comparison, cross_validated, models, oof = {}, {}, {}, {}
    for kind in kinds:
        models[kind], cross_validated[kind], oof[kind] = fit_model(kind, seen, feats, char_oof, chars, everything,
                                                                   row_folds, lm_cols)
        models[kind].reading = reading
        # whole texts, as the features were read
        models[kind].lm, models[kind].machine_lm = train_lms(seen.subset(original))
        comparison[kind] = binary_metrics(dev.labels, models[kind].predict_proba(dev.texts, lm=lm))
    best = max(kinds, key=lambda k: (cross_validated[k]["auroc"], cross_validated[k]["tpr_at_1pct_fpr"]))
    window_meta = None
    if window_from is not None:
        window_meta = reuse_window_member(models[best], joblib.load(window_from), rows, row_folds, oof[best], original)
    elif window:
        window_meta = add_window_member(models[best], rows, row_folds, oof[best], epochs=window_epochs,
                                        original=original, progress=progress)
    if window_meta is not None:
        assert models[best].window is not None
        member_dev = WindowScorer(models[best].window).logits(dev.texts)
        stack_dev = models[best].raw_logit(models[best].columns(dev.texts, lm=lm))
        window_meta["dev_stack_alone"] = comparison[best]
        window_meta["dev_member_alone"] = binary_metrics(dev.labels, 1 / (1 + np.exp(-member_dev)))
        comparison[best] = binary_metrics(dev.labels, models[best].mixed(stack_dev, member_dev))
    out.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(models[best], out, compress=("zlib", 6))
    meta = {
        "artifact_version": (LM_ARTIFACT_VERSION if CANDIDATES[best][2] else WINDOW_ARTIFACT_VERSION)
        if window_meta is not None
        else ARTIFACT_VERSION, "feature_version": FEATURE_VERSION, "model": best, "chunks": chunks, "augment": list(augment),
        "reading": reading,
        "threshold": models[best].threshold, "sklearn": sklearn.__version__, "seed": 0, "folds": FOLDS,
        "data": {name: {"sha256": file_sha256(data_dir / name), "limit": limit} for name in ("train.jsonl", "dev.jsonl")},
        "n_train": len(train), "n_dev": len(dev), "dev_metrics": comparison[best], "comparison": comparison,
        "cross_validated": cross_validated, "selected_by": "cross-validated train AUROC, then TPR@1%FPR",
        "artifact_sha256": file_sha256(out), "artifact_bytes": out.stat().st_size,
    }
    if window_meta is not None:
        meta["window_member"] = window_meta
    out.with_suffix(".json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", "utf-8")
    return meta
