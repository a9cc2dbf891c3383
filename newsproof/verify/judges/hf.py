"""The `hf` judge: any local Hugging Face sequence-classification NLI model (needs torch)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from newsproof.errors import ModelError
from newsproof.labels import LABELS, Label, map_label
from newsproof.models import Passage
from newsproof.verify.judges.base import BatchByLoop, Judgement, make_judgement, no_evidence_probs

NLI_NAMES: dict[str, Label] = {
    "entailment": Label.SUPPORTED, "entails": Label.SUPPORTED, "entailed": Label.SUPPORTED,
    "contradiction": Label.CONTRADICTED, "contradicts": Label.CONTRADICTED,
    "neutral": Label.NOT_ENOUGH_EVIDENCE, "not entailment": Label.NOT_ENOUGH_EVIDENCE,
    "not_entailment": Label.NOT_ENOUGH_EVIDENCE, "nei": Label.NOT_ENOUGH_EVIDENCE,
}


def nli_label(name: str) -> Label:
    """Our label for a model's id2label name ('entailment' -> SUPPORTED; else the data-set label map)."""
    key = name.strip().lower()
    return NLI_NAMES.get(key) or NLI_NAMES.get(key.replace("-", "_")) or map_label(name)


def decisive(per_passage: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """Claim-level probabilities: those of the passage most confident that it supports or refutes."""
    if not per_passage:
        return no_evidence_probs()
    strength = [max(p.get(Label.SUPPORTED.value, 0.0), p.get(Label.CONTRADICTED.value, 0.0)) for p in per_passage]
    return dict(per_passage[strength.index(max(strength))])


class HFJudge(BatchByLoop):
    """Any local sequence-classification NLI model (premise = passage, hypothesis = claim); needs torch."""

    name = "hf"

    def __init__(self, model_dir: str | Path, max_length: int = 256, batch_size: int = 16) -> None:
        self.model_dir = Path(model_dir)
        self.max_length = max_length
        self.batch_size = batch_size
        self.model_: Any = None
        self.tokenizer_: Any = None
        self.labels_: list[Label] = []

    def warm_up(self) -> None:
        """Load tokenizer and model from the directory, offline (idempotent)."""
        if self.model_ is not None:
            return
        if not self.model_dir.is_dir():
            raise ModelError(f"Hugging Face model directory {self.model_dir} does not exist")
        try:
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError as exc:
            raise ModelError("the hf judge needs transformers and torch; pip install 'newsproof[torch]'") from exc
        self.tokenizer_ = AutoTokenizer.from_pretrained(self.model_dir, local_files_only=True)
        self.model_ = AutoModelForSequenceClassification.from_pretrained(self.model_dir, local_files_only=True)
        self.model_.eval()
        id2label = self.model_.config.id2label
        self.labels_ = [nli_label(str(id2label[i])) for i in range(len(id2label))]

    def passage_probs(self, claim: str, passages: Sequence[Passage]) -> list[dict[str, float]]:
        """Per-passage label probabilities (several model labels mapping to one label are summed)."""
        import torch

        self.warm_up()
        out: list[dict[str, float]] = []
        for i in range(0, len(passages), self.batch_size):
            chunk = passages[i:i + self.batch_size]
            enc = self.tokenizer_([p.text for p in chunk], [claim] * len(chunk), truncation=True,
                                  max_length=self.max_length, padding=True, return_tensors="pt")
            with torch.no_grad():
                probs = torch.softmax(self.model_(**enc).logits, dim=-1).tolist()
            for row in probs:
                d = {lab.value: 0.0 for lab in LABELS}
                for lab, p in zip(self.labels_, row, strict=True):
                    d[lab.value] += float(p)
                out.append(d)
        return out

    def judge(self, claim: str, passages: Sequence[Passage]) -> Judgement:
        """Judge from the most decisive passage."""
        per = self.passage_probs(claim, passages) if passages else []
        return make_judgement(decisive(per), [(p.id, d) for p, d in zip(passages, per, strict=True)], self.name)
