"""Coded error catalogue and the small exception hierarchy newsproof raises."""

from __future__ import annotations


class NewsproofError(Exception):
    """Base error. `code` is a stable identifier shown to users and in API errors."""

    code = "NP000"
    exit_code = 1

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code

    def __str__(self) -> str:
        return f"[{self.code}] {self.args[0]}"


class InputError(NewsproofError):
    """The article given cannot be processed (empty, binary, too big, not English...)."""

    code = "NP100"
    exit_code = 2


class FetchError(InputError):
    """A URL could not or may not be fetched."""

    code = "NP120"


class StoreError(NewsproofError):
    """The evidence store cannot be opened, read or written."""

    code = "NP200"


class ConfigError(NewsproofError):
    """A configuration value is invalid; the message lists valid choices."""

    code = "NP300"
    exit_code = 2


class ModelError(NewsproofError):
    """A model artifact is missing or cannot be loaded."""

    code = "NP400"


class Errors:
    """Message catalogue: code -> template. Use `Errors.E101.format(...)`."""

    E101 = "empty input: the article has no text"
    E102 = "binary input: {what} does not look like text"
    E103 = "input too large: {size} bytes exceeds the limit of {limit} bytes"
    E104 = "cannot decode input as text (tried UTF-8 and detected encodings)"
    E105 = "article is not in English (detected '{lang}'); newsproof checks English news only"
    E106 = "no file, URL or '-' named {source!r}"
    E107 = "unsupported file type {suffix!r}; use .txt, .md, .html or .htm"
    E108 = "input has no sentences to check"
    E121 = "refusing to fetch {url}: {why}"
    E122 = "could not fetch {url}: {why}"
    E201 = "cannot open evidence store {uri!r}: {why}"
    E202 = "unknown store URI scheme {scheme!r}; use a path, sqlite:///PATH or postgresql://..."
    E301 = "invalid value {value!r} for {name}; valid choices: {choices}"
    E401 = "model artifact {path} is missing; rebuild it with `{rebuild}`"
