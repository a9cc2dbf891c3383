"""Command groups shared by several modules (`newsproof train ...`, `newsproof eval ...`) and help helpers."""

from __future__ import annotations

import typer
from rich.markup import escape


def examples(*commands: str) -> str:
    """An `epilog` listing example command lines, one a line, for a command's --help."""
    return "Examples:\n\n" + "\n".join(escape(command) for command in commands)


train_app = typer.Typer(help="Train the models newsproof ships (reproducible, fixed seeds).", no_args_is_help=True,
                        epilog=examples("newsproof train verify --backend learned --limit 2000",
                                        "newsproof train detect --help"))
eval_app = typer.Typer(help="Measure newsproof on held-out data sets.", no_args_is_help=True,
                       epilog=examples("newsproof eval splices --json", "newsproof eval retrieval --data claims.jsonl"))


def register(app: typer.Typer) -> None:
    """Attach the shared groups to the main app."""
    app.add_typer(train_app, name="train")
    app.add_typer(eval_app, name="eval")
