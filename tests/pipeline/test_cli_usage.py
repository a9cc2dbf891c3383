"""CLI conventions: --version, help, and usage mistakes answered by click's own message with exit 2.

No test here checks an article: each command fails (or prints) before the checker starts, so they are fast.
"""

from __future__ import annotations

import pytest
import typer
from support.cli import run_cli

from newsproof import __version__
from newsproof.cli import _register_all, app, run


def _text(result) -> tuple[str, str]:
    return result.stdout.decode(), result.stderr.decode()


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0 and _text(result) == (f"newsproof {__version__}\n", "")


def test_bare_command_prints_help_and_exits_0():
    result = run_cli()
    stdout, stderr = _text(result)
    assert result.returncode == 0, stderr
    assert "Usage: newsproof" in stdout and "check" in stdout and "Examples:" in stdout
    assert stderr == ""


@pytest.mark.parametrize(("args", "needle"), [
    (["chek"], "No such command 'chek'"),
    (["--bogus"], "No such option: --bogus"),
    (["check"], "Missing argument 'SOURCE'"),
    (["check", "article.txt", "--format", "pdf"], "Invalid value for '--format'"),
    (["check", "article.txt", "--nope"], "No such option: --nope"),
    (["check", "article.txt", "--format"], "Option '--format' requires an argument"),
    (["index", "build"], "Missing argument"),
    (["serve", "--port", "eighty"], "Invalid value for '--port'"),
    (["eval", "nothing"], "No such command 'nothing'"),
])
def test_usage_mistakes_exit_2_with_clicks_message(args, needle):
    result = run_cli(*args)
    stdout, stderr = _text(result)
    assert result.returncode == 2, (args, stdout, stderr)
    assert needle in stderr and stderr.startswith(("Usage: newsproof", "Error: ")), stderr
    assert "internal error" not in stderr and "Traceback" not in stderr
    assert stdout == ""


def test_bad_value_is_a_coded_one_line_error(tmp_path):
    result = run_cli("check", "article.txt", "--date", "tomorrow")
    stdout, stderr = _text(result)
    assert result.returncode == 2 and stdout == ""
    assert stderr.startswith("newsproof: error: [NP301] invalid value 'tomorrow' for --date") and stderr.count("\n") == 1


def test_bad_claimreview_config_fails_before_checking(tmp_path):
    config = tmp_path / "publisher.toml"
    config.write_text('[claimreview]\norganisation_name = "Desk"\nreview_url = "ftp://desk.example.org/r"\n')
    result = run_cli("check", "no-such-article.txt", "--format", "claimreview", "--config", str(config))
    stdout, stderr = _text(result)
    assert result.returncode == 2 and stdout == ""
    assert "[NP301]" in stderr and "claimreview.review_url" in stderr and stderr.count("\n") == 1


def test_error_catalogue_command():
    result = run_cli("errors")
    stdout, _ = _text(result)
    assert result.returncode == 0
    assert "| `NP103` | input too large | 2 | 413 |" in stdout and "| `NP201` | store unavailable | 4 | 503 |" in stdout


def _command_paths(command: typer.core.TyperGroup, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = []
    for name, sub in command.commands.items():
        if hasattr(sub, "commands"):
            paths += _command_paths(sub, (*prefix, name))
        else:
            paths.append((*prefix, name))
    return paths


def _all_commands() -> list[tuple[str, ...]]:
    _register_all()
    return _command_paths(typer.main.get_command(app))


def test_every_command_is_found():
    paths = _all_commands()
    assert {("check",), ("batch",), ("serve",), ("index", "build"), ("eval", "verify"), ("train", "detect")} <= set(paths)


@pytest.mark.parametrize("path", _all_commands(), ids=" ".join)
def test_every_help_has_examples_and_no_bool_metavar(path, capsys):
    assert run([*path, "--help"]) == 0
    out = capsys.readouterr().out
    assert "Examples:" in out and f"newsproof {' '.join(path)}" in out.split("Examples:", 1)[1], out
    assert "<bool>" not in out
