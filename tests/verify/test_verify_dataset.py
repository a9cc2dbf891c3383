"""Reading claim sets and the fixed dev split."""

from __future__ import annotations

import pytest

from newsproof.errors import InputError
from newsproof.labels import Label
from newsproof.verify.dataset import is_dev, read_examples


def test_covidfact_split_keeps_counter_claims_together(claims_dir):
    examples = read_examples(claims_dir / "covidfact" / "data.jsonl")
    sides: dict[str, set[bool]] = {}
    for ex in examples:
        sides.setdefault(ex.group, set()).add(is_dev(ex))
    assert all(len(s) == 1 for s in sides.values())
    dev = sum(is_dev(ex) for ex in examples) / len(examples)
    assert 0.15 < dev < 0.25
    assert {ex.label for ex in examples} == {Label.SUPPORTED, Label.CONTRADICTED}


def test_liar_evidence_filter_and_split_are_disjoint(claims_dir):
    path = claims_dir / "liar_plus" / "data.jsonl"
    all_with = read_examples(path)
    train, tune, dev = (read_examples(path, split=name) for name in ("train", "tune", "dev"))
    assert len(all_with) == len(train) + len(tune) + len(dev) < len(read_examples(path, with_evidence=False))
    assert 0.05 < len(tune) / len(all_with) < 0.15 and 0.15 < len(dev) / len(all_with) < 0.25
    ids = [{e.id for e in part} for part in (train, tune, dev)]
    assert not ids[0] & ids[1] and not ids[0] & ids[2] and not ids[1] & ids[2]
    assert all(ex.passages and ex.passages[0].id == f"{ex.id}#e0" for ex in dev)


def test_bad_file_is_an_input_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"claim": "no id or label"}\n')
    with pytest.raises(InputError):
        read_examples(bad)
    with pytest.raises(InputError):
        read_examples(tmp_path / "missing.jsonl")
