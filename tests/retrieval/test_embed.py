"""Embedder backends: the shipped static table and ONNX model, and the reference sentence-transformers model."""

from __future__ import annotations

import numpy as np
import pytest

from newsproof.encoders import ONNX_MODEL
from newsproof.errors import ConfigError
from newsproof.evidence.embed import DEFAULT_EMBEDDER, EMBEDDERS, STATIC_TABLE, get_embedder

CLAIM = "Global warming is driving polar bears toward extinction"
RELATED = "Rising global temperatures, caused by the greenhouse effect, endanger species such as the polar bear."
UNRELATED = "The central bank raised interest rates by half a point to curb inflation."
PARAPHRASE = "Climate change is pushing polar bears to the brink of dying out."


@pytest.fixture(scope="module", params=["minilm-static", "minilm-onnx"])
def shipped(request: pytest.FixtureRequest):
    embedder = get_embedder(request.param)
    embedder.warm_up()
    return embedder


def test_shipped_files_are_small() -> None:
    assert STATIC_TABLE.stat().st_size <= 16_000_000
    assert ONNX_MODEL.stat().st_size <= 25_000_000


def test_vectors_are_normalised_float32(shipped) -> None:
    vectors = shipped.encode([CLAIM, RELATED, UNRELATED])
    assert vectors.dtype == np.float32 and vectors.shape == (3, shipped.dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_related_text_is_closer(shipped) -> None:
    claim, related, unrelated, paraphrase = shipped.encode([CLAIM, RELATED, UNRELATED, PARAPHRASE])
    assert claim @ related > claim @ unrelated + 0.15
    assert claim @ paraphrase > claim @ unrelated + 0.15


def test_batching_does_not_change_vectors(shipped) -> None:
    texts = [CLAIM, RELATED * 3, UNRELATED, "", "short"]
    together = shipped.encode(texts, batch_size=64)
    one_by_one = np.vstack([shipped.encode([t], batch_size=1) for t in texts])
    # int8 dynamic quantisation scales activations per batch, so the ONNX vectors move very slightly
    assert np.all(np.sum(together * one_by_one, axis=1)[[0, 1, 2, 4]] > 0.98)
    assert not together[3].any() or shipped.name == "minilm-onnx"  # empty text: zero vector (static)


def test_onnx_matches_sentence_transformers() -> None:
    pytest.importorskip("sentence_transformers")
    texts = [CLAIM, RELATED, UNRELATED, PARAPHRASE]
    reference = get_embedder("minilm-st").encode(texts)
    onnx = get_embedder("minilm-onnx").encode(texts)
    assert np.all(np.sum(reference * onnx, axis=1) > 0.97)


def test_registry_and_errors() -> None:
    assert set(EMBEDDERS) == {"minilm-static", "minilm-onnx", "minilm-st"}
    assert get_embedder().name == DEFAULT_EMBEDDER
    assert get_embedder("").name == DEFAULT_EMBEDDER
    with pytest.raises(ConfigError, match="minilm-onnx"):
        get_embedder("word2vec")
