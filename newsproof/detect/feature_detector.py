"""The default CPU detector: the shipped feature model artifact behind the Detector interface."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from threadpoolctl import ThreadpoolController

from newsproof.detect.base import (
    evasion_adjusted,
    evasion_policy,
    gate,
    label_for,
    paragraph_contexts,
    reason_for,
    settings,
)
from newsproof.detect.char_hash import WordCachedHasher
from newsproof.detect.features import FEATURE_VERSION, FeatureExtractor
from newsproof.detect.lm_columns import LMColumns
from newsproof.detect.model import DetectorModel, describe
from newsproof.detect.normalise import Cleaned, clean
from newsproof.detect.text import paragraphs
from newsproof.detect.windows import WindowScorer
from newsproof.errors import Errors, ModelError
from newsproof.models import DetectionResult, Signal

DEFAULT_ARTIFACT = Path(__file__).with_name("detector_features_v2.joblib")
WINDOW_ARTIFACT = Path(__file__).with_name("detector_minilm_v3.joblib")
LM_ARTIFACT = Path(__file__).with_name("detector_smollm_v4.joblib")
REBUILD = "newsproof train detect --data ../shared/data/mgt --out {path}"
TOP_SIGNALS = 5


class FeatureDetector:
    """Handcrafted + char n-gram features with a calibrated classifier (newsproof.features.v2), optionally
    mixed with a fine-tuned MiniLM window member (newsproof.features+minilm.v3), optionally with SmolLM2
    statistics among the classifier's columns (newsproof.features+minilm+smollm.v4, torch extra)."""

    def __init__(self, artifact: str | Path | None = None, config: dict[str, Any] | None = None,
                 name: str = "newsproof.features.v2") -> None:
        self.artifact = Path(artifact) if artifact else DEFAULT_ARTIFACT
        self.name = name
        self.min_words, self.margin = settings(config)
        self.evasion = evasion_policy(config)
        self.model_: DetectorModel | None = None
        self.extractor_: FeatureExtractor | None = None
        self.scorer_: WindowScorer | None = None
        self.lm_: LMColumns | None = None
        self.hasher_: WordCachedHasher | None = None
        self.threads_: ThreadpoolController | None = None

    @property
    def threshold(self) -> float:
        return self.model_.threshold if self.model_ is not None else 0.5

    def warm_up(self) -> None:
        """Load the artifact and check it matches this feature code."""
        if self.model_ is not None:
            return
        if not self.artifact.is_file():
            raise ModelError(Errors.E401.format(path=self.artifact, rebuild=REBUILD.format(path=self.artifact)))
        model = joblib.load(self.artifact)
        if not isinstance(model, DetectorModel) or model.feature_version != FEATURE_VERSION:
            found = getattr(model, "feature_version", "?")
            raise ModelError(f"{self.artifact} was built for features {found}, code has {FEATURE_VERSION}; "
                             f"rebuild it with `{REBUILD.format(path=self.artifact)}`")
        self.model_, self.extractor_ = model, FeatureExtractor(model.lm, model.machine_lm)
        if model.char_model is not None:
            self.hasher_ = WordCachedHasher(model.char_model[0])
        if getattr(model, "window", None) is not None:
            self.scorer_ = WindowScorer(model.window)
            self.scorer_.warm_up()
        if model.uses_lm:
            self.lm_ = LMColumns()
            self.lm_.warm_up()
        self.threads_ = ThreadpoolController()

    def metadata(self) -> dict[str, Any]:
        """The artifact's JSON metadata (feature version, data hashes, metrics), if present."""
        meta = self.artifact.with_suffix(".json")
        return json.loads(meta.read_text("utf-8")) if meta.is_file() else {}

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """Calibrated probability of 'machine' per text, read after `normalise.clean` and with the evasion
        policy applied (no gating)."""
        self.warm_up()
        assert self.model_ is not None and self.threads_ is not None
        cleaned = [clean(t) for t in texts]
        with self.threads_.limit(limits=1, user_api="openmp"):
            probs = self.model_.predict_proba([c.text for c in cleaned], self.extractor_, self.scorer_, self.lm_)
        return np.array([evasion_adjusted(float(p), c.hidden_script, self.evasion) for p, c in zip(probs, cleaned, strict=True)])

    def score(self, text: str, language: str | None = None) -> DetectionResult:
        """Score one text: probability, label, top signals by contribution (and what cleaning undid), one
        score per paragraph of `text.paragraphs(text)` from the same mixed model as the article score.
        `language`: the article's, found at ingest (None: the text's language is checked here)."""
        self.warm_up()
        assert self.model_ is not None and self.threads_ is not None
        cleaned = clean(text)
        refused = gate(cleaned.text, self.min_words, self.name, language)
        if refused is not None:
            refused.signals = _cleaning_signals(cleaned, 0.0)
            return refused
        paras = [clean(p).text for p in paragraphs(text)]
        whole = "\n\n".join(paras)
        groups = paragraph_contexts(paras) if len(paras) > 1 else []
        cols = self.model_.paragraph_columns(whole, paras, groups, self.extractor_, self.lm_, self.hasher_)
        window = float(self.scorer_.logits([whole])[0]) if self.scorer_ is not None else None
        # one small prediction: OpenMP threads only add overhead (and thrash on a busy machine)
        with self.threads_.limit(limits=1, user_api="openmp"):
            probs, contribs = self.model_.score_and_explain(cols, window)
        model_prob = float(probs[0])
        prob = evasion_adjusted(model_prob, cleaned.hidden_script, self.evasion)
        contribs = sorted(contribs, key=lambda c: -abs(c[2]))[:TOP_SIGNALS]
        signals = [Signal(name=n, value=round(v, 4), contribution=round(c, 4), description=describe(n))
                   for n, v, c in contribs]
        signals = sorted(signals + _cleaning_signals(cleaned, prob - model_prob), key=lambda s: -abs(s.contribution))
        label = label_for(prob, self.threshold, self.margin)
        return DetectionResult(
            probability=prob, label=label, signals=signals, detector=self.name,
            paragraph_scores=[float(p) for p in (probs[1:] if len(paras) > 1 else probs)],
            reason=reason_for(label, prob, signals[0].description if signals else "none"),
        )


def _cleaning_signals(cleaned: Cleaned, raised: float) -> list[Signal]:
    """What `clean` undid, as signals; `raised` (the evasion policy's change in probability) goes to the
    hidden-script evidence."""
    out = []
    for name, value, text in cleaned.describe():
        evidence = cleaned.hidden_script and name in ("mixed_script_words", "invisible_characters")
        out.append(Signal(name=name, value=value, contribution=round(raised, 4) if evidence else 0.0,
                          description=text + ("; hiding the script is a sign of evasion" if evidence else "")))
        raised = 0.0 if evidence else raised  # counted once
    return out
