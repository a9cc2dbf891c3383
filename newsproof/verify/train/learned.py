"""`newsproof train verify`: rebuild the entailment classifier reproducibly (fixed seeds, cached embeddings)."""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from newsproof.errors import InputError
from newsproof.labels import Label
from newsproof.verify.dataset import EVIDENCE_SETS, Example, claims_file, read_examples
from newsproof.verify.features import N_LEXICAL
from newsproof.verify.judges.learned import (
    ARTIFACT,
    clip,
    dense_matrix,
    embedding_block,
    stacked_features,
    text_matrix,
)
from newsproof.verify.vectors import VectorLookup

DEFAULT_EMBEDDER = "minilm-static"
NEE_SHARE = 0.08  # share of training claims also paired with another claim's evidence as NOT ENOUGH EVIDENCE
C_TEXT, C_EMB, FOLDS = 2.0, 0.05, 3


@dataclass(frozen=True)
class TrainItem:
    """One training row: claim, passage texts, label."""

    claim: str
    passages: tuple[str, ...]
    label: Label
    dataset: str


class DiskVectorCache(VectorLookup):
    """A `VectorLookup` persisted as an .npz file, so re-training does not re-embed."""

    def __init__(self, embedder: Any, path: Path) -> None:
        super().__init__(embedder, max_items=10**9)
        self.path = path
        if path.is_file():
            with np.load(path) as data:
                for key, vec in zip(data["keys"], data["vectors"], strict=True):
                    self.cache_[str(key)] = vec

    def save(self) -> None:
        """Write the cache file (atomically)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.asarray(list(self.cache_)), vectors=np.vstack(list(self.cache_.values())))
        tmp.replace(self.path)


def training_items(examples: Sequence[Example], seed: int = 0) -> list[TrainItem]:
    """Gold rows plus, for a fixed share of claims, mismatched evidence labelled NOT ENOUGH EVIDENCE."""
    rng = random.Random(seed)
    items = [TrainItem(ex.claim, tuple(clip(p.text) for p in ex.passages), ex.label, ex.dataset) for ex in examples]
    by_set: dict[str, list[Example]] = {}
    for ex in examples:
        by_set.setdefault(ex.dataset, []).append(ex)
    for name in sorted(by_set):
        pool = by_set[name]
        for ex in rng.sample(pool, int(len(pool) * NEE_SHARE)):
            other = rng.choice(pool)
            if other.group != ex.group:
                items.append(TrainItem(ex.claim, tuple(clip(p.text) for p in other.passages),
                                       Label.NOT_ENOUGH_EVIDENCE, name))
    return items


def load_training_examples(sets: Sequence[str] = EVIDENCE_SETS, limit_per_set: int | None = None,
                           seed: int = 0, split: str = "fit") -> list[Example]:
    """Examples with evidence of a split (`fit` = train + tune, what the shipped models learn from; `train`
    leaves tune unseen, for choosing the ensemble blend) of the shared claim sets (optionally subsampled)."""
    out: list[Example] = []
    for name in sets:
        path = claims_file(name)
        if path is None:
            raise InputError(f"claim set {name!r} not found under the shared data folder")
        examples = read_examples(path, split=split)
        if limit_per_set is not None and len(examples) > limit_per_set:
            examples = random.Random(seed).sample(examples, limit_per_set)
        out.extend(examples)
    return out


def fit(items: Sequence[TrainItem], lookup: VectorLookup, seed: int = 0) -> dict[str, Any]:
    """Fit the stacked model; return the artifact dict (no timestamps: the bytes are reproducible).

    The trees learn from out-of-fold probabilities of the two linear models, so they see the same
    kind of input at training and at prediction time.
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.preprocessing import StandardScaler

    rows = [(it.claim, list(it.passages)) for it in items]
    dense = dense_matrix(rows, lookup)
    y = np.asarray([it.label.value for it in items])
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=seed)
    x_text = text_matrix(rows)
    text_model = LogisticRegression(C=C_TEXT, class_weight="balanced", max_iter=2000, random_state=seed)
    text_oof = cross_val_predict(text_model, x_text, y, cv=folds, method="predict_proba")
    text_model.fit(x_text, y)
    scaler = StandardScaler().fit(dense[:, N_LEXICAL:])
    x_emb = embedding_block(dense, scaler)
    emb_model = LogisticRegression(C=C_EMB, class_weight="balanced", max_iter=2000, random_state=seed)
    emb_oof = cross_val_predict(emb_model, x_emb, y, cv=folds, method="predict_proba")
    emb_model.fit(x_emb, y)
    artifact: dict[str, Any] = {"version": 2, "embedder": lookup.embedder.name, "scaler": scaler,
                                "text_model": text_model, "emb_model": emb_model, "seed": seed}
    trees = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, max_leaf_nodes=15, l2_regularization=1.0,
                                           class_weight="balanced", early_stopping=False, random_state=seed)
    trees.fit(stacked_features(rows, dense, artifact, text_oof, emb_oof), y)
    artifact["model"] = trees
    artifact["trained_on"] = dict(sorted(Counter(f"{it.dataset}/{it.label.value}" for it in items).items()))
    return artifact


def train_verify(out: str | Path = ARTIFACT, *, sets: Sequence[str] = EVIDENCE_SETS, limit_per_set: int | None = None,
                 seed: int = 0, embedder: str = DEFAULT_EMBEDDER, cache_dir: str | Path | None = None,
                 split: str = "fit") -> dict[str, Any]:
    """Train the entailment model on a split (`fit`: everything but dev) of the claim sets and write it to `out`."""
    import joblib

    from newsproof.evidence.embed import get_embedder
    from newsproof.paths import home_dir

    np.random.seed(seed)
    cache_path = Path(cache_dir or home_dir() / "cache" / "verify") / f"vectors-{embedder}.npz"
    emb = get_embedder(embedder)
    emb.warm_up()
    lookup = DiskVectorCache(emb, cache_path)
    examples = load_training_examples(sets, limit_per_set, seed, split)
    items = training_items(examples, seed)
    artifact = fit(items, lookup, seed)
    lookup.save()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(artifact, out, compress=3)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    return {"path": str(out), "sha256": digest, "bytes": out.stat().st_size, "rows": len(items),
            "trained_on": artifact["trained_on"]}
