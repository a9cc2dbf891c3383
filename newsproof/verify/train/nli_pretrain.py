"""Pre-train the cross-encoder on the entailment mixture before its claim-set fine-tuning (torch extra).

Intermediate training on NLI teaches the encoder to read a claim against its evidence word by word,
which the five claim sets are too small to teach (COVID-Fact's refuted claims differ from supported
ones by one word). Each epoch draws at most `per_set` groups' worth of rows from every set (seeded),
so no set dominates; the loss weighs each (set, target) cell by the square root of its inverse
frequency. A binary set's "not entailed" row is scored by the log of the probability mass on
CONTRADICTED plus NOT ENOUGH EVIDENCE. With `margin > 0`, twins in a batch (a VitaminC claim against
evidence before and after an edit; a counterfactual SNLI edit and its original) with different labels
add a hinge loss: each twin's own label must be at least `margin` log-probability likelier for it than
for its twin. Rows of a group always share a batch. The result is a weights file in the checkpoint
folder, keyed by the settings; a second call with the same settings returns it without training.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsproof.labels import LABELS
from newsproof.verify.judges.crossencoder import encode_pairs, pair_tokenizer
from newsproof.verify.train.checkpoint import Checkpoint
from newsproof.verify.train.nli_data import NLI_SETS, NliPair, load_mixture
from newsproof.verify.train.pair_model import base_model, run_steps, save_weights

PRETRAIN_MAX_LENGTH = 128  # the mixture's pairs are sentences; longer pairs are rare and cut at the premise


def cell_key(pair: NliPair) -> tuple[str, str]:
    """Loss-weight cell: set and target labels."""
    return pair.dataset, "+".join(t.value for t in pair.targets)


def mixture_weights(pairs: Sequence[NliPair]) -> dict[tuple[str, str], float]:
    """Loss weight per (set, target): sqrt(set size / (cells in set * cell size)), mean 1 over rows."""
    cells = Counter(cell_key(p) for p in pairs)
    sets = Counter(p.dataset for p in pairs)
    per_set = Counter(name for name, _ in cells)
    raw = {cell: (sets[cell[0]] / (per_set[cell[0]] * n)) ** 0.5 for cell, n in cells.items()}
    mean = sum(raw[cell_key(p)] for p in pairs) / len(pairs)
    return {cell: w / mean for cell, w in raw.items()}


def grouped_batches(pairs: Sequence[NliPair], per_set: int, size: int, seed: int) -> list[list[NliPair]]:
    """One epoch: at most ~`per_set` rows of each set, whole groups kept together, length-bucketed batches."""
    rng = random.Random(seed)
    groups: dict[tuple[str, str], list[NliPair]] = defaultdict(list)
    for p in pairs:
        groups[(p.dataset, p.group)].append(p)
    units: list[list[NliPair]] = []
    for name in sorted({p.dataset for p in pairs}):
        keys = sorted(k for k in groups if k[0] == name)
        rng.shuffle(keys)
        taken = 0
        for key in keys:
            if taken >= per_set:
                break
            units.append(groups[key][:size])
            taken += len(units[-1])
    rng.shuffle(units)
    out: list[list[NliPair]] = []
    chunk = size * 16
    current: list[NliPair] = []
    for i in range(0, len(units), chunk):
        part = sorted(units[i:i + chunk], key=lambda u: max(len(p.claim) + len(p.evidence) for p in u))
        for unit in part:
            if len(current) + len(unit) > size:
                out.append(current)
                current = []
            current.extend(unit)
    if current:
        out.append(current)
    rng.shuffle(out)
    return out


def pretrain_nli(*, sets: Sequence[str] = tuple(NLI_SETS), seed: int = 0, epochs: int = 1, per_set: int = 1500,
                 batch_size: int = 32, lr: float = 5e-5, margin: float = 1.0, margin_weight: float = 0.5,
                 max_length: int = PRETRAIN_MAX_LENGTH, base: str | Path | None = None,
                 checkpoint_dir: Path, checkpoint_every: int = 50, progress: bool = True) -> Path:
    """Pre-train on the NLI mixture; return the path of the weights file (reused when it exists)."""
    import torch

    settings = {"sets": list(sets), "seed": seed, "epochs": epochs, "per_set": per_set, "batch": batch_size,
                "lr": lr, "margin": margin, "margin_weight": margin_weight, "max_length": max_length,
                "base": str(base or "minilm")}
    key = hashlib.sha1(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:12]
    result = checkpoint_dir / f"nli-pretrained-{key}.safetensors"
    if result.is_file():
        return result
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    pairs = load_mixture(sets)
    weights = mixture_weights(pairs)
    model, tokenizer_json = base_model(base)
    tokenizer = pair_tokenizer(tokenizer_json, max_length)
    flat = [b for e in range(epochs) for b in grouped_batches(pairs, per_set, batch_size, seed + e)]
    index = {lab: i for i, lab in enumerate(LABELS)}

    def loss_of(model: Any, batch: Sequence[NliPair]) -> Any:
        feeds = encode_pairs(tokenizer, [(p.claim, p.evidence) for p in batch])
        logits = model(**{k: torch.from_numpy(v) for k, v in feeds.items()})
        log_probs = torch.log_softmax(logits, dim=-1)
        allowed = torch.zeros_like(log_probs, dtype=torch.bool)
        for row, p in enumerate(batch):
            allowed[row, [index[t] for t in p.targets]] = True
        nll = -torch.logsumexp(log_probs.masked_fill(~allowed, float("-inf")), dim=-1)
        w = torch.tensor([weights[cell_key(p)] for p in batch], dtype=torch.float32)
        loss = (nll * w).mean()
        if margin > 0:
            loss = loss + margin_weight * twin_hinge(log_probs, batch, index, margin)
        return loss

    checkpoint = Checkpoint(checkpoint_dir, "nli-pretrain", settings)
    run_steps(model, flat, loss_of, lr=lr, checkpoint=checkpoint, checkpoint_every=checkpoint_every,
              progress=progress, title="NLI pre-training")
    save_weights(model, result)
    checkpoint.clear()
    return result


def twin_hinge(log_probs: Any, batch: Sequence[NliPair], index: dict, margin: float) -> Any:
    """Mean hinge over differently labelled twins: log p_a(label_a) - log p_b(label_a) >= margin, both ways."""
    import torch

    terms = []
    for a in range(len(batch)):
        for b in range(a + 1, len(batch)):
            pa, pb = batch[a], batch[b]
            if pa.group != pb.group or len(pa.targets) != 1 or len(pb.targets) != 1 or pa.targets == pb.targets:
                continue
            la, lb = index[pa.targets[0]], index[pb.targets[0]]
            terms.append(torch.relu(margin - (log_probs[a, la] - log_probs[b, la])))
            terms.append(torch.relu(margin - (log_probs[b, lb] - log_probs[a, lb])))
    return torch.stack(terms).mean() if terms else log_probs.new_zeros(())
