"""The entailment mixture the cross-encoder is pre-trained on (`shared/data/nli`), deduplicated and split.

Each set's pairs are read as `Example`s (hypothesis = claim, premise = its one passage) and split by
the same hash as the claim sets, on the group key: VitaminC's `case_id`, so that a claim read against
evidence before and after a Wikipedia edit never straddles a split; the premise otherwise. Only the
train side is trained on; the dev side of every set (and FEVER-Symmetric's test file, entirely) stays
held out for `newsproof eval verify`. Binary entailment sets (MNLI, FEVER as entailment vs not) label
a pair "not entailed", which allows either CONTRADICTED or NOT ENOUGH EVIDENCE: their target is that
set of labels.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from newsproof.errors import InputError
from newsproof.labels import Label
from newsproof.verify.dataset import pair_example, split_of

# name -> (folder under shared/data/nli, files trained on); FEVER-Symmetric's test file is never trained on.
NLI_SETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "vitaminc_real": ("vitaminc", ("test_real",)),
    "vitaminc_synthetic": ("vitaminc", ("test_synthetic",)),
    "counterfactual_snli": ("counterfactual_snli", ("train", "dev", "test")),
    "breaking_nli": ("breaking_nli", ("test",)),
    "snli": ("snli", ("dev", "test")),
    "med": ("med_monotonicity", ("test",)),
    "mnli_binary": ("mnli_binary_docnli", ("dev", "test")),
    "fever_binary": ("fever_nli_binary_docnli", ("dev", "test")),
    "fever_symmetric": ("fever_symmetric", ("dev",)),
    "fever2_adversarial": ("fever2_adversarial", ("test",)),
    "check_covid": ("check_covid", ("train", "dev", "test")),
    "fm2": ("fm2", ("dev", "test")),
    "wice": ("wice_oracle", ("dev", "test")),
}
NOT_ENTAILED = (Label.CONTRADICTED, Label.NOT_ENOUGH_EVIDENCE)
_NORMAL = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class NliPair:
    """One pre-training row: claim, evidence, the labels it allows, its set and its contrastive group."""

    claim: str
    evidence: str
    targets: tuple[Label, ...]
    dataset: str
    group: str


def nli_root() -> Path:
    """`shared/data/nli`, or a one-line error when the shared data is absent."""
    from newsproof.paths import shared_data_dir

    root = shared_data_dir()
    if root is None or not (root / "nli").is_dir():
        raise InputError("NLI pre-training needs the shared data folder (shared/data/nli); it was not found")
    return root / "nli"


def pair_key(claim: str, evidence: str) -> str:
    """Dedup key: both texts lower-cased with punctuation and spacing dropped (SNLI copies are tokenised)."""
    return _NORMAL.sub("", claim.lower()) + "\x00" + _NORMAL.sub("", evidence.lower())


def read_set(name: str, side: str = "train") -> list[NliPair]:
    """One set's pairs: `train` (everything but the dev split), `dev`, or `all`."""
    folder, files = NLI_SETS[name]
    out: list[NliPair] = []
    for stem in files:
        with gzip.open(nli_root() / folder / f"{stem}.jsonl.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                binary = rec.get("label_nli") == "not_entailment"
                if binary:
                    rec = {**rec, "label": "neutral", "label_nli": "neutral"}
                example = pair_example(rec, name)
                if side != "all" and (split_of(example) == "dev") != (side == "dev"):
                    continue
                targets = NOT_ENTAILED if binary else (example.label,)
                out.append(NliPair(example.claim, example.passages[0].text, targets, name,
                                   example.case or example.passages[0].text[:200]))
    return out


def load_mixture(sets: Sequence[str] = tuple(NLI_SETS)) -> list[NliPair]:
    """The deduplicated mixture (first occurrence kept, in `sets` order), never repeating a held-out pair.

    A pair whose text also occurs on the held-out side of any set is dropped from training, so the
    sets that derive from the same source (SNLI and its counterfactual and Breaking NLI edits, the FEVER
    sets) cannot leak a dev pair into training.
    """
    unknown = [name for name in sets if name not in NLI_SETS]
    if unknown:
        raise InputError(f"unknown NLI set(s) {', '.join(unknown)}; valid: {', '.join(NLI_SETS)}")
    held_out = {pair_key(p.claim, p.evidence) for name in NLI_SETS for p in read_set(name, "dev")}
    from newsproof.verify.dataset import read_examples

    held_out |= {pair_key(ex.claim, ex.passages[0].text)
                 for ex in read_examples(nli_root() / "fever_symmetric" / "test.jsonl.gz")}
    seen: set[str] = set()
    out: list[NliPair] = []
    for name in sets:
        for pair in read_set(name):
            key = pair_key(pair.claim, pair.evidence)
            if key in seen or key in held_out:
                continue
            seen.add(key)
            out.append(pair)
    return out
