"""The Detector interface and the input gating every detector shares."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import numpy as np

from newsproof.config import section
from newsproof.detect.text import paragraphs, require_english, words
from newsproof.models import DetectionResult

# A paragraph shorter than this is scored with its neighbours as context (it still gets its own score).
# Context dilutes: on dev mixed articles (paragraphs of 30+ words) growing paragraphs to 40 words lowered
# paragraph AUROC from 0.763 to 0.727; only one-liners get it.
MIN_PARAGRAPH_WORDS = 20
# `evasion` config ("raise" | "flag", validated by newsproof.config): "raise" adds EVASION_LOGIT to the
# log-odds of a text that hides its script (look-alike letters from another script, invisible characters;
# see normalise.py), "flag" only reports it
EVASION_LOGIT = 3.0


@runtime_checkable
class Detector(Protocol):
    """Scores how likely a text is to be machine-written."""

    name: str
    threshold: float

    def warm_up(self) -> None:
        """Load models (idempotent)."""

    def score(self, text: str, language: str | None = None) -> DetectionResult:
        """Probability, label, signals and per-paragraph scores for one English text (`language`: the
        article's, found at ingest; None checks the text here)."""

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """Raw probability of 'machine' per text, without input gating (for evaluation)."""


def gate(text: str, min_words: int, name: str, language: str | None = None) -> DetectionResult | None:
    """Refuse non-English text (`language`: the article's, found at ingest; None checks the text);
    return an 'uncertain' result for short text, else None."""
    require_english(text, language)
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


def paragraph_contexts(paras: list[str], min_words: int = MIN_PARAGRAPH_WORDS) -> list[tuple[int, int]]:
    """Per paragraph, the range [lo, hi) of paragraphs it is scored on: itself, grown by its next and previous
    neighbours in turn until the range has `min_words` words (or is the whole text)."""
    counts = [len(words(p)) for p in paras]
    out = []
    for i in range(len(paras)):
        lo, hi = i, i + 1
        while sum(counts[lo:hi]) < min_words and (lo > 0 or hi < len(paras)):
            if hi < len(paras) and (hi - i - 1 <= i - lo or lo == 0):
                hi += 1
            else:
                lo -= 1
        out.append((lo, hi))
    return out


def evasion_adjusted(probability: float, hidden_script: bool, policy: str) -> float:
    """The probability after the evasion policy: raised by EVASION_LOGIT when the text hides its script."""
    if policy != "raise" or not hidden_script:
        return probability
    p = min(max(probability, 1e-6), 1 - 1e-6)
    return float(1 / (1 + np.exp(-(np.log(p / (1 - p)) + EVASION_LOGIT))))


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
    """(min_words, uncertain_margin) from a (partial) `detect` config section, completed from the defaults."""
    detect = section("detect", config)
    return int(detect["min_words"]), float(detect["uncertain_margin"])


def evasion_policy(config: dict[str, Any] | None) -> str:
    """The `evasion` key of a (partial) `detect` config section ("raise" or "flag"); ConfigError otherwise."""
    return str(section("detect", config)["evasion"])
