"""The cross-encoder as a PyTorch model (torch extra): MiniLM with a 4-way head, the optimisation loop with
checkpoints, weights files and the int8 ONNX export. Used by the claim-set fine-tuning (`crossencoder.py`)
and the NLI pre-training before it (`nli_pretrain.py`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from newsproof.labels import LABELS
from newsproof.verify.train.checkpoint import Checkpoint

os.environ.setdefault("HF_HUB_OFFLINE", "1")
HEAD_LR_FACTOR = 20.0  # the new classification head learns faster than the pre-trained encoder


def base_model(base: str | Path | None) -> tuple[Any, str]:
    """Four-way classifier over the mean-pooled token states of MiniLM (or `base`), plus its tokenizer JSON.

    Mean pooling, not the [CLS] pooler: it is how the sentence-transformers weights were trained, so
    the head starts from meaningful features.
    """
    import torch
    from transformers import AutoModel

    from newsproof.encoders import minilm_dir, tokenizer_json

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
    from newsproof.verify.train.onnx_export import export_int8

    meta = {"tokenizer": tokenizer_json, "labels": json.dumps([lab.value for lab in LABELS]),
            "max_length": str(max_length), "source": "newsproof cross-encoder on sentence-transformers/all-MiniLM-L6-v2"}
    return export_int8(model, out, ["logits"], meta)


def run_steps(model: Any, flat: Sequence[Sequence[Any]], loss_of: Callable[[Any, Sequence[Any]], Any], *,
              lr: float, checkpoint: Checkpoint, checkpoint_every: int, progress: bool, title: str) -> None:
    """AdamW with warm-up and linear decay over the batches in `flat`, resuming from `checkpoint`.

    The new classification head learns `HEAD_LR_FACTOR` times faster than the encoder; the input
    embeddings stay frozen (faster, and less over-fitting on small sets). A state is saved every
    `checkpoint_every` steps, so a killed run resumes to the same weights.
    """
    import torch
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    model.encoder.get_input_embeddings().weight.requires_grad_(False)
    total = len(flat)
    params = [p for p in model.parameters() if p.requires_grad]
    head = set(map(id, model.head.parameters()))
    optimizer = torch.optim.AdamW([{"params": [p for p in params if id(p) not in head], "lr": lr},
                                   {"params": list(model.head.parameters()), "lr": lr * HEAD_LR_FACTOR}],
                                  weight_decay=0.01)
    warm = max(1, total // 10)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    step = 0
    state = checkpoint.load()
    if state is not None:
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        step = int(state["step"])
        torch.set_rng_state(state["rng"])
    model.train()
    columns = (TextColumn(title), BarColumn(), MofNCompleteColumn(), TextColumn("loss {task.fields[loss]}"),
               TimeRemainingColumn())
    with Progress(*columns, disable=not progress) as bar:
        task = bar.add_task("train", total=total, completed=step, loss="-")
        running = 0.0
        for i in range(step, total):
            loss = loss_of(model, flat[i])
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


def load_weights(path: Path) -> dict[str, Any]:
    """Model weights saved by `save_weights`."""
    from safetensors.torch import load_file

    return load_file(str(path))


def save_weights(model: Any, path: Path) -> Path:
    """Write the model's weights (safetensors, atomically); returns `path`."""
    from safetensors.torch import save_file

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    save_file({k: v.detach().contiguous().clone() for k, v in model.state_dict().items()}, str(tmp))
    tmp.replace(path)
    return path
