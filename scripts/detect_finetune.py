"""Experiment (README, "Machine-generated text"): fine-tune the packaged MiniLM as a detector and mix it
with the shipped feature stack. The shipped window member (`newsproof train detect --window`) is the
`--lora 16 --lr 5e-4` variant of this; the full fine-tune is ~22 MB as int8 ONNX, over the detector's
10 MB artifact budget.

Every MiniLM weight is trained (3 epochs, batches of 16 windows of 126 tokens, one random window of an
article's first two per step, AdamW with one-cycle schedule, class-weighted loss; the loop is
`newsproof.detect.train.windows.fit`); an article's score is the mean logit of its two windows. The mix is
the mean of the two models' z-scored dev logits.

Run: .venv/bin/python scripts/detect_finetune.py [--data ../shared/data/mgt] [--epochs 3] [--layers N]
     [--lora RANK --lr 5e-4]
(needs the torch extra; ~5 min per epoch on 2 CPU cores)
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from newsproof.detect import get_detector
from newsproof.detect.metrics import binary_metrics
from newsproof.detect.train.data import Corpus, load_corpus
from newsproof.detect.train.windows import SEED, THREADS, build_network, fit, torch_logits
from newsproof.detect.windows import TRAIN_WINDOWS, window_ids
from newsproof.encoders import minilm_dir, plain_tokenizer, tokenizer_json
from newsproof.paths import shared_data_dir

FULL_LR = 3e-5


def zscore(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / x.std()


def summary(dev: Corpus, logits: np.ndarray) -> dict[str, float]:
    metrics = binary_metrics(dev.labels, 1 / (1 + np.exp(-logits)))
    return {"auroc": round(metrics["auroc"], 4), "tpr_at_1pct_fpr": round(metrics["tpr_at_1pct_fpr"], 3)}


def main() -> None:
    import torch

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=None, help="folder with train.jsonl and dev.jsonl")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--layers", type=int, default=None, help="keep only the bottom N of MiniLM's 6 layers")
    parser.add_argument("--lora", type=int, default=None, metavar="RANK",
                        help="train rank-RANK updates of the linear layers only (default: every weight)")
    parser.add_argument("--lr", type=float, default=FULL_LR, help="peak learning rate (LoRA wants ~10x the default)")
    args = parser.parse_args()
    data = args.data or shared_data_dir() / "mgt"
    torch.manual_seed(SEED)
    torch.set_num_threads(THREADS)
    train_set, dev = load_corpus(f"{data}/train.jsonl"), load_corpus(f"{data}/dev.jsonl")
    tokenizer = plain_tokenizer(tokenizer_json())
    net = build_network(minilm_dir(), rank=args.lora, layers=args.layers)
    trainable = sum(p.numel() for p in net.parameters() if p.requires_grad)
    fit(net, window_ids(tokenizer, train_set.texts, TRAIN_WINDOWS), train_set.labels, epochs=args.epochs, lr=args.lr)
    tuned = torch_logits(net, window_ids(tokenizer, dev.texts, TRAIN_WINDOWS))
    shipped = np.clip(get_detector("newsproof.features.v2").probabilities(dev.texts), 1e-6, 1 - 1e-6)
    stack = np.log(shipped / (1 - shipped))
    print(json.dumps({
        "trained weights": trainable,
        "shipped stack": summary(dev, stack),
        "fine-tuned MiniLM": summary(dev, tuned),
        "mean of z-scored logits": summary(dev, (zscore(stack) + zscore(tuned)) / 2),
    }, indent=2))


if __name__ == "__main__":
    main()
