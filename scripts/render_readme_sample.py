"""Render the README's sample terminal report from the current code.

    .venv/bin/python scripts/render_readme_sample.py           # rewrite the block in README.md
    .venv/bin/python scripts/render_readme_sample.py --check   # exit 1 when README.md is out of date

The block sits between the `<!-- sample-output:start -->` and `<!-- sample-output:end -->` markers;
`tests/report/test_readme_sample.py` fails when it differs from what this script renders.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
SAMPLE = REPO / "examples" / "sample_article.txt"
START, END = "<!-- sample-output:start -->", "<!-- sample-output:end -->"
WIDTH = 100
INTRO = ("`bash scripts/run_sample.sh` checks `examples/sample_article.txt`, a spliced fake: real people and\n"
         "places, but a strike dated 27 May 2021 that in fact happened on 3 January 2020. The report below is\n"
         "rendered by `scripts/render_readme_sample.py` from the current code (a test fails when it is stale):")


def render_sample(checker: Any = None) -> str:
    """The terminal report of the sample article, as plain text at a fixed width."""
    from rich.console import Console

    from newsproof.pipeline import Checker
    from newsproof.report import render_text

    own = checker is None
    checker = checker or Checker()
    try:
        report = checker.check(str(SAMPLE))
    finally:
        if own:
            checker.close()
    buffer = io.StringIO()
    render_text(report, Console(file=buffer, width=WIDTH, color_system=None, force_terminal=False,
                                legacy_windows=False, soft_wrap=False))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines())


def block(output: str) -> str:
    """The README block (markers included) for a rendered sample."""
    return f"{START}\n{INTRO}\n\n```\n{output}\n```\n{END}"


def splice(readme: str, new_block: str) -> str:
    """README text with the marked block replaced (raises ValueError when the markers are missing)."""
    start, end = readme.find(START), readme.find(END)
    if start < 0 or end < start:
        raise ValueError(f"README.md has no {START} … {END} block")
    return readme[:start] + new_block + readme[end + len(END):]


def current_block(readme: str) -> str:
    """The marked block as it is in the README."""
    start, end = readme.find(START), readme.find(END)
    if start < 0 or end < start:
        raise ValueError(f"README.md has no {START} … {END} block")
    return readme[start:end + len(END)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when README.md is out of date")
    args = parser.parse_args(argv)
    readme = README.read_text("utf-8")
    fresh = block(render_sample())
    if args.check:
        if current_block(readme) != fresh:
            print("README.md sample output is stale: run scripts/render_readme_sample.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(splice(readme, fresh), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
