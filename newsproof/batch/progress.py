"""A rich progress bar with rate and ETA, shared by the local and Spark engines."""

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


def make_progress(enabled: bool = True, unit: str = "articles", console: Console | None = None) -> Progress:
    """A progress display (a no-op when `enabled` is false)."""
    return Progress(
        SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        RateColumn(unit), TextColumn("ETA"), TimeRemainingColumn(), TextColumn("elapsed"), TimeElapsedColumn(),
        TextColumn("{task.fields[failed]} failed", style="red"),
        console=console or Console(stderr=True), disable=not enabled, transient=False,
    )
