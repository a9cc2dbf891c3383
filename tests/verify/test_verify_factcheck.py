"""Fact-check matching finds real Snopes / PolitiFact claims from paraphrases, and nothing for new claims."""

from __future__ import annotations

import pytest

from newsproof.evidence.loaders.claims import load_claims
from newsproof.evidence.sqlite_store import SQLiteStore
from newsproof.models import CheckedClaim, Verdict
from newsproof.verify.factcheck import PARAMS, FactCheckMatcher, load_params


@pytest.fixture(scope="module")
def matcher(tmp_path_factory, claims_dir):
    store = SQLiteStore(tmp_path_factory.mktemp("factcheck") / "store.sqlite")
    for name in ("snopes", "liar_plus"):
        store.write_checked_claims(r for r in load_claims(claims_dir / name / "data.jsonl")
                                   if isinstance(r, CheckedClaim))
    yield FactCheckMatcher(store)
    store.close()


def test_tuned_parameters_are_shipped():
    assert PARAMS.is_file()
    params = load_params()
    assert 0.0 <= params["weight"] <= 1.0 and 0.3 <= params["threshold"] < 1.0


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
