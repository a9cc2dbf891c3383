"""Batched feature extraction equals the per-text reference; the window member reads the same tokens from a
text's head as from the whole text."""

from __future__ import annotations

import numpy as np
import pytest

from newsproof.detect.base import paragraph_contexts
from newsproof.detect.features import FEATURE_NAMES, FeatureExtractor
from newsproof.detect.ngram import HashedTrigramLM
from newsproof.detect.text import normalise, paragraphs, words
from newsproof.detect.train.data import Corpus

HUMAN = (
    "The council voted on Tuesday to close the bridge. Officials said repairs would take two years. "
    "Residents, who were not consulted, called it a blow. \"We found out from the paper,\" one said."
)
MACHINE = (
    "It is important to note that the decision plays a crucial role. Moreover, the community continues to "
    "navigate the landscape. In conclusion, the bridge serves as a reminder that infrastructure matters."
)
EDGE_CASES = [
    "",
    "   \n\n  ",
    "!!! ... ???",
    "Hello",
    "Hello world",
    "Three words here",
    "Just four words here.",
    "One sentence only, with a few more words than that, about the bridge.",
    "Hello world. The first sentence had two words. Yes. Then one.",  # sentence ends at and before the context
    "no sentence punctuation at all just lower case words that run on and on about the bridge and the council "
    "and the vote and the repairs and the residents and the paper and the officials and the years ahead of them",
    "THE COUNCIL SAID NO. It’s 3.5 million, or 2,000 per head; don't panic! Really? Yes... (maybe) — or not.",
    "It is important to note this. It is important to note this. It is important to note this.",
    "First paragraph ends here\n\nsecond one starts in lower case\nThird line. Fourth sentence here.",
    HUMAN + "\n\n" + MACHINE,
    " ".join([HUMAN, MACHINE] * 4),  # several LLR chunks of unequal sizes
]


def _extractor(human: list[str], machine: list[str]) -> FeatureExtractor:
    train = [[words(normalise(t)) for t in texts] for texts in (human, machine)]
    return FeatureExtractor(HashedTrigramLM.train(train[0]), HashedTrigramLM.train(train[1]))


def _assert_batch_matches_reference(extractor: FeatureExtractor, texts: list[str]) -> None:
    batched = extractor.transform(texts)
    reference = np.array([extractor.extract(t) for t in texts], dtype=np.float64).reshape(len(texts), len(FEATURE_NAMES))
    assert batched.shape == reference.shape and batched.dtype == np.float64
    assert np.isfinite(batched).all()
    diff = np.abs(batched - reference)
    worst = np.unravel_index(diff.argmax(), diff.shape) if diff.size else None
    assert diff.max(initial=0.0) <= 1e-9, (FEATURE_NAMES[worst[1]], texts[worst[0]][:80]) if worst else None


def test_edge_cases_match_the_reference_alone_and_in_a_batch() -> None:
    extractor = _extractor([HUMAN, EDGE_CASES[10]], [MACHINE, EDGE_CASES[11]])
    for text in EDGE_CASES:
        _assert_batch_matches_reference(extractor, [text])
    _assert_batch_matches_reference(extractor, EDGE_CASES)
    _assert_batch_matches_reference(extractor, EDGE_CASES[::-1])  # empty rows last, between, first
    assert extractor.transform([]).shape == (0, len(FEATURE_NAMES))


def test_extract_is_transform_of_one_text() -> None:
    extractor = _extractor([HUMAN], [MACHINE])
    for text in (HUMAN, "", "Too short."):
        assert np.allclose(extractor.transform([text])[0], extractor.extract(text), rtol=0, atol=1e-9)


def test_article_and_paragraph_rows_match_the_reference(dev: Corpus) -> None:
    """The rows `FeatureDetector.score` builds (article, then paragraph groups), on real dev texts."""
    human = [t for t, y in zip(dev.texts, dev.labels, strict=True) if y == 0]
    machine = [t for t, y in zip(dev.texts, dev.labels, strict=True) if y == 1]
    extractor = _extractor(human[:150], machine[:150])
    rng = np.random.default_rng(0)
    for _ in range(6):
        picked = [dev.texts[i] for i in rng.choice(len(dev.texts), 8, replace=False)]
        paras = [p for t in picked for p in paragraphs(t)]
        rows = ["\n\n".join(paras), *("\n".join(paras[lo:hi]) for lo, hi in paragraph_contexts(paras))]
        _assert_batch_matches_reference(extractor, rows)
    # many texts at once (more than one internal batch), seen and unseen by the models
    _assert_batch_matches_reference(extractor, [*human[140:300], *machine[140:300]])


def test_window_head_encoding_matches_the_whole_text(dev: Corpus) -> None:
    from newsproof.detect.windows import WINDOW_TOKENS, encode_head
    from newsproof.encoders import ONNX_MODEL, plain_tokenizer, session_tokenizer_json

    if not ONNX_MODEL.is_file():
        pytest.skip("the int8 MiniLM encoder is not built")
    import onnxruntime as ort

    tokenizer = plain_tokenizer(session_tokenizer_json(ort.InferenceSession(str(ONNX_MODEL),
                                                                            providers=["CPUExecutionProvider"])))
    texts = [*dev.texts[:300], "\n\n".join(dev.texts[:12]), "x" * 5000, "é\u0301 " * 1200, "[MASK] " * 600,
             "\u4e2d\u6587" * 900 + " tail", *EDGE_CASES]
    for tokens in (WINDOW_TOKENS, 2 * WINDOW_TOKENS):
        for text, head in zip(texts, encode_head(tokenizer, texts, tokens), strict=True):
            full = tokenizer.encode(text, add_special_tokens=False)
            assert head.ids[:tokens] == full.ids[:tokens]
            assert head.offsets[:tokens] == full.offsets[:tokens]
