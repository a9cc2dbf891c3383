"""The `chat` judge: an OpenAI-compatible `/chat/completions` endpoint (off by default)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

from newsproof.errors import ConfigError, ModelError
from newsproof.labels import LABELS, Label, map_label
from newsproof.models import Passage
from newsproof.verify.judges.base import BatchByLoop, Judgement, make_judgement, no_evidence_probs

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
        """Build from a complete `[verify.chat]` (url, model, api_key_env, timeout_s) or $NEWSPROOF_CHAT_URL/_MODEL/_API_KEY."""
        url = section["url"] or os.environ.get("NEWSPROOF_CHAT_URL")
        if not url:
            raise ConfigError("the chat judge is off: set verify.chat.url or $NEWSPROOF_CHAT_URL")
        key = os.environ.get(section["api_key_env"])
        model = section["model"] or os.environ.get("NEWSPROOF_CHAT_MODEL") or "default"
        return cls(str(url), model, key, section["timeout_s"])

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
