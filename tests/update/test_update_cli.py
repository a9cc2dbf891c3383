"""`newsproof update` on the command line: a run over a feed, its summary, and one-line usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from feed_site import FeedSite
from typer.testing import CliRunner

from newsproof.cli import _register_all, app


@pytest.fixture(scope="module")
def cli() -> CliRunner:
    _register_all()
    return CliRunner()


def test_update_command_runs_and_prints_a_json_summary(cli: CliRunner, tmp_path: Path) -> None:
    site = FeedSite(host="127.0.0.1").start()  # an IP host: no test resolver needed for a feed
    try:
        args = ["update", site.url("/rss.xml"), "--store", str(tmp_path / "s.sqlite"), "--state",
                str(tmp_path / "state.sqlite"), "--allow-private-urls", "--no-progress", "--no-embed", "--json"]
        result = cli.invoke(app, args)
        assert result.exit_code == 0, result.output
        summary = json.loads(result.output)
        assert (summary["feeds"], summary["items"]["new"], summary["items"]["embedded"]) == (1, 3, 0)
        assert summary["evidence_as_of"] == site.today.isoformat()
        again = cli.invoke(app, args[:-1])
        assert "0 new" in again.output and "evidence as of " + site.today.isoformat() in again.output
    finally:
        site.stop()


def test_a_run_where_every_source_fails_exits_with_a_coded_error(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    from newsproof.cli import run
    from newsproof.errors import CATALOGUE

    site = FeedSite(host="127.0.0.1").start()
    quick = tmp_path / "quick.toml"
    quick.write_text("[update]\nretries = 0\nhost_delay_s = 0.0\n")
    base = ["update", "--store", str(tmp_path / "s.sqlite"), "--state", str(tmp_path / "state.sqlite"), "--config",
            str(quick), "--allow-private-urls", "--no-progress", "--no-embed"]
    try:
        code = run([*base, site.url("/feeds/error.xml"), site.url("/feeds/malformed.xml")])
        out, err = capsys.readouterr()
        assert code == CATALOGUE["NP160"].exit_code != 0
        assert "feeds: 0 polled (0 not modified), 2 failed" in out and "evidence as of" in out  # the summary first
        assert "HTTP status 500" in err and "[NP160] cannot read 2 sources" in err
        partial = run([*base, "--force", site.url("/feeds/error.xml"), site.url("/rss.xml")])
        out, err = capsys.readouterr()
        assert partial == 0 and "1 polled (0 not modified), 1 failed" in out and "3 new" in out
        assert "HTTP status 500" in err and "NP160" not in err
    finally:
        site.stop()


def test_no_feeds_is_a_usage_error(tmp_path: Path) -> None:
    from support.cli import run_cli

    result = run_cli("update", "--store", str(tmp_path / "s.sqlite"), env={"NEWSPROOF_HOME": str(tmp_path)})
    assert result.returncode == 2 and b"NP161" in result.stderr, result.stderr


def test_bad_interval_and_date_are_usage_errors(cli: CliRunner, tmp_path: Path) -> None:
    from newsproof.errors import ConfigError

    result = cli.invoke(app, ["update", "https://example.com/rss", "--every", "often"])
    assert isinstance(result.exception, ConfigError) and result.exception.code == "NP162"
    result = cli.invoke(app, ["update", "https://example.com/rss", "--since", "yesterday"])
    assert isinstance(result.exception, ConfigError) and result.exception.code == "NP301"
