"""Entailment judges: does a set of passages support or refute a claim?

One interface, `Judge` (`base.py`), several judges chosen by name from `JUDGES` with `get_judge`:

* ``ensemble`` (default): a weighted mean of ``learned`` and ``crossencoder`` (`ensemble.py`, share `ensemble_weight`);
* ``learned``: a classifier trained here on the claim sets over pair features and frozen
  MiniLM embeddings (`learned.py`, artifact `verify/entailment.joblib`, torch-free);
* ``crossencoder``: MiniLM fine-tuned here as a claim/evidence cross-encoder, run as int8 ONNX
  (`crossencoder.py`, artifact `verify/crossencoder_int8.onnx`, torch-free);
* ``hf``: any local Hugging Face NLI model directory (`hf.py`);
* ``chat``: an OpenAI-compatible chat endpoint, off by default (`chat.py`).

A new judge is a module here implementing `Judge` plus one factory registered below.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newsproof.config import section
from newsproof.errors import ConfigError
from newsproof.registry import Registry
from newsproof.verify.judges.base import (
    Judge,
    Judgement,
    Probs,
    argmax_label,
    make_judgement,
    no_evidence_probs,
)

JUDGES: Registry[Judge] = Registry("verify.judge")


@JUDGES.register("ensemble", aliases=("default",))
def _ensemble(config: Mapping[str, Any]) -> Judge:
    from newsproof.verify.judges.crossencoder import CrossEncoderJudge
    from newsproof.verify.judges.ensemble import EnsembleJudge
    from newsproof.verify.judges.learned import LearnedJudge

    share = float(config["ensemble_weight"])
    return EnsembleJudge([LearnedJudge(), CrossEncoderJudge(read_singly=False)], [1.0 - share, share])


@JUDGES.register("learned")
def _learned(config: Mapping[str, Any]) -> Judge:
    from newsproof.verify.judges.learned import LearnedJudge

    return LearnedJudge(config.get("model_path"))


@JUDGES.register("crossencoder")
def _crossencoder(config: Mapping[str, Any]) -> Judge:
    from newsproof.verify.judges.crossencoder import CrossEncoderJudge

    return CrossEncoderJudge(config.get("model_path"))


@JUDGES.register("hf")
def _hf(config: Mapping[str, Any]) -> Judge:
    from newsproof.verify.judges.hf import HFJudge

    if not config["hf_model"]:
        raise ConfigError("the hf judge needs a model directory: set verify.hf_model or use hf:/path")
    return HFJudge(str(config["hf_model"]))


@JUDGES.register("chat")
def _chat(config: Mapping[str, Any]) -> Judge:
    from newsproof.verify.judges.chat import ChatJudge

    return ChatJudge.from_config(config["chat"])


def get_judge(name: str | None = None, config: Mapping[str, Any] | None = None) -> Judge:
    """Entailment judge by name (default: the `judge` of the [verify] config section, which also supplies its
    settings); `hf:/path/to/model` is a shorthand for the `hf` judge with `hf_model` set."""
    config = section("verify", config)
    name = name or config["judge"]
    if name.startswith("hf:"):
        name, config["hf_model"] = "hf", name[3:]
    return JUDGES.get(name, config)


__all__ = ["JUDGES", "Judge", "Judgement", "Probs", "argmax_label", "get_judge", "make_judgement",
           "no_evidence_probs"]
