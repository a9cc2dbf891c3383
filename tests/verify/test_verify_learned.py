"""The shipped entailment classifier on real held-out claims; reproducible training on a small subset."""

from __future__ import annotations

import hashlib

import pytest
from support.judges import assert_well_formed, shipped_judge

from newsproof.labels import LABELS
from newsproof.models import Passage, Verdict
from newsproof.verify.dataset import read_examples
from newsproof.verify.judges import Judge
from newsproof.verify.judges.learned import ARTIFACT, REBUILD, LearnedJudge
from newsproof.verify.train.learned import train_verify


@pytest.fixture(scope="module")
def judge() -> LearnedJudge:
    return shipped_judge("learned", ARTIFACT, REBUILD)


def test_judge_protocol_and_batch_consistency(judge, claims_dir):
    assert isinstance(judge, Judge)
    examples = read_examples(claims_dir / "climate_fever" / "data.jsonl", split="dev")[:12]
    items = [(ex.claim, list(ex.passages)) for ex in examples]
    batch = judge.judge_batch(items)
    single = judge.judge(*items[3])
    assert batch[3].probs == pytest.approx(single.probs, abs=1e-5)
    assert_well_formed(items, batch)


def test_beats_both_baselines_on_held_out_climate_claims(judge, claims_dir):
    from newsproof.evaluation.verify import evaluate_verify

    result = evaluate_verify(claims_dir / "climate_fever" / "data.jsonl", split="dev", judge=judge)
    best = max(b["macro_f1"] for b in result["baselines"].values())
    assert result["macro_f1"] > best + 0.08
    assert len(result["predicted"]) >= 3, "collapsed onto too few classes"


def test_irrelevant_or_missing_evidence_is_not_enough(judge):
    claim = "The Eiffel Tower was completed in 1889 for the World's Fair in Paris."
    off_topic = [Passage(id="x1", text="Wheat futures closed lower in Chicago on Tuesday amid heavy rains in Kansas."),
                 Passage(id="x2", text="The central bank left its key lending rate unchanged at 7.5 percent.")]
    assert judge.judge(claim, off_topic).verdict is Verdict.NOT_ENOUGH_EVIDENCE
    empty = judge.judge(claim, [])
    assert empty.verdict is Verdict.NOT_ENOUGH_EVIDENCE and empty.per_passage == []


def test_training_is_reproducible(tmp_path, training_sets):
    hashes = []
    for run in range(2):
        out = tmp_path / f"run{run}.joblib"
        summary = train_verify(out, sets=training_sets, limit_per_set=60, seed=3,
                               cache_dir=tmp_path / "cache")
        hashes.append(hashlib.sha256(out.read_bytes()).hexdigest())
        assert summary["sha256"] == hashes[-1] and summary["rows"] >= 120
    assert hashes[0] == hashes[1]
    trained = LearnedJudge(tmp_path / "run0.joblib")
    assert set(trained.classes) <= {lab.value for lab in LABELS}
