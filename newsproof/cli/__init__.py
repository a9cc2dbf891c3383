"""Command-line interface: a typer app; each command group lives in its own module."""

from __future__ import annotations

import importlib
import os
import sys

import typer

from newsproof.errors import NewsproofError

app = typer.Typer(
    name="newsproof",
    help="Offline-first news verification: claims, evidence, verdicts, machine-text detection.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each module exposes register(app). Order is the order shown in --help.
# Modules adding `train`/`eval` subcommands attach them to newsproof.cli.groups.{train_app,eval_app}
# and must be listed after "groups".
COMMAND_MODULES: tuple[str, ...] = (
    "check",
    "index",
    "groups",
    "serve",
    "batch",
    "detect",
    "retrieval",
    "verify_cmds",
    "evaluation",
)


def _register_all() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(f"newsproof.cli.{name}").register(app)


def main() -> None:
    """Entry point: run the app, turning NewsproofError into a one-line message and exit code."""
    _register_all()
    try:
        code = app(standalone_mode=False)
    except NewsproofError as exc:
        print(f"newsproof: error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        print("newsproof: aborted", file=sys.stderr)
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:  # click usage errors
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(2)
        if os.environ.get("NEWSPROOF_DEBUG"):
            raise
        print(f"newsproof: internal error: {type(exc).__name__}: {exc} (NEWSPROOF_DEBUG=1 shows the traceback)",
              file=sys.stderr)
        sys.exit(3)
    sys.exit(code if isinstance(code, int) else 0)
