"""Experiment (README, "Machine-generated text"): fine-tune the packaged MiniLM as a detector and mix it
with the shipped stacked detector. Not part of the shipped model: the fine-tuned encoder is ~22 MB as
int8 ONNX, over the detector's 10 MB artifact budget, and adds ~18 ms of CPU per article.

Every MiniLM weight is trained (3 epochs, batches of 16 windows of 126 tokens, one random window of an
article's first two per step, AdamW at 3e-5 with one-cycle schedule, class-weighted loss); an article's
score is the mean logit of its two windows. The mix is the mean of the two models' z-scored dev logits.

Run: .venv/bin/python scripts/detect_finetune.py [--data ../shared/data/mgt] [--epochs 3] [--layers N]
     [--lora RANK --lr 5e-4]
(needs the torch extra, and `pip install peft` for --lora; ~5 min per epoch on 2 CPU cores)
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer

from newsproof.detect import get_detector
from newsproof.detect.data import Corpus, load_corpus
from newsproof.detect.evaluate import binary_metrics
from newsproof.evidence.embed import minilm_dir
from newsproof.paths import shared_data_dir

WINDOWS, WINDOW_TOKENS, BATCH, LR, SEED = 2, 126, 16, 3e-5, 0


class WindowClassifier(torch.nn.Module):
    """MiniLM, mean pooling over tokens, one logit."""

    def __init__(self, layers: int | None = None, lora_rank: int | None = None) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(minilm_dir())
        if layers:  # keep the bottom `layers` transformer layers only (a smaller, faster model)
            self.encoder.encoder.layer = self.encoder.encoder.layer[:layers]
        if lora_rank:  # train low-rank updates of every linear layer; the packaged weights stay frozen
            from peft import LoraConfig, get_peft_model

            config = LoraConfig(r=lora_rank, lora_alpha=2 * lora_rank, lora_dropout=0.05,
                                target_modules=["query", "key", "value", "dense"])
            self.encoder = get_peft_model(self.encoder, config)
        self.head = torch.nn.Linear(self.encoder.config.hidden_size, 1)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        weights = mask[:, :, None].float()
        return self.head((hidden * weights).sum(1) / weights.sum(1).clamp(min=1)).squeeze(-1)


def windows(tokenizer, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    """Token ids and masks of each text's first WINDOWS windows, shape (texts, WINDOWS, WINDOW_TOKENS + 2)."""
    ids = torch.zeros((len(texts), WINDOWS, WINDOW_TOKENS + 2), dtype=torch.long)
    for i, text in enumerate(texts):
        pieces = tokenizer(text, add_special_tokens=False)["input_ids"]
        for j in range(WINDOWS):
            chunk = pieces[j * WINDOW_TOKENS:(j + 1) * WINDOW_TOKENS]
            if chunk or j == 0:
                seq = [tokenizer.cls_token_id, *chunk, tokenizer.sep_token_id]
                ids[i, j, :len(seq)] = torch.tensor(seq)
    return ids, (ids != 0).long()


def train(net: WindowClassifier, ids: torch.Tensor, mask: torch.Tensor, labels: np.ndarray, epochs: int,
          lr: float = LR) -> None:
    """Fine-tune the trainable weights on one random window per article per step."""
    y = torch.tensor(labels, dtype=torch.float32)
    optimiser = torch.optim.AdamW([p for p in net.parameters() if p.requires_grad], lr=lr, weight_decay=0.01)
    steps = epochs * (len(y) // BATCH)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=lr, total_steps=steps, pct_start=0.1)
    pos_weight = (y == 0).sum() / (y == 1).sum()
    rng = torch.Generator().manual_seed(SEED)
    for epoch in range(epochs):
        net.train()
        order, start = torch.randperm(len(y), generator=rng), time.time()
        for s in range(0, len(y) - BATCH + 1, BATCH):
            rows = order[s:s + BATCH]
            pick = torch.randint(0, WINDOWS, (BATCH,), generator=rng)
            batch_ids, batch_mask = ids[rows, pick], mask[rows, pick]
            keep = batch_mask.any(-1)  # a short article has an empty second window
            width = int(batch_mask.sum(-1).max())
            logits = net(batch_ids[keep, :width], batch_mask[keep, :width])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, y[rows][keep], pos_weight=pos_weight)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
        print(f"epoch {epoch + 1}/{epochs}: {time.time() - start:.0f} s", flush=True)


@torch.no_grad()
def article_logits(net: WindowClassifier, ids: torch.Tensor, mask: torch.Tensor) -> np.ndarray:
    """Mean logit over each article's non-empty windows."""
    net.eval()
    out = []
    for s in range(0, len(ids), 32):
        block_ids, block_mask = ids[s:s + 32], mask[s:s + 32]
        n = len(block_ids)
        logits = net(block_ids.reshape(n * WINDOWS, -1), block_mask.reshape(n * WINDOWS, -1)).reshape(n, WINDOWS)
        valid = block_mask.any(-1).float()  # a short article's second window is empty
        out.append((logits * valid).sum(1) / valid.sum(1))
    return torch.cat(out).numpy()


def zscore(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / x.std()


def summary(dev: Corpus, logits: np.ndarray) -> dict[str, float]:
    metrics = binary_metrics(dev.labels, 1 / (1 + np.exp(-logits)))
    return {"auroc": round(metrics["auroc"], 4), "tpr_at_1pct_fpr": round(metrics["tpr_at_1pct_fpr"], 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=None, help="folder with train.jsonl and dev.jsonl")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--layers", type=int, default=None, help="keep only the bottom N of MiniLM's 6 layers")
    parser.add_argument("--lora", type=int, default=None, metavar="RANK",
                        help="train rank-RANK updates of the linear layers only (needs `pip install peft`)")
    parser.add_argument("--lr", type=float, default=LR, help="peak learning rate (LoRA wants ~10x the default)")
    args = parser.parse_args()
    data = args.data or shared_data_dir() / "mgt"
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    train_set, dev = load_corpus(f"{data}/train.jsonl"), load_corpus(f"{data}/dev.jsonl")
    tokenizer = AutoTokenizer.from_pretrained(minilm_dir())
    net = WindowClassifier(args.layers, args.lora)
    trainable = sum(p.numel() for p in net.parameters() if p.requires_grad)
    train(net, *windows(tokenizer, train_set.texts), train_set.labels, args.epochs, args.lr)
    tuned = article_logits(net, *windows(tokenizer, dev.texts))
    shipped = np.clip(get_detector("default").probabilities(dev.texts), 1e-6, 1 - 1e-6)
    stack = np.log(shipped / (1 - shipped))
    print(json.dumps({
        "trained weights": trainable,
        "shipped stack": summary(dev, stack),
        "fine-tuned MiniLM": summary(dev, tuned),
        "mean of z-scored logits": summary(dev, (zscore(stack) + zscore(tuned)) / 2),
    }, indent=2))


if __name__ == "__main__":
    main()
