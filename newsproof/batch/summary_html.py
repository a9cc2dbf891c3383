"""Self-contained HTML batch summary with inline SVG plots (matplotlib, Agg backend)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from newsproof.batch.summary import VERDICTS, RunStats, Totals, totals

_COLOURS = {"SUPPORTED": "#2e7d32", "CONTRADICTED": "#c62828", "NOT ENOUGH EVIDENCE": "#9e9e9e"}

_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>newsproof batch summary</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222}
table{border-collapse:collapse;margin-bottom:1.5rem}td,th{padding:.3rem .8rem;border-bottom:1px solid #ddd;text-align:left}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:1rem}figure{margin:0}figcaption{font-weight:600}
svg{max-width:100%;height:auto}
</style></head><body>
<h1>newsproof batch summary</h1>
<p>Generated {{ generated }} &middot; engine {{ stats.engine }} &middot; {{ stats.workers }} workers</p>
<table>{% for key, value in rows %}<tr><th>{{ key }}</th><td>{{ value }}</td></tr>{% endfor %}</table>
<div class="grid">{% for title, svg in plots %}<figure><figcaption>{{ title }}</figcaption>{{ svg | safe }}</figure>
{% endfor %}</div>
</body></html>
"""


def render_summary_html(stats: RunStats) -> str:
    """The full HTML page: key figures plus four plots."""
    import jinja2

    agg = totals(stats.digests)
    plots = [
        ("Verdict distribution (claims)", _verdict_plot(agg)),
        ("Machine-generation probability", _mg_histogram(agg)),
        ("Most contradicted entities", _entities_plot(agg)),
        ("Throughput", _throughput_plot(stats)),
    ]
    env = jinja2.Environment(autoescape=True)
    return env.from_string(_TEMPLATE).render(
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), stats=stats,
        rows=_rows(stats, agg), plots=plots)


def _rows(stats: RunStats, agg: Totals) -> list[tuple[str, Any]]:
    first = f"{stats.first_result_s:.1f} s" if stats.first_result_s is not None else "-"
    return [
        ("articles", agg.items), ("failed", agg.failed), ("skipped (resumed)", stats.skipped),
        ("claims", sum(agg.verdicts.values())),
        *((v.lower(), agg.verdicts[v]) for v in VERDICTS),
        ("credibility", ", ".join(f"{k}: {n}" for k, n in agg.credibility.most_common()) or "-"),
        ("errors", ", ".join(f"{k}: {n}" for k, n in agg.error_codes.most_common()) or "-"),
        ("throughput", f"{stats.rate:.2f} articles/s over {stats.elapsed_s:.1f} s"),
        ("time to first result", first),
    ]


def _figure() -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.fonttype"] = "none"  # real <text>: smaller, searchable
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(5.2, 3.2), dpi=100)


def _svg(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    fig.tight_layout()
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def _verdict_plot(agg: Totals) -> str:
    fig, ax = _figure()
    counts = [agg.verdicts[v] for v in VERDICTS]
    ax.bar([v.title() for v in VERDICTS], counts, color=[_COLOURS[v] for v in VERDICTS])
    for x, n in enumerate(counts):
        ax.annotate(str(n), (x, n), ha="center", va="bottom")
    ax.set_ylabel("claims")
    return _svg(fig)


def _mg_histogram(agg: Totals) -> str:
    fig, ax = _figure()
    ax.hist(agg.mg_probabilities, bins=[i / 20 for i in range(21)], color="#5c6bc0", edgecolor="white")
    ax.set_xlim(0, 1)
    ax.set_xlabel("P(machine-generated)")
    ax.set_ylabel("articles")
    return _svg(fig)


def _entities_plot(agg: Totals, top: int = 12) -> str:
    fig, ax = _figure()
    common = agg.contradicted_entities.most_common(top)[::-1]
    if common:
        ax.barh([name[:40] for name, _ in common], [n for _, n in common], color=_COLOURS["CONTRADICTED"])
        ax.set_xlabel("articles with a contradicted claim naming it")
    else:
        ax.text(0.5, 0.5, "no contradicted claims", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
    return _svg(fig)


def _throughput_plot(stats: RunStats) -> str:
    fig, ax = _figure()
    times = sorted(stats.finish_times)
    if times:
        ax.plot([0.0, *times], list(range(len(times) + 1)), color="#00897b")
        ax.set_title(f"{stats.rate:.2f} articles/s", fontsize=10)
    ax.set_xlabel("seconds since start")
    ax.set_ylabel("articles done")
    return _svg(fig)
