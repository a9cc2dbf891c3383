"""The default entailment backend: a stacked classifier over claim-vs-evidence features (torch-free).

Two linear models give class probabilities from (a) hashed word n-grams of the claim and of the
evidence and (b) frozen MiniLM embeddings (u, u*v, |u-v| against the closest and the mean passage);
gradient-boosted trees combine them with lexical/negation/number/entity/rare-word statistics
(`verify/features.py`). Trained by `newsproof train verify` (`verify/train/learned.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from newsproof.errors import Errors, ModelError
from newsproof.models import Passage
from newsproof.verify.features import N_LEXICAL, claim_features
from newsproof.verify.judges.base import BatchByLoop, Judgement, make_judgement, no_evidence_probs
from newsproof.verify.vectors import VectorLookup

ARTIFACT = Path(__file__).resolve().parents[1] / "entailment.joblib"  # shipped in verify/
REBUILD = "newsproof train verify"
MAX_PASSAGE_CHARS = 2000
HASH_BITS = 15


def _hasher() -> HashingVectorizer:
    return HashingVectorizer(n_features=2**HASH_BITS, ngram_range=(1, 2), alternate_sign=False, norm="l2")


def clip(text: str) -> str:
    """Passage text as the model sees it (long passages are cut)."""
    return text[:MAX_PASSAGE_CHARS]


def dense_matrix(items: Sequence[tuple[str, Sequence[str]]], lookup: VectorLookup) -> np.ndarray:
    """Unscaled dense features, one row per (claim, passage texts) item."""
    lookup.ensure([c for c, _ in items] + [p for _, ps in items for p in ps])
    rows = []
    for claim, passages in items:
        u = lookup(claim)
        vs = np.vstack([lookup(p) for p in passages]) if passages else np.zeros((0, u.shape[0]), np.float32)
        rows.append(claim_features(claim, passages, u, vs))
    return np.vstack(rows)


def text_matrix(items: Sequence[tuple[str, Sequence[str]]]) -> sparse.csr_matrix:
    """Hashed word uni/bigrams of the claim next to those of its evidence."""
    hasher = _hasher()
    claims = hasher.transform([c for c, _ in items])
    evidence = hasher.transform([" ".join(ps) for _, ps in items])
    return sparse.hstack([claims, evidence], format="csr")


def stacked_features(items: Sequence[tuple[str, Sequence[str]]], dense: np.ndarray, artifact: dict[str, Any],
                     text_probs: np.ndarray | None = None, emb_probs: np.ndarray | None = None) -> np.ndarray:
    """Lexical features plus the class probabilities of the n-gram and the embedding models."""
    if text_probs is None:
        text_probs = artifact["text_model"].predict_proba(text_matrix(items))
    if emb_probs is None:
        emb_probs = artifact["emb_model"].predict_proba(embedding_block(dense, artifact["scaler"]))
    return np.hstack([dense[:, :N_LEXICAL], text_probs, emb_probs])


def embedding_block(dense: np.ndarray, scaler: Any) -> np.ndarray:
    """The scaled embedding columns (u, u*v, |u-v|, u*v_mean) of the dense features."""
    return np.clip(scaler.transform(dense[:, N_LEXICAL:]), -8, 8)


class LearnedJudge(BatchByLoop):
    """Judge with the shipped classifier; embeds each distinct text once per batch."""

    name = "learned"

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else ARTIFACT
        self.artifact_: dict[str, Any] | None = None
        self.lookup_: VectorLookup | None = None

    def warm_up(self) -> None:
        """Load the artifact and its embedder (idempotent)."""
        if self.artifact_ is not None:
            return
        if not self.path.is_file():
            raise ModelError(Errors.E401.format(path=self.path, rebuild=REBUILD))
        import joblib

        from newsproof.evidence.embed import get_embedder

        artifact = joblib.load(self.path)
        embedder = get_embedder(artifact["embedder"])
        embedder.warm_up()
        self.lookup_ = VectorLookup(embedder)
        self.artifact_ = artifact

    @property
    def classes(self) -> list[str]:
        """Label values in the classifier's column order."""
        self.warm_up()
        assert self.artifact_ is not None
        return [str(c) for c in self.artifact_["model"].classes_]

    def predict_proba(self, items: Sequence[tuple[str, Sequence[str]]]) -> np.ndarray:
        """Class probabilities (columns: `classes`) for (claim, passage texts) items."""
        self.warm_up()
        assert self.artifact_ is not None and self.lookup_ is not None
        items = [(c, [clip(p) for p in ps]) for c, ps in items]
        dense = dense_matrix(items, self.lookup_)
        return self.artifact_["model"].predict_proba(stacked_features(items, dense, self.artifact_))

    def judge(self, claim: str, passages: Sequence[Passage]) -> Judgement:
        """Judge one claim against its passages."""
        return self.judge_batch([(claim, passages)])[0]

    def judge_batch(self, items: Sequence[tuple[str, Sequence[Passage]]]) -> list[Judgement]:
        """Claim-level probabilities from all passages together; per-passage ones from each alone."""
        rows: list[tuple[str, list[str]]] = []
        for claim, passages in items:
            rows.append((claim, [p.text for p in passages]))
            rows.extend((claim, [p.text]) for p in passages)
        probs = self.predict_proba(rows) if rows else np.zeros((0, 0))
        classes = self.classes if rows else []
        out, i = [], 0
        for _claim, passages in items:
            if not passages:
                out.append(make_judgement(no_evidence_probs(), [], self.name))
                i += 1
                continue
            as_dict = [dict(zip(classes, map(float, row), strict=True)) for row in probs[i : i + 1 + len(passages)]]
            per = [(p.id, d) for p, d in zip(passages, as_dict[1:], strict=True)]
            out.append(make_judgement(as_dict[0], per, self.name))
            i += 1 + len(passages)
        return out
