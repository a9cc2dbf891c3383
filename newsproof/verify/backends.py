"""Optional entailment backends: a local Hugging Face NLI model, an OpenAI-compatible chat endpoint."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from newsproof.errors import ConfigError, ModelError
from newsproof.models import Passage
from newsproof.verify.entailment import BatchByLoop, Judgement, make_judgement, no_evidence_probs
from newsproof.verify.labels import LABELS, Label, map_label

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


PROMPT = (
    "You check news claims against evidence passages. Answer with one JSON object only: "
    '{"verdict": "SUPPORTED" | "CONTRADICTED" | "NOT ENOUGH EVIDENCE" | "CONFLICTING", '
    '"confidence": number between 0 and 1, "supporting": [passage ids], "refuting": [passage ids]}. '
    "Use only the passages; if they do not settle the claim, answer NOT ENOUGH EVIDENCE."
)
_JSON = re.compile(r"\{.*\}", re.S)


class ChatJudge(BatchByLoop):
    """An OpenAI-compatible `/chat/completions` endpoint (off by default; URL and key from config or env)."""

    name = "chat"

    def __init__(self, url: str, model: str, api_key: str | None = None, timeout: float = 60.0) -> None:
        self.url = url.rstrip("/")
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.client_: Any = None

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> ChatJudge:
        """Build from `[verify.chat]` (url, model, api_key_env, timeout_s) or $NEWSPROOF_CHAT_URL/_MODEL/_API_KEY."""
        url = section.get("url") or os.environ.get("NEWSPROOF_CHAT_URL")
        if not url:
            raise ConfigError("the chat judge is off: set verify.chat.url or $NEWSPROOF_CHAT_URL")
        key = os.environ.get(str(section.get("api_key_env", "NEWSPROOF_CHAT_API_KEY")))
        model = section.get("model") or os.environ.get("NEWSPROOF_CHAT_MODEL") or "default"
        return cls(str(url), str(model), key, float(section.get("timeout_s", 60.0)))

    def warm_up(self) -> None:
        """Open the HTTP client (idempotent)."""
        if self.client_ is None:
            import httpx

            headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
            self.client_ = httpx.Client(timeout=self.timeout, headers=headers)

    def ask(self, claim: str, passages: Sequence[Passage]) -> dict[str, Any]:
        """Send one claim with its passages; return the parsed JSON answer."""
        import httpx

        self.warm_up()
        evidence = "\n".join(f"[{p.id}] {p.text}" for p in passages)
        body = {"model": self.model, "temperature": 0,
                "messages": [{"role": "system", "content": PROMPT},
                             {"role": "user", "content": f"Claim: {claim}\n\nPassages:\n{evidence}"}]}
        try:
            response = self.client_.post(f"{self.url}/chat/completions", json=body)
            response.raise_for_status()
            content = response.json()["choices"][0]["message"]["content"]
            match = _JSON.search(content)
            return json.loads(match.group(0) if match else content)
        except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as exc:
            raise ModelError(f"chat judge at {self.url} failed: {exc}") from exc

    def judge(self, claim: str, passages: Sequence[Passage]) -> Judgement:
        """Ask the endpoint; its verdict gets its confidence, the rest is spread evenly."""
        if not passages:
            return make_judgement(no_evidence_probs(), [], self.name)
        answer = self.ask(claim, passages)
        label = map_label(str(answer.get("verdict", "")))
        conf = min(max(float(answer.get("confidence", 0.7)), 0.0), 1.0)
        probs = {lab.value: conf if lab is label else (1 - conf) / 3 for lab in LABELS}
        ids = {p.id for p in passages}
        per = [(pid, {Label.SUPPORTED.value: 1.0}) for pid in answer.get("supporting", []) if pid in ids]
        per += [(pid, {Label.CONTRADICTED.value: 1.0}) for pid in answer.get("refuting", []) if pid in ids]
        return make_judgement(probs, per, self.name)
