"""The shipped fact-check matching parameters measured on held-out Snopes paraphrase pairs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsproof.errors import InputError
from newsproof.verify.checks.factcheck import CANDIDATES, load_params
from newsproof.verify.train.factcheck import candidate_rows, heldout_pairs, match_scores, snopes_pairs


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
        rows, answerable = candidate_rows(pairs, emb, seed, candidates)
        found = match_scores(rows, answerable, params["weight"], params["threshold"])
        return {"seed": seed, "queries": len(pairs), **{k: round(v, 4) for k, v in found.items()}}

    runs = [scored(heldout_pairs(path, limit, seed), seed) for seed in seeds]
    mean = {k: round(float(np.mean([r[k] for r in runs])), 4) for k in ("f1", "precision", "recall")}
    return {"weight": params["weight"], "threshold": params["threshold"], "heldout": mean, "runs": runs,
            "tuning_pairs": scored(snopes_pairs(path, 1500, 0), 0)}
