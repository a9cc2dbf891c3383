"""The FEATURE_NAMES matrix of a batch of texts in one pass (`FeatureExtractor.transform`).

Same definitions as the per-text reference `FeatureExtractor.extract` (equal to float rounding, tested):
each text is normalised and tokenised once, its tokens are mapped to ids of the batch's vocabulary (so
frequencies and hashes are looked up once per distinct word), the trigram-model lookups of all texts run
as one vectorised pass (n-grams never span two texts), and per-text statistics are segment reductions
over the concatenated tokens instead of many small numpy calls.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter

import numpy as np

from newsproof.detect import lexicon
from newsproof.detect.feature_defs import (
    FEATURE_NAMES,
    LLR_CHUNK,
    LLR_QUANTILES,
    LM_NAMES,
    PUNCT,
    mtld,
    window_ttr,
)
from newsproof.detect.ngram import HashedTrigramLM, TrigramQueries, token_hashes
from newsproof.detect.text import normalise, sentences, words

_LLR_FRACTIONS = np.true_divide(LLR_QUANTILES, 100)  # as np.percentile turns percentiles into quantiles
_EMPTY_ZIPF = float(np.log10(np.maximum(np.zeros(1), 1e-9))[0] + 9)  # `_rarity` of a text without words


class _Segments:
    """Consecutive non-empty segments of a flat array (one per row), reduced as numpy reduces each slice."""

    def __init__(self, lengths: np.ndarray) -> None:
        self.lengths = lengths
        self.starts = np.cumsum(lengths) - lengths

    def sum(self, x: np.ndarray) -> np.ndarray:
        return np.add.reduceat(x, self.starts) if len(self.starts) else np.zeros(0)

    def mean(self, x: np.ndarray) -> np.ndarray:
        return self.sum(x) / self.lengths

    def std(self, x: np.ndarray, mean: np.ndarray) -> np.ndarray:
        dev = x - np.repeat(mean, self.lengths)
        return np.sqrt(self.mean(dev * dev))

    def rate(self, mask: np.ndarray) -> np.ndarray:
        return self.sum(mask.astype(np.float64)) / self.lengths


def _cv(mean: np.ndarray, std: np.ndarray, count: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((count > 1) & (mean != 0), std / np.abs(mean), 0.0)


def _percentiles(values: np.ndarray, seg: _Segments) -> np.ndarray:
    """np.percentile(segment, LLR_QUANTILES) (linear method, same arithmetic) of each segment: (rows, 5)."""
    order = np.lexsort((values, np.repeat(np.arange(len(seg.lengths)), seg.lengths)))
    ordered = values[order]
    n = seg.lengths[:, None]
    virtual = (n - 1) * _LLR_FRACTIONS[None, :]
    prev = np.floor(virtual)
    last = virtual >= n - 1
    lo = np.where(last, n - 1, prev).astype(np.int64) + seg.starts[:, None]
    hi = np.where(last, n - 1, prev + 1).astype(np.int64) + seg.starts[:, None]
    a, b, gamma = ordered[lo], ordered[hi], virtual - prev
    diff = b - a
    return np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)


class _Batch:
    """Tokens of a batch of normalised texts, flattened, with per-text segments and vocabulary ids."""

    def __init__(self, texts: list[str], freq: dict[str, float]) -> None:
        self.texts = texts
        self.sents = [sentences(t) or [t] for t in texts]
        memo: dict[str, list[str]] = {}  # a batch's texts often share sentences (an article and its paragraphs)
        sent_words = [[memo[s] if s in memo else memo.setdefault(s, words(s)) for s in row] for row in self.sents]
        # a text's words are its sentences' words (sentences split on whitespace, never inside a word)
        self.sent_lens = [[len(s) for s in row if s] for row in sent_words]
        self.n_tok = np.array([sum(row) for row in self.sent_lens], dtype=np.int64)
        toks = [w for row in sent_words for s in row for w in s]
        cased = {t: i for i, t in enumerate(dict.fromkeys(toks))}
        lowered = [t.lower() for t in cased]
        vocab = {w: i for i, w in enumerate(dict.fromkeys(lowered))}
        self.vocab = list(vocab)
        low_of_cased = np.fromiter(map(vocab.__getitem__, lowered), np.int64, len(lowered))
        self.cased_ids = np.fromiter(map(cased.__getitem__, toks), np.int64, len(toks))
        self.cased = list(cased)
        self.ids = low_of_cased[self.cased_ids]
        self.row = np.repeat(np.arange(len(texts)), self.n_tok)
        self.freq = np.array([freq.get(w, 0.0) for w in self.vocab], dtype=np.float64)
        self.n = np.maximum(self.n_tok, 1).astype(np.float64)
        self.full = self.n_tok > 0
        self.seg = _Segments(self.n_tok[self.full])

    def in_vocab(self, members: frozenset[str] | set[str]) -> np.ndarray:
        """Flag per vocabulary word: is it in `members`."""
        return np.array([w in members for w in self.vocab], dtype=bool)

    def per_row(self, weights: np.ndarray) -> np.ndarray:
        """Sum of per-token `weights` for each text."""
        return np.bincount(self.row, weights=weights, minlength=len(self.texts))

    def spread(self, values: np.ndarray, default: float) -> np.ndarray:
        """Per-text array from `values` of the texts with words; `default` for the others."""
        out = np.full(len(self.texts), default)
        out[self.full] = values
        return out


def feature_matrix(texts: list[str], lm: HashedTrigramLM, machine_lm: HashedTrigramLM,
                   freq: dict[str, float]) -> np.ndarray:
    """FEATURE_NAMES of each text (len(texts) x len(FEATURE_NAMES)), float64, read with the human-news and
    machine-text trigram models and the word frequency table `freq`."""
    batch = _Batch([normalise(t) for t in texts], freq)
    f = {"log_words": np.array([math.log1p(n) for n in batch.n_tok.tolist()])}
    f |= _rarity(batch)
    f |= _lm(lm, machine_lm, batch)
    f |= _sentences(batch)
    f |= _counts(batch)
    f |= _per_text(batch)
    return np.column_stack([f[name] for name in FEATURE_NAMES]).reshape(len(texts), len(FEATURE_NAMES))


def _rarity(batch: _Batch) -> dict[str, np.ndarray]:
    zipf_v = np.log10(np.maximum(batch.freq, 1e-9)) + 9
    zipf, freq, seg = zipf_v[batch.ids], batch.freq[batch.ids], batch.seg
    mean = seg.mean(zipf)
    content = zipf < 6
    n_content = seg.sum(content.astype(np.float64))
    with np.errstate(divide="ignore", invalid="ignore"):
        content_mean = np.where(n_content > 0, seg.sum(np.where(content, zipf, 0.0)) / n_content, 6.0)
    return {
        "zipf_mean": batch.spread(mean, _EMPTY_ZIPF), "zipf_std": batch.spread(seg.std(zipf, mean), 0.0),
        "rare_rate": batch.spread(seg.rate(zipf < 3), float(_EMPTY_ZIPF < 3)),
        "oov_rate": batch.spread(seg.rate(freq == 0), 1.0),
        "content_zipf_mean": batch.spread(content_mean, _EMPTY_ZIPF if _EMPTY_ZIPF < 6 else 6.0),
    }


def _lm(lm: HashedTrigramLM, machine_lm: HashedTrigramLM, batch: _Batch) -> dict[str, np.ndarray]:
    """The `_lm` features of every text from one pass of lookups per model."""
    queries, pos = TrigramQueries.of_rows(token_hashes(batch.vocab)[batch.ids], batch.n_tok)
    unigram = batch.freq[batch.ids][pos]
    logp, seen2, seen3 = lm.query_logprobs(queries, unigram)
    mlogp, _, mseen3 = machine_lm.query_logprobs(queries, unigram)
    ratio = mlogp - logp
    scored = batch.n_tok >= 3
    m = batch.n_tok[scored] - 2
    seg = _Segments(m)
    out = {name: np.zeros(len(batch.texts)) for name in LM_NAMES}
    out["lm_logprob_mean"][:] = out["mlm_logprob_mean"][:] = -10.0
    if not scored.any():
        return out
    mean, r_mean, m_mean = seg.mean(logp), seg.mean(ratio), seg.mean(mlogp)
    chunk_std, chunk_min, chunk_max = _chunk_stats(ratio, m)
    sent_std, sent_cv = _sentence_lm_stats(logp, batch, scored)
    values = {
        "lm_logprob_mean": mean, "lm_logprob_std": seg.std(logp, mean),
        "lm_sent_std": sent_std, "lm_sent_cv": sent_cv,
        "lm_seen_bigram": seg.rate(seen2), "lm_seen_trigram": seg.rate(seen3),
        "lm_predictable_rate": seg.rate(logp > -3), "lm_surprising_rate": seg.rate(logp < -10),
        "llr_mean": r_mean, "llr_std": seg.std(ratio, r_mean),
        **{f"llr_q{q}": col for q, col in zip(LLR_QUANTILES, _percentiles(ratio, seg).T, strict=True)},
        "llr_positive_rate": seg.rate(ratio > 0), "llr_chunk_std": chunk_std,
        "llr_chunk_min": chunk_min, "llr_chunk_max": chunk_max,
        "mlm_logprob_mean": m_mean, "mlm_logprob_std": seg.std(mlogp, m_mean),
        "mlm_seen_trigram": seg.rate(mseen3),
    }
    for name, col in values.items():
        out[name][scored] = col
    return out


def _chunk_stats(ratio: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Std, min and max over each text's np.array_split(ratio, max(m // LLR_CHUNK, 1)) chunk means."""
    k = np.maximum(m // LLR_CHUNK, 1)
    size, extra = np.divmod(m, k)
    chunk_row = np.repeat(np.arange(len(m)), k)
    index = np.arange(k.sum()) - np.repeat(np.cumsum(k) - k, k)
    lengths = size[chunk_row] + (index < extra[chunk_row])
    means = _Segments(lengths).mean(ratio)
    per_text = _Segments(k)
    return (per_text.std(means, per_text.mean(means)), np.minimum.reduceat(means, per_text.starts),
            np.maximum.reduceat(means, per_text.starts))


def _sentence_lm_stats(logp: np.ndarray, batch: _Batch, scored: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Std and cv of the mean log-probability per sentence (sentence ends shifted by the 2-token context)."""
    starts, counts, offset = [], [], 0
    for lens, n_tok in zip(batch.sent_lens, batch.n_tok.tolist(), strict=True):
        if n_tok < 3:
            continue
        bounds = [offset]
        acc = 0
        for length in lens[:-1]:
            acc += length
            if acc > 2:
                bounds.append(offset + acc - 2)
        starts.extend(bounds)
        counts.append(len(bounds))
        offset += n_tok - 2
    lengths = np.diff(np.append(np.array(starts, dtype=np.int64), offset))
    per_sent = _Segments(lengths).mean(logp)
    per_text = _Segments(np.array(counts, dtype=np.int64))
    mean = per_text.mean(per_sent)
    std = per_text.std(per_sent, mean)
    return std, _cv(mean, std, per_text.lengths)


def _sentences(batch: _Batch) -> dict[str, np.ndarray]:
    lens = [row or [0] for row in batch.sent_lens]
    seg = _Segments(np.array([len(row) for row in lens], dtype=np.int64))
    flat = np.array([x for row in lens for x in row], dtype=np.float64)
    mean = seg.mean(flat)
    std = seg.std(flat, mean)
    return {
        "sent_len_mean": mean, "sent_len_std": std, "sent_len_cv": _cv(mean, std, seg.lengths),
        "sent_len_max": np.maximum.reduceat(flat, seg.starts), "short_sent_rate": seg.rate(flat < 8),
    }


def _counts(batch: _Batch) -> dict[str, np.ndarray]:
    """Features read from word counts: function words, lexicon rates, hapax, entropy, word shapes."""
    n, ids, n_rows = batch.n, batch.ids, len(batch.texts)
    out: dict[str, np.ndarray] = {}
    column = {w: j for j, w in enumerate(lexicon.FUNCTION_WORDS)}
    fw_col = np.array([column.get(w, -1) for w in batch.vocab], dtype=np.int64)[ids]
    is_fw = fw_col >= 0
    n_fw = len(lexicon.FUNCTION_WORDS)
    fw = np.bincount(batch.row[is_fw] * n_fw + fw_col[is_fw], minlength=n_rows * n_fw).reshape(n_rows, n_fw)
    for j, w in enumerate(lexicon.FUNCTION_WORDS):
        out[f"fw_{w}"] = fw[:, j] / n
    out["function_word_rate"] = fw.sum(axis=1) / n
    for name, members in (("hedge_rate", lexicon.HEDGES), ("transition_rate", lexicon.TRANSITIONS),
                          ("first_person_rate", lexicon.FIRST_PERSON)):
        out[name] = batch.per_row(batch.in_vocab(members)[ids].astype(np.float64)) / n
    contraction = np.array(["'" in w or "’" in w for w in batch.vocab], dtype=np.float64)
    out["contraction_rate"] = batch.per_row(contraction[ids]) / n
    digit = np.array([t[0].isdigit() for t in batch.cased], dtype=np.float64)
    capital = np.array([t[0].isupper() for t in batch.cased], dtype=np.float64)
    allcaps = np.array([len(t) > 1 and t.isupper() for t in batch.cased], dtype=np.float64)
    for name, flags in (("digit_rate", digit), ("capital_rate", capital), ("allcaps_rate", allcaps)):
        out[name] = batch.per_row(flags[batch.cased_ids]) / n
    lens = np.array([len(t) for t in batch.cased], dtype=np.float64)[batch.cased_ids]
    mean = batch.seg.mean(lens)
    out["word_len_mean"] = batch.spread(mean, 0.0)
    out["word_len_std"] = batch.spread(batch.seg.std(lens, mean), 0.0)
    # per (text, word) counts
    pairs, counts = np.unique(batch.row * len(batch.vocab) + ids, return_counts=True)
    pair_row, pair_word = np.divmod(pairs, max(len(batch.vocab), 1))
    out["hapax_rate"] = np.bincount(pair_row, weights=(counts == 1), minlength=n_rows) / n
    probs = counts / n[pair_row]
    entropy = -np.bincount(pair_row, weights=probs * np.log(probs), minlength=n_rows)
    log_n = np.array([math.log(n) if n > 1 else 1.0 for n in batch.n_tok.tolist()])
    out["word_entropy"] = np.where(batch.n_tok > 1, entropy / log_n, 0.0)
    content = batch.freq[pair_word] < 1e-3
    top = np.zeros(n_rows)
    np.maximum.at(top, pair_row[content], counts[content])
    out["top_content_share"] = top / n
    return out


def _per_text(batch: _Batch) -> dict[str, np.ndarray]:
    """Features computed text by text: character counts, repetition, diversity, compression."""
    rows: list[list[float]] = []
    ids = batch.ids.tolist()
    starts = (np.cumsum(batch.n_tok) - batch.n_tok).tolist()
    for text, sents, lens, start, n_tok in zip(batch.texts, batch.sents, batch.sent_lens, starts,
                                               batch.n_tok.tolist(), strict=True):
        low = ids[start : start + n_tok]
        n = max(n_tok, 1)
        lower_text = text.lower()
        trigrams = Counter(zip(low, low[1:], low[2:], strict=False))
        sent_counts = Counter(s.lower() for s in sents)
        openers, acc = set(), 0
        for length in lens:
            openers.add(low[acc])
            acc += length
        raw = text.encode("utf-8")
        rows.append([
            *(sum(text.count(m) for m in marks) / n for marks in PUNCT.values()),
            window_ttr(low), mtld(low),
            sum(c for c in trigrams.values() if c > 1) / max(n_tok - 2, 1),
            sum(c for c in sent_counts.values() if c > 1) / max(len(sents), 1),
            100 * sum(lower_text.count(p) for p in lexicon.STOCK_PHRASES) / n,
            len(zlib.compress(raw, 6)) / max(len(raw), 1),
            len(openers) / max(len(lens), 1),
        ])
    names = [*(f"punct_{k}" for k in PUNCT), "ttr_window", "mtld", "rep_trigram_rate", "rep_sentence_rate",
             "stock_phrase_rate", "compression_ratio", "sent_opener_diversity"]
    matrix = np.array(rows, dtype=np.float64).reshape(len(batch.texts), len(names))
    return {name: matrix[:, j] for j, name in enumerate(names)}

