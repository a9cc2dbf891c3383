"""Packaged default config merged with an optional user TOML file, validated section by section.

The defaults live only in `default_config.toml`; the models below say what each key may hold (one per
section). `load_config()` returns plain dicts, complete and validated; `section(name, given)` completes a
partial section (a stage built with `{"top_k": 3}`) from the packaged defaults. A bad value or an unknown
key is a one-line `ConfigError` naming `section.key`, the value and what is allowed.
"""

from __future__ import annotations

import copy
import difflib
import tomllib
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from newsproof.errors import ConfigError, Errors

Count = Annotated[int, Field(ge=0)]
Positive = Annotated[int, Field(ge=1)]
Seconds = Annotated[float, Field(ge=0)]


class Section(BaseModel):
    """One config table: strict types (TOML's own), unknown keys refused; no defaults here."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class IngestConfig(Section):
    """`[ingest]`: size limits and accepted languages."""

    max_bytes: Positive
    min_chars: Count
    max_chars: Positive
    max_paragraphs: Positive
    languages: list[str]


class FetchConfig(Section):
    """`[fetch]`: URL fetching."""

    timeout_s: Annotated[float, Field(gt=0)]
    max_redirects: Count
    allow_private: bool


class WebConfig(Section):
    """`[web]`: `newsproof serve`."""

    keep_days: Count


class UpdateConfig(Section):
    """`[update]`: `newsproof update` and the server's background updates."""

    feeds: list[str | dict[str, str]] = Field(
        description='a list of URLs, "KIND:URL" strings or {url = "...", kind = "..."} tables')
    every: str
    workers: Positive
    per_host: Positive
    host_delay_s: Seconds
    robots: bool
    retries: Count
    backoff_s: Seconds
    max_item_failures: Positive
    max_sitemaps: Count
    embed: bool
    embedder: str


class ClaimsConfig(Section):
    """`[claims]`: claim extraction."""

    spacy_model: str
    max_claims: Count
    min_checkworthiness: Annotated[float, Field(ge=0, le=1)]
    max_paragraph_chars: Positive
    max_seconds: Seconds


class StoreConfig(Section):
    """`[store]`: the evidence store."""

    uri: str


class ChatConfig(Section):
    """`[verify.chat]`: an OpenAI-compatible entailment endpoint."""

    url: str
    model: str
    api_key_env: str
    timeout_s: Annotated[float, Field(gt=0)]


class VerifyConfig(Section):
    """`[verify]`: retrieval and entailment (`model_path`, optional: a learned/crossencoder artifact)."""

    judge: str
    ensemble_weight: Annotated[float, Field(ge=0, le=1)]
    hf_model: str
    top_k: Positive
    retrieval: Literal["hybrid", "bm25"]
    embedder: str
    link_min_score: Annotated[float, Field(ge=0, le=100)]
    chat: ChatConfig
    model_path: str | None = None


class BinocularsConfig(Section):
    """`[detect.binoculars]` (optional): the causal LMs of the Binoculars / Fast-DetectGPT detectors."""

    observer: str | None = None
    performer: str | None = None
    threshold: float | None = None
    scale: float | None = None
    max_tokens: Positive | None = None
    device: str | None = None


class DetectConfig(Section):
    """`[detect]`: machine-text detection (`artifact`, `binoculars` are optional)."""

    detector: str
    min_words: Count
    uncertain_margin: Annotated[float, Field(ge=0, le=0.5)]
    evasion: Literal["raise", "flag"]
    artifact: str | None = None
    binoculars: BinocularsConfig | None = None


class ClaimReviewConfig(Section):
    """`[claimreview]`: the publisher of the ClaimReview export."""

    organisation_name: str
    organisation_url: str
    author: str
    review_url: str
    not_enough_evidence: Literal["omit", "unrated"]

    @field_validator("organisation_name", "organisation_url", "author", "review_url")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        if value != value.strip():
            raise ValueError("a string without surrounding spaces")
        return value

    @field_validator("organisation_url")
    @classmethod
    def _absolute_url(cls, value: str) -> str:
        return _check_url(value)

    @field_validator("review_url")
    @classmethod
    def _review_template(cls, value: str) -> str:
        try:
            probe = value.format(article_id="a1")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError("a URL whose only placeholder is {article_id}") from exc
        _check_url(probe)
        return value


def _check_url(value: str) -> str:
    """`value` unless it is neither empty nor an absolute http(s) URL without a fragment."""
    parts = urlsplit(value)
    if value and (parts.scheme not in ("http", "https") or not parts.hostname or parts.fragment):
        raise ValueError("an absolute http(s) URL without a #fragment")
    return value


class NewsproofConfig(Section):
    """The whole config: one model per section."""

    ingest: IngestConfig
    fetch: FetchConfig
    web: WebConfig
    update: UpdateConfig
    claims: ClaimsConfig
    store: StoreConfig
    verify: VerifyConfig
    detect: DetectConfig
    claimreview: ClaimReviewConfig


SECTIONS: dict[str, type[Section]] = {name: field.annotation for name, field in NewsproofConfig.model_fields.items()}


@lru_cache(maxsize=1)
def _packaged() -> dict[str, Any]:
    return tomllib.loads(resources.files("newsproof").joinpath("default_config.toml").read_text("utf-8"))


def packaged_defaults() -> dict[str, Any]:
    """The packaged `default_config.toml` as parsed (a fresh copy, not validated)."""
    return copy.deepcopy(_packaged())


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        out[key] = _merge(out[key], value) if isinstance(value, Mapping) and isinstance(out.get(key), dict) else value
    return out


@lru_cache(maxsize=8)
def load_config(path: str | None = None) -> dict[str, Any]:
    """The packaged defaults overridden key by key by the TOML file at `path`, validated; ConfigError if bad."""
    config = packaged_defaults()
    where = ""
    if path is not None:
        user_file = Path(path)
        if not user_file.is_file():
            raise ConfigError(f"config file {path} does not exist")
        try:
            config = _merge(config, tomllib.loads(user_file.read_text("utf-8")))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
        where = f" (config file {path})"
    return validate(NewsproofConfig, config, where=where)


def section(name: str, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Section `name` of the packaged defaults overridden key by key by `given` (a partial section), validated."""
    return validate(SECTIONS[name], _merge(packaged_defaults()[name], given or {}), prefix=(name,))


def validate(model: type[Section], data: Mapping[str, Any], *, prefix: tuple[str, ...] = (),
             where: str = "") -> dict[str, Any]:
    """`data` checked against `model` as plain dicts (absent optional keys left out); ConfigError if bad."""
    try:
        return model.model_validate(data).model_dump(exclude_none=True)
    except ValidationError as exc:
        raise _config_error(exc.errors()[0], model, prefix, where) from None


_ALLOWED = {"int_type": "a whole number", "float_type": "a number", "bool_type": "true or false",
            "string_type": "a string", "list_type": "a list", "model_type": "a table", "dict_type": "a table"}


def _config_error(error: ErrorDetails, model: type[Section], prefix: tuple[str, ...], where: str) -> ConfigError:
    """One line for a pydantic error: the unknown key with the closest known one, or the bad value and what fits."""
    names, field, parent = list(prefix), None, model
    for part in error["loc"]:
        fields = parent.model_fields if parent is not None else {}
        if not isinstance(part, str) or (part not in fields and error["type"] != "extra_forbidden"):
            break
        names.append(part)
        field = fields.get(part)
        if field is None:
            break
        parent = next((t for t in (field.annotation, *getattr(field.annotation, "__args__", ()))
                       if isinstance(t, type) and issubclass(t, Section)), None)
    name = ".".join(names)
    if error["type"] == "extra_forbidden" and parent is not None:
        known = list(parent.model_fields)
        close = difflib.get_close_matches(names[-1], known, n=1, cutoff=0.6)
        hint = (f"did you mean {'.'.join([*names[:-1], close[0]])!r}?" if close
                else f"valid keys: {', '.join(known)}")
        return ConfigError(f"unknown config key {name!r}{where}; {hint}")
    ctx = error.get("ctx") or {}
    if field is not None and field.description:
        allowed = field.description
    elif error["type"] == "value_error":
        allowed = str(ctx.get("error", error["msg"]))
    elif error["type"] == "literal_error":
        allowed = str(ctx["expected"])
    elif error["type"] in ("greater_than_equal", "greater_than", "less_than_equal"):
        allowed = {"greater_than_equal": "{ge} or more", "greater_than": "more than {gt}",
                   "less_than_equal": "{le} or less"}[error["type"]].format(**ctx)
    else:
        allowed = _ALLOWED.get(error["type"], error["msg"])
    return ConfigError(Errors.E301.format(value=error.get("input"), name=name, choices=allowed) + where)
