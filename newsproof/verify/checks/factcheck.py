"""Fact-check matching: find previously checked claims that say the same thing as a new claim.

Candidates come from the store's lexical search over checked claims; each is scored by
`weight * embedding cosine + (1 - weight) * token-set overlap`, and kept above a threshold.
Weight and threshold are tuned by `verify/train/factcheck.py` on real paraphrases: Snopes headlines
("Did Pence Dismiss the Idea of Systemic Racism?") against the claims they check, with the other
retrieved claims as hard negatives and half of the queries asked with their true claim removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from newsproof.evidence.protocol import EvidenceStore
from newsproof.models import CheckedClaim, EvidenceItem

PARAMS = Path(__file__).resolve().parents[1] / "factcheck.joblib"  # shipped in verify/
DEFAULTS: dict[str, Any] = {"embedder": None, "weight": 0.7, "threshold": 0.75}
CANDIDATES = 20


@dataclass(frozen=True)
class FactCheckMatch:
    """A previously checked claim judged to say the same thing, with its scores."""

    checked: CheckedClaim
    score: float
    similarity: float
    overlap: float

    def evidence_item(self) -> EvidenceItem:
        """The match as evidence shown next to a verdict (fact-checker's rating, date and source)."""
        c = self.checked
        return EvidenceItem(id=c.id, kind="factcheck", text=f"{c.claim} — rated {c.label!r} by {c.source or 'a fact-checker'}",
                            title=c.label, source=c.source, url=c.url, date=c.date, score=round(self.score, 4))


def overlap(a: str, b: str) -> float:
    """Token-set overlap ratio (0..1), case-insensitive."""
    return fuzz.token_set_ratio(a.lower(), b.lower()) / 100.0


def combine(similarity: np.ndarray | float, lexical: np.ndarray | float, weight: float) -> Any:
    """The matching score."""
    return weight * similarity + (1.0 - weight) * lexical


def load_params(path: Path | None = None) -> dict[str, Any]:
    """Tuned parameters (or the defaults when no tuned file exists)."""
    path = path or PARAMS
    if not path.is_file():
        return dict(DEFAULTS)
    import joblib

    return {**DEFAULTS, **joblib.load(path)}


class FactCheckMatcher:
    """Matches claims against a store's checked claims."""

    def __init__(self, store: EvidenceStore, params_path: Path | None = None, candidates: int = CANDIDATES) -> None:
        self.store = store
        self.params_path = params_path
        self.candidates = candidates
        self.params_: dict[str, Any] | None = None
        self.lookup_: Any = None

    def warm_up(self) -> None:
        """Load the tuned parameters and the embedder (idempotent)."""
        if self.params_ is not None:
            return
        from newsproof.evidence.embed import get_embedder
        from newsproof.verify.vectors import VectorLookup

        params = load_params(self.params_path)
        embedder = get_embedder(params["embedder"])
        embedder.warm_up()
        self.lookup_ = VectorLookup(embedder)
        self.params_ = params

    def match(self, claim: str, k: int = 3) -> list[FactCheckMatch]:
        """Up to `k` checked claims scoring above the threshold, best first."""
        return self.match_batch([claim], k)[0]

    def match_batch(self, claims: Sequence[str], k: int = 3) -> list[list[FactCheckMatch]]:
        """`match` for many claims, embedding all texts in one batch."""
        self.warm_up()
        assert self.params_ is not None
        pools = [[c for c, _ in self.store.search_checked_claims(claim, self.candidates)] for claim in claims]
        self.lookup_.ensure(list(claims) + [c.claim for pool in pools for c in pool])
        out = []
        for claim, pool in zip(claims, pools, strict=True):
            if not pool:
                out.append([])
                continue
            u = self.lookup_(claim)
            sims = np.asarray([float(self.lookup_(c.claim) @ u) for c in pool])
            lex = np.asarray([overlap(claim, c.claim) for c in pool])
            score = combine(sims, lex, self.params_["weight"])
            order = [i for i in np.argsort(-score, kind="stable") if score[i] >= self.params_["threshold"]][:k]
            out.append([FactCheckMatch(pool[i], float(score[i]), float(sims[i]), float(lex[i])) for i in order])
        return out
