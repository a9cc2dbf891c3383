"""Training checkpoints: the full optimizer state round-trips without pickle, and loading runs no code."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from newsproof.verify.train.checkpoint import Checkpoint

torch = pytest.importorskip("torch")  # the torch extra (training); the core package does not need it


def trained_step(model, optimizer, scheduler, seed: int) -> None:
    torch.manual_seed(seed)
    model(torch.randn(8, 4)).pow(2).sum().backward()
    optimizer.step()
    scheduler.step()
    optimizer.zero_grad()


def fresh() -> tuple:
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.05, betas=(0.8, 0.99))
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1.0 / (1 + step))
    return model, optimizer, scheduler


def test_resumed_training_matches_uninterrupted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model, optimizer, scheduler = fresh()
    for seed in range(4):
        trained_step(model, optimizer, scheduler, seed)
    straight = {k: v.clone() for k, v in model.state_dict().items()}

    model, optimizer, scheduler = fresh()
    for seed in range(2):
        trained_step(model, optimizer, scheduler, seed)
    checkpoint = Checkpoint(tmp_path, "toy", {"lr": 0.05})
    checkpoint.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                     "scheduler": scheduler.state_dict(), "step": 2, "rng": torch.get_rng_state(), "note": None})
    assert checkpoint.path.suffix == ".safetensors"

    def no_pickle(*args: object, **kwargs: object) -> None:
        raise AssertionError("a checkpoint must load without pickle")

    monkeypatch.setattr(torch, "load", no_pickle)
    monkeypatch.setattr(pickle, "loads", no_pickle)
    state = checkpoint.load()
    assert state is not None and state["step"] == 2 and state["note"] is None
    assert set(state["optimizer"]["state"]) == {0, 1, 2, 3}  # integer parameter ids survive
    assert state["optimizer"]["param_groups"][0]["betas"] == (0.8, 0.99)

    model, optimizer, scheduler = fresh()
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    for seed in range(2, 4):
        trained_step(model, optimizer, scheduler, seed)
    assert all(torch.equal(straight[k], v) for k, v in model.state_dict().items())
    checkpoint.clear()
    assert checkpoint.load() is None


class Payload:
    """A pickle that runs code when unpickled (what a tampered checkpoint could hold)."""

    ran = False

    def __reduce__(self):
        return (exec, ("from tests.verify.test_checkpoint import Payload; Payload.ran = True",))


def test_a_tampered_legacy_checkpoint_runs_no_code(tmp_path: Path) -> None:
    checkpoint = Checkpoint(tmp_path, "toy", {"lr": 0.05})
    torch.save({"model": {}, "trap": Payload()}, checkpoint.legacy_path)
    with pytest.raises(pickle.UnpicklingError):
        checkpoint.load()
    assert Payload.ran is False


def test_values_that_are_not_data_are_refused(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="cannot checkpoint a function"):
        Checkpoint(tmp_path, "toy", {}).save({"schedule": lambda step: step})
