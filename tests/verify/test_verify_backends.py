"""HF backend on a tiny randomly initialised BERT built here; chat backend against a local stub server."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from newsproof.errors import ConfigError, ModelError
from newsproof.labels import Label
from newsproof.models import Passage, Verdict
from newsproof.verify.dataset import read_examples
from newsproof.verify.judges import get_judge


@pytest.fixture(scope="module")
def example(claims_dir):
    ex = next(e for e in read_examples(claims_dir / "climate_fever" / "data.jsonl", split="dev")
              if e.label is Label.CONTRADICTED)
    return ex.claim, list(ex.passages)


@pytest.fixture(scope="module")
def tiny_nli(tmp_path_factory, example):
    """A 1-layer BERT classifier whose bias makes 'contradiction' win, with a word-level vocab."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    folder = tmp_path_factory.mktemp("tiny-nli")
    claim, passages = example
    words = sorted({w for t in [claim] + [p.text for p in passages] for w in t.lower().split()})
    (folder / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]))
    tokenizer = transformers.BertTokenizerFast(vocab_file=str(folder / "vocab.txt"))
    config = transformers.BertConfig(vocab_size=len(words) + 5, hidden_size=32, num_hidden_layers=1,
                                     num_attention_heads=2, intermediate_size=37, num_labels=3,
                                     id2label={0: "entailment", 1: "neutral", 2: "contradiction"},
                                     label2id={"entailment": 0, "neutral": 1, "contradiction": 2})
    torch.manual_seed(0)
    model = transformers.BertForSequenceClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.tensor([0.0, 0.0, 4.0]))
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def test_hf_judge_maps_id2label(tiny_nli, example):
    claim, passages = example
    judge = get_judge(f"hf:{tiny_nli}")
    result = judge.judge(claim, passages)
    assert result.verdict is Verdict.CONTRADICTED and result.backend == "hf"
    assert len(result.per_passage) == len(passages)
    for _, probs in result.per_passage:
        assert probs[Label.CONTRADICTED.value] > 0.9 and abs(sum(probs.values()) - 1) < 1e-6
    assert result.refuting and set(result.refuting) <= {p.id for p in passages}
    assert judge.judge(claim, []).verdict is Verdict.NOT_ENOUGH_EVIDENCE


def test_hf_judge_missing_dir(tmp_path):
    with pytest.raises(ModelError):
        get_judge(f"hf:{tmp_path / 'nope'}").warm_up()


class _Stub(BaseHTTPRequestHandler):
    requests: list[dict] = []
    answer = ""

    def do_POST(self):  # noqa: N802 - http.server API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Stub.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": _Stub.answer}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture()
def stub_url():
    server = HTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Stub.requests.clear()
    yield f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()
    server.server_close()


def test_chat_judge_against_stub(stub_url, example, monkeypatch):
    claim, passages = example
    monkeypatch.setenv("NEWSPROOF_CHAT_API_KEY", "sk-test")
    _Stub.answer = ('Here you go: {"verdict": "CONTRADICTED", "confidence": 0.8, "supporting": [], '
                    f'"refuting": ["{passages[0].id}", "made-up-id"]}}')
    judge = get_judge("chat", {"chat": {"url": stub_url, "model": "stub-model"}})
    result = judge.judge(claim, passages)
    assert result.verdict is Verdict.CONTRADICTED and result.confidence == pytest.approx(0.8)
    assert result.refuting == [passages[0].id]
    (req,) = _Stub.requests
    assert req["path"] == "/v1/chat/completions" and req["auth"] == "Bearer sk-test"
    assert req["body"]["model"] == "stub-model" and claim in req["body"]["messages"][1]["content"]
    assert passages[0].id in req["body"]["messages"][1]["content"]


def test_chat_judge_errors(stub_url, monkeypatch):
    monkeypatch.delenv("NEWSPROOF_CHAT_URL", raising=False)
    _Stub.answer = "I cannot answer that."
    judge = get_judge("chat", {"chat": {"url": stub_url}})
    with pytest.raises(ModelError):
        judge.judge("The sky is green.", [Passage(id="p1", text="The sky is blue.")])
    with pytest.raises(ConfigError):
        get_judge("chat", {})
    with pytest.raises(ConfigError):
        get_judge("nonsense")
