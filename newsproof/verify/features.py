"""Claim-vs-evidence features: lexical overlap, negation/antonym, number and entity mismatch, embeddings."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from wordfreq import zipf_frequency

_TOKEN = re.compile(r"[A-Za-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CAPITAL = re.compile(r"\b[A-Z][a-zA-Z]+(?:\s+[A-Z][a-zA-Z]+)*")

NEGATIONS = frozenset(
    "not no never none nobody nothing neither nor without cannot can't don't doesn't didn't isn't aren't "
    "wasn't weren't won't hasn't haven't hadn't".split()
)
REFUTE_CUES = frozenset(
    "false fake hoax myth debunked incorrect untrue misleading wrong denied deny denies fabricated baseless "
    "unfounded rumor rumour satire however but although despite contrary actually".split()
)
SUPPORT_CUES = frozenset("confirmed confirms indeed true correct accurate verified announced according".split())
NEE_CUES = frozenset("unclear unknown unverified unproven unable could might may possibly".split())
_ANTONYMS = [
    ("increase", "decrease"), ("increased", "decreased"), ("increases", "decreases"), ("rise", "fall"),
    ("rising", "falling"), ("rose", "fell"), ("more", "less"), ("more", "fewer"), ("higher", "lower"),
    ("high", "low"), ("larger", "smaller"), ("up", "down"), ("before", "after"), ("win", "lose"),
    ("won", "lost"), ("approve", "reject"), ("approved", "rejected"), ("allow", "ban"), ("allowed", "banned"),
    ("safe", "dangerous"), ("effective", "ineffective"), ("increase", "reduce"), ("increased", "reduced"),
    ("warming", "cooling"), ("warmer", "cooler"), ("positive", "negative"), ("first", "last"),
    ("accelerating", "slowing"), ("growing", "shrinking"), ("gain", "loss"), ("male", "female"),
    ("men", "women"), ("always", "never"), ("all", "none"), ("support", "oppose"), ("supported", "opposed"),
]
ANTONYMS: dict[str, frozenset[str]] = {}
for _a, _b in _ANTONYMS:
    ANTONYMS[_a] = ANTONYMS.get(_a, frozenset()) | {_b}
    ANTONYMS[_b] = ANTONYMS.get(_b, frozenset()) | {_a}

N_GLOBAL = 15
PAIR_FEATURES: tuple[str, ...] = (
    "cov", "cov_stem", "prec", "bigram", "fuzzy_set", "fuzzy_partial", "num_claim", "num_missing",
    "neg_claim", "neg_passage", "neg_mismatch", "antonym", "ent_cov", "refute_cues", "support_cues",
    "nee_cues", "log_len", "missing_content",
)


@lru_cache(maxsize=65536)
def tokens(text: str) -> tuple[str, ...]:
    """Lower-cased word and number tokens."""
    return tuple(t.lower() for t in _TOKEN.findall(text))


def content(toks: Sequence[str]) -> list[str]:
    """Tokens that are not stop words (negations kept out too: they have their own features)."""
    return [t for t in toks if t not in ENGLISH_STOP_WORDS and t not in NEGATIONS and len(t) > 1]


@lru_cache(maxsize=65536)
def zipf(tok: str) -> float:
    """Word frequency on the Zipf scale (0 = not an English word the lexicon knows)."""
    return zipf_frequency(tok, "en")


def missing_word_features(claim: str, union: str) -> list[float]:
    """Claim content words absent from all evidence: how many, how rare, how many are non-words."""
    present = set(tokens(union))
    stems = {_stem(t) for t in present}
    missing = [t for t in set(content(tokens(claim))) if t not in present and _stem(t) not in stems]
    freqs = [zipf(t) for t in missing] or [8.0]
    return [float(len(missing)), min(freqs), float(np.mean(freqs)), float(sum(f == 0.0 for f in freqs if missing)),
            float(sum(zipf(t) == 0.0 for t in set(content(tokens(claim)))))]


def _stem(tok: str) -> str:
    return tok[:5]


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".0") or "0" for n in _NUMBER.findall(text)}


def _entities(text: str) -> set[str]:
    return {m.group(0).lower() for m in _CAPITAL.finditer(text) if m.start() > 0}


# A claim word at or below this Zipf frequency ("officials" 4.7, "strike" 4.7; not "future" 5.3) can
# tie a passage to the claim.
RELEVANCE_MAX_ZIPF = 5.0


def shares_rare_word(claim: str, passage: str, max_zipf: float = RELEVANCE_MAX_ZIPF) -> bool:
    """Whether `passage` holds one of the claim's rarer content words (same word or 5-letter stem; numbers
    always count). A passage sharing none is not about the claim; a claim of common words only passes."""
    rare = [t for t in set(content(tokens(claim))) if t[0].isdigit() or zipf(t) <= max_zipf]
    if not rare:
        return True
    words = set(tokens(passage))
    stems = {_stem(t) for t in words}
    return any(t in words or _stem(t) in stems for t in rare)


def lexical_overlap(claim: str, passage: str) -> float:
    """Share of the claim's content words found in the passage (the lexical baseline's score)."""
    c = set(content(tokens(claim)))
    return len(c & set(tokens(passage))) / len(c) if c else 0.0


@lru_cache(maxsize=4096)
def pair_features(claim: str, passage: str) -> tuple[float, ...]:
    """Lexical features of one claim-passage pair, in `PAIR_FEATURES` order (cached: a claim's passages
    are scored together and one by one)."""
    ct, pt = tokens(claim), tokens(passage)
    cc, pc = content(ct), content(pt)
    cset, pset, pcset = set(cc), set(pt), set(pc)
    cov = len(cset & pset) / len(cset) if cset else 0.0
    pstems = {_stem(t) for t in pt}
    cov_stem = len({_stem(t) for t in cset} & pstems) / len(cset) if cset else 0.0
    prec = len(pcset & cset) / len(pcset) if pcset else 0.0
    cb, pb = set(zip(ct, ct[1:], strict=False)), set(zip(pt, pt[1:], strict=False))
    bigram = len(cb & pb) / len(cb) if cb else 0.0
    cn, pn = _numbers(claim), _numbers(passage)
    neg_c, neg_p = sum(t in NEGATIONS for t in ct), sum(t in NEGATIONS for t in pt)
    antonym = sum(1 for t in cset if t not in pset and ANTONYMS.get(t, frozenset()) & pset)
    ce = _entities(claim)
    low_passage = passage.lower()
    ent_cov = sum(e in low_passage for e in ce) / len(ce) if ce else 1.0
    n_p = max(len(pt), 1)
    return (
        cov, cov_stem, prec, bigram,
        fuzz.token_set_ratio(claim, passage) / 100.0,
        fuzz.partial_ratio(claim.lower(), low_passage) / 100.0 if len(passage) < 3000 else cov,
        float(len(cn)), float(len(cn - pn)),
        float(neg_c > 0), min(neg_p / n_p * 20, 1.0), float((neg_c > 0) != (neg_p > 0)),
        float(antonym), ent_cov,
        sum(t in REFUTE_CUES for t in pt) / n_p * 10, sum(t in SUPPORT_CUES for t in pt) / n_p * 10,
        sum(t in NEE_CUES for t in pt) / n_p * 10, math.log1p(len(pt)), float(len(cset - pstems - pset)),
    )


N_LEXICAL = 3 * len(PAIR_FEATURES) + N_GLOBAL  # dense columns before the embedding blocks


@dataclass(frozen=True)
class FeatureSpec:
    """Names of the dense claim-level features, for inspection."""

    dim_embedding: int

    @property
    def names(self) -> list[str]:
        """Dense feature names in column order."""
        lex = [f"{agg}_{n}" for agg in ("max", "mean", "min") for n in PAIR_FEATURES]
        glob = ["n_passages", "claim_len", "union_cov", "union_num_missing", "union_ent_cov",
                "sim_max", "sim_mean", "sim_min", "sim_std", "sim_gap", "missing_n", "missing_min_zipf",
                "missing_mean_zipf", "missing_nonwords", "claim_nonwords"]
        emb = [f"{kind}{i}" for kind in ("u", "uv_best", "absdiff_best", "uv_mean") for i in range(self.dim_embedding)]
        return lex + glob + emb


def claim_features(claim: str, passages: Sequence[str], u: np.ndarray, vs: np.ndarray) -> np.ndarray:
    """Dense features of a claim against its passages; `u` and rows of `vs` are L2-normalised embeddings."""
    dim = u.shape[0]
    if not passages:
        pf = np.zeros((1, len(PAIR_FEATURES)), dtype=np.float32)
        sims = np.zeros(1, dtype=np.float32)
        best = mean = np.zeros(dim, dtype=np.float32)
    else:
        pf = np.asarray([pair_features(claim, p) for p in passages], dtype=np.float32)
        sims = vs @ u
        best = vs[int(np.argmax(sims))]
        mean = vs.mean(axis=0)
    union = " ".join(passages)
    ordered = np.sort(sims)[::-1]
    glob = [
        float(len(passages)), math.log1p(len(tokens(claim))), lexical_overlap(claim, union),
        float(len(_numbers(claim) - _numbers(union))),
        sum(e in union.lower() for e in _entities(claim)) / max(len(_entities(claim)), 1),
        float(ordered[0]), float(sims.mean()), float(ordered[-1]), float(sims.std()),
        float(ordered[0] - ordered[1]) if len(ordered) > 1 else 0.0,
        *missing_word_features(claim, union),
    ]
    return np.concatenate([
        pf.max(axis=0), pf.mean(axis=0), pf.min(axis=0), np.asarray(glob, dtype=np.float32),
        u, u * best, np.abs(u - best), u * mean,
    ]).astype(np.float32)
