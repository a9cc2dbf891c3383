"""Entailment stage: does a set of passages support or refute a claim?

One interface, `Judge`, several backends chosen by name with `get_judge`:

* ``ensemble`` (default): the mean of ``learned`` and ``crossencoder`` (`newsproof.verify.ensemble`);
* ``learned``: a classifier trained here on the claim sets over pair features and frozen
  MiniLM embeddings (`newsproof.verify.learned`, artifact `verify/entailment.joblib`, torch-free);
* ``crossencoder``: MiniLM fine-tuned here as a claim/evidence cross-encoder, run as int8 ONNX
  (`newsproof.verify.crossencoder`, artifact `verify/crossencoder_int8.onnx`, torch-free);
* ``hf``: any local Hugging Face NLI model directory (`newsproof.verify.backends.HFJudge`);
* ``chat``: an OpenAI-compatible chat endpoint, off by default (`newsproof.verify.backends.ChatJudge`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from newsproof.errors import ConfigError, Errors
from newsproof.models import Passage, Verdict
from newsproof.verify.labels import LABELS, Label, to_verdict

Probs = dict[str, float]


@dataclass(frozen=True)
class Judgement:
    """A verdict on one claim with the passages that drove it.

    `probs` is over the four `Label` values; `per_passage` holds (passage id, probs) pairs.
    """

    verdict: Verdict
    confidence: float
    supporting: list[str] = field(default_factory=list)
    refuting: list[str] = field(default_factory=list)
    per_passage: list[tuple[str, Probs]] = field(default_factory=list)
    label: Label = Label.NOT_ENOUGH_EVIDENCE
    probs: Probs = field(default_factory=dict)
    backend: str = ""


@runtime_checkable
class Judge(Protocol):
    """Entailment backend: `judge` one claim, or `judge_batch` many at once (faster)."""

    name: str

    def warm_up(self) -> None: ...

    def judge(self, claim: str, passages: Sequence[Passage]) -> Judgement: ...

    def judge_batch(self, items: Sequence[tuple[str, Sequence[Passage]]]) -> list[Judgement]: ...


def normalise_probs(probs: Mapping[Label | str, float]) -> Probs:
    """Probabilities over all four labels (missing ones 0), summing to 1."""
    out = {lab.value: max(float(probs.get(lab, probs.get(lab.value, 0.0))), 0.0) for lab in LABELS}
    total = sum(out.values())
    return {k: v / total for k, v in out.items()} if total > 0 else no_evidence_probs()


def no_evidence_probs() -> Probs:
    """The distribution used when there is nothing to judge."""
    return {lab.value: float(lab is Label.NOT_ENOUGH_EVIDENCE) for lab in LABELS}


def argmax_label(probs: Mapping[str, float], allowed: Sequence[Label] | None = None) -> Label:
    """Most probable label, optionally among `allowed` labels only."""
    choices = allowed or LABELS
    return max(choices, key=lambda lab: probs.get(lab.value, 0.0))


def make_judgement(probs: Mapping[Label | str, float], per_passage: Sequence[tuple[str, Mapping[str, float]]],
                   backend: str) -> Judgement:
    """Build a `Judgement` from claim-level and per-passage label probabilities."""
    probs = normalise_probs(probs)
    label = argmax_label(probs)
    verdict = to_verdict(label)
    confidence = sum(p for lab, p in probs.items() if to_verdict(Label(lab)) is verdict)
    per = [(pid, normalise_probs(p)) for pid, p in per_passage]

    def ranked(target: Label) -> list[str]:
        hits = [(p[target.value], pid) for pid, p in per if argmax_label(p) is target]
        return [pid for _, pid in sorted(hits, reverse=True)]

    return Judgement(verdict=verdict, confidence=round(min(max(confidence, 0.0), 1.0), 4),
                     supporting=ranked(Label.SUPPORTED), refuting=ranked(Label.CONTRADICTED),
                     per_passage=per, label=label, probs=probs, backend=backend)


class BatchByLoop:
    """Mixin: `judge_batch` as a loop over `judge`, for backends with no faster path."""

    def judge_batch(self, items: Sequence[tuple[str, Sequence[Passage]]]) -> list[Judgement]:
        """Judge each (claim, passages) item in turn."""
        return [self.judge(claim, passages) for claim, passages in items]  # type: ignore[attr-defined]


JUDGES = ("ensemble", "learned", "crossencoder", "hf", "chat")


def get_judge(name: str | None = None, config: Mapping[str, Any] | None = None) -> Judge:
    """Entailment backend by name (`ensemble`, `learned`, `crossencoder`, `hf`, `chat`); settings come from the [verify] config section.

    `hf:/path/to/model` is a shorthand for the `hf` backend with `hf_model` set.
    """
    config = dict(config or {})
    name = name or str(config.get("judge", "ensemble"))
    if name.startswith("hf:"):
        name, config["hf_model"] = "hf", name[3:]
    if name in ("ensemble", "default"):
        from newsproof.verify.crossencoder import CrossEncoderJudge
        from newsproof.verify.ensemble import EnsembleJudge
        from newsproof.verify.learned import LearnedJudge

        return EnsembleJudge([LearnedJudge(), CrossEncoderJudge(read_singly=False)])
    if name == "learned":
        from newsproof.verify.learned import LearnedJudge

        return LearnedJudge(config.get("model_path"))
    if name == "crossencoder":
        from newsproof.verify.crossencoder import CrossEncoderJudge

        return CrossEncoderJudge(config.get("model_path"))
    if name == "hf":
        from newsproof.verify.backends import HFJudge

        if not config.get("hf_model"):
            raise ConfigError("the hf judge needs a model directory: set verify.hf_model or use hf:/path")
        return HFJudge(str(config["hf_model"]))
    if name == "chat":
        from newsproof.verify.backends import ChatJudge

        return ChatJudge.from_config(config.get("chat", {}))
    raise ConfigError(Errors.E301.format(value=name, name="verify.judge", choices=", ".join(JUDGES)))
