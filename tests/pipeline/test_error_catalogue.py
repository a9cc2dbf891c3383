"""One error catalogue for the CLI and the API: a code per failure kind, with its exit code and HTTP status."""

from __future__ import annotations

import pickle
import re

import pytest

from newsproof.errors import (
    CATALOGUE,
    EXIT_INTERNAL,
    EXIT_UNAVAILABLE,
    EXIT_USAGE,
    ConfigError,
    Errors,
    FetchError,
    InputError,
    ModelError,
    StoreError,
    canonical_code,
    catalogue_markdown,
    error,
)
from newsproof.web.errors import describe


def test_catalogue_codes_and_outcomes_are_consistent():
    assert all(re.fullmatch(r"NP\d{3}", code) for code in CATALOGUE)
    for kind in CATALOGUE.values():
        assert kind.exit_code in (EXIT_USAGE, EXIT_INTERNAL, EXIT_UNAVAILABLE), kind
        assert 400 <= kind.http_status < 600, kind
        if kind.exit_code != EXIT_USAGE:  # not the user's mistake: the server's
            assert kind.http_status >= 500, kind
        assert kind.code in catalogue_markdown()


def test_every_legacy_template_names_its_catalogue_code():
    aliases = {name: value for name, value in vars(Errors).items() if re.fullmatch(r"E\d{3}", name)}
    assert len(aliases) >= 14
    for name, template in aliases.items():
        assert template.code == canonical_code(name) and str(template) == CATALOGUE[template.code].template


@pytest.mark.parametrize(("raised", "code", "exit_code", "status"), [
    (InputError(Errors.E103.format(size=9, limit=1)), "NP103", 2, 413),
    (InputError(Errors.E106.format(source="x") + " (pass --data)", code="E106"), "NP106", 2, 422),
    (FetchError(Errors.E121.format(url="http://10.0.0.1/", why="private"), code="E121"), "NP121", 2, 400),
    (InputError("fill in only one of text or URL", code="NP100"), "NP100", 2, 400),
    (ConfigError(Errors.E301.format(value="x", name="--date", choices="a date")), "NP301", 2, 400),
    (ConfigError("config file x.toml does not exist"), "NP301", 2, 400),
    (StoreError(Errors.E201.format(uri="x.sqlite", why="file does not exist")), "NP201", 4, 503),
    (ModelError("the checker is not running", code="NP400"), "NP401", 4, 503),
    (error("NP140", what="report", ident="abc"), "NP140", 2, 404),
])
def test_cli_and_api_read_the_same_entry(raised, code, exit_code, status):
    assert (raised.code, raised.exit_code, raised.http_status) == (code, exit_code, status)
    assert str(raised).startswith(f"[{code}] ")
    assert describe(raised) == (status, code, raised.args[0])


def test_codes_survive_process_boundaries():
    raised = FetchError(Errors.E122.format(url="http://a.example/", why="timed out"))
    again = pickle.loads(pickle.dumps(raised))
    assert type(again) is FetchError and again.code == "NP122" and str(again) == str(raised)
