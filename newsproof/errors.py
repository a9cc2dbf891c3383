"""The one error catalogue of newsproof, shared by the CLI, the batch runner and the web API.

Every failure kind has one code `NPxyz` with its message template, CLI exit code and HTTP status
(`CATALOGUE`; `newsproof errors` prints it). Raise with `error("NP103", size=..., limit=...)`, or with
an exception class and a template from `Errors`. The earlier names stay valid as aliases: `Errors.E103`
is the NP103 template and carries its code, and a code given as `E103` (or a class default of the old
scheme, `NP200`/`NP300`/`NP400`/`NP120`) is stored as its canonical `NPxyz`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Exit codes of the CLI. 0 and 1 are outcomes of a check; the others are failures (see CATALOGUE).
EXIT_OK = 0
EXIT_CONTRADICTED = 1  # `check`: at least one claim is CONTRADICTED
EXIT_USAGE = 2  # the user's mistake: bad input, option, value or command line; one-line message on stderr
EXIT_INTERNAL = 3  # a bug: an unexpected exception (NEWSPROOF_DEBUG=1 shows the traceback)
EXIT_UNAVAILABLE = 4  # the environment: the evidence store or a model artifact cannot be used


class CodedText(str):
    """A message (or message template) that knows its error code; `.format()` and `+` keep the code."""

    code: str

    def __new__(cls, text: str, code: str = "NP000") -> CodedText:
        obj = super().__new__(cls, text)
        obj.code = code
        return obj

    def format(self, *args: object, **kwargs: object) -> CodedText:  # type: ignore[override]
        return CodedText(str.format(self, *args, **kwargs), self.code)

    def __add__(self, other: str) -> CodedText:  # type: ignore[override]
        return CodedText(str(self) + other, self.code)


class NewsproofError(Exception):
    """Base error. `code` is a stable catalogue identifier shown to users and in API errors."""

    code = "NP000"
    default_exit_code = EXIT_INTERNAL
    default_http_status = 500

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(str(message))
        given = code or getattr(message, "code", None)
        self.code = canonical_code(given or type(self).code)

    def __str__(self) -> str:
        return f"[{self.code}] {self.args[0]}"

    @property
    def exit_code(self) -> int:
        """CLI exit status of this failure (from the catalogue)."""
        kind = CATALOGUE.get(self.code)
        return kind.exit_code if kind else self.default_exit_code

    @property
    def http_status(self) -> int:
        """HTTP status of this failure (from the catalogue)."""
        kind = CATALOGUE.get(self.code)
        return kind.http_status if kind else self.default_http_status


class InputError(NewsproofError):
    """The article or request cannot be processed (empty, binary, too big, not English...)."""

    code = "NP100"
    default_exit_code = EXIT_USAGE
    default_http_status = 422


class FetchError(InputError):
    """A URL could not or may not be fetched."""

    code = "NP122"


class StoreError(NewsproofError):
    """The evidence store cannot be opened, read or written."""

    code = "NP201"
    default_exit_code = EXIT_UNAVAILABLE


class ConfigError(NewsproofError):
    """A configuration or option value is invalid; the message lists valid choices."""

    code = "NP301"
    default_exit_code = EXIT_USAGE
    default_http_status = 400


class ModelError(NewsproofError):
    """A model artifact is missing or cannot be loaded."""

    code = "NP401"
    default_exit_code = EXIT_UNAVAILABLE


@dataclass(frozen=True)
class ErrorKind:
    """One failure kind: its code, exception class, message template, exit code and HTTP status."""

    code: str
    name: str
    error_class: type[NewsproofError]
    template: str
    exit_code: int
    http_status: int

    def message(self, **fields: object) -> CodedText:
        """The message with `fields` filled in, carrying this kind's code."""
        return CodedText(self.template, self.code).format(**fields)


_KINDS = (
    ErrorKind("NP000", "internal error", NewsproofError, "internal error: {detail}", EXIT_INTERNAL, 500),
    ErrorKind("NP100", "invalid request", InputError, "invalid request: {detail}", EXIT_USAGE, 400),
    ErrorKind("NP101", "empty input", InputError, "empty input: the article has no text", EXIT_USAGE, 422),
    ErrorKind("NP102", "binary input", InputError, "binary input: {what} does not look like text", EXIT_USAGE, 415),
    ErrorKind("NP103", "input too large", InputError,
              "input too large: {size} bytes exceeds the limit of {limit} bytes", EXIT_USAGE, 413),
    ErrorKind("NP104", "undecodable input", InputError,
              "cannot decode input as text (tried UTF-8 and detected encodings)", EXIT_USAGE, 415),
    ErrorKind("NP105", "not English", InputError,
              "article is not in English (detected '{lang}'); newsproof checks English news only", EXIT_USAGE, 422),
    ErrorKind("NP106", "no such source", InputError, "no file, URL or '-' named {source!r}", EXIT_USAGE, 422),
    ErrorKind("NP107", "unsupported file type", InputError,
              "unsupported file type {suffix!r}; use .txt, .md, .html or .htm", EXIT_USAGE, 415),
    ErrorKind("NP108", "no sentences", InputError, "input has no sentences to check", EXIT_USAGE, 422),
    ErrorKind("NP121", "URL refused", FetchError, "refusing to fetch {url}: {why}", EXIT_USAGE, 400),
    ErrorKind("NP122", "fetch failed", FetchError, "could not fetch {url}: {why}", EXIT_USAGE, 422),
    ErrorKind("NP140", "not found", InputError, "no {what} with id {ident!r}", EXIT_USAGE, 404),
    ErrorKind("NP150", "unauthorized", InputError,
              "missing or wrong API key: send it in the X-API-Key header", EXIT_USAGE, 401),
    ErrorKind("NP160", "unreadable source", InputError, "cannot read {what} {url}: {why}", EXIT_USAGE, 422),
    ErrorKind("NP161", "no feeds", InputError,
              "no feeds to update: give their URLs (newsproof update URL...) or list them under [update] feeds", EXIT_USAGE, 400),
    ErrorKind("NP162", "invalid interval", ConfigError,
              "invalid interval {value!r}: a number with s, m, h or d, e.g. 30m or 1h", EXIT_USAGE, 400),
    ErrorKind("NP163", "WARC writer missing", InputError,
              "--warc needs warcio: pip install 'newsproof[loaders]'", EXIT_USAGE, 400),
    ErrorKind("NP201", "store unavailable", StoreError, "cannot open evidence store {uri!r}: {why}",
              EXIT_UNAVAILABLE, 503),
    ErrorKind("NP202", "unknown store scheme", StoreError,
              "unknown store URI scheme {scheme!r}; use a path, sqlite:///PATH or postgresql://...", EXIT_USAGE, 500),
    ErrorKind("NP301", "invalid value", ConfigError, "invalid value {value!r} for {name}; valid choices: {choices}",
              EXIT_USAGE, 400),
    ErrorKind("NP401", "model missing", ModelError, "model artifact {path} is missing; rebuild it with `{rebuild}`",
              EXIT_UNAVAILABLE, 503),
)
CATALOGUE: dict[str, ErrorKind] = {kind.code: kind for kind in _KINDS}
# Codes of the earlier mixed scheme that name a catalogue code with other digits.
_RENAMED = {"NP120": "NP122", "NP200": "NP201", "NP300": "NP301", "NP400": "NP401"}
_LEGACY = re.compile(r"E(\d{3})")


def canonical_code(code: str) -> str:
    """The catalogue code for `code`: `E103` -> `NP103`, `NP300` -> `NP301`; others unchanged."""
    match = _LEGACY.fullmatch(code)
    code = "NP" + match.group(1) if match else code
    return _RENAMED.get(code, code)


def error(code: str, **fields: object) -> NewsproofError:
    """The exception for catalogue `code` with its template filled in: `raise error("NP103", size=1, limit=0)`."""
    kind = CATALOGUE[canonical_code(code)]
    return kind.error_class(kind.message(**fields))


def _template(code: str) -> CodedText:
    return CodedText(CATALOGUE[code].template, code)


class Errors:
    """Message templates by their earlier `Exyz` names (aliases of `NPxyz`); each carries its code."""

    E101, E102, E103, E104 = _template("NP101"), _template("NP102"), _template("NP103"), _template("NP104")
    E105, E106, E107, E108 = _template("NP105"), _template("NP106"), _template("NP107"), _template("NP108")
    E121, E122 = _template("NP121"), _template("NP122")
    E201, E202 = _template("NP201"), _template("NP202")
    E301 = _template("NP301")
    E401 = _template("NP401")


def catalogue_markdown() -> str:
    """The catalogue as a Markdown table (README, `newsproof errors`)."""
    rows = ["| code | kind | exit | HTTP | message |", "|---|---|---|---|---|"]
    for kind in _KINDS:
        template = kind.template.replace("|", "\\|")
        rows.append(f"| `{kind.code}` | {kind.name} | {kind.exit_code} | {kind.http_status} | {template} |")
    return "\n".join(rows)
