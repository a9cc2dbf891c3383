"""Command-line interface: a typer app; each command group lives in its own module.

Exit codes: 0 done, 1 a claim is CONTRADICTED (`check`), 2 a usage mistake or bad input (one message on
stderr), 3 an internal error, 4 the evidence store or a model cannot be used. Coded failures come from the
catalogue in `newsproof.errors` (`newsproof errors` prints it).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence

import typer

from newsproof import __version__
from newsproof.errors import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, NewsproofError

app = typer.Typer(
    name="newsproof",
    help="Offline-first news verification: claims, evidence, verdicts, machine-text detection.",
    epilog="Examples:\n\nnewsproof check article.txt\n\nnewsproof check page.html --format html --out report.html\n\n"
           "newsproof batch articles.jsonl --out results.jsonl\n\nnewsproof serve --port 8000",
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
    "update",
    "groups",
    "serve",
    "batch",
    "detect",
    "retrieval",
    "verify_cmds",
    "evaluation",
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"newsproof {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Offline-first news verification: claims, evidence, verdicts, machine-text detection."""


def _hide_flag_types() -> None:
    """typer's rich help prints `<bool>` beside flags, which take no value; print nothing there."""
    from typer.core import TyperOption

    original = getattr(TyperOption, "display_type_rich", None)
    if original is None or getattr(original, "flags_hidden", False):
        return

    def display_type_rich(self: TyperOption, ctx: typer.Context) -> str | None:
        return None if self.is_flag and self.metavar is None else original(self, ctx)

    display_type_rich.flags_hidden = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_registered = False


def _register_all() -> None:
    global _registered
    if _registered:
        return
    _hide_flag_types()
    for name in COMMAND_MODULES:
        importlib.import_module(f"newsproof.cli.{name}").register(app)
    _registered = True


def _usage_error(exc: Exception) -> int:
    """Print click's own message for a usage mistake; a bare command group prints its help instead."""
    if type(exc).__name__ == "NoArgsIsHelpError":  # `newsproof`, `newsproof index`: help, not an error
        ctx = getattr(exc, "ctx", None)
        typer.echo(ctx.get_help() if ctx is not None else str(exc))
        return EXIT_OK
    show = getattr(exc, "show", None)
    if show is not None:
        show()
    else:
        print(f"newsproof: error: {exc}", file=sys.stderr)
    return EXIT_USAGE


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI on `argv` (default: sys.argv[1:]) and return the exit code; nothing is raised."""
    _register_all()
    try:
        code = app(args=list(argv) if argv is not None else None, prog_name="newsproof", standalone_mode=False)
    except NewsproofError as exc:
        print(f"newsproof: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except typer.TyperException as exc:  # click's usage errors (typer bundles its own click)
        return _usage_error(exc)
    except (typer.Abort, KeyboardInterrupt):
        print("newsproof: aborted", file=sys.stderr)
        return 130
    except typer.Exit as exc:
        return exc.exit_code
    except Exception as exc:
        if os.environ.get("NEWSPROOF_DEBUG"):
            raise
        print(f"newsproof: internal error: {type(exc).__name__}: {exc} (NEWSPROOF_DEBUG=1 shows the traceback)",
              file=sys.stderr)
        return EXIT_INTERNAL
    return code if isinstance(code, int) else EXIT_OK


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
