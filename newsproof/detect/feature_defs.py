"""What the handcrafted detector features are: their names and descriptions, the feature version, and the
small helpers both feature computations share (`features.FeatureExtractor.extract`, the per-text reference,
and `feature_batch`, the batched one).

Bump FEATURE_VERSION whenever a feature's definition changes: artifacts record it and refuse to load
against different feature code.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from newsproof.detect import lexicon

FEATURE_VERSION = "features.v2"

PUNCT = {
    "comma": (",",), "period": (".",), "semicolon": (";",), "colon": (":",), "exclamation": ("!",),
    "question": ("?",), "dquote": ('"',), "apostrophe": ("'",),
    "paren": ("(",), "dash": ("—", "–", " - "), "ellipsis": ("...", "…"),
}

LLR_QUANTILES = (10, 25, 50, 75, 90)
LLR_CHUNK = 20

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
    **{f"llr_q{q}": f"{q}th percentile of the per-token log-likelihood ratio" for q in LLR_QUANTILES},
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
    **{f"punct_{k}": f"{k.replace('_', ' ')} marks per word" for k in PUNCT},
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
LM_NAMES = tuple(n for n in FEATURE_NAMES if n.startswith(("lm_", "llr_", "mlm_")))


@lru_cache(maxsize=1)
def frequency_table() -> dict[str, float]:
    """wordfreq's English frequency list (word -> share of tokens)."""
    import wordfreq

    return wordfreq.get_frequency_dict("en", wordlist="best")


def cv(values: np.ndarray) -> float:
    """Coefficient of variation (std / |mean|), 0 for fewer than two values or a zero mean."""
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


def mtld(tokens: list[str]) -> float:
    """Measure of textual lexical diversity (MTLD, mean of a forward and a backward pass)."""
    return (_mtld_pass(tokens) + _mtld_pass(tokens[::-1])) / 2 if tokens else 0.0


def window_ttr(tokens: list[str], size: int = 50) -> float:
    """Mean type-token ratio over half-overlapping windows of `size` tokens (the whole text when shorter)."""
    if len(tokens) <= size:
        return len(set(tokens)) / len(tokens) if tokens else 0.0
    starts = range(0, len(tokens) - size + 1, size // 2)
    return float(np.mean([len(set(tokens[s : s + size])) / size for s in starts]))
