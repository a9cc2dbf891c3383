"""The cross-encoder judge: the shipped int8 model on real held-out claims, and reproducible training
on a tiny randomly initialised BERT that the test builds (same tokenizer as the shipped model)."""

from __future__ import annotations

import hashlib

import pytest
from crossencoder_support import interrupted, tiny_bert
from support.judges import assert_well_formed, shipped_judge

from newsproof.errors import ModelError
from newsproof.labels import LABELS
from newsproof.models import Passage, Verdict
from newsproof.verify.dataset import read_examples
from newsproof.verify.judges import Judge
from newsproof.verify.judges.crossencoder import ARTIFACT, REBUILD, CrossEncoderJudge


@pytest.fixture(scope="module")
def judge() -> CrossEncoderJudge:
    return shipped_judge("crossencoder", ARTIFACT, REBUILD)


def test_protocol_batch_consistency_and_passage_ids(judge, claims_dir):
    assert isinstance(judge, Judge)
    examples = read_examples(claims_dir / "covidfact" / "data.jsonl", split="dev")[:10]
    items = [(ex.claim, list(ex.passages)) for ex in examples] + [("Nothing to read.", [])]
    batch = judge.judge_batch(items)
    assert batch[4].probs == pytest.approx(judge.judge(*items[4]).probs, abs=1e-4)
    assert_well_formed(items, batch)
    assert batch[-1].verdict is Verdict.NOT_ENOUGH_EVIDENCE and batch[-1].per_passage == []


@pytest.mark.parametrize(("name", "margin"), [("covidfact", 0.0), ("climate_fever", 0.06), ("liar_plus", 0.06)])
def test_beats_both_baselines_on_held_out_claims(judge, claims_dir, name, margin):
    from newsproof.evaluation.verify import evaluate_verify

    result = evaluate_verify(claims_dir / name / "data.jsonl", split="dev", judge=judge)
    best = max(b["macro_f1"] for b in result["baselines"].values())
    assert result["macro_f1"] > best + margin, (result["macro_f1"], best)
    assert len(result["predicted"]) >= 2, "collapsed onto one class"


@pytest.mark.parametrize(("true_claim", "swapped"), [
    ("Regulators approved the vaccine in December 2020.", "Regulators rejected the vaccine in December 2020."),
    ("The vaccine reduced symptomatic infections by 95 percent.",
     "The vaccine reduced symptomatic infections by 15 percent."),
])
def test_one_swapped_word_moves_towards_contradicted(judge, true_claim, swapped):
    evidence = [Passage(id="e1", text="The trial found that the vaccine reduced symptomatic infections by 95 percent "
                                      "in adults, and regulators approved it for emergency use in December 2020.")]
    assert judge.judge(swapped, evidence).probs["CONTRADICTED"] > judge.judge(true_claim, evidence).probs["CONTRADICTED"] + 0.1


def test_missing_artifact_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="train verify --backend crossencoder"):
        CrossEncoderJudge(tmp_path / "absent.onnx").warm_up()


def test_training_is_reproducible_and_exports_a_working_judge(tmp_path, training_sets):
    from newsproof.verify.train.crossencoder import train_crossencoder

    base = tiny_bert(tmp_path / "tiny")
    hashes = []
    for run in range(2):
        out = tmp_path / f"run{run}.onnx"
        summary = train_crossencoder(out, sets=training_sets, limit_per_set=24, seed=5, epochs=1,
                                     batch_size=8, base=base, checkpoint_dir=tmp_path / "ckpt", checkpoint_every=2,
                                     progress=False)
        hashes.append(hashlib.sha256(out.read_bytes()).hexdigest())
        assert summary["sha256"] == hashes[-1] and summary["rows"] >= 48 and summary["steps"] >= 6
    assert hashes[0] == hashes[1]
    assert not list((tmp_path / "ckpt").glob("*.safetensors")), "the finished run leaves no checkpoint behind"
    trained = CrossEncoderJudge(tmp_path / "run0.onnx")
    result = trained.judge("Sea levels are rising.", [Passage(id="p", text="Global mean sea level rose 20 cm.")])
    assert set(result.probs) == {lab.value for lab in LABELS}


def test_interrupted_training_resumes_to_the_same_model(tmp_path, monkeypatch, training_sets):
    from newsproof.verify.train.crossencoder import train_crossencoder

    base = tiny_bert(tmp_path / "tiny")
    settings = {"sets": training_sets[:1], "limit_per_set": 40, "seed": 2, "epochs": 1, "batch_size": 8,
                "base": base, "checkpoint_dir": tmp_path / "ckpt", "checkpoint_every": 2, "progress": False}
    reference = train_crossencoder(tmp_path / "straight.onnx", **settings)["sha256"]

    interrupted(monkeypatch, lambda: train_crossencoder(tmp_path / "resumed.onnx", **settings))
    assert list((tmp_path / "ckpt").glob("*.safetensors")), "a checkpoint was written before the crash"
    assert train_crossencoder(tmp_path / "resumed.onnx", **settings)["sha256"] == reference
