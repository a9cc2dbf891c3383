"""Fact-check matching: find previously checked claims that say the same thing as a new claim.

Candidates come from the store's lexical search over checked claims; each is scored by
`weight * embedding cosine + (1 - weight) * token-set overlap`, and kept above a threshold.
Weight and threshold are tuned by `tune_factcheck` on real paraphrases: Snopes headlines
("Did Pence Dismiss the Idea of Systemic Racism?") against the claims they check, with the other
retrieved claims as hard negatives and half of the queries asked with their true claim removed.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from newsproof.errors import InputError
from newsproof.evidence.protocol import EvidenceStore
from newsproof.models import CheckedClaim, EvidenceItem

PARAMS = Path(__file__).resolve().parent / "factcheck.joblib"
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
        from newsproof.verify.learned import VectorLookup

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


def _all_snopes_pairs(path: Path) -> list[tuple[str, str]]:
    pairs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            title, claim = (rec.get("title") or "").strip(), (rec.get("claim") or "").strip()
            if title and claim and title.lower() != claim.lower():
                pairs.append((title, claim))
    return pairs


def snopes_pairs(path: Path, limit: int, seed: int) -> list[tuple[str, str]]:
    """(headline, claim) paraphrase pairs from the Snopes archive (headlines that are not the claim itself)."""
    pairs = _all_snopes_pairs(path)
    return random.Random(seed).sample(pairs, min(limit, len(pairs)))


def heldout_pairs(path: Path, limit: int, seed: int, tuning_limit: int = 1500, tuning_seed: int = 0,
                  ) -> list[tuple[str, str]]:
    """Pairs that share neither headline nor claim with the tuning sample `snopes_pairs(path, tuning_limit,
    tuning_seed)`: up to `limit` of them, drawn with `seed`."""
    tuning = snopes_pairs(path, tuning_limit, tuning_seed)
    seen = {t for t, _ in tuning} | {c for _, c in tuning}
    rest = [(t, c) for t, c in _all_snopes_pairs(path) if t not in seen and c not in seen]
    return random.Random(seed).sample(rest, min(limit, len(rest)))


def _candidate_rows(pairs: list[tuple[str, str]], embedder: Any, seed: int, candidates: int,
                    ) -> tuple[list[tuple[int, bool, float, float]], int]:
    """(query index, is its true claim, cosine, overlap) for each query's lexical candidates, with half the
    queries asked with their true claim removed from the pool; and the number of answerable queries."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    queries, pool = [t for t, _ in pairs], [c for _, c in pairs]
    qv, pv = embedder.encode(queries), embedder.encode(pool)
    tfidf = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit(pool)
    lexical_rank = (tfidf.transform(queries) @ tfidf.transform(pool).T).toarray()
    rng = random.Random(seed)
    absent = set(rng.sample(range(len(queries)), len(queries) // 2))  # queries whose claim is not in the archive
    rows = []
    for i, q in enumerate(queries):
        ranked = [j for j in np.argsort(-lexical_rank[i], kind="stable") if not (i in absent and j == i)]
        rows.extend((i, j == i, float(qv[i] @ pv[j]), overlap(q, pool[j])) for j in ranked[:candidates])
    return rows, len(queries) - len(absent)


def _scores(rows: list[tuple[int, bool, float, float]], answerable: int, weight: float, threshold: float,
            ) -> dict[str, float]:
    """F1, precision and recall of matching each query to its best-scoring candidate above `threshold`."""
    by_query: dict[int, tuple[float, bool]] = {}
    for i, is_true, cos, lex in rows:
        s = float(combine(cos, lex, weight))
        if s > by_query.get(i, (-1.0, False))[0]:
            by_query[i] = (s, is_true)
    tp = sum(s >= threshold and t for s, t in by_query.values())
    fp = sum(s >= threshold and not t for s, t in by_query.values())
    fn = answerable - tp
    return {"f1": 2 * tp / max(2 * tp + fp + fn, 1), "precision": tp / max(tp + fp, 1), "recall": tp / max(tp + fn, 1)}


def tune_factcheck(out: str | Path | None = None, *, seed: int = 0, limit: int = 1500, embedder: str | None = None,
                   candidates: int = CANDIDATES) -> dict[str, Any]:
    """Choose weight and threshold maximising matching F1 on Snopes headline/claim pairs; save them."""
    import joblib

    from newsproof.evidence.embed import get_embedder
    from newsproof.verify.dataset import claims_file

    path = claims_file("snopes")
    if path is None:
        raise InputError("the snopes claim set is needed to tune fact-check matching")
    pairs = snopes_pairs(path, limit, seed)
    emb = get_embedder(embedder)
    emb.warm_up()
    rows, answerable = _candidate_rows(pairs, emb, seed, candidates)
    best: dict[str, Any] = {"f1": -1.0}
    for weight in np.linspace(0.0, 1.0, 11):
        for threshold in np.linspace(0.3, 0.95, 66):
            scores = _scores(rows, answerable, float(weight), float(threshold))
            if scores["f1"] > best["f1"]:
                best = {**scores, "weight": round(float(weight), 2), "threshold": round(float(threshold), 3)}
    best.update({k: round(best[k], 4) for k in ("f1", "precision", "recall")})
    params = {"embedder": emb.name, "weight": best["weight"], "threshold": best["threshold"]}
    target = Path(out) if out else PARAMS
    joblib.dump(params, target)
    return {"path": str(target), **params,
            "tuning": {**best, "queries": len(pairs), "absent": len(pairs) - answerable}}


def evaluate_factcheck(*, params_path: Path | None = None, limit: int = 1500, seeds: Sequence[int] = (1, 2, 3),
                       candidates: int = CANDIDATES) -> dict[str, Any]:
    """The shipped weight and threshold on held-out Snopes pairs (none shares a headline or claim with the
    1,500 tuning pairs), one sample of `limit` pairs per seed, with the same protocol as tuning."""
    from newsproof.evidence.embed import get_embedder
    from newsproof.verify.dataset import claims_file

    path = claims_file("snopes")
    if path is None:
        raise InputError("the snopes claim set is needed to evaluate fact-check matching")
    params = load_params(params_path)
    emb = get_embedder(params["embedder"])
    emb.warm_up()

    def scored(pairs: list[tuple[str, str]], seed: int) -> dict[str, Any]:
        rows, answerable = _candidate_rows(pairs, emb, seed, candidates)
        found = _scores(rows, answerable, params["weight"], params["threshold"])
        return {"seed": seed, "queries": len(pairs), **{k: round(v, 4) for k, v in found.items()}}

    runs = [scored(heldout_pairs(path, limit, seed), seed) for seed in seeds]
    mean = {k: round(float(np.mean([r[k] for r in runs])), 4) for k in ("f1", "precision", "recall")}
    return {"weight": params["weight"], "threshold": params["threshold"], "heldout": mean, "runs": runs,
            "tuning_pairs": scored(snopes_pairs(path, 1500, 0), 0)}
