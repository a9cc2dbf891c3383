"""The Binoculars backend on tiny randomly initialised GPT-2 models built locally (no downloads)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsproof.detect import get_detector
from newsproof.detect.binoculars import BinocularsDetector
from newsproof.detect.data import Corpus
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


def test_binoculars_needs_a_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSPROOF_BINOCULARS_OBSERVER", raising=False)
    with pytest.raises(ConfigError, match="local causal LM"):
        get_detector("newsproof.binoculars.v1", config={})
    with pytest.raises(ModelError, match="no local Hugging Face model"):
        BinocularsDetector(tmp_path / "absent").warm_up()
