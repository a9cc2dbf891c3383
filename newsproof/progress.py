"""The one rich progress bar (rate, ETA, failures): indexing, embedding, batch engines, updates, evaluation."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    """Items per second."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        """Render the task's `rate` field when the engine sets one (the summary's figure), else rich's speed."""
        speed = task.fields.get("rate") or task.finished_speed or task.speed
        return Text("-- " + self.unit + "/s" if speed is None else f"{speed:.2f} {self.unit}/s", style="cyan")


class FailedColumn(ProgressColumn):
    """Items that failed, for tasks that count them (a `failed` field)."""

    def render(self, task: Task) -> Text:
        """Render '<n> failed', or nothing for a task without the field."""
        return Text(f"{task.fields['failed']} failed" if "failed" in task.fields else "", style="red")


def make_progress(enabled: bool = True, unit: str = "articles", console: Console | None = None) -> Progress:
    """A progress display on stderr unless `console` is given (a no-op when `enabled` is false)."""
    return Progress(
        SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        RateColumn(unit), TextColumn("ETA"), TimeRemainingColumn(), TextColumn("elapsed"), TimeElapsedColumn(),
        FailedColumn(),
        console=console or Console(stderr=True), disable=not enabled, transient=False,
    )
