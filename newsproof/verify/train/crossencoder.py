"""Fine-tune the packaged MiniLM as the cross-encoder judge and export it (needs the torch extra).

Rows are the train split of the claim sets (plus mismatched-evidence NOT ENOUGH EVIDENCE rows, as for
the learned judge). Each epoch draws at most `per_set` rows of every data set (seeded), so LIAR's
11k claims do not drown the smaller sets; the loss weighs each (data set, label) cell by the square
root of its inverse frequency. Training checkpoints after every `checkpoint_every` steps and resumes
from the last checkpoint when re-run with the same settings.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsproof.labels import LABELS
from newsproof.verify.dataset import EVIDENCE_SETS
from newsproof.verify.judges.crossencoder import (
    ARTIFACT,
    MAX_LENGTH,
    encode_pairs,
    evidence_text,
    pair_tokenizer,
)
from newsproof.verify.train.checkpoint import Checkpoint
from newsproof.verify.train.learned import TrainItem, load_training_examples, training_items
from newsproof.verify.train.pair_model import base_model, export, load_weights, run_steps


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


def train_crossencoder(out: str | Path = ARTIFACT, *, sets: Sequence[str] = EVIDENCE_SETS,
                       limit_per_set: int | None = None, seed: int = 0, epochs: int = 5, per_set: int = 4000,
                       batch_size: int = 16, lr: float = 5e-5, max_length: int = MAX_LENGTH,
                       base: str | Path | None = None, pretrain: str | None = None, split: str = "fit",
                       pretrain_options: dict[str, Any] | None = None, checkpoint_dir: str | Path | None = None, checkpoint_every: int = 100,
                       progress: bool = True) -> dict[str, Any]:
    """Fine-tune (after pre-training on the NLI mixture when `pretrain="nli"`, with `pretrain_options` passed
    to `pretrain_nli`), export to `out`, return a summary (path, sha256, bytes, rows, steps)."""
    import torch

    from newsproof.paths import home_dir

    if pretrain not in (None, "nli"):
        from newsproof.errors import ConfigError, Errors

        raise ConfigError(Errors.E301.format(value=pretrain, name="--pretrain", choices="nli"))
    folder = Path(checkpoint_dir or home_dir() / "cache" / "verify")
    start_from = None
    if pretrain:
        from newsproof.verify.train.nli_pretrain import pretrain_nli

        options = {"seed": seed, "base": base, "progress": progress, **(pretrain_options or {})}
        start_from = pretrain_nli(checkpoint_dir=folder, **options)
    torch.manual_seed(seed)
    np.random.seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    items = training_items(load_training_examples(sets, limit_per_set, seed, split), seed)
    weights = cell_weights(items)
    model, tokenizer_json = base_model(base)
    if start_from is not None:
        model.load_state_dict(load_weights(start_from))
    tokenizer = pair_tokenizer(tokenizer_json, max_length)
    plan = [batches(epoch_rows(items, per_set, seed + e), batch_size, seed + e) for e in range(epochs)]
    settings = {"sets": list(sets), "limit": limit_per_set, "seed": seed, "epochs": epochs, "per_set": per_set,
                "batch": batch_size, "lr": lr, "max_length": max_length, "base": str(base or "minilm"),
                "rows": len(items), "pretrain": start_from.name if start_from else None}
    label_index = {lab.value: i for i, lab in enumerate(LABELS)}

    def loss_of(model: Any, batch: Sequence[TrainItem]) -> Any:
        feeds = encode_pairs(tokenizer, [(it.claim, evidence_text(it.passages)) for it in batch])
        logits = model(**{k: torch.from_numpy(v) for k, v in feeds.items()})
        y = torch.tensor([label_index[it.label.value] for it in batch])
        w = torch.tensor([weights[(it.dataset, it.label.value)] for it in batch], dtype=torch.float32)
        return (torch.nn.functional.cross_entropy(logits, y, reduction="none") * w).mean()

    checkpoint = Checkpoint(folder, "crossencoder", settings)
    run_steps(model, [b for p in plan for b in p], loss_of, lr=lr, checkpoint=checkpoint,
              checkpoint_every=checkpoint_every, progress=progress, title="cross-encoder")
    out = export(model, tokenizer_json, Path(out), max_length)
    checkpoint.clear()
    return {"path": str(out), "sha256": hashlib.sha256(out.read_bytes()).hexdigest(), "bytes": out.stat().st_size,
            "rows": len(items), "steps": sum(len(p) for p in plan), "pretrained": settings["pretrain"],
            "trained_on": dict(sorted(Counter(f"{it.dataset}/{it.label.value}" for it in items).items()))}
