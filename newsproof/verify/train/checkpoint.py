"""Resumable training: a torch state saved atomically under a key derived from the run's settings.

Nothing in a checkpoint can run code when loaded. The tensors go into a safetensors file; everything
else (optimizer and scheduler settings, step counts, the nesting of dicts, lists and tuples, the
integer keys of an optimizer's state) goes as JSON into that file's metadata, with each tensor
replaced by a reference to it. A checkpoint of the earlier pickle format is read only through
`torch.load(weights_only=True)`, which refuses anything but tensors and plain containers.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from newsproof.errors import ModelError

_SKELETON = "newsproof.checkpoint.v1"


class Checkpoint:
    """Model, optimizer, scheduler and RNG state after some steps; a re-run with the same settings resumes."""

    def __init__(self, folder: Path, name: str, settings: dict[str, Any]) -> None:
        key = hashlib.sha1(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:12]
        self.path = folder / f"{name}-{key}.safetensors"
        self.legacy_path = folder / f"{name}-{key}.pt"

    def load(self) -> dict[str, Any] | None:
        """The saved state, or None when there is none."""
        if self.path.is_file():
            from safetensors import safe_open

            with safe_open(str(self.path), framework="pt") as handle:
                metadata = handle.metadata() or {}
                if _SKELETON not in metadata:
                    raise ModelError(f"{self.path} is not a newsproof checkpoint; delete it to start over")
                tensors = {name: handle.get_tensor(name) for name in handle.keys()}  # noqa: SIM118
            return _rebuild(json.loads(metadata[_SKELETON]), tensors)
        if self.legacy_path.is_file():
            import torch

            return torch.load(self.legacy_path, weights_only=True)
        return None

    def save(self, state: dict[str, Any]) -> None:
        """Write `state` (nested dicts, lists and tuples of tensors and JSON values) atomically."""
        from safetensors.torch import save_file

        tensors: dict[str, Any] = {}
        skeleton = json.dumps(_flatten(state, tensors), allow_nan=True)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        save_file(tensors, str(tmp), metadata={_SKELETON: skeleton})
        tmp.replace(self.path)

    def clear(self) -> None:
        """Forget the run (it finished)."""
        self.path.unlink(missing_ok=True)
        self.legacy_path.unlink(missing_ok=True)


def _flatten(value: Any, tensors: dict[str, Any]) -> Any:
    """JSON for `value`, moving each tensor into `tensors` (contiguous, unshared copies)."""
    import torch

    if isinstance(value, torch.Tensor):
        name = f"t{len(tensors)}"
        tensors[name] = value.detach().cpu().contiguous().clone()
        return {"tensor": name}
    if isinstance(value, dict):
        return {"dict": [[_flatten(k, tensors), _flatten(v, tensors)] for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        return {"list" if isinstance(value, list) else "tuple": [_flatten(v, tensors) for v in value]}
    if value is None or isinstance(value, (bool, int, float, str)):
        return {"value": value}
    raise TypeError(f"cannot checkpoint a {type(value).__name__}")


def _rebuild(node: dict[str, Any], tensors: dict[str, Any]) -> Any:
    (kind, body), = node.items()
    if kind == "tensor":
        return tensors[body]
    if kind == "dict":
        return {_rebuild(k, tensors): _rebuild(v, tensors) for k, v in body}
    if kind in ("list", "tuple"):
        items = [_rebuild(v, tensors) for v in body]
        return items if kind == "list" else tuple(items)
    return body
