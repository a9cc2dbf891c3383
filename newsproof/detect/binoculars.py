"""Optional transformer detector in the style of Binoculars (Hans et al., 2024).

score = log-perplexity of the text under the performer LM / cross-perplexity between observer and
performer (mean over tokens of the observer's next-token distribution scored by the performer).
Machine text scores low. Any two local Hugging Face causal LMs that share a tokenizer work, e.g.
observer = falcon-7b and performer = falcon-7b-instruct (the paper's pair, threshold ~0.90).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from newsproof.detect.base import gate, label_for, paragraph_chunks, reason_for, settings
from newsproof.errors import ConfigError, ModelError
from newsproof.models import DetectionResult, Signal

ENV_OBSERVER = "NEWSPROOF_BINOCULARS_OBSERVER"
ENV_PERFORMER = "NEWSPROOF_BINOCULARS_PERFORMER"
# Accuracy-optimised threshold the Binoculars authors report for falcon-7b / falcon-7b-instruct.
DEFAULT_THRESHOLD = 0.9015
DEFAULT_SCALE = 0.05


class BinocularsDetector:
    """Observer/performer causal-LM pair; probability = sigmoid((threshold - score) / scale)."""

    name = "newsproof.binoculars.v1"

    def __init__(self, observer: str | Path, performer: str | Path | None = None, *, bino_threshold: float = DEFAULT_THRESHOLD,
                 scale: float = DEFAULT_SCALE, max_tokens: int = 512, device: str | None = None,
                 config: dict[str, Any] | None = None) -> None:
        self.observer = Path(observer)
        self.performer = Path(performer) if performer else self.observer
        self.bino_threshold, self.scale, self.max_tokens, self.device = bino_threshold, scale, max_tokens, device
        self.threshold = 0.5
        self.min_words, self.margin = settings(config)
        self.models_: tuple[Any, Any, Any] | None = None

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> BinocularsDetector:
        """Build from the `detect` config section (`[detect.binoculars]`) or the environment."""
        section = config.get("binoculars", {})
        observer = section.get("observer") or os.environ.get(ENV_OBSERVER)
        if not observer:
            raise ConfigError(f"the binoculars detector needs a local causal LM: set detect.binoculars.observer or ${ENV_OBSERVER}")
        return cls(observer, section.get("performer") or os.environ.get(ENV_PERFORMER),
                   bino_threshold=float(section.get("threshold", DEFAULT_THRESHOLD)),
                   scale=float(section.get("scale", DEFAULT_SCALE)), max_tokens=int(section.get("max_tokens", 512)),
                   device=section.get("device"), config=config)

    def warm_up(self) -> None:
        """Load the tokenizer and both models from their local directories (no downloads)."""
        if self.models_ is not None:
            return
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError as exc:
            raise ModelError("the binoculars detector needs torch and transformers: pip install 'newsproof[torch]'") from exc
        for path in {self.observer, self.performer}:
            if not path.is_dir():
                raise ModelError(f"no local Hugging Face model directory at {path}")
        device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
        tokenizer = AutoTokenizer.from_pretrained(self.observer, local_files_only=True)
        observer = AutoModelForCausalLM.from_pretrained(self.observer, local_files_only=True).to(device).eval()
        performer = observer if self.performer == self.observer else (
            AutoModelForCausalLM.from_pretrained(self.performer, local_files_only=True).to(device).eval())
        if observer.config.vocab_size != performer.config.vocab_size:
            raise ModelError("observer and performer must share a tokenizer (vocabulary sizes differ)")
        self.device, self.models_ = device, (tokenizer, observer, performer)

    def raw_scores(self, text: str) -> tuple[float, float, float]:
        """(binoculars score, performer log-perplexity, observer-performer cross log-perplexity)."""
        import torch

        self.warm_up()
        assert self.models_ is not None
        tokenizer, observer, performer = self.models_
        ids = tokenizer(text, return_tensors="pt", truncation=True, max_length=self.max_tokens)["input_ids"].to(self.device)
        if ids.shape[1] < 2:
            raise ModelError("text is too short for the language model (fewer than 2 tokens)")
        with torch.inference_mode():
            obs = observer(ids).logits[0, :-1].float()
            perf = obs if performer is observer else performer(ids).logits[0, :-1].float()
        log_perf = torch.log_softmax(perf, dim=-1)
        ppl = torch.nn.functional.nll_loss(log_perf, ids[0, 1:]).item()
        x_ppl = -(torch.softmax(obs, dim=-1) * log_perf).sum(-1).mean().item()
        return ppl / x_ppl, ppl, x_ppl

    def _probability(self, score: float) -> float:
        return float(1 / (1 + np.exp(-(self.bino_threshold - score) / self.scale)))

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """Probability of 'machine' per text (no gating)."""
        return np.array([self._probability(self.raw_scores(t)[0]) for t in texts])

    def score(self, text: str) -> DetectionResult:
        """Binoculars score of the whole text and of each paragraph."""
        refused = gate(text, self.min_words, self.name)
        if refused is not None:
            return refused
        score, ppl, x_ppl = self.raw_scores(text)
        prob = self._probability(score)
        chunks = paragraph_chunks(text)
        para = [self._probability(self.raw_scores(c)[0]) for c in chunks] if len(chunks) > 1 else [prob]
        signals = [
            Signal(name="binoculars_score", value=score, contribution=prob - 0.5,
                   description=f"log-perplexity / cross-perplexity; below {self.bino_threshold} suggests machine text"),
            Signal(name="log_perplexity", value=ppl, description="performer model log-perplexity of the text"),
            Signal(name="cross_perplexity", value=x_ppl, description="observer-performer cross log-perplexity"),
        ]
        label = label_for(prob, self.threshold, self.margin)
        return DetectionResult(probability=prob, label=label, signals=signals, paragraph_scores=para,
                               reason=reason_for(label, prob, signals[0].description), detector=self.name)
