"""The typed config: packaged defaults validate, a user file overrides key by key, mistakes are one-line fix-its."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsproof.cli import run
from newsproof.config import load_config, packaged_defaults, section
from newsproof.errors import EXIT_USAGE, ConfigError


def _user_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "user.toml"
    path.write_text(text, "utf-8")
    return str(path)


def _error(path: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value


def test_packaged_defaults_validate_unchanged() -> None:
    config = load_config()
    assert config == packaged_defaults()
    assert config["verify"]["chat"]["api_key_env"] == "NEWSPROOF_CHAT_API_KEY"
    assert "model_path" not in config["verify"] and "binoculars" not in config["detect"]  # optional keys stay absent


def test_user_file_overrides_only_the_keys_it_sets(tmp_path: Path) -> None:
    path = _user_file(tmp_path, '[verify]\ntop_k = 3\n[verify.chat]\nurl = "http://127.0.0.1:9/v1"\n'
                                '[detect.binoculars]\nobserver = "/models/observer"\n')
    config = load_config(path)
    defaults = load_config()
    assert config["verify"]["top_k"] == 3 and config["verify"]["retrieval"] == defaults["verify"]["retrieval"]
    assert config["verify"]["chat"] == {**defaults["verify"]["chat"], "url": "http://127.0.0.1:9/v1"}
    assert config["detect"]["binoculars"] == {"observer": "/models/observer"}
    assert config["claims"] == defaults["claims"]


@pytest.mark.parametrize(("text", "named", "hint"), [
    ("[verify]\ntop_kk = 3\n", "'verify.top_kk'", "did you mean 'verify.top_k'?"),
    ("[verify.chat]\ntimeout = 5\n", "'verify.chat.timeout'", "did you mean 'verify.chat.timeout_s'?"),
    ("[verfy]\ntop_k = 3\n", "'verfy'", "did you mean 'verify'?"),
])
def test_unknown_key_is_one_line_naming_it_and_the_close_key(tmp_path: Path, text: str, named: str,
                                                            hint: str) -> None:
    error = _error(_user_file(tmp_path, text))
    message = str(error)
    assert f"unknown config key {named}" in message and message.endswith(hint) and "\n" not in message
    assert "user.toml" in message and error.code == "NP301" and error.exit_code == EXIT_USAGE


@pytest.mark.parametrize(("text", "named", "allowed"), [
    ('[claims]\nmax_claims = "many"\n', "invalid value 'many' for claims.max_claims", "a whole number"),
    ("[web]\nkeep_days = true\n", "invalid value True for web.keep_days", "a whole number"),
    ("[verify]\ntop_k = 0\n", "invalid value 0 for verify.top_k", "1 or more"),
    ('[verify]\nretrieval = "dense"\n', "for verify.retrieval", "'hybrid' or 'bm25'"),
    ("[fetch]\nallow_private = 1\n", "for fetch.allow_private", "true or false"),
    ("verify = 3\n", "invalid value 3 for verify;", "a table"),
    ('[claimreview]\norganisation_url = "factdesk.example.org"\n', "for claimreview.organisation_url",
     "an absolute http(s) URL"),
])
def test_wrong_value_is_rejected_with_section_key_and_what_is_allowed(tmp_path: Path, text: str, named: str,
                                                                     allowed: str) -> None:
    message = str(_error(_user_file(tmp_path, text)))
    assert named in message and f"valid choices: {allowed}" in message and "\n" not in message


def test_section_completes_a_partial_section_and_checks_it() -> None:
    assert section("verify", {"top_k": 2}) == {**load_config()["verify"], "top_k": 2}
    assert section("claims") == load_config()["claims"]
    with pytest.raises(ConfigError, match=r"unknown config key 'claims\.max_claim'; did you mean 'claims\.max_claims'"):
        section("claims", {"max_claim": 3})


def test_cli_exits_2_with_the_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _user_file(tmp_path, "[ingest]\nmax_byte = 10\n")
    assert run(["check", str(tmp_path / "unused.txt"), "--config", path]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("newsproof: error: [NP301] unknown config key 'ingest.max_byte'") and err.count("\n") == 1
