"""Training the MiniLM window member (needs the torch extra, which brings peft).

Rank-16 LoRA updates of every linear layer of the packaged MiniLM and a linear head on mean-pooled token
states; 3 epochs of batches of 16 windows, one random window of an article's first two per step, AdamW
with a one-cycle schedule, class-weighted loss. Fixed seeds and a fixed thread count: same data, same
weights. A checkpoint after every epoch lets an interrupted run resume where it stopped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import numpy as np

from newsproof.detect.windows import TRAIN_WINDOWS, WINDOW_TOKENS, WindowMember, window_ids
from newsproof.encoders import minilm_dir, plain_tokenizer, tokenizer_json
from newsproof.errors import ModelError
from newsproof.verify.train.checkpoint import Checkpoint

RANK, BATCH, EPOCHS, LR, SEED, THREADS = 16, 16, 3, 5e-4, 0, 2


def _torch():  # type: ignore[no-untyped-def]
    try:
        import peft
        import torch
        import transformers
    except ImportError as exc:
        raise ModelError("training the MiniLM window member needs pip install 'newsproof[torch]'") from exc
    return torch, peft, transformers


def build_network(encoder_dir: Path, rank: int | None = RANK, layers: int | None = None):  # type: ignore[no-untyped-def]
    """MiniLM with trainable rank-`rank` updates of its linear layers and a one-logit head on mean pooling.

    For experiments (`scripts/detect_finetune.py`): `rank=None` trains every weight instead, `layers` keeps
    only the bottom layers. Only the default LoRA network can become a WindowMember.
    """
    torch, peft, transformers = _torch()

    class WindowClassifier(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            encoder = transformers.AutoModel.from_pretrained(str(encoder_dir))
            if layers:
                encoder.encoder.layer = encoder.encoder.layer[:layers]
            if rank:
                config = peft.LoraConfig(r=rank, lora_alpha=2 * rank, lora_dropout=0.05,
                                         target_modules=["query", "key", "value", "dense"])
                encoder = peft.get_peft_model(encoder, config)
            self.encoder = encoder
            self.head = torch.nn.Linear(encoder.config.hidden_size, 1)

        def forward(self, ids, mask):  # type: ignore[no-untyped-def]
            hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            weights = mask[:, :, None].float()
            return self.head((hidden * weights).sum(1) / weights.sum(1).clamp(min=1)).squeeze(-1)

    return WindowClassifier()


def fit(net, ids: np.ndarray, labels: np.ndarray, *, epochs: int = EPOCHS, lr: float = LR,  # type: ignore[no-untyped-def]
        progress: Callable[[int, int], None] | None = None, checkpoint: Checkpoint | None = None) -> None:
    """Train the network's trainable weights on one random window per article per step; `progress` gets
    (steps done, steps in all) after each step. With `checkpoint`, resume from its last finished epoch
    and save after each one."""
    torch = _torch()[0]
    ids_t = torch.from_numpy(ids)
    mask_t = (ids_t != 0).long()
    y = torch.tensor(labels, dtype=torch.float32)
    trainable = {name: p for name, p in net.named_parameters() if p.requires_grad}
    optimiser = torch.optim.AdamW(list(trainable.values()), lr=lr, weight_decay=0.01)
    per_epoch = len(y) // BATCH
    steps = max(epochs * per_epoch, 1)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=lr, total_steps=steps, pct_start=0.1)
    pos_weight = (y == 0).sum() / (y == 1).sum().clamp(min=1)
    rng = torch.Generator().manual_seed(SEED)
    first = 0
    state = checkpoint.load() if checkpoint is not None else None
    if state is not None:
        with torch.no_grad():
            for name, value in state["weights"].items():
                trainable[name].copy_(value)
        optimiser.load_state_dict(state["optimiser"])
        schedule.load_state_dict(state["schedule"])
        rng.set_state(state["order_rng"])
        torch.set_rng_state(state["rng"])
        first = int(state["epoch"])
    for epoch in range(first, epochs):
        net.train()
        order = torch.randperm(len(y), generator=rng)
        for step, s in enumerate(range(0, len(y) - BATCH + 1, BATCH)):
            rows = order[s : s + BATCH]
            pick = torch.randint(0, ids.shape[1], (BATCH,), generator=rng)
            batch_ids, batch_mask = ids_t[rows, pick], mask_t[rows, pick]
            keep = batch_mask.any(-1)  # a short article has an empty second window
            if keep.any():  # with texts of one window, every pick of a step can be an empty one
                width = int(batch_mask.sum(-1).max())
                logits = net(batch_ids[keep, :width], batch_mask[keep, :width])
                loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, y[rows][keep], pos_weight=pos_weight)
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                schedule.step()
            if progress:
                progress(epoch * per_epoch + step + 1, steps)
        if checkpoint is not None and epoch + 1 < epochs:
            checkpoint.save({"weights": {n: p.detach().clone() for n, p in trainable.items()}, "epoch": epoch + 1,
                             "optimiser": optimiser.state_dict(), "schedule": schedule.state_dict(),
                             "order_rng": rng.get_state(), "rng": torch.get_rng_state()})


def to_member(net) -> WindowMember:  # type: ignore[no-untyped-def]
    """The trained updates (scaling folded in, float16) and head, keyed by encoder module path."""
    state = {k: v.detach().float().numpy() for k, v in net.state_dict().items()}
    scaling = {name.removeprefix("base_model.model."): module.scaling["default"]
               for name, module in net.encoder.named_modules() if hasattr(module, "lora_A") and name}
    updates = {}
    for module, scale in scaling.items():
        if module.startswith("pooler."):  # the pooler does not feed the token states the member reads
            continue
        down = state[f"encoder.base_model.model.{module}.lora_A.default.weight"].T * scale
        up = state[f"encoder.base_model.model.{module}.lora_B.default.weight"].T
        updates[module] = (down.astype(np.float16), up.astype(np.float16))
    return WindowMember(updates=updates, head_weight=state["head.weight"][0].astype(np.float16),
                        head_bias=float(state["head.bias"][0]))


def train_member(texts: list[str], labels: np.ndarray, encoder_dir: Path | None = None, *, epochs: int = EPOCHS,
                 progress: Callable[[int, int], None] | None = None, checkpoint_dir: Path | None = None) -> WindowMember:
    """Train the window member on `texts` (reproducible: fixed seed, THREADS threads), resuming an
    interrupted run on the same data from its checkpoint (default folder: $NEWSPROOF_HOME/cache/detect)."""
    torch = _torch()[0]
    from newsproof.paths import home_dir

    encoder_dir = encoder_dir or minilm_dir()
    torch.manual_seed(SEED)
    torch.set_num_threads(THREADS)
    tokenizer = plain_tokenizer(tokenizer_json(encoder_dir))
    net = build_network(encoder_dir)
    data = hashlib.sha256("\x00".join(texts).encode("utf-8") + np.asarray(labels, np.int64).tobytes()).hexdigest()
    settings = {"data": data, "epochs": epochs, "lr": LR, "rank": RANK, "seed": SEED, "threads": THREADS,
                "encoder": str(encoder_dir)}
    checkpoint = Checkpoint(checkpoint_dir or home_dir() / "cache" / "detect", "window-member", settings)
    fit(net, window_ids(tokenizer, texts, TRAIN_WINDOWS), labels, epochs=epochs, progress=progress, checkpoint=checkpoint)
    checkpoint.clear()
    return to_member(net)


def torch_logits(net, ids: np.ndarray, batch: int = 64) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Log-odds from the torch network (mean over non-empty windows): experiments, and checking the ONNX path."""
    torch = _torch()[0]
    net.eval()
    flat = torch.from_numpy(ids.reshape(-1, WINDOW_TOKENS + 2))
    with torch.no_grad():
        logits = torch.cat([net(part, (part != 0).long()) for part in flat.split(batch)]).reshape(ids.shape[:2]).numpy()
    valid = (ids != 0).any(-1)
    return (logits * valid).sum(1) / valid.sum(1)
