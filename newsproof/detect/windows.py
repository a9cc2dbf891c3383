"""The fine-tuned MiniLM window member of the detector, run on CPU without torch.

The member is low-rank (LoRA) updates of the linear layers of the MiniLM encoder that already ships for
retrieval (`newsproof/evidence/minilm_int8.onnx`), plus a linear head on mean-pooled token states. At load
the updates are merged into that int8 graph's weights (dequantise, add, re-quantise), so the detector
artifact carries only the ~1 MB of updates and the member runs as fast as the plain encoder.

Texts are read in windows of WINDOW_TOKENS tokens. Training reads a random one of an article's first
TRAIN_WINDOWS windows per step; scoring averages the log-odds of the first `WindowMember.windows` (one
by default: mixed with the feature stack it does as well as two, measured, at half the CPU).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsproof.encoders import (
    ONNX_MODEL,
    mean_pooled_states,
    plain_tokenizer,
    session_tokenizer_json,
)
from newsproof.errors import ModelError

TRAIN_WINDOWS, SCORE_WINDOWS, WINDOW_TOKENS = 2, 1, 126
_CHARS_PER_TOKEN = 8  # prefix read per token needed (news English averages ~5 characters a token)
SIGNAL = "minilm_window_classifier"
DESCRIPTION = "fine-tuned MiniLM classifier over the article's opening (126 tokens), log-odds"


@dataclass
class WindowMember:
    """Trained weights of the window classifier: LoRA factors per linear layer and the pooled-state head.

    `updates` maps a linear layer's module path (e.g. ``encoder.layer.0.attention.self.query``) to
    (down, up): float16 matrices of shape (in, rank) and (rank, out) whose product, scaling included,
    is the layer's weight update.
    """

    updates: dict[str, tuple[np.ndarray, np.ndarray]]
    head_weight: np.ndarray
    head_bias: float
    windows: int = SCORE_WINDOWS


def _onnx_prefix(module_path: str) -> str:
    """ONNX node-name fragment of a module path: ``encoder.layer.0.attention`` -> ``encoder/layer.0/attention``."""
    return re.sub(r"layer/(\d+)", r"layer.\1", module_path.replace(".", "/"))


def merge_updates(model_bytes: bytes, updates: dict[str, tuple[np.ndarray, np.ndarray]]) -> bytes:
    """The dynamic-int8 ONNX encoder with each update merged into its layer's weights.

    Each weight matrix is dequantised (per output column), the update down·up added, and the sum
    re-quantised symmetrically per column, as the original export did: the graph and its speed stay the
    same. Raises ModelError when a layer cannot be found in the graph.
    """
    import onnx
    from onnx import numpy_helper

    proto = onnx.load_from_string(model_bytes)
    initializers = {i.name: i for i in proto.graph.initializer}
    matmuls = {n.name: n for n in proto.graph.node if n.op_type == "MatMulInteger"}
    for module, (down, up) in sorted(updates.items()):
        stem = _onnx_prefix(module)
        node = next((n for name, n in matmuls.items() if name.endswith(f"{stem}/MatMul_quant")), None)
        if node is None or node.input[1] not in initializers:
            raise ModelError(f"the ONNX encoder has no dynamic-int8 linear layer for {module}")
        weight, zero_point = initializers[node.input[1]], initializers[node.input[3]]
        scale = initializers[node.input[1].removesuffix("_quantized") + "_scale"]
        matrix = (numpy_helper.to_array(weight).astype(np.float32) - numpy_helper.to_array(zero_point)) \
            * numpy_helper.to_array(scale)
        matrix += down.astype(np.float32) @ up.astype(np.float32)
        new_scale = np.maximum(np.abs(matrix).max(axis=0), 1e-12) / 127
        quantised = np.clip(np.round(matrix / new_scale), -127, 127).astype(np.int8)
        weight.CopyFrom(numpy_helper.from_array(quantised, weight.name))
        scale.CopyFrom(numpy_helper.from_array(new_scale.astype(np.float32), scale.name))
        zero_point.CopyFrom(numpy_helper.from_array(np.zeros_like(numpy_helper.to_array(zero_point)), zero_point.name))
    return proto.SerializeToString()


def _head(text: str, tokens: int) -> str:
    """A prefix of `text` cut at whitespace that likely holds its first `tokens` tokens (the text if short).

    The encoder's tokenizer (BERT: per-character normalisation, words split at whitespace, no added token
    strips whitespace) encodes such a prefix to a prefix of the text's tokens, same ids and offsets; a caller
    that gets fewer than `tokens` tokens from it encodes the whole text instead.
    """
    limit = tokens * _CHARS_PER_TOKEN
    if len(text) <= limit:
        return text
    cut = max(text.rfind(" ", 0, limit), text.rfind("\n", 0, limit))
    return text[:cut] if cut > 0 else text


def encode_head(tokenizer, texts: list[str], tokens: int) -> list:  # type: ignore[no-untyped-def]
    """Encodings (no special tokens) whose first `tokens` tokens are those of each text's full encoding, read
    from a prefix of the text where one holds them (the whole text is needed only for the first windows)."""
    heads = [_head(t, tokens) for t in texts]
    out = tokenizer.encode_batch(heads, add_special_tokens=False)
    for i, (text, head) in enumerate(zip(texts, heads, strict=True)):
        if len(head) < len(text) and len(out[i].ids) < tokens:
            out[i] = tokenizer.encode(text, add_special_tokens=False)
    return out


def window_ids(tokenizer, texts: list[str], windows: int) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Token ids of each text's first `windows` windows with [CLS]/[SEP], zero-padded:
    (texts, windows, WINDOW_TOKENS + 2); a text too short for a window leaves it all zeros."""
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    ids = np.zeros((len(texts), windows, WINDOW_TOKENS + 2), dtype=np.int64)
    for i, encoding in enumerate(encode_head(tokenizer, texts, windows * WINDOW_TOKENS)):
        pieces = encoding.ids
        for j in range(windows):
            chunk = pieces[j * WINDOW_TOKENS : (j + 1) * WINDOW_TOKENS]
            if chunk or j == 0:
                seq = [cls, *chunk, sep]
                ids[i, j, : len(seq)] = seq
    return ids


class WindowScorer:
    """Runs a WindowMember on the shipped int8 encoder with ONNX Runtime (one thread by default)."""

    def __init__(self, member: WindowMember, encoder: Path | None = None, threads: int = 1) -> None:
        self.member, self.encoder, self.threads = member, encoder, threads
        self.session_ = None
        self.tokenizer_ = None

    def warm_up(self) -> None:
        """Patch the encoder with the updates and open it (idempotent)."""
        if self.session_ is not None:
            return
        import onnxruntime as ort

        path = self.encoder or ONNX_MODEL
        if not path.is_file():
            raise ModelError(f"the MiniLM encoder {path} is missing; rebuild it with `python scripts/export_onnx.py`")
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        self.session_ = ort.InferenceSession(merge_updates(path.read_bytes(), self.member.updates), options,
                                             providers=["CPUExecutionProvider"])
        self.tokenizer_ = plain_tokenizer(session_tokenizer_json(self.session_))

    def logits(self, texts: list[str]) -> np.ndarray:
        """Log-odds of 'machine' per text: the mean over its non-empty windows."""
        self.warm_up()
        assert self.session_ is not None
        ids = window_ids(self.tokenizer_, texts, self.member.windows)
        flat = ids.reshape(-1, ids.shape[-1])
        valid = (flat != 0).any(axis=1)
        pooled = np.zeros((len(flat), self.member.head_weight.shape[0]), dtype=np.float32)
        rows = np.flatnonzero(valid)
        for start in range(0, len(rows), 32):
            batch = flat[rows[start : start + 32]]
            width = int((batch != 0).sum(axis=1).max())
            batch = batch[:, :width]
            pooled[rows[start : start + 32]] = mean_pooled_states(self.session_, batch, (batch != 0).astype(np.int64))
        per_window = (pooled @ self.member.head_weight.astype(np.float32) + self.member.head_bias).reshape(ids.shape[:2])
        counts = valid.reshape(ids.shape[:2])
        return (per_window * counts).sum(axis=1) / np.maximum(counts.sum(axis=1), 1)
