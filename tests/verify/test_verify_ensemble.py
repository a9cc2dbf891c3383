"""The default judge: the mean of the learned classifier and the cross-encoder, on real held-out claims."""

from __future__ import annotations

import pytest

from newsproof.config import load_config
from newsproof.evaluation.verify import evaluate_verify
from newsproof.verify.dataset import read_examples
from newsproof.verify.judges import get_judge
from newsproof.verify.judges.ensemble import EnsembleJudge


@pytest.fixture(scope="module")
def judge() -> EnsembleJudge:
    j = get_judge(None, load_config().get("verify", {}))
    assert isinstance(j, EnsembleJudge), "the packaged config selects the ensemble"
    j.warm_up()
    return j


def test_probabilities_are_the_mean_of_the_members(judge, claims_dir):
    examples = read_examples(claims_dir / "averitec" / "data.jsonl", split="dev")[:6]
    items = [(ex.claim, list(ex.passages)) for ex in examples]
    combined = judge.judge_batch(items)
    members = [m.judge_batch(items) for m in judge.members]
    for i, j in enumerate(combined):
        for label, p in j.probs.items():
            assert p == pytest.approx(sum(run[i].probs[label] for run in members) / len(members), abs=1e-6)
        first_id = items[i][1][0].id
        per = dict(j.per_passage)[first_id]
        expected = [dict(run[i].per_passage)[first_id] for run in members]
        assert per["SUPPORTED"] == pytest.approx(sum(e["SUPPORTED"] for e in expected) / len(expected), abs=1e-6)


@pytest.mark.parametrize("name", ["climate_fever", "liar_plus"])
def test_clear_margin_over_both_baselines_on_held_out_claims(judge, claims_dir, name):
    result = evaluate_verify(claims_dir / name / "data.jsonl", split="dev", judge=judge)
    best = max(b["macro_f1"] for b in result["baselines"].values())
    assert result["macro_f1"] > best + 0.12, (result["macro_f1"], best)
    assert len(result["predicted"]) >= 3, "collapsed onto too few classes"


def test_member_weights_shift_the_mean_and_the_blend_never_reads_dev():
    from newsproof.errors import InputError
    from newsproof.evaluation.blend import choose_blend
    from newsproof.verify.judges.ensemble import mean_probs

    rows = [{"SUPPORTED": 1.0}, {"CONTRADICTED": 1.0}]
    assert mean_probs(rows)["SUPPORTED"] == pytest.approx(0.5)
    weighted = mean_probs(rows, [0.3, 0.7])
    assert weighted["SUPPORTED"] == pytest.approx(0.3) and weighted["CONTRADICTED"] == pytest.approx(0.7)
    assert get_judge("ensemble", {"ensemble_weight": 0.7}).weights == pytest.approx([0.3, 0.7])
    with pytest.raises(InputError, match="never on dev"):
        choose_blend(split="dev")


def test_fit_split_is_train_plus_tune(claims_dir):
    path = claims_dir / "climate_fever" / "data.jsonl"
    fit = {ex.id for ex in read_examples(path, split="fit")}
    assert fit == {ex.id for name in ("train", "tune") for ex in read_examples(path, split=name)}
    assert not fit & {ex.id for ex in read_examples(path, split="dev")}
