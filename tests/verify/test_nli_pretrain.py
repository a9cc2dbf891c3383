"""NLI pre-training of the cross-encoder: the mixture (dedup, splits by VitaminC case), the twin margin
loss, and a killed pre-training run that resumes to the same weights (tiny random BERT, real pairs)."""

from __future__ import annotations

import hashlib

import pytest
from crossencoder_support import interrupted, tiny_bert

from newsproof.paths import shared_data_dir
from newsproof.verify.dataset import read_examples, split_of


@pytest.fixture(scope="module")
def nli_dir():
    root = shared_data_dir()
    if root is None or not (root / "nli").is_dir():
        pytest.skip("shared NLI data not available")
    return root / "nli"


def test_vitaminc_cases_never_straddle_the_split_and_pairs_are_unique(nli_dir):
    from newsproof.verify.train.nli_data import NOT_ENTAILED, load_mixture, pair_key, read_set

    mixture = load_mixture(["vitaminc_real", "mnli_binary", "snli", "counterfactual_snli"])
    keys = [pair_key(p.claim, p.evidence) for p in mixture]
    assert len(keys) == len(set(keys))
    dev_cases = {p.group for p in read_set("vitaminc_real", "dev")}
    trained_cases = {p.group for p in mixture if p.dataset == "vitaminc_real"}
    assert dev_cases and trained_cases and not dev_cases & trained_cases
    dev_keys = {pair_key(p.claim, p.evidence) for name in ("snli", "counterfactual_snli")
                for p in read_set(name, "dev")}
    assert not dev_keys & set(keys), "a held-out SNLI pair leaked into training through a derived set"
    assert {p.targets for p in mixture if p.dataset == "mnli_binary"} == {NOT_ENTAILED, ("SUPPORTED",)}
    twins = [p for p in mixture if p.group == mixture[0].group]
    assert all(p.dataset == mixture[0].dataset for p in twins)


def test_eval_reads_the_pair_format_with_the_same_split(nli_dir):
    examples = read_examples(nli_dir / "vitaminc" / "test_real.jsonl.gz", split="dev")
    assert 0.15 < len(examples) / 34481 < 0.25
    assert {ex.label.value for ex in examples} == {"SUPPORTED", "CONTRADICTED", "NOT ENOUGH EVIDENCE"}
    assert all(ex.case and split_of(ex) == "dev" for ex in examples[:200])


def test_twin_hinge_pairs_only_differently_labelled_twins():
    import torch

    from newsproof.labels import LABELS, Label
    from newsproof.verify.train.nli_data import NOT_ENTAILED, NliPair
    from newsproof.verify.train.nli_pretrain import twin_hinge

    index = {lab: i for i, lab in enumerate(LABELS)}
    s, c = (Label.SUPPORTED,), (Label.CONTRADICTED,)
    batch = [NliPair("x", "a", s, "v", "g1"), NliPair("x", "b", c, "v", "g1"),
             NliPair("y", "a", c, "v", "g2"), NliPair("y", "b", NOT_ENTAILED, "v", "g2")]
    confident = torch.log(torch.tensor([[0.97, 0.01, 0.01, 0.01], [0.01, 0.97, 0.01, 0.01],
                                        [0.25, 0.25, 0.25, 0.25], [0.25, 0.25, 0.25, 0.25]]))
    assert twin_hinge(confident, batch, index, margin=1.0).item() == pytest.approx(0.0)
    swapped = confident[[1, 0, 2, 3]]
    assert twin_hinge(swapped, batch, index, margin=1.0).item() > 4.0


def test_killed_pretraining_resumes_to_the_same_weights(tmp_path, monkeypatch, nli_dir):
    from newsproof.verify.train.nli_pretrain import pretrain_nli

    base = tiny_bert(tmp_path / "tiny")
    settings = {"sets": ["vitaminc_real", "mnli_binary"], "per_set": 40, "batch_size": 8, "seed": 3,
                "base": base, "checkpoint_every": 2, "progress": False}
    straight = pretrain_nli(checkpoint_dir=tmp_path / "a", **settings)
    interrupted(monkeypatch, lambda: pretrain_nli(checkpoint_dir=tmp_path / "b", **settings))
    assert list((tmp_path / "b").glob("nli-pretrain-*.safetensors")), "a checkpoint was written before the kill"
    resumed = pretrain_nli(checkpoint_dir=tmp_path / "b", **settings)
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (straight, resumed)]
    assert digest[0] == digest[1]
    assert pretrain_nli(checkpoint_dir=tmp_path / "b", **settings) == resumed, "a finished pre-training is reused"
