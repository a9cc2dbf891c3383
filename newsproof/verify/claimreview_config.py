"""The `[claimreview]` config section: who publishes newsproof's ClaimReview export, and where."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlsplit

from newsproof.errors import ConfigError, Errors

NEE_POLICIES = ("omit", "unrated")
DRAFT_URL = "urn:newsproof:article:{article_id}"
DRAFT_ORGANISATION = "unconfigured publisher (set claimreview.organisation_name)"


def _check_url(name: str, value: str, *, template: bool = False) -> None:
    """Raise ConfigError unless `value` is empty or an absolute http(s) URL without a fragment."""
    if not value:
        return
    probe = value
    if template:
        try:
            probe = value.format(article_id="a1")
        except (KeyError, IndexError, ValueError) as exc:
            raise ConfigError(Errors.E301.format(value=value, name=f"claimreview.{name}",
                                                 choices="a URL whose only placeholder is {article_id}")) from exc
    parts = urlsplit(probe)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.fragment:
        raise ConfigError(Errors.E301.format(value=value, name=f"claimreview.{name}",
                                             choices="an absolute http(s) URL without a #fragment"))


@dataclass(frozen=True)
class ClaimReviewSettings:
    """The publisher of the ClaimReview export (see default_config.toml [claimreview])."""

    organisation_name: str = ""
    organisation_url: str = ""
    author: str = ""
    review_url: str = ""
    not_enough_evidence: str = "omit"

    def __post_init__(self) -> None:
        for name in ("organisation_name", "organisation_url", "author", "review_url"):
            value = getattr(self, name)
            if not isinstance(value, str) or value != value.strip():
                raise ConfigError(Errors.E301.format(value=value, name=f"claimreview.{name}",
                                                     choices="a string without surrounding spaces"))
        _check_url("organisation_url", self.organisation_url)
        _check_url("review_url", self.review_url, template=True)
        if self.not_enough_evidence not in NEE_POLICIES:
            raise ConfigError(Errors.E301.format(value=self.not_enough_evidence,
                                                 name="claimreview.not_enough_evidence", choices=", ".join(NEE_POLICIES)))

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> ClaimReviewSettings:
        """Settings from a loaded config (its `claimreview` table); unknown keys are refused."""
        section = config.get("claimreview") or {}
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(section) - known)
        if unknown:
            raise ConfigError(Errors.E301.format(value=unknown[0], name="a key of [claimreview]",
                                                 choices=", ".join(sorted(known))))
        return cls(**section)

    @property
    def publishable(self) -> bool:
        """True when the publisher and the review page are configured (no placeholders are written)."""
        return bool(self.organisation_name and self.organisation_url and self.review_url)

    def draft_reason(self) -> str:
        """Why the export is a draft (for a warning); empty when publishable."""
        missing = [f"claimreview.{name}" for name in ("organisation_name", "organisation_url", "review_url")
                   if not getattr(self, name)]
        if not missing:
            return ""
        return (f"ClaimReview export is a draft, not fit to publish: set {', '.join(missing)} "
                "in a --config file")

    def review_page(self, article_id: str) -> str:
        """The URL of the published review of article `article_id` (a urn: placeholder in a draft)."""
        return (self.review_url or DRAFT_URL).format(article_id=article_id)

    def organisation(self) -> dict[str, str]:
        """The schema.org Organization that authors the reviews."""
        org = {"@type": "Organization", "name": self.organisation_name or DRAFT_ORGANISATION}
        if self.organisation_url:
            org["url"] = self.organisation_url
        return org
