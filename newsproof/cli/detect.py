"""`newsproof train detect` and `newsproof eval detect`."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from newsproof.cli.groups import eval_app, examples, train_app


def _train(
    data: Path = typer.Option(..., "--data", help="Folder with train.jsonl and dev.jsonl (shared/data/mgt format)."),
    out: Path = typer.Option(..., "--out", help="Artifact to write (.joblib; metadata goes beside it as .json)."),
    model: list[str] = typer.Option(None, "--model", help="Only these candidates (repeatable); default: all but the causal-LM stacked+lm+gbm."),
    limit: int = typer.Option(None, "--limit", help="Use an evenly spaced subset of this many rows per split."),
    window: bool = typer.Option(False, "--window", help="Add the fine-tuned MiniLM window member (torch extra; "
                                "~15 min on 2 cores)."),
    window_epochs: int = typer.Option(3, "--window-epochs", help="Training epochs of the window member."),
    chunks: int = typer.Option(0, "--chunks", min=0, help="Also learn from this many sentence paragraphs (30+ "
                               "words) of every text: better on short texts and per-paragraph scores."),
    augment: str = typer.Option(None, "--augment", help="Also learn from one attacked copy of every text, the "
                                "attack drawn from these names ('all' or NAME,NAME; see eval detect --attacks)."),
    window_from: Path = typer.Option(None, "--window-from", help="Reuse the window member of this artifact "
                                     "(no torch needed) and fit only the mix."),
    reading: str = typer.Option("plain", "--reading", help="How the stack reads texts: plain, or no-articles "
                                "(without a, an, the: article deletion cannot move it)."),
) -> None:
    """Train the feature detector (fixed seeds: same data, same artifact bytes)."""
    from newsproof.detect.model import CANDIDATES
    from newsproof.detect.train.attacks import parse_attacks
    from newsproof.detect.train.stack import train_detector
    from newsproof.progress import make_progress

    reads_lm = any(kind in CANDIDATES and CANDIDATES[kind][2] for kind in model or ())
    with make_progress(unit="steps") as bar:
        lm_task = bar.add_task("SmolLM2 statistics", total=None, failed=0, visible=reads_lm)
        task = bar.add_task("window member", total=None, failed=0, visible=window)
        meta = train_detector(data, out, candidates=tuple(model) if model else None, limit=limit, window=window,
                              window_epochs=window_epochs, chunks=chunks, window_from=window_from, reading=reading,
                              augment=tuple(parse_attacks(augment)) if augment else (),
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
    artifact: Path = typer.Option(None, "--artifact", exists=True, dir_okay=False, help="Score with this trained feature-detector artifact "
                                  "(from train detect) instead of the shipped one."),
    limit: int = typer.Option(None, "--limit", help="Evaluate an evenly spaced subset of this many rows."),
    attacks: str = typer.Option(None, "--attacks", help="Evasion attacks to measure: 'all' or NAME,NAME "
                                "(homoglyph, zero-width, whitespace, misspelling, article-deletion, case-flip, "
                                "paragraph-insertion, number-swap, synonym-swap, sentence-reorder)."),
    max_words: list[int] = typer.Option(None, "--max-words", help="Also score every text cut to its first N "
                                        "words (repeatable: --max-words 60 --max-words 120)."),
    mixed: bool = typer.Option(False, "--mixed", help="Also score human articles with 1-3 machine paragraphs "
                               "spliced in: paragraph-level AUROC from score()."),
    seed: int = typer.Option(0, "--seed", help="Seed of the attacks and of the mixed articles."),
    evasion: str = typer.Option(None, "--evasion", help="Override the detect.evasion config: raise or flag."),
) -> None:
    """Measure a detector: AUROC, TPR at 1% FPR, accuracy, F1, ECE; per generator and length; optionally
    under evasion attacks, on truncated texts and on mixed human/machine articles."""
    from newsproof.detect.train.attacks import parse_attacks
    from newsproof.evaluation.detect import evaluate_detector

    names = parse_attacks(attacks) if attacks else None
    result = evaluate_detector(data, detector, plots=plots, limit=limit, attacks=names, max_words=max_words or None,
                               mixed=mixed, seed=seed, evasion=evasion, artifact=artifact)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    typer.echo(f"{result['detector']} on {data}: n={result['n']}")
    rows = {"overall": result, **{f"gen {k}": v for k, v in result["per_generator"].items()},
            **{f"len {k}": v for k, v in result["per_length"].items()},
            **{f"attack {k} vs clean human": v["vs_clean_human"] for k, v in result.get("attacks", {}).items()},
            **{f"attack {k} vs attacked human": v["vs_attacked_human"] for k, v in result.get("attacks", {}).items()},
            **{f"first {k} words": v for k, v in result.get("max_words", {}).items()}}
    if "mixed" in result:
        rows["mixed: paragraphs"] = result["mixed"]["paragraph"]
        rows |= {f"mixed: paragraphs of {k}": v for k, v in result["mixed"]["paragraph_per_generator"].items()}
        rows["mixed: article vs human"] = result["mixed"]["article_mixed_vs_human"]
    for name, m in rows.items():
        auroc = f"{m['auroc']:.4f}" if m["auroc"] is not None else "  -   "
        tpr = f"{m['tpr_at_1pct_fpr']:.3f}" if m["tpr_at_1pct_fpr"] is not None else "  -  "
        rest = (f" acc {m['accuracy']:.3f} F1 {m['f1']:.3f} ECE {m['ece']:.3f} (50/50 prior {m['ece_balanced']:.3f})"
                if "accuracy" in m else "")
        typer.echo(f"  {name:40s} n={m['n']:5d} AUROC {auroc} TPR@1%FPR {tpr}{rest}")


def register(app: typer.Typer) -> None:
    """Attach the detect subcommands to the shared train/eval groups."""
    train_app.command("detect", epilog=examples(
        "newsproof train detect --data ../shared/data/mgt --out detector.joblib"))(_train)
    eval_app.command("detect", epilog=examples(
        "newsproof eval detect --data ../shared/data/mgt/dev.jsonl --plots plots/",
        "newsproof eval detect --data dev.jsonl --detector newsproof.features.v2 --json"))(_eval)
