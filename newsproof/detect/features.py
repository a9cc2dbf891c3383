"""Handcrafted stylometric and language-model features for machine-text detection (their names and
version: `feature_defs`).
"""

from __future__ import annotations

import math
import zlib
from collections import Counter

import numpy as np

from newsproof.detect import lexicon
from newsproof.detect.feature_batch import feature_matrix
from newsproof.detect.feature_defs import (
    FEATURE_NAMES,
    FEATURE_VERSION,
    FEATURES,
    LLR_CHUNK,
    LLR_QUANTILES,
    LM_NAMES,
    PUNCT,
    cv,
    frequency_table,
    mtld,
    window_ttr,
)
from newsproof.detect.ngram import HashedTrigramLM, token_hashes
from newsproof.detect.text import normalise, sentences, words

__all__ = ["FEATURES", "FEATURE_NAMES", "FEATURE_VERSION", "FeatureExtractor", "frequency_table"]
_BATCH = 256  # texts per `feature_batch` pass (bounds its memory)


class FeatureExtractor:
    """Turns a text into the FEATURE_NAMES vector, using trigram LMs trained on human and on machine text."""

    def __init__(self, lm: HashedTrigramLM, machine_lm: HashedTrigramLM) -> None:
        self.lm, self.machine_lm = lm, machine_lm
        self.freq = frequency_table()

    def transform(self, texts: list[str]) -> np.ndarray:
        """Feature matrix (len(texts) x len(FEATURE_NAMES)), float64: `extract` of each text, computed for
        batches of texts at once (`feature_batch`)."""
        out = np.zeros((len(texts), len(FEATURE_NAMES)), dtype=np.float64)
        for start in range(0, len(texts), _BATCH):
            out[start : start + _BATCH] = feature_matrix(texts[start : start + _BATCH], self.lm, self.machine_lm, self.freq)
        return out

    def extract(self, text: str) -> list[float]:
        """Feature vector of one text (read in its normalised, layout-free form), in FEATURE_NAMES order.

        The reference definition of the features, text by text; `transform` computes the same values faster.
        """
        text = normalise(text)
        toks = words(text)
        low = [t.lower() for t in toks]
        n = max(len(toks), 1)
        sents = sentences(text) or [text]
        sent_toks = [[t.lower() for t in words(s)] for s in sents]
        sent_toks = [s for s in sent_toks if s] or [low]
        sent_lens = np.array([len(s) for s in sent_toks], dtype=np.float64)
        f: dict[str, float] = {"log_words": math.log1p(len(toks))}
        freqs = np.array([self.freq.get(t, 0.0) for t in low])
        f.update(self._rarity(freqs))
        f.update(self._lm(sent_toks, freqs))
        f.update(
            sent_len_mean=float(sent_lens.mean()), sent_len_std=float(sent_lens.std()), sent_len_cv=cv(sent_lens),
            sent_len_max=float(sent_lens.max()), short_sent_rate=float((sent_lens < 8).mean()),
            ttr_window=window_ttr(low), mtld=mtld(low),
        )
        counts = Counter(low)
        lens = np.array([len(t) for t in toks] or [0], dtype=np.float64)
        f.update(hapax_rate=sum(1 for c in counts.values() if c == 1) / n,
                 word_len_mean=float(lens.mean()), word_len_std=float(lens.std()))
        fw_total = 0
        for w in lexicon.FUNCTION_WORDS:
            fw_total += counts[w]
            f[f"fw_{w}"] = counts[w] / n
        f["function_word_rate"] = fw_total / n
        for key, marks in PUNCT.items():
            f[f"punct_{key}"] = sum(text.count(m) for m in marks) / n
        f.update(self._surface(toks, low, sents, counts, text.lower(), n))
        f.update(self._redundancy(text, low, sent_toks, counts))
        return [f[name] for name in FEATURE_NAMES]

    @staticmethod
    def _rarity(freqs: np.ndarray) -> dict[str, float]:
        freqs = freqs if len(freqs) else np.zeros(1)
        zipf = np.log10(np.maximum(freqs, 1e-9)) + 9
        content = zipf[zipf < 6]
        return {
            "zipf_mean": float(zipf.mean()), "zipf_std": float(zipf.std()), "rare_rate": float((zipf < 3).mean()),
            "oov_rate": float((freqs == 0).mean()),
            "content_zipf_mean": float(content.mean()) if len(content) else 6.0,
        }

    def _lm(self, sent_toks: list[list[str]], unigram: np.ndarray) -> dict[str, float]:
        """LM features; `unigram` holds the wordfreq frequency of every token of `sent_toks`, flattened."""
        hashes = token_hashes([t for s in sent_toks for t in s])
        logp, seen2, seen3 = self.lm.token_logprobs(hashes, unigram)
        if len(logp) == 0:
            return dict.fromkeys(LM_NAMES, 0.0) | {"lm_logprob_mean": -10.0, "mlm_logprob_mean": -10.0}
        mlogp, _, mseen3 = self.machine_lm.token_logprobs(hashes, unigram)
        ratio = mlogp - logp
        chunks = np.array([c.mean() for c in np.array_split(ratio, max(len(ratio) // LLR_CHUNK, 1))])
        bounds = np.cumsum([len(s) for s in sent_toks])[:-1] - 2  # sentence ends, shifted by the 2-token context
        per_sent = np.array([c.mean() for c in np.split(logp, bounds[bounds > 0]) if len(c)])
        return {
            "lm_logprob_mean": float(logp.mean()), "lm_logprob_std": float(logp.std()),
            "lm_sent_std": float(per_sent.std()), "lm_sent_cv": cv(per_sent),
            "lm_seen_bigram": float(seen2.mean()), "lm_seen_trigram": float(seen3.mean()),
            "lm_predictable_rate": float((logp > -3).mean()), "lm_surprising_rate": float((logp < -10).mean()),
            "llr_mean": float(ratio.mean()), "llr_std": float(ratio.std()),
            **{f"llr_q{q}": float(v) for q, v in zip(LLR_QUANTILES, np.percentile(ratio, LLR_QUANTILES), strict=True)},
            "llr_positive_rate": float((ratio > 0).mean()), "llr_chunk_std": float(chunks.std()),
            "llr_chunk_min": float(chunks.min()), "llr_chunk_max": float(chunks.max()),
            "mlm_logprob_mean": float(mlogp.mean()), "mlm_logprob_std": float(mlogp.std()),
            "mlm_seen_trigram": float(mseen3.mean()),
        }

    @staticmethod
    def _redundancy(text: str, low: list[str], sent_toks: list[list[str]], counts: Counter[str]) -> dict[str, float]:
        raw = text.encode("utf-8")
        probs = np.array(list(counts.values()), dtype=np.float64) / max(len(low), 1)
        entropy = float(-(probs * np.log(probs)).sum()) if len(probs) else 0.0
        return {
            "compression_ratio": len(zlib.compress(raw, 6)) / max(len(raw), 1),
            "word_entropy": entropy / math.log(len(low)) if len(low) > 1 else 0.0,
            "sent_opener_diversity": len({s[0] for s in sent_toks if s}) / max(len(sent_toks), 1),
        }

    def _surface(self, toks: list[str], low: list[str], sents: list[str], counts: Counter[str],
                 lower_text: str, n: int) -> dict[str, float]:
        trigrams = Counter(zip(low, low[1:], low[2:], strict=False))
        n_tri = max(sum(trigrams.values()), 1)
        sent_counts = Counter(s.lower() for s in sents)
        content = [(c, w) for w, c in counts.items() if self.freq.get(w, 0.0) < 1e-3]
        return {
            "digit_rate": sum(t[0].isdigit() for t in toks) / n,
            "capital_rate": sum(t[0].isupper() for t in toks) / n,
            "allcaps_rate": sum(len(t) > 1 and t.isupper() for t in toks) / n,
            "rep_trigram_rate": sum(c for c in trigrams.values() if c > 1) / n_tri,
            "rep_sentence_rate": sum(c for c in sent_counts.values() if c > 1) / max(len(sents), 1),
            "top_content_share": max(content)[0] / n if content else 0.0,
            "hedge_rate": sum(counts[w] for w in lexicon.HEDGES) / n,
            "transition_rate": sum(counts[w] for w in lexicon.TRANSITIONS) / n,
            "stock_phrase_rate": 100 * sum(lower_text.count(p) for p in lexicon.STOCK_PHRASES) / n,
            "first_person_rate": sum(counts[w] for w in lexicon.FIRST_PERSON) / n,
            "contraction_rate": sum(1 for t in low if "'" in t or "’" in t) / n,
        }
