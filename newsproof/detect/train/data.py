"""Reading the human/machine JSONL data sets (the `shared/data/mgt` format)."""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsproof.detect.text import normalise, words
from newsproof.errors import InputError


@dataclass
class Corpus:
    """Texts with labels (1 = machine) and generator names ('human' for human texts)."""

    texts: list[str]
    labels: np.ndarray
    generators: list[str]

    def subset(self, mask: np.ndarray) -> Corpus:
        """The rows where `mask` is true."""
        idx = np.flatnonzero(mask)
        return Corpus([self.texts[i] for i in idx], self.labels[idx], [self.generators[i] for i in idx])

    def __len__(self) -> int:
        return len(self.texts)


def load_corpus(path: str | Path, limit: int | None = None) -> Corpus:
    """Read a JSONL file of {"text", "label": "human"|"machine", "generator"}; `limit` keeps every k-th row."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"data file {path} does not exist")
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    bad = [i for i, r in enumerate(rows) if r.get("label") not in ("human", "machine") or not r.get("text")]
    if bad:
        raise InputError(f"{path}: rows {bad[:5]} lack a text or a label 'human'/'machine'")
    if limit is not None and limit < len(rows):
        rows = rows[:: max(len(rows) // limit, 1)][:limit]
    return Corpus(
        texts=[r["text"] for r in rows],
        labels=np.array([r["label"] == "machine" for r in rows], dtype=np.int64),
        generators=[(r.get("generator") or "unknown") if r["label"] == "machine" else "human" for r in rows],
    )


def group_folds(texts: list[str], k: int) -> np.ndarray:
    """Fold of each text, keyed by its opening words so texts sharing an opening share a fold."""
    keys = [" ".join(words(normalise(t))[:6]).lower() for t in texts]
    return np.array([zlib.crc32(key.encode("utf-8")) % k for key in keys], dtype=np.int64)


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def word_counts(texts: list[str]) -> np.ndarray:
    """Number of words in each text."""
    return np.array([len(words(t)) for t in texts], dtype=np.int64)
