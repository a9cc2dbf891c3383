"""Reading claim sets and the fixed dev split."""

from __future__ import annotations

import pytest

from newsproof.errors import InputError
from newsproof.verify.dataset import is_dev, read_examples
from newsproof.verify.labels import Label


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
    train, dev = read_examples(path, split="train"), read_examples(path, split="dev")
    assert len(all_with) == len(train) + len(dev) < len(read_examples(path, with_evidence=False))
    assert not {e.id for e in train} & {e.id for e in dev}
    assert all(ex.passages and ex.passages[0].id == f"{ex.id}#e0" for ex in dev)


def test_bad_file_is_an_input_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"claim": "no id or label"}\n')
    with pytest.raises(InputError):
        read_examples(bad)
    with pytest.raises(InputError):
        read_examples(tmp_path / "missing.jsonl")
