"""Claim-set JSONL files as labelled examples, with fixed dev and tune splits.

Two record formats are read: the `shared/data/claims` format (`id`, `claim`, `label`, `evidence`) and the
`shared/data/nli` pair format (`premise`, `hypothesis`, `label`, optional `case_id`), plain or gzipped.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsproof.errors import InputError
from newsproof.labels import Label, known_label, map_label
from newsproof.models import Passage

# Claim sets with evidence text, used for training and evaluation (snopes has none).
EVIDENCE_SETS: tuple[str, ...] = ("climate_fever", "averitec", "covidfact", "liar_plus")
DEV_PERCENT = 20
TUNE_PERCENT = 10  # carved from the training side: ensemble blends are chosen here, never on dev
SPLITS = ("all", "fit", "train", "tune", "dev")  # fit = train + tune: what the shipped models learn from
# NLI labels of the pair format when a set has no fact-verification label
NLI_LABELS: dict[str, Label] = {"entailment": Label.SUPPORTED, "contradiction": Label.CONTRADICTED,
                                "neutral": Label.NOT_ENOUGH_EVIDENCE}


@dataclass(frozen=True)
class Example:
    """One labelled claim with its gold evidence passages."""

    id: str
    claim: str
    label: Label
    raw_label: str
    passages: tuple[Passage, ...]
    dataset: str
    case: str = ""

    @property
    def group(self) -> str:
        """Split key: claims sharing evidence (e.g. COVID-Fact counter-claims) or a VitaminC case (a claim
        against evidence before and after an edit) stay on one side."""
        if self.case:
            return self.case
        return self.passages[0].text[:200] if self.passages else self.id


def dataset_of(record_id: str) -> str:
    """Data-set name from a record id prefix ('climate-fever-12' -> 'climate_fever')."""
    prefix = record_id.rsplit("-", 1)[0]
    for name in ("climate_fever", "averitec", "covidfact", "liar", "snopes"):
        if prefix.replace("-", "_").startswith(name):
            return "liar_plus" if name == "liar" else name
    return prefix


def _passages(record_id: str, evidence: list[dict]) -> tuple[Passage, ...]:
    return tuple(
        Passage(id=f"{record_id}#e{i}", text=str(ev["text"]), title=ev.get("title"), url=ev.get("url"),
                kind="evidence", source=dataset_of(record_id))
        for i, ev in enumerate(evidence)
        if isinstance(ev, dict) and str(ev.get("text") or "").strip()
    )


def pair_example(rec: dict, dataset: str) -> Example:
    """An Example from an NLI-format pair: the hypothesis is the claim, the premise its one passage."""
    rid, raw = f"{dataset}-{rec['id']}", str(rec["label"])
    label = known_label(raw) or NLI_LABELS.get(str(rec.get("label_nli")))
    if label is None:
        raise KeyError(f"label {raw!r} is not a single verdict class")
    passage = Passage(id=f"{rid}#e0", text=str(rec["premise"]), kind="evidence", source=dataset)
    return Example(rid, str(rec["hypothesis"]), label, raw, (passage,), dataset, str(rec.get("case_id") or ""))


def iter_examples(path: str | Path) -> Iterator[Example]:
    """Examples from a claims JSONL file (`id`, `claim`, `label`, `evidence`) or an NLI pair file."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"claims file {path} does not exist")
    pair_set = path.parent.name
    with (gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")) as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                if "premise" in rec:
                    yield pair_example(rec, pair_set)
                    continue
                rid, label = str(rec["id"]), str(rec["label"])
                yield Example(rid, str(rec["claim"]), map_label(label), label,
                              _passages(rid, rec.get("evidence") or []), dataset_of(rid))
            except (json.JSONDecodeError, KeyError, TypeError, OSError, EOFError) as exc:
                raise InputError(f"{path}:{lineno}: not a claims record ({exc})") from exc


def read_examples(path: str | Path, *, with_evidence: bool = True, split: str = "all") -> list[Example]:
    """Examples of a file; `with_evidence` drops claims without passages; split: all | fit (train + tune) |
    train | tune | dev."""
    if split not in SPLITS:
        raise InputError(f"invalid split {split!r}; valid choices: {', '.join(SPLITS)}")
    out = [ex for ex in iter_examples(path) if ex.passages or not with_evidence]
    if split == "all":
        return out
    if split == "fit":
        return [ex for ex in out if split_of(ex) != "dev"]
    return [ex for ex in out if split_of(ex) == split]


def split_of(example: Example) -> str:
    """Deterministic split by a hash of the example's group key: 20 % dev, 10 % tune, the rest train."""
    digest = hashlib.sha1(example.group.encode("utf-8")).digest()
    bucket = int.from_bytes(digest[:4], "big") % 100
    return "dev" if bucket < DEV_PERCENT else "tune" if bucket < DEV_PERCENT + TUNE_PERCENT else "train"


def is_dev(example: Example) -> bool:
    """Whether the example is in the held-out dev split."""
    return split_of(example) == "dev"


def claims_file(name: str) -> Path | None:
    """Path of a shared claim set's data.jsonl, or None when the shared data is absent."""
    from newsproof.paths import shared_data_dir

    root = shared_data_dir()
    path = root / "claims" / name / "data.jsonl" if root else None
    return path if path and path.is_file() else None
