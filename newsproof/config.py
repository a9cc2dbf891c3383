"""Packaged default config merged with an optional user TOML file."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from newsproof.errors import ConfigError


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


@lru_cache(maxsize=8)
def load_config(path: str | None = None) -> dict[str, Any]:
    """Return the packaged defaults, overridden key by key by the TOML file at `path`."""
    defaults = tomllib.loads(resources.files("newsproof").joinpath("default_config.toml").read_text("utf-8"))
    if path is None:
        return defaults
    user_file = Path(path)
    if not user_file.is_file():
        raise ConfigError(f"config file {path} does not exist")
    try:
        return _merge(defaults, tomllib.loads(user_file.read_text("utf-8")))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
