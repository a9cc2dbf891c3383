"""The hashed trigram LM ranks fluent word order above scrambled text."""

from __future__ import annotations

import numpy as np

from newsproof.detect.features import frequency_table
from newsproof.detect.ngram import HashedTrigramLM, token_hashes
from newsproof.detect.text import normalise, words
from newsproof.detect.train.data import Corpus


def _logprob(lm: HashedTrigramLM, tokens: list[str]) -> float:
    freq = frequency_table()
    logp, _, _ = lm.token_logprobs(token_hashes(tokens), np.array([freq.get(t.lower(), 0.0) for t in tokens]))
    return float(logp.mean())


def test_trigram_lm_prefers_human_word_order(dev: Corpus) -> None:
    human = [words(normalise(t)) for t, y in zip(dev.texts, dev.labels, strict=True) if y == 0]
    lm = HashedTrigramLM.train(human[:100])
    held_out = [t for t in human[100:130] if len(t) > 50]
    rng = np.random.default_rng(0)
    fluent = np.mean([_logprob(lm, t) for t in held_out])
    scrambled = np.mean([_logprob(lm, list(rng.permutation(t))) for t in held_out])
    assert fluent > scrambled + 0.3
    seen = human[0][:40]
    assert _logprob(lm, seen) > fluent  # text it was trained on is most probable
    assert lm.nbytes() < 2_000_000


def test_likelihood_ratio_features_lean_towards_the_matching_class(dev: Corpus) -> None:
    from newsproof.detect.features import FEATURE_NAMES, FeatureExtractor

    by_class = [[t for t, y in zip(dev.texts, dev.labels, strict=True) if y == label] for label in (0, 1)]
    human_lm, machine_lm = (HashedTrigramLM.train(words(normalise(t)) for t in texts[:100]) for texts in by_class)
    extractor = FeatureExtractor(human_lm, machine_lm)
    col = FEATURE_NAMES.index("llr_mean")
    human_llr, machine_llr = (extractor.transform(texts[100:130])[:, col] for texts in by_class)
    assert machine_llr.mean() > human_llr.mean() + 0.2
    assert np.isfinite(extractor.transform(["Too short."])).all()  # under three tokens: neutral values
