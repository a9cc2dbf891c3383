"""The MiniLM window member: windows, LoRA updates on the int8 ONNX encoder, training."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from newsproof.detect.train.data import Corpus, file_sha256
from newsproof.detect.windows import (
    TRAIN_WINDOWS,
    WINDOW_TOKENS,
    WindowMember,
    WindowScorer,
    merge_updates,
    window_ids,
)
from newsproof.encoders import ONNX_MODEL, minilm_dir, plain_tokenizer, session_tokenizer_json, tokenizer_json
from newsproof.errors import ModelError


@pytest.fixture(scope="module")
def tokenizer():  # type: ignore[no-untyped-def]
    if not ONNX_MODEL.is_file():
        pytest.skip("the int8 MiniLM encoder is not built")
    import onnxruntime as ort

    return plain_tokenizer(session_tokenizer_json(ort.InferenceSession(str(ONNX_MODEL), providers=["CPUExecutionProvider"])))


def test_windows_are_consecutive_token_spans(tokenizer, long_dev: Corpus) -> None:  # type: ignore[no-untyped-def]
    long_text = max(long_dev.texts, key=len)
    ids = window_ids(tokenizer, [long_text, "A short note."], 2)
    assert ids.shape == (2, 2, WINDOW_TOKENS + 2)
    pieces = tokenizer.encode(long_text, add_special_tokens=False).ids
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    assert list(ids[0, 0]) == [cls, *pieces[:WINDOW_TOKENS], sep]
    assert list(ids[0, 1]) == [cls, *pieces[WINDOW_TOKENS : 2 * WINDOW_TOKENS], sep]
    short = tokenizer.encode("A short note.", add_special_tokens=False).ids
    assert list(ids[1, 0, : len(short) + 2]) == [cls, *short, sep] and not ids[1, 0, len(short) + 2 :].any()
    assert not ids[1, 1].any()  # no second window for a short text


def test_unknown_layer_is_a_model_error() -> None:
    if not ONNX_MODEL.is_file():
        pytest.skip("the int8 MiniLM encoder is not built")
    bogus = {"encoder.layer.9.attention.self.query": (np.zeros((384, 2), np.float16), np.zeros((2, 384), np.float16))}
    with pytest.raises(ModelError, match="no dynamic-int8 linear layer"):
        merge_updates(ONNX_MODEL.read_bytes(), bogus)


def test_onnx_member_matches_the_torch_network(long_dev: Corpus) -> None:
    """The updates merged into the int8 graph reproduce the torch network (up to int8 error), and matter."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("peft")
    from newsproof.detect.train.windows import build_network, to_member, torch_logits

    if not ONNX_MODEL.is_file():
        pytest.skip("the int8 MiniLM encoder is not built")
    torch.manual_seed(1)
    net = build_network(minilm_dir())
    with torch.no_grad():  # an untrained network has zero updates; give it random ones and a random head
        for name, param in net.named_parameters():
            if "lora_B" in name:
                param.normal_(0, 0.05)
        net.head.weight.normal_(0, 0.2)
    texts = long_dev.texts[:16]
    member = to_member(net)
    reference = torch_logits(net, window_ids(plain_tokenizer(tokenizer_json()), texts, member.windows))
    assert len(member.updates) == 36  # q, k, v, attention output, intermediate, output of 6 layers
    onnx_logits = WindowScorer(member).logits(texts)
    plain = WindowScorer(WindowMember({}, member.head_weight, member.head_bias)).logits(texts)
    assert np.corrcoef(reference, onnx_logits)[0, 1] > 0.95
    assert np.abs(reference - onnx_logits).mean() < 0.5 * np.abs(reference - plain).mean()


@pytest.mark.slow
def test_training_with_the_window_member_is_reproducible(mgt_dir: Path, tmp_path: Path, long_dev: Corpus) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("peft")
    from newsproof.detect.feature_detector import FeatureDetector
    from newsproof.detect.train.stack import train_detector
    from newsproof.detect.windows import SIGNAL

    runs = [train_detector(mgt_dir, tmp_path / name / "det.joblib", candidates=("stacked+gbm",), limit=120,
                           window=True, window_epochs=1) for name in ("a", "b")]
    assert file_sha256(tmp_path / "a" / "det.joblib") == file_sha256(tmp_path / "b" / "det.joblib")
    assert runs[0] == runs[1]
    meta = json.loads((tmp_path / "a" / "det.json").read_text())
    window = meta["window_member"]
    assert meta["artifact_version"] == 3 and window["n_fit"] + window["n_holdout"] == meta["n_train"] == 120
    assert len(window["mix_coefficients"]) == 3 and window["dev_member_alone"]["n"] == meta["n_dev"]
    det = FeatureDetector(tmp_path / "a" / "det.joblib", name="trained")
    text = long_dev.texts[0]
    result = det.score(text)
    assert result.probability is not None and 0.0 <= result.probability <= 1.0
    assert det.model_ is not None and det.scorer_ is not None
    window_logit = float(det.scorer_.logits([text])[0])
    probs, explained = det.model_.score_and_explain(det.model_.columns([text], det.extractor_), window_logit)
    assert explained[-1][:2] == (SIGNAL, window_logit)
    assert probs[0] == pytest.approx(det.probabilities([text])[0])


def test_interrupted_training_resumes_to_the_same_weights(long_dev: Corpus, tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    pytest.importorskip("peft")
    from newsproof.detect.train.windows import build_network, fit
    from newsproof.verify.train.checkpoint import Checkpoint

    texts, labels = long_dev.texts[:16], long_dev.labels[:16]  # one step of 16 per epoch
    assert 0 < labels.sum() < len(labels)
    ids = window_ids(plain_tokenizer(tokenizer_json()), texts, TRAIN_WINDOWS)

    def trained(checkpoint: Checkpoint | None, stop_at: int | None = None) -> dict:
        torch.manual_seed(0)
        net = build_network(minilm_dir())

        def progress(done: int, total: int) -> None:
            if done == stop_at:
                raise KeyboardInterrupt

        fit(net, ids, labels, epochs=2, progress=progress, checkpoint=checkpoint)
        return {n: p.detach().clone() for n, p in net.named_parameters() if p.requires_grad}

    straight = trained(None)
    checkpoint = Checkpoint(tmp_path, "window-member", {"test": 1})
    with pytest.raises(KeyboardInterrupt):
        trained(checkpoint, stop_at=2)  # the step of epoch 2, after epoch 1 was saved
    assert checkpoint.path.is_file()
    resumed = trained(checkpoint)
    assert straight.keys() == resumed.keys()
    assert all(torch.equal(straight[name], resumed[name]) for name in straight)


def test_a_step_whose_picked_windows_are_all_empty_is_skipped(long_dev: Corpus) -> None:
    torch = pytest.importorskip("torch")
    pytest.importorskip("peft")
    from newsproof.detect.train.windows import build_network, fit

    labels = long_dev.labels[:16]  # one step of 16
    ids = np.zeros((16, TRAIN_WINDOWS, WINDOW_TOKENS + 2), dtype=np.int64)  # every picked window empty
    torch.manual_seed(0)
    net = build_network(minilm_dir())
    before = {n: p.detach().clone() for n, p in net.named_parameters() if p.requires_grad}
    steps: list[int] = []
    fit(net, ids, labels, epochs=1, progress=lambda done, total: steps.append(done))
    assert steps == [1]
    assert all(torch.equal(before[n], p) for n, p in net.named_parameters() if p.requires_grad)
