"""Settings of the web app and REST API."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newsproof.config import load_config
from newsproof.errors import ConfigError, Errors
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
    keep_days: int | None = None  # None: [web] keep_days of the config

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

    def retention_days(self) -> int:
        """Days reports are kept (0: until deleted by hand); `keep_days`, else [web] keep_days of the config."""
        value = self.keep_days if self.keep_days is not None else load_config(self.config_path)["web"]["keep_days"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(Errors.E301.format(value=value, name="web.keep_days",
                                                 choices="a whole number of days, 0 or more"))
        return value
