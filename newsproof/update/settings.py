"""`[update]` of the config -> `UpdateOptions` (the command line overrides what it names)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from newsproof.update.politeness import Politeness
from newsproof.update.runner import UpdateOptions
from newsproof.update.sources import parse_sources


def options_from_config(config: Mapping[str, Any], *, feeds: Iterable[str] = (), store_uri: str | None = None,
                        **overrides: Any) -> UpdateOptions:
    """Options from `[update]` of a loaded config (feeds given here come first; the config's feeds follow)."""
    section = config["update"]
    politeness = Politeness(delay_s=section["host_delay_s"], per_host=section["per_host"], retries=section["retries"],
                            backoff_s=section["backoff_s"], robots=section["robots"])
    options = UpdateOptions(
        sources=parse_sources([*feeds, *section["feeds"]]),
        store_uri=store_uri or config["store"]["uri"],
        allow_private=config["fetch"]["allow_private"],
        embed=section["embed"], embedder=section["embedder"] or None,
        workers=section["workers"], politeness=politeness,
        max_item_failures=section["max_item_failures"],
        max_sitemaps=section["max_sitemaps"],
    )
    for key, value in overrides.items():
        if value is not None:
            setattr(options, key, value)
    return options
