"""The hashed trigram LM ranks fluent word order above scrambled text."""

from __future__ import annotations

import numpy as np

from newsproof.detect.data import Corpus
from newsproof.detect.features import frequency_table
from newsproof.detect.ngram import HashedTrigramLM
from newsproof.detect.text import normalise, words


def _logprob(lm: HashedTrigramLM, tokens: list[str]) -> float:
    freq = frequency_table()
    logp, _, _ = lm.token_logprobs(tokens, np.array([freq.get(t.lower(), 0.0) for t in tokens]))
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
