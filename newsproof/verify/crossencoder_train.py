"""Fine-tune the packaged MiniLM as the cross-encoder judge and export it (needs the torch extra).

Rows are the train split of the claim sets (plus mismatched-evidence NOT ENOUGH EVIDENCE rows, as for
the learned judge). Each epoch draws at most `per_set` rows of every data set (seeded), so LIAR's
11k claims do not drown the smaller sets; the loss weighs each (data set, label) cell by the square
root of its inverse frequency. Training checkpoints after every `checkpoint_every` steps and resumes
from the last checkpoint when re-run with the same settings.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsproof.checkpoint import Checkpoint
from newsproof.verify.crossencoder import ARTIFACT, MAX_LENGTH, encode_pairs, evidence_text, pair_tokenizer
from newsproof.verify.dataset import EVIDENCE_SETS
from newsproof.verify.labels import LABELS
from newsproof.verify.train import TrainItem, load_training_examples, training_items

os.environ.setdefault("HF_HUB_OFFLINE", "1")
HEAD_LR_FACTOR = 20.0  # the new classification head learns faster than the pre-trained encoder


def cell_weights(items: Sequence[TrainItem]) -> dict[tuple[str, str], float]:
    """Loss weight per (data set, label): sqrt(set size / (labels in set * cell size)), mean 1 over rows."""
    cells = Counter((it.dataset, it.label.value) for it in items)
    sets = Counter(it.dataset for it in items)
    labels_in = Counter(name for name, _ in cells)
    raw = {cell: math.sqrt(sets[cell[0]] / (labels_in[cell[0]] * n)) for cell, n in cells.items()}
    mean = sum(raw[(it.dataset, it.label.value)] for it in items) / len(items)
    return {cell: w / mean for cell, w in raw.items()}


def epoch_rows(items: Sequence[TrainItem], per_set: int, seed: int) -> list[TrainItem]:
    """At most `per_set` rows of each data set, shuffled (deterministic for a seed)."""
    rng = random.Random(seed)
    out: list[TrainItem] = []
    for name in sorted({it.dataset for it in items}):
        pool = [it for it in items if it.dataset == name]
        out.extend(rng.sample(pool, per_set) if len(pool) > per_set else pool)
    rng.shuffle(out)
    return out


def batches(rows: Sequence[TrainItem], size: int, seed: int) -> list[list[TrainItem]]:
    """Length-bucketed batches (rows of similar length together, batch order shuffled) to cut padding."""
    rng = random.Random(seed)
    chunk = size * 16
    out: list[list[TrainItem]] = []
    for i in range(0, len(rows), chunk):
        part = sorted(rows[i:i + chunk], key=lambda it: len(it.claim) + sum(len(p) for p in it.passages))
        out.extend(part[j:j + size] for j in range(0, len(part), size))
    rng.shuffle(out)
    return out


def base_model(base: str | Path | None) -> tuple[Any, str]:
    """Four-way classifier over the mean-pooled token states of MiniLM (or `base`), plus its tokenizer JSON.

    Mean pooling, not the [CLS] pooler: it is how the sentence-transformers weights were trained, so
    the head starts from meaningful features.
    """
    import torch
    from transformers import AutoModel

    from newsproof.evidence.embed import minilm_dir, tokenizer_json

    folder = Path(base) if base else minilm_dir()
    encoder = AutoModel.from_pretrained(str(folder), local_files_only=True, add_pooling_layer=False)

    class PairClassifier(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(encoder.config.hidden_size, len(LABELS))

        def forward(self, input_ids, attention_mask, token_type_ids):
            states = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(states.dtype)
            pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            return self.head(self.dropout(pooled))

    return PairClassifier(), tokenizer_json(folder)


def export(model: Any, tokenizer_json: str, out: Path, max_length: int) -> Path:
    """Write the int8 ONNX judge with tokenizer, label order and max length in its metadata."""
    from newsproof.onnx_export import export_int8

    meta = {"tokenizer": tokenizer_json, "labels": json.dumps([lab.value for lab in LABELS]),
            "max_length": str(max_length), "source": "newsproof cross-encoder on sentence-transformers/all-MiniLM-L6-v2"}
    return export_int8(model, out, ["logits"], meta)


def train_crossencoder(out: str | Path = ARTIFACT, *, sets: Sequence[str] = EVIDENCE_SETS,
                       limit_per_set: int | None = None, seed: int = 0, epochs: int = 5, per_set: int = 4000,
                       batch_size: int = 16, lr: float = 5e-5, max_length: int = MAX_LENGTH,
                       base: str | Path | None = None, checkpoint_dir: str | Path | None = None,
                       checkpoint_every: int = 100, progress: bool = True) -> dict[str, Any]:
    """Fine-tune, export to `out`, return a summary (path, sha256, bytes, rows, steps)."""
    import torch

    from newsproof.paths import home_dir

    torch.manual_seed(seed)
    np.random.seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    items = training_items(load_training_examples(sets, limit_per_set, seed), seed)
    weights = cell_weights(items)
    model, tokenizer_json = base_model(base)
    model.encoder.get_input_embeddings().weight.requires_grad_(False)  # frozen vocabulary: faster, less overfit
    tokenizer = pair_tokenizer(tokenizer_json, max_length)
    plan = [batches(epoch_rows(items, per_set, seed + e), batch_size, seed + e) for e in range(epochs)]
    total = sum(len(p) for p in plan)
    params = [p for p in model.parameters() if p.requires_grad]
    head = set(map(id, model.head.parameters()))
    optimizer = torch.optim.AdamW([{"params": [p for p in params if id(p) not in head], "lr": lr},
                                   {"params": list(model.head.parameters()), "lr": lr * HEAD_LR_FACTOR}],
                                  weight_decay=0.01)
    warm = max(1, total // 10)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    settings = {"sets": list(sets), "limit": limit_per_set, "seed": seed, "epochs": epochs, "per_set": per_set,
                "batch": batch_size, "lr": lr, "max_length": max_length, "base": str(base or "minilm"),
                "rows": len(items)}
    checkpoint = Checkpoint(Path(checkpoint_dir or home_dir() / "cache" / "verify"), "crossencoder", settings)
    step = 0
    state = checkpoint.load()
    if state is not None:
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        step = int(state["step"])
        torch.set_rng_state(state["rng"])
    label_index = {lab.value: i for i, lab in enumerate(LABELS)}
    flat = [b for p in plan for b in p]
    model.train()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("cross-encoder"), BarColumn(), MofNCompleteColumn(), TextColumn("loss {task.fields[loss]}"),
               TimeRemainingColumn())
    with Progress(*columns, disable=not progress) as bar:
        task = bar.add_task("train", total=total, completed=step, loss="-")
        running = 0.0
        for i in range(step, total):
            batch = flat[i]
            feeds = encode_pairs(tokenizer, [(it.claim, evidence_text(it.passages)) for it in batch])
            inputs = {k: torch.from_numpy(v) for k, v in feeds.items()}
            y = torch.tensor([label_index[it.label.value] for it in batch])
            w = torch.tensor([weights[(it.dataset, it.label.value)] for it in batch], dtype=torch.float32)
            logits = model(**inputs)
            loss = (torch.nn.functional.cross_entropy(logits, y, reduction="none") * w).mean()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            running = 0.9 * running + 0.1 * loss.item() if i > step else loss.item()
            bar.update(task, advance=1, loss=f"{running:.3f}")
            if (i + 1) % checkpoint_every == 0 and i + 1 < total:
                checkpoint.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                                 "scheduler": scheduler.state_dict(), "step": i + 1, "rng": torch.get_rng_state()})
    model.eval()
    out = export(model, tokenizer_json, Path(out), max_length)
    checkpoint.clear()
    return {"path": str(out), "sha256": hashlib.sha256(out.read_bytes()).hexdigest(), "bytes": out.stat().st_size,
            "rows": len(items), "steps": total,
            "trained_on": dict(sorted(Counter(f"{it.dataset}/{it.label.value}" for it in items).items()))}
