"""A tiny cross-encoder base for training tests (imported by the tests of this folder)."""

from __future__ import annotations

import shutil

import pytest


def tiny_bert(folder):
    """A 2-layer, 32-wide BERT with random weights and the packaged MiniLM tokenizer."""
    pytest.importorskip("torch")
    from transformers import BertConfig, BertModel

    from newsproof.encoders import minilm_dir

    config = BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=512)
    BertModel(config).save_pretrained(folder)
    for name in ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json"):
        if (minilm_dir() / name).is_file():
            shutil.copy(minilm_dir() / name, folder / name)
    return folder


def interrupted(monkeypatch, run, step: int = 5) -> None:
    """Call `run()` with the optimizer's `step`-th update raising KeyboardInterrupt (a simulated kill)."""
    import torch

    real_step, calls = torch.optim.AdamW.step, {"n": 0}

    def crash(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == step:
            raise KeyboardInterrupt("simulated kill")
        return real_step(self, *args, **kwargs)

    monkeypatch.setattr(torch.optim.AdamW, "step", crash)
    with pytest.raises(KeyboardInterrupt):
        run()
    monkeypatch.setattr(torch.optim.AdamW, "step", real_step)
