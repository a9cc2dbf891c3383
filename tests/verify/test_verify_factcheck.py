"""Fact-check matching finds real Snopes / PolitiFact claims from paraphrases, and nothing for new claims."""

from __future__ import annotations

import pytest

from newsproof.evaluation.factcheck import evaluate_factcheck
from newsproof.evidence.loaders.claims import load_claims
from newsproof.evidence.sqlite_store import SQLiteStore
from newsproof.models import CheckedClaim, Verdict
from newsproof.verify.checks.factcheck import PARAMS, FactCheckMatcher, load_params
from newsproof.verify.train.factcheck import heldout_pairs, snopes_pairs


@pytest.fixture(scope="module")
def matcher(tmp_path_factory, claims_dir):
    store = SQLiteStore(tmp_path_factory.mktemp("factcheck") / "store.sqlite")
    for name in ("snopes", "liar_plus"):
        store.write_checked_claims(r for r in load_claims(claims_dir / name / "data.jsonl")
                                   if isinstance(r, CheckedClaim))
    yield FactCheckMatcher(store)
    store.close()


def test_shipped_parameters_hold_on_held_out_pairs(claims_dir):
    """Snopes headline/claim pairs that share nothing with the 1,500 tuning pairs, asked as in tuning (half
    with their true claim removed): the shipped weight and threshold still match well."""
    assert PARAMS.is_file()
    path = claims_dir / "snopes" / "data.jsonl"
    tuning = snopes_pairs(path, 1500, 0)
    held = heldout_pairs(path, 400, seed=1)
    assert len(held) == 400 and not {t for t, _ in held} & {t for t, _ in tuning}
    assert not {c for _, c in held} & {c for _, c in tuning}
    result = evaluate_factcheck(limit=400, seeds=(1,))
    assert result["heldout"]["f1"] >= 0.78 and result["heldout"]["precision"] >= 0.8, result
    assert result["tuning_pairs"]["f1"] == pytest.approx(0.849, abs=0.002)  # the README's tuning figure


def test_threshold_decides_what_matches(matcher, tmp_path):
    """The same paraphrase matches under the shipped threshold and not under a stricter one."""
    import joblib

    paraphrase = "In 1960 Kennedy and Nixon took part in a virtual presidential debate."
    best = matcher.match(paraphrase)[0]
    assert best.score >= load_params()["threshold"]
    strict = tmp_path / "strict.joblib"
    joblib.dump({**load_params(), "threshold": best.score + 0.01}, strict)
    assert FactCheckMatcher(matcher.store, params_path=strict).match(paraphrase) == []


@pytest.mark.parametrize(("paraphrase", "expected_id", "verdict"), [
    ("In 1960 Kennedy and Nixon took part in a virtual presidential debate.",
     "snopes-kennedy-nixon-virtual-debate-1960", Verdict.SUPPORTED),
    ("The group Annie's List backs third-trimester abortions on demand.", "liar-2635", Verdict.CONTRADICTED),
])
def test_paraphrase_finds_the_checked_claim(matcher, paraphrase, expected_id, verdict):
    matches = matcher.match(paraphrase)
    assert matches and matches[0].checked.id == expected_id
    assert matches[0].checked.verdict is verdict
    item = matches[0].evidence_item()
    assert item.kind == "factcheck" and item.source in ("snopes", "liar_plus")


def test_new_claim_has_no_match(matcher):
    batch = matcher.match_batch(["The city council of Springfield approved a budget for road repairs on Tuesday.",
                                 "Paris is the capital of France and hosts the Louvre museum."])
    assert batch == [[], []]
