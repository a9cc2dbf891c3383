"""`newsproof train detect` and `newsproof eval detect`."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from newsproof.cli.groups import eval_app, train_app


def _train(
    data: Path = typer.Option(..., "--data", help="Folder with train.jsonl and dev.jsonl (shared/data/mgt format)."),
    out: Path = typer.Option(..., "--out", help="Artifact to write (.joblib; metadata goes beside it as .json)."),
    model: list[str] = typer.Option(None, "--model", help="Only these candidates (repeatable); default: all but the causal-LM stacked+lm+gbm."),
    limit: int = typer.Option(None, "--limit", help="Use an evenly spaced subset of this many rows per split."),
    window: bool = typer.Option(False, "--window", help="Add the fine-tuned MiniLM window member (torch extra; "
                                "~15 min on 2 cores)."),
    window_epochs: int = typer.Option(3, "--window-epochs", help="Training epochs of the window member."),
) -> None:
    """Train the feature detector (fixed seeds: same data, same artifact bytes)."""
    from newsproof.batch.progress import make_progress
    from newsproof.detect.model import CANDIDATES
    from newsproof.detect.train import train_detector

    reads_lm = any(kind in CANDIDATES and CANDIDATES[kind][2] for kind in model or ())
    with make_progress(unit="steps") as bar:
        lm_task = bar.add_task("SmolLM2 statistics", total=None, failed=0, visible=reads_lm)
        task = bar.add_task("window member", total=None, failed=0, visible=window)
        meta = train_detector(data, out, candidates=tuple(model) if model else None, limit=limit, window=window,
                              window_epochs=window_epochs,
                              progress=lambda done, total: bar.update(task, completed=done, total=total),
                              lm_progress=lambda done, total: bar.update(lm_task, completed=done, total=total))
    typer.echo(f"wrote {out} ({meta['artifact_bytes']} bytes), model {meta['model']}")
    for name, m in meta["comparison"].items():
        cv = meta["cross_validated"][name]
        typer.echo(f"  {name:22s} train CV AUROC {cv['auroc']:.4f}  TPR@1%FPR {cv['tpr_at_1pct_fpr']:.3f} | "
                   f"dev AUROC {m['auroc']:.4f}  TPR@1%FPR {m['tpr_at_1pct_fpr']:.3f}  F1 {m['f1']:.3f}  ECE {m['ece']:.3f}")
    if "window_member" in meta:
        alone = meta["window_member"]["dev_member_alone"]
        typer.echo(f"  window member alone: dev AUROC {alone['auroc']:.4f}  TPR@1%FPR {alone['tpr_at_1pct_fpr']:.3f} "
                   f"(the {meta['model']} row above is the mix)")


def _eval(
    data: Path = typer.Option(..., "--data", help="JSONL file of {text, label, generator} records."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    plots: Path = typer.Option(None, "--plots", help="Folder for roc.png and reliability.png."),
    detector: str = typer.Option("default", "--detector", help="Detector registry name."),
    limit: int = typer.Option(None, "--limit", help="Evaluate an evenly spaced subset of this many rows."),
) -> None:
    """Measure a detector: AUROC, TPR at 1% FPR, accuracy, F1, ECE; per generator and length."""
    from newsproof.detect.evaluate import evaluate_detector

    result = evaluate_detector(data, detector, plots=plots, limit=limit)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    typer.echo(f"{result['detector']} on {data}: n={result['n']}")
    rows = {"overall": result, **{f"gen {k}": v for k, v in result["per_generator"].items()},
            **{f"len {k}": v for k, v in result["per_length"].items()}}
    for name, m in rows.items():
        auroc = f"{m['auroc']:.4f}" if m["auroc"] is not None else "  -   "
        tpr = f"{m['tpr_at_1pct_fpr']:.3f}" if m["tpr_at_1pct_fpr"] is not None else "  -  "
        typer.echo(f"  {name:28s} n={m['n']:5d} AUROC {auroc} TPR@1%FPR {tpr} acc {m['accuracy']:.3f} "
                   f"F1 {m['f1']:.3f} ECE {m['ece']:.3f} (50/50 prior {m['ece_balanced']:.3f})")


def register(app: typer.Typer) -> None:
    """Attach the detect subcommands to the shared train/eval groups."""
    train_app.command("detect")(_train)
    eval_app.command("detect")(_eval)
