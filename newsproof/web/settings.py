"""Settings of the web app and REST API."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newsproof.config import load_config
from newsproof.paths import home_dir


@dataclass(frozen=True)
class WebSettings:
    """Everything `create_app` needs; `newsproof serve` fills it from its options."""

    store_uri: str | None = None
    config_path: str | None = None
    detector: str = "default"
    api_key: str | None = None
    allow_private_urls: bool = False
    state_dir: Path | None = None
    max_body_bytes: int | None = None
    max_batch_articles: int = 500

    def state_path(self) -> Path:
        """The SQLite file holding reports and jobs (not the evidence store)."""
        folder = self.state_dir or home_dir() / "web"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / "web-state.sqlite"

    def body_limit(self) -> int:
        """Largest accepted request body: twice the article limit, to leave room for JSON escaping."""
        if self.max_body_bytes is not None:
            return self.max_body_bytes
        return 2 * int(load_config(self.config_path)["ingest"]["max_bytes"]) + 64_000
