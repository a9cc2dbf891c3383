"""Tune fact-check matching: the weight and threshold of `newsproof.verify.checks.factcheck` that maximise
matching F1 on Snopes headline/claim paraphrase pairs (the other retrieved claims are hard negatives, and
half of the queries are asked with their true claim removed)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import numpy as np

from newsproof.errors import InputError
from newsproof.verify.checks.factcheck import CANDIDATES, PARAMS, combine, overlap


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


def candidate_rows(pairs: list[tuple[str, str]], embedder: Any, seed: int, candidates: int,
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


def match_scores(rows: list[tuple[int, bool, float, float]], answerable: int, weight: float, threshold: float,
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
    rows, answerable = candidate_rows(pairs, emb, seed, candidates)
    best: dict[str, Any] = {"f1": -1.0}
    for weight in np.linspace(0.0, 1.0, 11):
        for threshold in np.linspace(0.3, 0.95, 66):
            scores = match_scores(rows, answerable, float(weight), float(threshold))
            if scores["f1"] > best["f1"]:
                best = {**scores, "weight": round(float(weight), 2), "threshold": round(float(threshold), 3)}
    best.update({k: round(best[k], 4) for k in ("f1", "precision", "recall")})
    params = {"embedder": emb.name, "weight": best["weight"], "threshold": best["threshold"]}
    target = Path(out) if out else PARAMS
    joblib.dump(params, target)
    return {"path": str(target), **params,
            "tuning": {**best, "queries": len(pairs), "absent": len(pairs) - answerable}}
