"""The cross-encoder entailment backend: MiniLM fine-tuned here as a 4-way claim/evidence classifier.

The claim and its passages are read together by one transformer (claim as the first segment, the
passages joined in rank order as the second), which is what lets it notice one swapped word between a
claim and its evidence. Training needs the torch extra (`newsproof train verify --backend crossencoder`,
`verify/train/crossencoder.py`); what ships is an int8 ONNX file with the tokenizer and label order embedded,
run here with ONNX Runtime (no torch).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsproof.errors import Errors, ModelError
from newsproof.labels import Label
from newsproof.models import Passage
from newsproof.verify.judges.base import Judgement, make_judgement, no_evidence_probs

ARTIFACT = Path(__file__).resolve().parents[1] / "crossencoder_int8.onnx"  # shipped in verify/
REBUILD = "newsproof train verify --backend crossencoder"
MAX_LENGTH = 192
SEPARATOR = " | "
DECISIVE = (Label.SUPPORTED.value, Label.CONTRADICTED.value)


def evidence_text(passages: Sequence[str]) -> str:
    """The second segment: passage texts in rank order."""
    return SEPARATOR.join(" ".join(p.split()) for p in passages)


def pair_tokenizer(tokenizer_json: str, max_length: int = MAX_LENGTH) -> Any:
    """A `tokenizers.Tokenizer` that encodes (claim, evidence) pairs, truncating the longer side first."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_str(tokenizer_json)
    tokenizer.enable_truncation(max_length, strategy="longest_first")
    tokenizer.enable_padding()
    return tokenizer


def encode_pairs(tokenizer: Any, pairs: Sequence[tuple[str, str]]) -> dict[str, np.ndarray]:
    """Model inputs (int64 arrays) for (claim, evidence) pairs, padded to the longest in the batch."""
    encodings = tokenizer.encode_batch([(a, b) for a, b in pairs])
    return {
        "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
        "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
        "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
    }


class CrossEncoderJudge:
    """Judge with the shipped int8 cross-encoder (ONNX Runtime).

    Claim-level probabilities come from the claim read with all its passages; each passage is also
    read alone with the claim, to name the passages that support or refute it. Pairs run one at a
    time: the int8 model quantises activations per call, so batching would make a pair's
    probabilities depend on its batch neighbours (and on CPU it is no faster). With
    `read_singly=False` passages are not read alone (the claim-level probabilities stand in for each),
    for an ensemble whose other member names the deciding passages.
    """

    name = "crossencoder"

    def __init__(self, path: str | Path | None = None, threads: int | None = None, read_singly: bool = True) -> None:
        self.path = Path(path) if path else ARTIFACT
        self.read_singly = read_singly
        self.threads = threads
        self.session_: Any = None
        self.tokenizer_: Any = None
        self.labels_: list[str] = []

    def warm_up(self) -> None:
        """Open the ONNX session; read tokenizer and label order from the model metadata (idempotent)."""
        if self.session_ is not None:
            return
        if not self.path.is_file():
            raise ModelError(Errors.E401.format(path=self.path, rebuild=REBUILD))
        import onnxruntime as ort

        options = ort.SessionOptions()
        if self.threads:
            options.intra_op_num_threads = self.threads
        session = ort.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])
        meta = session.get_modelmeta().custom_metadata_map
        try:
            self.labels_ = list(json.loads(meta["labels"]))
            self.tokenizer_ = pair_tokenizer(meta["tokenizer"], int(meta.get("max_length", MAX_LENGTH)))
        except (KeyError, ValueError) as exc:
            raise ModelError(f"{self.path} is not a newsproof cross-encoder (metadata: {exc})") from exc
        self.session_ = session

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> list[np.ndarray]:
        """Label probabilities (in `labels_` order) of each (claim, evidence) pair, one pair per run."""
        from scipy.special import softmax

        self.warm_up()
        return [softmax(self.session_.run(None, encode_pairs(self.tokenizer_, [pair]))[0][0]) for pair in pairs]

    def as_probs(self, row: np.ndarray) -> dict[str, float]:
        """One probability row as a label -> probability dict."""
        return {lab: float(p) for lab, p in zip(self.labels_, row, strict=True)}

    def judge(self, claim: str, passages: Sequence[Passage]) -> Judgement:
        """Judge one claim."""
        return self.judge_batch([(claim, passages)])[0]

    def judge_batch(self, items: Sequence[tuple[str, Sequence[Passage]]]) -> list[Judgement]:
        """Judge many claims: first each claim with all its passages, then, only for claims that lean
        SUPPORTED or CONTRADICTED, each passage alone (to name the deciding passages). For undecided
        claims the claim-level probabilities stand in for every passage, which names none."""
        joint = iter(self.probabilities([(claim, evidence_text([p.text for p in passages]))
                                         for claim, passages in items if passages]))
        claim_probs = [next(joint) if passages else None for _, passages in items]
        alone = [probs is not None and len(passages) > 1 and self.decided(probs)
                 for (_, passages), probs in zip(items, claim_probs, strict=True)]
        singles = iter(self.probabilities([(claim, evidence_text([p.text]))
                                           for (claim, passages), read in zip(items, alone, strict=True) if read
                                           for p in passages]))
        out = []
        for (_claim, passages), probs, read in zip(items, claim_probs, alone, strict=True):
            if probs is None:
                out.append(make_judgement(no_evidence_probs(), [], self.name))
                continue
            rows = [next(singles) for _ in passages] if read else [probs] * len(passages)
            per = [(p.id, self.as_probs(r)) for p, r in zip(passages, rows, strict=True)]
            out.append(make_judgement(self.as_probs(probs), per, self.name))
        return out

    def decided(self, probs: np.ndarray) -> bool:
        """Whether passages are read alone: the claim-level probabilities lean SUPPORTED or CONTRADICTED."""
        return self.read_singly and self.labels_[int(np.argmax(probs))] in DECISIVE
