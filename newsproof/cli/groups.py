"""Command groups shared by several modules: `newsproof train ...` and `newsproof eval ...`."""

from __future__ import annotations

import typer

train_app = typer.Typer(help="Train the models newsproof ships (reproducible, fixed seeds).", no_args_is_help=True)
eval_app = typer.Typer(help="Measure newsproof on held-out data sets.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Attach the shared groups to the main app."""
    app.add_typer(train_app, name="train")
    app.add_typer(eval_app, name="eval")
