"""The label map covers every rating string of the shared claim sets."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from newsproof.labels import LABEL_MAP, Label, map_label, normalise_rating, to_verdict
from newsproof.models import Verdict


@pytest.mark.parametrize("name", ["climate_fever", "averitec", "covidfact", "liar_plus", "snopes"])
def test_every_dataset_label_is_in_the_table(claims_dir, name):
    labels = Counter(json.loads(line)["label"] for line in (claims_dir / name / "data.jsonl").open())
    missing = [raw for raw in labels if normalise_rating(raw) not in LABEL_MAP]
    assert not missing


@pytest.mark.parametrize(("raw", "label"), [
    ("SUPPORTS", Label.SUPPORTED), ("REFUTES", Label.CONTRADICTED), ("NOT_ENOUGH_INFO", Label.NOT_ENOUGH_EVIDENCE),
    ("DISPUTED", Label.CONFLICTING), ("Conflicting Evidence/Cherrypicking", Label.CONFLICTING),
    ("pants-fire", Label.CONTRADICTED), ("barely-true", Label.CONTRADICTED), ("half-true", Label.CONFLICTING),
    ("mixture", Label.CONFLICTING), ("correct-attribution", Label.SUPPORTED), ("legend", Label.NOT_ENOUGH_EVIDENCE),
    # free-text ClaimReview ratings
    ("Four Pinocchios", Label.CONTRADICTED), ("Partly false", Label.CONFLICTING), ("Not true", Label.CONTRADICTED),
    ("Misleading", Label.CONFLICTING), ("Unproven", Label.NOT_ENOUGH_EVIDENCE), ("Accurate", Label.SUPPORTED),
    ("something else entirely", Label.NOT_ENOUGH_EVIDENCE),
])
def test_map_label(raw, label):
    assert map_label(raw) is label


def test_conflicting_folds_into_not_enough_evidence():
    assert to_verdict(Label.CONFLICTING) is Verdict.NOT_ENOUGH_EVIDENCE
    assert to_verdict("mostly-false") is Verdict.CONTRADICTED
    assert {to_verdict(lab) for lab in Label} == set(Verdict)
