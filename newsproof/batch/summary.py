"""End-of-run summary: per-item digests, totals and the rich table (the HTML page is in summary_html)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table

VERDICTS = ("SUPPORTED", "CONTRADICTED", "NOT ENOUGH EVIDENCE")


ENTITY_LABELS = ("PERSON", "ORG")  # "most contradicted": people and organisations, not places
TITLE_CHARS = 90


@dataclass(frozen=True, slots=True)
class Digest:
    """What the summary needs from one output line (small, picklable)."""

    id: str
    error_code: str | None = None
    error_message: str | None = None
    title: str | None = None
    verdicts: tuple[str, ...] = ()
    credibility: str | None = None
    mg_probability: float | None = None
    mg_label: str | None = None
    contradicted_entities: tuple[str, ...] = ()

    def count(self, verdict: str) -> int:
        """Claims of this article with `verdict`."""
        return self.verdicts.count(verdict)


def digest(record: dict[str, Any]) -> Digest:
    """Digest one output record ({"id", "report"} or {"id", "error"})."""
    report = record.get("report")
    if report is None:
        error = record.get("error") or {}
        return Digest(id=str(record.get("id")), error_code=str(error.get("code", "NP000")),
                      error_message=error.get("message"))
    verdicts = tuple(c["verdict"] for c in report.get("claims", []))
    entities = tuple(
        m["text"] for c in report.get("claims", []) if c["verdict"] == "CONTRADICTED"
        for m in c["claim"].get("mentions", []) if m.get("label") in ENTITY_LABELS
    )
    detection = report.get("machine_generated") or {}
    return Digest(id=str(record["id"]), title=_title(report.get("article") or {}), verdicts=verdicts,
                  credibility=(report.get("summary") or {}).get("credibility"),
                  mg_probability=detection.get("probability"), mg_label=detection.get("label"),
                  contradicted_entities=tuple(dict.fromkeys(entities)))


def _title(article: dict[str, Any]) -> str | None:
    """The article's title, else the start of its text."""
    if article.get("title"):
        return str(article["title"])
    text = " ".join(str(article.get("text") or "").split())
    return text if len(text) <= TITLE_CHARS else text[:TITLE_CHARS - 1].rsplit(" ", 1)[0] + "\u2026"


@dataclass
class RunStats:
    """Timing and outcome of one batch run."""

    engine: str
    workers: int
    elapsed_s: float = 0.0
    first_result_s: float | None = None
    last_result_s: float | None = None
    skipped: int = 0
    finish_times: list[float] = field(default_factory=list)
    digests: list[Digest] = field(default_factory=list)

    def add(self, item_digest: Digest, finished_s: float) -> None:
        """Record one processed item finished `finished_s` seconds after the start."""
        self.digests.append(item_digest)
        self.finish_times.append(finished_s)
        if self.first_result_s is None or finished_s < self.first_result_s:
            self.first_result_s = finished_s
        if self.last_result_s is None or finished_s > self.last_result_s:
            self.last_result_s = finished_s

    @property
    def processed(self) -> int:
        """Items processed in this run (not counting resumed ones)."""
        return len(self.digests)

    @property
    def failed(self) -> int:
        """Items whose output is an error."""
        return sum(d.error_code is not None for d in self.digests)

    @property
    def rate(self) -> float:
        """Articles per second over the whole run, start-up (model loading) included."""
        return self.processed / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def checking_rate(self) -> float:
        """Articles per second once checking runs: results after the first over the time since it (what the
        progress bar shows); the overall rate when there are too few results to tell."""
        span = (self.last_result_s or 0.0) - (self.first_result_s or 0.0)
        return (self.processed - 1) / span if self.processed > 1 and span > 0 else self.rate

    def throughput(self) -> str:
        """One line: the checking rate, then the overall rate and the start-up time that explains the gap."""
        if not self.processed:
            return f"no articles checked in {self.elapsed_s:.1f} s"
        first = f"{self.first_result_s:.1f} s" if self.first_result_s is not None else "-"
        return (f"{self.checking_rate:.2f} articles/s while checking; {self.rate:.2f} articles/s overall "
                f"({self.processed} in {self.elapsed_s:.1f} s, first result after {first} of start-up)")


@dataclass
class Totals:
    """Aggregates over digests."""

    items: int
    failed: int
    verdicts: Counter[str]
    credibility: Counter[str]
    mg_labels: Counter[str]
    mg_probabilities: list[float]
    contradicted_entities: Counter[str]
    error_codes: Counter[str]


def totals(digests: Iterable[Digest]) -> Totals:
    """Aggregate digests into counters."""
    result = Totals(0, 0, Counter(), Counter(), Counter(), [], Counter(), Counter())
    for d in digests:
        result.items += 1
        if d.error_code is not None:
            result.failed += 1
            result.error_codes[d.error_code] += 1
            continue
        result.verdicts.update(d.verdicts)
        result.credibility[d.credibility or "?"] += 1
        result.mg_labels[d.mg_label or "?"] += 1
        if d.mg_probability is not None:
            result.mg_probabilities.append(d.mg_probability)
        result.contradicted_entities.update(d.contradicted_entities)
    return result


def summary_table(stats: RunStats, top: int = 5) -> Table:
    """A rich table summarising the run."""
    agg = totals(stats.digests)
    table = Table(title=f"newsproof batch: {agg.items} articles ({stats.engine}, {stats.workers} workers)",
                  show_header=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("checked / failed", f"{agg.items - agg.failed} / {agg.failed}"
                  + (f"  ({', '.join(f'{c}: {n}' for c, n in agg.error_codes.most_common())})" if agg.failed else ""))
    if stats.skipped:
        table.add_row("skipped (resume)", str(stats.skipped))
    table.add_row("claims", f"{sum(agg.verdicts.values())}: " + ", ".join(f"{v} {agg.verdicts[v]}" for v in VERDICTS))
    table.add_row("credibility", ", ".join(f"{k} {n}" for k, n in agg.credibility.most_common()) or "-")
    mean = sum(agg.mg_probabilities) / len(agg.mg_probabilities) if agg.mg_probabilities else None
    table.add_row("machine-generated", ", ".join(f"{k} {n}" for k, n in agg.mg_labels.most_common())
                  + (f" (mean p={mean:.2f})" if mean is not None else ""))
    table.add_row("most contradicted", ", ".join(f"{e} ({n})" for e, n in agg.contradicted_entities.most_common(top))
                  or "-")
    table.add_row("throughput", stats.throughput())
    return table


def print_summary(stats: RunStats, console: Console | None = None) -> None:
    """Print the summary table."""
    (console or Console()).print(summary_table(stats))

