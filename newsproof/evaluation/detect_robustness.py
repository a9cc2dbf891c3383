"""Detector robustness on a labelled split: evasion attacks, truncated (short) texts, mixed authorship.

- attacks: every text under each attack; per attack, attacked machine texts against clean human texts and
  against equally attacked human texts (AUROC, TPR at 1 % FPR);
- max words: every text cut to its first N words;
- mixed: human articles (split into paragraphs of whole sentences) with 1-3 machine paragraphs spliced
  in; each paragraph's score is the detector's `score()` paragraph score, the same mixed model as the
  article score, one score per displayed paragraph.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import numpy as np

from newsproof.detect.base import Detector
from newsproof.detect.metrics import binary_metrics
from newsproof.detect.text import WORD_RE, sentence_paragraphs
from newsproof.detect.train.attacks import attack
from newsproof.detect.train.data import Corpus
from newsproof.errors import InputError, ModelError

MIXED_PARAGRAPH_WORDS = 30  # sentences are grouped into paragraphs of at least this many words
MIXED_MIN_PARAGRAPHS = 3
Progress = Callable[[str], None]


def _rank(y: np.ndarray, p: np.ndarray) -> dict[str, Any]:
    m = binary_metrics(y, p)
    return {k: m[k] for k in ("n", "n_machine", "auroc", "tpr_at_1pct_fpr")}


def attack_metrics(detector: Detector, corpus: Corpus, names: list[str], clean: np.ndarray | None = None,
                   seed: int = 0, progress: Progress | None = None) -> dict[str, dict[str, Any]]:
    """Per attack: {"vs_clean_human": metrics, "vs_attacked_human": metrics}; 'clean' is the unattacked row."""
    y, human = corpus.labels, corpus.labels == 0
    clean = detector.probabilities(corpus.texts) if clean is None else clean
    out = {"clean": {"vs_clean_human": _rank(y, clean), "vs_attacked_human": _rank(y, clean)}}
    for name in names:
        if progress:
            progress(name)
        attacked = detector.probabilities([attack(name, t, seed) for t in corpus.texts])
        out[name] = {"vs_clean_human": _rank(y, np.where(human, clean, attacked)),
                     "vs_attacked_human": _rank(y, attacked)}
    return out


def truncate(text: str, max_words: int) -> str:
    """The text up to the end of its `max_words`-th word (layout kept)."""
    for i, m in enumerate(WORD_RE.finditer(text), start=1):
        if i == max_words:
            return text[: m.end()]
    return text


def truncation_metrics(detector: Detector, corpus: Corpus, limits: list[int]) -> dict[str, dict[str, Any]]:
    """Metrics on every text cut to its first N words, per N."""
    return {str(n): _rank(corpus.labels, detector.probabilities([truncate(t, n) for t in corpus.texts]))
            for n in limits}


def mixed_articles(corpus: Corpus, seed: int = 0) -> list[tuple[str, list[int]]]:
    """Human texts of MIXED_MIN_PARAGRAPHS+ sentence paragraphs, each with 1-3 machine paragraphs spliced in at
    random places: (article with one paragraph per line pair, label per paragraph: 1 = machine)."""
    return [(text, [int(g is not None) for g in sources]) for text, sources in _spliced(corpus, seed)]


def _spliced(corpus: Corpus, seed: int) -> list[tuple[str, list[str | None]]]:
    """`mixed_articles` with each paragraph's generator (None: the human host's own paragraph)."""
    rng = random.Random(seed)
    human = [t for t, y in zip(corpus.texts, corpus.labels, strict=True) if y == 0]
    # machine paragraphs: not a text's first one (XSum generations continue the human article's opening)
    pool = [(p, g or "unknown") for t, y, g in zip(corpus.texts, corpus.labels, corpus.generators, strict=True) if y == 1
            for p in sentence_paragraphs(t, MIXED_PARAGRAPH_WORDS)[1:]]
    rng.shuffle(pool)
    out = []
    for text in human:
        paras = sentence_paragraphs(text, MIXED_PARAGRAPH_WORDS)
        if len(paras) < MIXED_MIN_PARAGRAPHS or not pool:
            continue
        sources: list[str | None] = [None] * len(paras)
        for _ in range(rng.randint(1, 3)):
            at = rng.randint(0, len(paras))
            para, generator = pool.pop()
            paras.insert(at, para)
            sources.insert(at, generator)
        out.append(("\n\n".join(paras), sources))
    return out


def mixed_metrics(detector: Detector, corpus: Corpus, seed: int = 0, limit: int | None = None) -> dict[str, Any]:
    """Paragraph-level metrics from `score()` on mixed articles (overall, and per generator: its paragraphs
    against every human paragraph), and the article score of mixed articles against the same human articles
    unspliced."""
    articles = _spliced(corpus, seed)[:limit]
    para_y, para_p, para_gen, art_p, pure_p = [], [], [], [], []
    for text, sources in articles:
        labels = [int(g is not None) for g in sources]
        human_only = "\n\n".join(p for p, y in zip(text.split("\n\n"), labels, strict=True) if y == 0)
        try:
            res, pure = detector.score(text), detector.score(human_only)
        except InputError:  # a few dev texts are scraped junk that the language check refuses
            continue
        if len(res.paragraph_scores) != len(labels):
            raise ModelError(f"{detector.name} returned {len(res.paragraph_scores)} paragraph scores for "
                             f"{len(labels)} paragraphs")
        para_y += labels
        para_p += res.paragraph_scores
        para_gen += sources
        art_p.append(res.probability)
        pure_p.append(pure.probability)
    y, p = np.array(para_y), np.array(para_p)
    article = np.array([1] * len(art_p) + [0] * len(pure_p))
    per_generator = {}
    for generator in sorted({g for g in para_gen if g is not None}):
        keep = np.array([g is None or g == generator for g in para_gen])
        per_generator[generator] = _rank(y[keep], p[keep])
    return {
        "n_articles": len(art_p), "n_paragraphs": len(y), "n_machine_paragraphs": int(y.sum()),
        "paragraph": _rank(y, p), "paragraph_per_generator": per_generator,
        "article_mixed_vs_human": _rank(article, np.array(art_p + pure_p, dtype=float)),
    }
