"""Claim-set JSONL files (the `shared/data/claims` format) as labelled examples, with a fixed dev split."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsproof.errors import InputError
from newsproof.models import Passage
from newsproof.verify.labels import Label, map_label

# Claim sets with evidence text, used for training and evaluation (snopes has none).
EVIDENCE_SETS: tuple[str, ...] = ("climate_fever", "averitec", "covidfact", "liar_plus")
DEV_PERCENT = 20


@dataclass(frozen=True)
class Example:
    """One labelled claim with its gold evidence passages."""

    id: str
    claim: str
    label: Label
    raw_label: str
    passages: tuple[Passage, ...]
    dataset: str

    @property
    def group(self) -> str:
        """Split key: claims sharing evidence (e.g. COVID-Fact counter-claims) stay on one side."""
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


def iter_examples(path: str | Path) -> Iterator[Example]:
    """Examples from a claims JSONL file; lines must have `id`, `claim`, `label`, `evidence`."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"claims file {path} does not exist")
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                rid, label = str(rec["id"]), str(rec["label"])
                yield Example(rid, str(rec["claim"]), map_label(label), label,
                              _passages(rid, rec.get("evidence") or []), dataset_of(rid))
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise InputError(f"{path}:{lineno}: not a claims record ({exc})") from exc


def read_examples(path: str | Path, *, with_evidence: bool = True, split: str = "all") -> list[Example]:
    """Examples of a file; `with_evidence` drops claims without passages; split: all | train | dev."""
    if split not in ("all", "train", "dev"):
        raise InputError(f"invalid split {split!r}; valid choices: all, train, dev")
    out = [ex for ex in iter_examples(path) if ex.passages or not with_evidence]
    return out if split == "all" else [ex for ex in out if is_dev(ex) == (split == "dev")]


def is_dev(example: Example) -> bool:
    """Deterministic 20% dev split by a hash of the example's group key."""
    digest = hashlib.sha1(example.group.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 100 < DEV_PERCENT


def claims_file(name: str) -> Path | None:
    """Path of a shared claim set's data.jsonl, or None when the shared data is absent."""
    from newsproof.paths import shared_data_dir

    root = shared_data_dir()
    path = root / "claims" / name / "data.jsonl" if root else None
    return path if path and path.is_file() else None
