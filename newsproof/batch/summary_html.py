"""Self-contained HTML batch summary: a sortable per-article triage table and inline SVG plots (matplotlib, Agg)."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

from newsproof.batch.summary import VERDICTS, RunStats, Totals, totals
from newsproof.batch.triage import Row

_COLOURS = {"SUPPORTED": "#2e7d32", "CONTRADICTED": "#c62828", "NOT ENOUGH EVIDENCE": "#9e9e9e"}
_MG_COLOURS = {"human": "#43a047", "uncertain": "#9e9e9e", "machine": "#5c6bc0"}
CREDIBILITY_ORDER = ("low", "mixed", "unverified", "high")
_CREDIBILITY_COLOURS = {"low": "#c62828", "mixed": "#ef6c00", "unverified": "#9e9e9e", "high": "#2e7d32",
                        "failed": "#424242"}

_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>newsproof batch summary</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
table{border-collapse:collapse;margin-bottom:1.5rem}td,th{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left}
#triage{width:100%;font-size:.92rem}#triage td.n{text-align:right;font-variant-numeric:tabular-nums}
#triage th button{all:unset;cursor:pointer;font-weight:600}#triage th:first-child{min-width:2.6rem}#triage th button:focus{outline:2px solid #5c6bc0}
#triage th[aria-sort=ascending] button::after{content:" \\25B2"}#triage th[aria-sort=descending] button::after{content:" \\25BC"}
.title{color:#555;font-size:.85rem}.id{font-family:ui-monospace,monospace;word-break:break-all}
.low{color:#c62828;font-weight:600}.mixed{color:#ef6c00}.failed{color:#424242}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:1rem}figure{margin:0}figcaption{font-weight:600}
svg{max-width:100%;height:auto}
</style></head><body>
<h1>newsproof batch summary</h1>
<p>Generated {{ generated }} &middot; engine {{ stats.engine }} &middot; {{ stats.workers }} workers</p>
<table>{% for key, value in figures %}<tr><th>{{ key }}</th><td>{{ value }}</td></tr>{% endfor %}</table>
<h2>Articles</h2>
<p>Click a column heading to sort; click again to reverse.{% if not linked %} Run with <code>--reports DIR</code>
for a report per article.{% endif %}</p>
<table id="triage"><thead><tr>
{% for heading in headings %}<th scope="col"><button type="button">{{ heading }}</button></th>{% endfor %}
</tr></thead><tbody>
{% for row in rows %}{% set d = row.digest %}<tr>
<td class="n">{{ row.number }}</td>
<td><div class="id">{% if row.href %}<a href="{{ row.href }}">{{ d.id }}</a>{% else %}{{ d.id }}{% endif %}</div>
{% if d.title %}<div class="title">{{ d.title }}</div>{% endif %}</td>
{% if d.error_code %}<td class="n" data-sort="-1">-</td><td class="n" data-sort="-1">-</td><td class="n" data-sort="-1">-</td>
<td class="failed" data-sort="-1">failed</td><td data-sort="-1">-</td>
<td class="failed">{{ d.error_code }}: {{ d.error_message or "" }}</td>
{% else %}{% for verdict in verdicts %}<td class="n">{{ d.count(verdict) }}</td>{% endfor %}
<td class="{{ d.credibility }}" data-sort="{{ rank.get(d.credibility, -1) }}">{{ d.credibility or "-" }}</td>
<td data-sort="{{ '%.4f' % d.mg_probability if d.mg_probability is not none else -0.5 }}">
{{ '%d%%' % (d.mg_probability * 100) if d.mg_probability is not none else "no score" }} ({{ d.mg_label }})</td>
<td>{% if row.href %}<a href="{{ row.href }}">open report</a>{% else %}{{ row.problem or "-" }}{% endif %}</td>
{% endif %}
</tr>
{% endfor %}</tbody></table>
<h2>Charts</h2>
<div class="grid">{% for title, svg in plots %}<figure><figcaption>{{ title }}</figcaption>{{ svg | safe }}</figure>
{% endfor %}</div>
<script>
document.querySelectorAll("#triage th button").forEach((button, column) => button.addEventListener("click", () => {
  const th = button.parentElement, body = document.querySelector("#triage tbody");
  const order = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
  th.parentElement.querySelectorAll("th").forEach((h) => h.removeAttribute("aria-sort"));
  th.setAttribute("aria-sort", order);
  const key = (row) => { const cell = row.cells[column]; return cell.dataset.sort ?? cell.textContent.trim(); };
  const rows = [...body.rows].sort((a, b) => {
    const x = key(a), y = key(b), nx = parseFloat(x), ny = parseFloat(y);
    const c = !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y);
    return order === "ascending" ? c : -c;
  });
  body.append(...rows);
}));
</script>
</body></html>
"""
HEADINGS = ("#", "Article", "Supported", "Contradicted", "Not enough evidence", "Credibility", "Machine-written",
            "Report")


def render_summary_html(stats: RunStats, rows: list[Row] | None = None) -> str:
    """The full HTML page: key figures, the triage table (every article of `rows`) and five plots."""
    import jinja2

    rows = rows if rows is not None else [Row(n, d) for n, d in enumerate(stats.digests, start=1)]
    agg = totals(row.digest for row in rows)
    plots = [
        ("Verdicts (claims)", _verdict_plot(agg)),
        (f"Credibility ({agg.items} articles)", _credibility_plot(agg)),
        (f"Machine-written probability ({agg.items - agg.failed} articles)", _mg_plot(rows)),
        ("Most contradicted people and organisations", _entities_plot(agg)),
        ("Throughput (this run)", _throughput_plot(stats)),
    ]
    env = jinja2.Environment(autoescape=True)
    return env.from_string(_TEMPLATE).render(
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), stats=stats, figures=_figures(stats, agg),
        rows=rows, headings=HEADINGS, verdicts=VERDICTS, rank={c: i for i, c in enumerate(CREDIBILITY_ORDER)},
        linked=any(row.href for row in rows), plots=plots)


def write_summary_html(stats: RunStats, path: Path, rows: list[Row] | None = None) -> None:
    """Write the summary page whole (temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(render_summary_html(stats, rows), encoding="utf-8")
    os.replace(temporary, path)


def _figures(stats: RunStats, agg: Totals) -> list[tuple[str, Any]]:
    return [
        ("articles", agg.items), ("checked / failed", f"{agg.items - agg.failed} / {agg.failed}"),
        ("checked in this run", stats.processed), ("already in the output (resumed)", stats.skipped),
        ("claims", f"{sum(agg.verdicts.values())}: " + ", ".join(f"{v.lower()} {agg.verdicts[v]}" for v in VERDICTS)),
        ("credibility", ", ".join(f"{k}: {n}" for k, n in agg.credibility.most_common()) or "-"),
        ("machine-written", ", ".join(f"{k}: {n}" for k, n in agg.mg_labels.most_common()) or "-"),
        ("errors", ", ".join(f"{k}: {n}" for k, n in agg.error_codes.most_common()) or "-"),
        ("throughput", stats.throughput()),
    ]


def _figure() -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.fonttype"] = "none"  # real <text>: smaller, searchable
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(5.2, 3.2), dpi=100)


def _integer_axis(ax: Any, which: str = "y") -> None:
    """Counts are whole articles or claims: integer ticks only, from 0 (and up to at least 1 when all are 0)."""
    from matplotlib.ticker import MaxNLocator

    (ax.yaxis if which == "y" else ax.xaxis).set_major_locator(MaxNLocator(integer=True))
    limits = ax.get_ylim if which == "y" else ax.get_xlim
    (ax.set_ylim if which == "y" else ax.set_xlim)(0, max(1.0, limits()[1]))


def _svg(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    fig.tight_layout()
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def _bars(ax: Any, labels: list[str], counts: list[int], colours: list[str]) -> None:
    ax.bar(labels, counts, color=colours)
    for x, n in enumerate(counts):
        ax.annotate(str(n), (x, n), ha="center", va="bottom")
    ax.margins(y=0.15)  # room for the count above the tallest bar
    _integer_axis(ax)


def _verdict_plot(agg: Totals) -> str:
    fig, ax = _figure()
    _bars(ax, [v.title() for v in VERDICTS], [agg.verdicts[v] for v in VERDICTS], [_COLOURS[v] for v in VERDICTS])
    ax.set_ylabel("claims")
    return _svg(fig)


def _credibility_plot(agg: Totals) -> str:
    fig, ax = _figure()
    labels = [*CREDIBILITY_ORDER, "failed"]
    counts = [*(agg.credibility[c] for c in CREDIBILITY_ORDER), agg.failed]
    _bars(ax, labels, counts, [_CREDIBILITY_COLOURS[c] for c in labels])
    ax.set_ylabel("articles")
    return _svg(fig)


def _mg_plot(rows: list[Row]) -> str:
    """Stacked histogram by label over ten probability bins, plus a 'no score' bar (text too short to score)."""
    fig, ax = _figure()
    checked = [row.digest for row in rows if row.digest.error_code is None]
    bottom = [0] * 11
    for label, colour in _MG_COLOURS.items():
        counts = [0] * 11
        for d in checked:
            if (d.mg_label or "uncertain") == label:
                counts[10 if d.mg_probability is None else min(int(d.mg_probability * 10), 9)] += 1
        ax.bar([i * 0.1 + 0.05 for i in range(10)] + [1.15], counts, width=0.09, bottom=bottom, color=colour,
               label=f"{label} ({sum(counts)})", edgecolor="white")
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0, 1.15], ["0", "0.25", "0.5", "0.75", "1", "no\nscore"])
    ax.set_xlim(-0.02, 1.22)
    ax.set_xlabel("P(machine-written)")
    ax.set_ylabel("articles")
    _integer_axis(ax)
    ax.legend(fontsize=8, frameon=False)
    return _svg(fig)


def _entities_plot(agg: Totals, top: int = 12) -> str:
    fig, ax = _figure()
    common = agg.contradicted_entities.most_common(top)[::-1]
    if common:
        ax.barh([name[:40] for name, _ in common], [n for _, n in common], color=_COLOURS["CONTRADICTED"])
        ax.set_xlabel("articles with a contradicted claim naming it")
        _integer_axis(ax, "x")
    else:
        ax.text(0.5, 0.5, "no contradicted claims naming a person or organisation", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
    return _svg(fig)


def _throughput_plot(stats: RunStats) -> str:
    fig, ax = _figure()
    times = sorted(stats.finish_times)
    if times:
        ax.plot([0.0, *times], list(range(len(times) + 1)), color="#00897b", drawstyle="steps-post")
        ax.axvline(times[0], color="#9e9e9e", linestyle="--", linewidth=1)
        ax.annotate(" first result", (times[0], 0), color="#616161", fontsize=8, va="bottom")
        ax.set_title(f"{stats.checking_rate:.2f} articles/s while checking, {stats.rate:.2f} overall", fontsize=10)
    ax.set_xlabel("seconds since start")
    ax.set_ylabel("articles done")
    _integer_axis(ax)
    return _svg(fig)
