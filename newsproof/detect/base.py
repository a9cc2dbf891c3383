"""The Detector interface and the input gating every detector shares."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import numpy as np

from newsproof.detect.text import paragraphs, require_english, words
from newsproof.models import DetectionResult

DEFAULT_MIN_WORDS = 80
DEFAULT_UNCERTAIN_MARGIN = 0.1
# Paragraphs shorter than this are merged with the next one before per-paragraph scoring.
MIN_PARAGRAPH_WORDS = 40


@runtime_checkable
class Detector(Protocol):
    """Scores how likely a text is to be machine-written."""

    name: str
    threshold: float

    def warm_up(self) -> None:
        """Load models (idempotent)."""

    def score(self, text: str) -> DetectionResult:
        """Probability, label, signals and per-paragraph scores for one English text."""

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """Raw probability of 'machine' per text, without input gating (for evaluation)."""


def gate(text: str, min_words: int, name: str) -> DetectionResult | None:
    """Refuse non-English text; return an 'uncertain' result for short text, else None."""
    require_english(text)
    n = len(words(text))
    if n < min_words:
        return DetectionResult(label="uncertain", detector=name,
                               reason=f"text has {n} words; at least {min_words} are needed for a reliable score")
    return None


def label_for(probability: float, threshold: float, margin: float) -> str:
    """'machine' / 'human' outside the uncertainty band around the threshold, else 'uncertain'."""
    if probability >= threshold + margin:
        return "machine"
    if probability < threshold - margin:
        return "human"
    return "uncertain"


def reason_for(label: str, probability: float, top: str) -> str:
    """One-sentence explanation of a score."""
    if label == "uncertain":
        return f"probability {probability:.2f} is too close to the decision threshold to call"
    return f"{probability:.0%} likely machine-written; strongest signal: {top}"


def paragraph_chunks(text: str, min_words: int = MIN_PARAGRAPH_WORDS) -> list[str]:
    """Paragraphs, each merged forward until it has at least `min_words` words."""
    chunks, buf = [], []
    for para in paragraphs(text):
        buf.append(para)
        if len(words(" ".join(buf))) >= min_words:
            chunks.append("\n".join(buf))
            buf = []
    if buf:
        if chunks:
            chunks[-1] += "\n" + "\n".join(buf)
        else:
            chunks.append("\n".join(buf))
    return chunks


def settings(config: dict[str, Any] | None) -> tuple[int, float]:
    """(min_words, uncertain_margin) from the `detect` config section."""
    config = config or {}
    return int(config.get("min_words", DEFAULT_MIN_WORDS)), float(config.get("uncertain_margin", DEFAULT_UNCERTAIN_MARGIN))
