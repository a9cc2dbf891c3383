"""`[update]` of the config -> `UpdateOptions` (the command line overrides what it names)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from newsproof.update.politeness import Politeness
from newsproof.update.runner import UpdateOptions
from newsproof.update.sources import parse_sources


def options_from_config(config: Mapping[str, Any], *, feeds: Iterable[str] = (), store_uri: str | None = None,
                        **overrides: Any) -> UpdateOptions:
    """Options from `[update]` (feeds given here come first; the config's feeds follow)."""
    section = config.get("update", {})
    politeness = Politeness(delay_s=float(section.get("host_delay_s", 1.0)), per_host=int(section.get("per_host", 2)),
                            retries=int(section.get("retries", 2)), backoff_s=float(section.get("backoff_s", 1.0)),
                            robots=bool(section.get("robots", True)))
    options = UpdateOptions(
        sources=parse_sources([*feeds, *section.get("feeds", [])]),
        store_uri=store_uri or str(config.get("store", {}).get("uri", "default")),
        allow_private=bool(config.get("fetch", {}).get("allow_private", False)),
        embed=bool(section.get("embed", True)), embedder=section.get("embedder") or None,
        workers=int(section.get("workers", 4)), politeness=politeness,
        max_item_failures=int(section.get("max_item_failures", 3)),
        max_sitemaps=int(section.get("max_sitemaps", 50)),
    )
    for key, value in overrides.items():
        if value is not None:
            setattr(options, key, value)
    return options
