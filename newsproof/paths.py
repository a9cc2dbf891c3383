"""Well-known locations: bundled data, the default store, the shared data folder."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path


def package_data_dir() -> Path:
    """Folder of compact, compressed data files shipped inside the package."""
    return Path(str(resources.files("newsproof").joinpath("data")))


def home_dir() -> Path:
    """Where newsproof keeps built artifacts (the default evidence base); $NEWSPROOF_HOME wins."""
    home = Path(os.environ.get("NEWSPROOF_HOME", Path.home() / ".cache" / "newsproof"))
    home.mkdir(parents=True, exist_ok=True)
    return home


def shared_data_dir() -> Path | None:
    """The `shared/data` folder beside the repository ($NEWSPROOF_SHARED_DATA wins), if present."""
    env = os.environ.get("NEWSPROOF_SHARED_DATA")
    candidates = [Path(env)] if env else []
    repo = Path(__file__).resolve().parent.parent
    candidates += [repo.parent / "shared" / "data", repo / "shared" / "data"]
    return next((c for c in candidates if c.is_dir()), None)
