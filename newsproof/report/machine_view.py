"""The machine-text panel: a gauge whose needle never crosses its label, per-paragraph scores aligned to the
paragraphs they score (with a legend), and the signals in words."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from newsproof.detect.base import paragraph_chunks
from newsproof.detect.text import paragraphs
from newsproof.models import DetectionResult, Report
from newsproof.report.wording import LABEL_WORDS, machine_explanation, signal_lines

# Gauge geometry (SVG user units): a half circle above the pivot; the percentage sits below the pivot, so the
# needle (which only sweeps the upper half) can never run through it.
PIVOT = (120.0, 112.0)
NEEDLE = 78.0
OPENING_WORDS = 8


@dataclass
class ParagraphScore:
    """One displayed paragraph (or merged group of short paragraphs) and its machine-text score."""

    number: int
    score: float
    opening: str  # its first words, so the reader sees which paragraph it is

    @property
    def percent(self) -> str:
        return f"{self.score:.0%}"

    @property
    def alpha(self) -> float:
        """Shading strength: 0 (human-like, no shading) to 1 (machine-like, full red)."""
        return round(max(0.0, min(1.0, self.score)), 2)


@dataclass
class MachineView:
    """Everything the machine-text panel shows."""

    detection: DetectionResult
    percent: str | None
    label: str
    explanation: str
    needle: tuple[float, float] | None
    paragraphs: list[ParagraphScore] = field(default_factory=list)
    paragraph_note: str = ""
    signals: list[str] = field(default_factory=list)


def machine_view(report: Report) -> MachineView:
    """The panel for a report."""
    mg = report.machine_generated
    rows, note = paragraph_rows(report.article.text, mg.paragraph_scores)
    return MachineView(
        detection=mg, percent=None if mg.probability is None else f"{mg.probability:.0%}",
        label=LABEL_WORDS.get(mg.label, mg.label), explanation=machine_explanation(mg),
        needle=None if mg.probability is None else gauge_needle(mg.probability),
        paragraphs=rows, paragraph_note=note, signals=signal_lines(mg, limit=4))


def gauge_needle(probability: float) -> tuple[float, float]:
    """End point of the needle: left (0%) to right (100%) over the upper half circle."""
    angle = math.pi * (1 - min(1.0, max(0.0, probability)))
    return round(PIVOT[0] + NEEDLE * math.cos(angle), 1), round(PIVOT[1] - NEEDLE * math.sin(angle), 1)


def paragraph_rows(text: str, scores: list[float]) -> tuple[list[ParagraphScore], str]:
    """One row per score, labelled with the paragraph it scores. The detector scores one paragraph each, or
    merges short paragraphs forward into groups; the rows follow whichever split matches the scores."""
    if not scores:
        return [], ""
    split = paragraphs(text)
    note = "One score per paragraph."
    if len(split) != len(scores):
        split = paragraph_chunks(text)
        note = "Short paragraphs are scored together with the next ones; one score per group."
    if len(split) != len(scores):
        split = [""] * len(scores)
        note = "Scores of successive parts of the article."
    rows = [ParagraphScore(i, score, _opening(part)) for i, (score, part) in enumerate(zip(scores, split, strict=True), 1)]
    return rows, note


def _opening(part: str) -> str:
    words = " ".join(part.split()).split(" ")
    return " ".join(words[:OPENING_WORDS]) + ("…" if len(words) > OPENING_WORDS else "")
