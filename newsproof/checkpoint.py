"""Resumable training: a torch state saved atomically under a key derived from the run's settings."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any


class Checkpoint:
    """Model, optimizer, scheduler and RNG state after some steps; a re-run with the same settings resumes."""

    def __init__(self, folder: Path, name: str, settings: dict[str, Any]) -> None:
        key = hashlib.sha1(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:12]
        self.path = folder / f"{name}-{key}.pt"

    def load(self) -> dict[str, Any] | None:
        import torch

        return torch.load(self.path, weights_only=False) if self.path.is_file() else None

    def save(self, state: dict[str, Any]) -> None:
        import torch

        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        torch.save(state, tmp)
        tmp.replace(self.path)

    def clear(self) -> None:
        """Forget the run (it finished)."""
        self.path.unlink(missing_ok=True)
