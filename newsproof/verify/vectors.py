"""Text -> embedding cache shared by the learned judge, fact-check matching and training."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np


def text_key(text: str) -> str:
    """Stable cache key of a text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class VectorLookup:
    """Embeds texts once and remembers the vectors (bounded LRU in memory)."""

    def __init__(self, embedder: Any, max_items: int = 8192) -> None:
        self.embedder = embedder
        self.max_items = max_items
        self.cache_: OrderedDict[str, np.ndarray] = OrderedDict()

    def ensure(self, texts: Sequence[str]) -> None:
        """Embed the texts not cached yet, in one batch."""
        missing = list(dict.fromkeys(t for t in texts if text_key(t) not in self.cache_))
        if missing:
            for text, vec in zip(missing, self.embedder.encode(missing), strict=True):
                self.put(text, vec)

    def put(self, text: str, vec: np.ndarray) -> None:
        """Remember one vector."""
        self.cache_[text_key(text)] = np.asarray(vec, dtype=np.float32)
        while len(self.cache_) > self.max_items:
            self.cache_.popitem(last=False)

    def __call__(self, text: str) -> np.ndarray:
        key = text_key(text)
        if key not in self.cache_:
            self.ensure([text])
        self.cache_.move_to_end(key)
        return self.cache_[key]
