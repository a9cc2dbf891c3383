"""Handcrafted stylometric and language-model features for machine-text detection.

Bump FEATURE_VERSION whenever a feature's definition changes: artifacts record it and refuse to load
against different feature code.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from functools import lru_cache

import numpy as np

from newsproof.detect import lexicon
from newsproof.detect.ngram import HashedTrigramLM, token_hashes
from newsproof.detect.text import normalise, sentences, words

FEATURE_VERSION = "features.v2"

_PUNCT = {
    "comma": (",",), "period": (".",), "semicolon": (";",), "colon": (":",), "exclamation": ("!",),
    "question": ("?",), "dquote": ('"',), "apostrophe": ("'",),
    "paren": ("(",), "dash": ("—", "–", " - "), "ellipsis": ("...", "…"),
}

_LLR_QUANTILES = (10, 25, 50, 75, 90)
_LLR_CHUNK = 20
_BATCH = 256  # texts per `feature_batch` pass (bounds its memory)

# name -> description shown to users as a signal.
FEATURES: dict[str, str] = {
    "log_words": "log of the number of words",
    "zipf_mean": "mean word frequency (Zipf scale, wordfreq); machine text favours common words",
    "zipf_std": "spread of word frequencies",
    "rare_rate": "share of rare words (Zipf < 3)",
    "oov_rate": "share of words unknown to the reference frequency list",
    "content_zipf_mean": "mean frequency of content words (Zipf < 6)",
    "lm_logprob_mean": "mean token log-probability under the human-news trigram model",
    "lm_logprob_std": "spread of token log-probabilities",
    "lm_sent_std": "variation of per-sentence perplexity across sentences",
    "lm_sent_cv": "burstiness of per-sentence perplexity (std / mean)",
    "lm_seen_bigram": "share of word pairs also seen in human news",
    "lm_seen_trigram": "share of word triples also seen in human news",
    "lm_predictable_rate": "share of highly predictable tokens (log-probability above -3)",
    "lm_surprising_rate": "share of very surprising tokens (log-probability below -10)",
    "llr_mean": "mean per-token log-likelihood ratio, machine-text over human-news trigram model",
    "llr_std": "spread of the per-token log-likelihood ratio",
    **{f"llr_q{q}": f"{q}th percentile of the per-token log-likelihood ratio" for q in _LLR_QUANTILES},
    "llr_positive_rate": "share of tokens more likely under the machine-text model",
    "llr_chunk_std": "variation of the log-likelihood ratio across 20-token chunks",
    "llr_chunk_min": "most human-like 20-token chunk (lowest mean log-likelihood ratio)",
    "llr_chunk_max": "most machine-like 20-token chunk (highest mean log-likelihood ratio)",
    "mlm_logprob_mean": "mean token log-probability under the machine-text trigram model",
    "mlm_logprob_std": "spread of token log-probabilities under the machine-text model",
    "mlm_seen_trigram": "share of word triples also seen in machine text",
    "sent_len_mean": "mean sentence length in words",
    "sent_len_std": "spread of sentence length",
    "sent_len_cv": "burstiness of sentence length (std / mean); humans vary more",
    "sent_len_max": "longest sentence in words",
    "short_sent_rate": "share of sentences under 8 words",
    "ttr_window": "type-token ratio in 50-word windows (lexical diversity)",
    "mtld": "lexical diversity (MTLD)",
    "hapax_rate": "share of words used once",
    "word_len_mean": "mean word length in characters",
    "word_len_std": "spread of word length",
    **{f"fw_{w}": f"rate of the function word '{w}'" for w in lexicon.FUNCTION_WORDS},
    "function_word_rate": "share of words that are profiled function words",
    **{f"punct_{k}": f"{k.replace('_', ' ')} marks per word" for k in _PUNCT},
    "digit_rate": "share of tokens that are numbers",
    "capital_rate": "share of capitalised words (names, acronyms)",
    "allcaps_rate": "share of all-capital words",
    "rep_trigram_rate": "share of word triples that repeat",
    "rep_sentence_rate": "share of sentences that repeat",
    "compression_ratio": "zlib-compressed size / raw size; repetitive text compresses more",
    "word_entropy": "entropy of the word distribution, normalised by log(words)",
    "sent_opener_diversity": "share of distinct sentence-opening words",
    "top_content_share": "share of the most frequent content word",
    "hedge_rate": "hedges per word (may, might, reportedly...)",
    "transition_rate": "connectives per word (however, moreover, overall...)",
    "stock_phrase_rate": "stock phrases per 100 words (it is important to, plays a crucial role...)",
    "first_person_rate": "first-person pronouns per word",
    "contraction_rate": "contractions per word",
}
FEATURE_NAMES: tuple[str, ...] = tuple(FEATURES)
_LM_NAMES = tuple(n for n in FEATURE_NAMES if n.startswith(("lm_", "llr_", "mlm_")))


@lru_cache(maxsize=1)
def frequency_table() -> dict[str, float]:
    """wordfreq's English frequency list (word -> share of tokens)."""
    import wordfreq

    return wordfreq.get_frequency_dict("en", wordlist="best")


def _cv(values: np.ndarray) -> float:
    mean = float(values.mean()) if len(values) else 0.0
    return float(values.std() / abs(mean)) if len(values) > 1 and mean else 0.0


def _mtld_pass(tokens: list[str], threshold: float = 0.72) -> float:
    factors, types, count = 0.0, set(), 0
    for tok in tokens:
        types.add(tok)
        count += 1
        if len(types) / count <= threshold:
            factors += 1
            types, count = set(), 0
    if count:
        factors += (1 - len(types) / count) / (1 - threshold)
    return len(tokens) / factors if factors else float(len(tokens))


def _mtld(tokens: list[str]) -> float:
    return (_mtld_pass(tokens) + _mtld_pass(tokens[::-1])) / 2 if tokens else 0.0


def _window_ttr(tokens: list[str], size: int = 50) -> float:
    if len(tokens) <= size:
        return len(set(tokens)) / len(tokens) if tokens else 0.0
    starts = range(0, len(tokens) - size + 1, size // 2)
    return float(np.mean([len(set(tokens[s : s + size])) / size for s in starts]))


class FeatureExtractor:
    """Turns a text into the FEATURE_NAMES vector, using trigram LMs trained on human and on machine text."""

    def __init__(self, lm: HashedTrigramLM, machine_lm: HashedTrigramLM) -> None:
        self.lm, self.machine_lm = lm, machine_lm
        self.freq = frequency_table()

    def transform(self, texts: list[str]) -> np.ndarray:
        """Feature matrix (len(texts) x len(FEATURE_NAMES)), float64: `extract` of each text, computed for
        batches of texts at once (`feature_batch`)."""
        from newsproof.detect.feature_batch import feature_matrix

        out = np.zeros((len(texts), len(FEATURE_NAMES)), dtype=np.float64)
        for start in range(0, len(texts), _BATCH):
            out[start : start + _BATCH] = feature_matrix(self, texts[start : start + _BATCH])
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
            sent_len_mean=float(sent_lens.mean()), sent_len_std=float(sent_lens.std()), sent_len_cv=_cv(sent_lens),
            sent_len_max=float(sent_lens.max()), short_sent_rate=float((sent_lens < 8).mean()),
            ttr_window=_window_ttr(low), mtld=_mtld(low),
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
        for key, marks in _PUNCT.items():
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
            return dict.fromkeys(_LM_NAMES, 0.0) | {"lm_logprob_mean": -10.0, "mlm_logprob_mean": -10.0}
        mlogp, _, mseen3 = self.machine_lm.token_logprobs(hashes, unigram)
        ratio = mlogp - logp
        chunks = np.array([c.mean() for c in np.array_split(ratio, max(len(ratio) // _LLR_CHUNK, 1))])
        bounds = np.cumsum([len(s) for s in sent_toks])[:-1] - 2  # sentence ends, shifted by the 2-token context
        per_sent = np.array([c.mean() for c in np.split(logp, bounds[bounds > 0]) if len(c)])
        return {
            "lm_logprob_mean": float(logp.mean()), "lm_logprob_std": float(logp.std()),
            "lm_sent_std": float(per_sent.std()), "lm_sent_cv": _cv(per_sent),
            "lm_seen_bigram": float(seen2.mean()), "lm_seen_trigram": float(seen3.mean()),
            "lm_predictable_rate": float((logp > -3).mean()), "lm_surprising_rate": float((logp < -10).mean()),
            "llr_mean": float(ratio.mean()), "llr_std": float(ratio.std()),
            **{f"llr_q{q}": float(v) for q, v in zip(_LLR_QUANTILES, np.percentile(ratio, _LLR_QUANTILES), strict=True)},
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
