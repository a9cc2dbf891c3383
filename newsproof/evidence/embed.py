"""Sentence embedders for dense retrieval, registered by name.

All backends produce float32, L2-normalised vectors from the all-MiniLM-L6-v2 model family:

* ``minilm-onnx`` (default): an int8 ONNX Runtime export of MiniLM (``scripts/export_onnx.py``),
  mean pooling; ~0.99 cosine to the original.
* ``minilm-static``: a static token table distilled from MiniLM (model2vec-style: every vocabulary
  token embedded by MiniLM, PCA-reduced, frequency-weighted; see ``scripts/distill_static.py``);
  inference is tokenise + weighted mean in numpy: ~100x faster, weaker.
* ``minilm-st``: the original model through sentence-transformers (``newsproof[torch]``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import numpy as np

from newsproof.encoders import (
    ONNX_MODEL,
    mean_pooled_states,
    minilm_dir,
    plain_tokenizer,
    session_tokenizer_json,
)
from newsproof.errors import Errors, ModelError
from newsproof.registry import Registry

DEFAULT_EMBEDDER = "minilm-onnx"
EVIDENCE_DIR = Path(__file__).resolve().parent
STATIC_TABLE = EVIDENCE_DIR / "minilm_static.npz"
MAX_TOKENS = 128  # transformer input limit: the length MiniLM was trained with (2x faster than 256)
STATIC_MAX_TOKENS = 512  # the static model reads further: it is cheap


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of a fixed dimension."""

    name: str
    dim: int

    def warm_up(self) -> None: ...

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray: ...


def normalise(matrix: np.ndarray) -> np.ndarray:
    """Row-wise L2 normalisation (zero rows stay zero), as float32."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


def _require(path: Path, rebuild: str) -> Path:
    if not path.is_file():
        raise ModelError(Errors.E401.format(path=path, rebuild=rebuild))
    return path


class StaticEmbedder:
    """Distilled static token table: weighted mean of token vectors, numpy only."""

    name = "minilm-static"

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or STATIC_TABLE
        self.dim = 0
        self.table_: np.ndarray | None = None
        self.tokenizer_ = None
        if self.path.is_file():
            with np.load(self.path) as data:
                self.dim = int(data["embeddings"].shape[1])

    def warm_up(self) -> None:
        """Load the table and its tokenizer (idempotent)."""
        if self.table_ is not None:
            return
        with np.load(_require(self.path, "python scripts/distill_static.py")) as data:
            self.table_ = data["embeddings"].astype(np.float32)
            definition = bytes(data["tokenizer"]).decode("utf-8")
        self.dim = int(self.table_.shape[1])
        self.tokenizer_ = plain_tokenizer(definition)

    def encode(self, texts: list[str], batch_size: int = 1024) -> np.ndarray:
        """Mean of the (already frequency-weighted) token vectors of each text."""
        self.warm_up()
        assert self.table_ is not None and self.tokenizer_ is not None
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            encodings = self.tokenizer_.encode_batch(texts[start : start + batch_size], add_special_tokens=False)
            ids = [np.asarray(e.ids[:STATIC_MAX_TOKENS], dtype=np.int64) for e in encodings]
            lengths = np.fromiter((len(i) for i in ids), dtype=np.int64, count=len(ids))
            nonempty = np.flatnonzero(lengths)
            if not len(nonempty):
                continue
            offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))[nonempty]
            out[start + nonempty] = np.add.reduceat(self.table_[np.concatenate(ids)], offsets, axis=0)
        return normalise(out)


class OnnxEmbedder:
    """MiniLM exported to ONNX (int8) run with ONNX Runtime; mean pooling over tokens."""

    name = "minilm-onnx"
    dim = 384

    def __init__(self, path: Path | None = None, threads: int | None = None) -> None:
        self.path = path or ONNX_MODEL
        self.threads = threads
        self.session_ = None
        self.tokenizer_ = None

    def warm_up(self) -> None:
        """Open the ONNX session and tokenizer (idempotent)."""
        if self.session_ is not None:
            return
        try:
            import onnxruntime as ort
        except ImportError as exc:
            raise ModelError("onnxruntime is not installed; pip install onnxruntime") from exc
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # idle threads sleep, not spin
        if self.threads:
            options.intra_op_num_threads = self.threads
        model = _require(self.path, "python scripts/export_onnx.py")
        self.session_ = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_str(session_tokenizer_json(self.session_))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.enable_padding()
        self.tokenizer_ = tokenizer

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Run the transformer in length-sorted batches and mean-pool the token states."""
        self.warm_up()
        assert self.session_ is not None and self.tokenizer_ is not None
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")
        for start in range(0, len(texts), batch_size):
            idx = order[start : start + batch_size]
            encodings = self.tokenizer_.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            out[idx] = mean_pooled_states(self.session_, ids, mask)
        return normalise(out)


class SentenceTransformerEmbedder:
    """The reference MiniLM through sentence-transformers (needs the torch extra)."""

    name = "minilm-st"
    dim = 384

    def __init__(self, device: str = "cpu") -> None:
        self.device = device
        self.model_ = None

    def warm_up(self) -> None:
        """Load the packaged model offline (idempotent)."""
        if self.model_ is not None:
            return
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelError("sentence-transformers is missing; pip install 'newsproof[torch]'") from exc
        self.model_ = SentenceTransformer(str(minilm_dir()), device=self.device)
        self.model_.max_seq_length = MAX_TOKENS

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Encode with the model's own mean pooling and normalisation."""
        self.warm_up()
        assert self.model_ is not None
        vectors = self.model_.encode(texts, batch_size=batch_size, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)


EMBEDDERS: Registry[Embedder] = Registry("embedder")
EMBEDDERS.register("minilm-static", StaticEmbedder)
EMBEDDERS.register("minilm-onnx", OnnxEmbedder)
EMBEDDERS.register("minilm-st", SentenceTransformerEmbedder)


def get_embedder(name: str | None = None) -> Embedder:
    """Embedder by name (the `embedder` key of [verify] or [update]); None or "" gives the default (``minilm-onnx``)."""
    return EMBEDDERS.get(name or DEFAULT_EMBEDDER)
