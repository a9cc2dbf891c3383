"""Seeded, deterministic evasion attacks on a text (RAID-style edits, Dugan et al., ACL 2024).

Each attack is a function (text, rng) -> text; `attack(name, text, seed)` seeds its random generator from
the attack name, the seed and a CRC of the text, so the same call always gives the same text, in any
process. Rates follow RAID's defaults where it has the attack, and the issue's homoglyph figure (20 %).
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from newsproof.detect.lexicon import FUNCTION_WORDS
from newsproof.errors import ConfigError, Errors

Attack = Callable[[str, random.Random], str]

HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "c": "с", "p": "р", "x": "х", "i": "і", "y": "у"}  # Latin -> Cyrillic
ZERO_WIDTH = "\u200b"
_WORD_RE = re.compile(r"[A-Za-z]+")
_ARTICLE_RE = re.compile(r"\b(?:a|an|the|A|An|The) ")
_NUMBER_RE = re.compile(r"\d+")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"'”’)]* +(?=[\"'“‘(]?[A-Z])")
SYNONYM_MIN_SIMILARITY = 0.55


def homoglyph(text: str, rng: random.Random, rate: float = 0.2) -> str:
    """Replace `rate` of the letters a, e, o, c, p, x, i, y by their Cyrillic look-alikes."""
    return "".join(HOMOGLYPHS[ch] if ch in HOMOGLYPHS and rng.random() < rate else ch for ch in text)


def zero_width(text: str, rng: random.Random, rate: float = 0.2) -> str:
    """Insert a zero-width space after `rate` of the letters that are followed by another letter."""
    out = []
    for i, ch in enumerate(text):
        out.append(ch)
        if ch.isalpha() and i + 1 < len(text) and text[i + 1].isalpha() and rng.random() < rate:
            out.append(ZERO_WIDTH)
    return "".join(out)


def whitespace(text: str, rng: random.Random, rate: float = 0.2) -> str:
    """Turn `rate` of the spaces between words into doubled or non-breaking spaces."""
    return re.sub(" ", lambda m: rng.choice(("  ", "\u00a0", " \u2009")) if rng.random() < rate else " ", text)


def misspelling(text: str, rng: random.Random, rate: float = 0.1) -> str:
    """Give `rate` of the words of 4+ letters one typo: two inner letters swapped, one dropped or doubled."""

    def typo(m: re.Match[str]) -> str:
        w = m.group(0)
        if len(w) < 4 or rng.random() >= rate:
            return w
        i, kind = rng.randrange(1, len(w) - 2), rng.randrange(3)
        if kind == 0:
            return w[:i] + w[i + 1] + w[i] + w[i + 2 :]
        return w[:i] + w[i + 1 :] if kind == 1 else w[:i] + w[i] + w[i:]

    return _WORD_RE.sub(typo, text)


def article_deletion(text: str, rng: random.Random, rate: float = 0.5) -> str:
    """Delete `rate` of the articles a, an, the."""
    return _ARTICLE_RE.sub(lambda m: "" if rng.random() < rate else m.group(0), text)


def case_flip(text: str, rng: random.Random, rate: float = 0.05) -> str:
    """Flip the case of `rate` of the letters."""
    return "".join(ch.swapcase() if ch.isalpha() and rng.random() < rate else ch for ch in text)


def paragraph_insertion(text: str, rng: random.Random, rate: float = 0.25) -> str:
    """Start a new paragraph at `rate` of the sentence boundaries."""
    return _SENTENCE_END_RE.sub(lambda m: "\n\n" if rng.random() < rate else m.group(0), text)


def number_swap(text: str, rng: random.Random, rate: float = 0.5) -> str:
    """Replace each digit of `rate` of the numbers by a random digit (no leading zero)."""

    def swap(m: re.Match[str]) -> str:
        if rng.random() >= rate:
            return m.group(0)
        digits = [str(rng.randrange(10)) for _ in m.group(0)]
        if digits[0] == "0" and len(digits) > 1:
            digits[0] = str(rng.randrange(1, 10))
        return "".join(digits)

    return _NUMBER_RE.sub(swap, text)


@lru_cache(maxsize=1)
def _synonym_space() -> tuple[list[str], dict[str, int], np.ndarray]:
    """Common English words of the MiniLM vocabulary with their unit vectors from the shipped static table."""
    import wordfreq
    from tokenizers import Tokenizer

    from newsproof.evidence.embed import STATIC_TABLE

    with np.load(STATIC_TABLE) as data:
        table, tokenizer = data["embeddings"].astype(np.float32), Tokenizer.from_str(bytes(data["tokenizer"]).decode())
    vocab = sorted((w, i) for w, i in tokenizer.get_vocab().items()
                   if w.isalpha() and w.islower() and len(w) >= 3 and wordfreq.zipf_frequency(w, "en") >= 3.0)
    vectors = table[[i for _, i in vocab]]
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    names = [w for w, _ in vocab]
    return names, {w: k for k, w in enumerate(names)}, vectors


@lru_cache(maxsize=50_000)
def synonym(word: str) -> str | None:
    """The nearest common word to `word` in the static MiniLM space that is not a form of it, or None."""
    names, index, vectors = _synonym_space()
    if word not in index:
        return None
    sims = vectors @ vectors[index[word]]
    for k in np.argsort(-sims)[1:12]:
        other = names[k]
        if sims[k] < SYNONYM_MIN_SIMILARITY:
            break
        if other[:3] != word[:3] and word not in other and other not in word:
            return other
    return None


def synonym_swap(text: str, rng: random.Random, rate: float = 0.2) -> str:
    """Replace `rate` of the lower-case content words (4+ letters) by a near-synonym (static MiniLM vectors)."""
    skip = set(FUNCTION_WORDS)

    def swap(m: re.Match[str]) -> str:
        w = m.group(0)
        if len(w) < 4 or not w.islower() or w in skip or rng.random() >= rate:
            return w
        return synonym(w) or w

    return _WORD_RE.sub(swap, text)


def sentence_reorder(text: str, rng: random.Random) -> str:
    """Shuffle the sentences within each paragraph."""
    out = []
    for para in text.split("\n"):
        parts = _SENTENCE_END_RE.split(para)
        if len(parts) > 1:
            rng.shuffle(parts)
        out.append(" ".join(p.strip() for p in parts))
    return "\n".join(out)


ATTACKS: dict[str, Attack] = {
    "homoglyph": homoglyph,
    "zero-width": zero_width,
    "whitespace": whitespace,
    "misspelling": misspelling,
    "article-deletion": article_deletion,
    "case-flip": case_flip,
    "paragraph-insertion": paragraph_insertion,
    "number-swap": number_swap,
    "synonym-swap": synonym_swap,
    "sentence-reorder": sentence_reorder,
}


def parse_attacks(spec: str) -> list[str]:
    """Attack names from 'all' or a comma-separated list; ConfigError on an unknown name."""
    names = list(ATTACKS) if spec.strip() == "all" else [s.strip() for s in spec.split(",") if s.strip()]
    for name in names:
        if name not in ATTACKS:
            raise ConfigError(Errors.E301.format(value=name, name="--attacks", choices=", ".join(["all", *ATTACKS])))
    return names


def attack(name: str, text: str, seed: int = 0) -> str:
    """`text` under attack `name`, deterministic in (name, seed, text)."""
    rng = random.Random(zlib.crc32(f"{name}:{seed}:".encode() + text.encode("utf-8")))
    return ATTACKS[name](text, rng)
