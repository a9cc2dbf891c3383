"""Speed of the verify stage: ~20 claims x top-5 passages (one 1,000-word article) on real claims.

Run: `python benchmarks/bench_verify.py` (prints timings) or `pytest benchmarks/bench_verify.py`
(asserts the 3-second budget for entailment and reports fact-check matching separately).
"""

from __future__ import annotations

import statistics
import sys
import time

from newsproof.paths import shared_data_dir
from newsproof.verify.dataset import claims_file, read_examples
from newsproof.verify.judges import get_judge

CLAIMS, PASSAGES, BUDGET_S = 20, 5, 3.0
JUDGES = ("learned", "crossencoder", "ensemble")


def article_items() -> list:
    """20 held-out climate-fever claims with their 5 evidence passages each."""
    path = claims_file("climate_fever")
    if path is None:
        raise SystemExit("shared data folder not available")
    return [(ex.claim, list(ex.passages[:PASSAGES])) for ex in read_examples(path, split="dev")[:CLAIMS]]


def time_entailment(name: str = "learned", repeats: int = 3) -> dict[str, float]:
    """Load time and per-article timings of judge_batch over one article's claims (nothing cached)."""
    items = article_items()
    judge = get_judge(name)
    start = time.perf_counter()
    judge.warm_up()
    load = time.perf_counter() - start
    cold = []
    for _ in range(repeats):
        if hasattr(judge, "lookup_"):
            judge.lookup_.cache_.clear()  # embeddings are recomputed every run: an article's passages are new
        start = time.perf_counter()
        judge.judge_batch(items)
        cold.append(time.perf_counter() - start)
    return {"judge": name, "load_s": round(load, 3), "article_s_median": round(statistics.median(cold), 3),
            "article_s_max": round(max(cold), 3), "claims": len(items),
            "passages": sum(len(p) for _, p in items)}


def time_factcheck(store_path: str | None = None) -> dict[str, float]:
    """Fact-check matching of the same 20 claims against Snopes + LIAR checked claims in a temp store."""
    import tempfile
    from pathlib import Path

    from newsproof.evidence.loaders.claims import load_claims
    from newsproof.evidence.sqlite_store import SQLiteStore
    from newsproof.models import CheckedClaim
    from newsproof.verify.checks.factcheck import FactCheckMatcher

    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(store_path or Path(tmp) / "fc.sqlite")
        for name in ("snopes", "liar_plus"):
            store.write_checked_claims(r for r in load_claims(claims_file(name)) if isinstance(r, CheckedClaim))
        matcher = FactCheckMatcher(store)
        matcher.warm_up()
        claims = [c for c, _ in article_items()]
        start = time.perf_counter()
        matcher.match_batch(claims)
        elapsed = time.perf_counter() - start
        store.close()
    return {"factcheck_article_s": round(elapsed, 3)}


def test_entailment_within_budget():
    import pytest

    if shared_data_dir() is None:
        pytest.skip("shared data folder not available")
    for name in JUDGES:
        result = time_entailment(name)
        print(result)
        assert result["article_s_median"] <= BUDGET_S


if __name__ == "__main__":
    for judge_name in JUDGES:
        print(time_entailment(judge_name))
    if "--factcheck" in sys.argv:
        print(time_factcheck())
