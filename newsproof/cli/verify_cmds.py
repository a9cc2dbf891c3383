"""`newsproof train verify` and `newsproof eval verify`."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from newsproof.cli.groups import eval_app, examples, train_app


def train_verify_cmd(
    backend: str = typer.Option("all", "--backend",
                                help="learned (stacked classifier), crossencoder (fine-tuned MiniLM; needs torch, "
                                     "about an hour on 2 cores) or all (both: the default ensemble)."),
    out: Path = typer.Option(None, "--out", help="Artifact path (a folder with --backend all; default: the "
                                                 "packaged artifacts)."),
    limit: int = typer.Option(None, "--limit", help="Subsample at most this many claims per claim set."),
    seed: int = typer.Option(0, "--seed", help="Random seed (subsampling, NEE pairs, classifier)."),
    embedder: str = typer.Option("minilm-static", "--embedder", help="Embedder name (see evidence.embed)."),
    epochs: int = typer.Option(None, "--epochs", help="Cross-encoder: passes over the per-epoch sample "
                                                       "(default 2 after NLI pre-training, 5 without)."),
    pretrain: str = typer.Option(None, "--pretrain", help="Cross-encoder: nli = pre-train on the entailment "
                                                          "mixture of shared/data/nli first (see the README's "
                                                          "figures; the shipped model is not pre-trained)."),
    split: str = typer.Option("fit", "--split", help="Claims trained on: fit (train + tune, the shipped models) "
                                                     "or train (leaves tune unseen, for `eval blend`)."),
    factcheck: bool = typer.Option(True, "--factcheck/--no-factcheck", help="Also tune fact-check matching."),
) -> None:
    """Rebuild an entailment model (and the fact-check matching thresholds) from the claim sets.

    The cross-encoder resumes from its last checkpoint when interrupted and re-run with the same options.
    """
    if backend not in ("all", "learned", "crossencoder"):
        from newsproof.errors import ConfigError, Errors

        raise ConfigError(Errors.E301.format(value=backend, name="--backend", choices="all, learned, crossencoder"))

    def target(default: Path) -> Path:
        return out / default.name if out and backend == "all" else out or default

    if backend in ("all", "learned"):
        from newsproof.verify.judges.learned import ARTIFACT
        from newsproof.verify.train.learned import train_verify

        typer.echo(json.dumps(train_verify(target(ARTIFACT), limit_per_set=limit, seed=seed, embedder=embedder,
                                             split=split), indent=2))
    if backend in ("all", "crossencoder"):
        from newsproof.verify.judges.crossencoder import ARTIFACT as CE_ARTIFACT
        from newsproof.verify.train.crossencoder import train_crossencoder

        epochs = epochs or (2 if pretrain else 5)
        typer.echo(json.dumps(train_crossencoder(target(CE_ARTIFACT), limit_per_set=limit, seed=seed, epochs=epochs,
                                                 pretrain=pretrain, split=split), indent=2))
    if factcheck:
        from newsproof.verify.train.factcheck import tune_factcheck

        out_fc = ((out if backend == "all" else out.parent) / "factcheck.joblib") if out else None
        typer.echo(json.dumps(tune_factcheck(out_fc, seed=seed), indent=2))


def eval_verify_cmd(
    data: Path = typer.Option(..., "--data", help="Claims JSONL file (shared/data/claims format)."),
    evidence: str = typer.Option("gold", "--evidence", help="gold (the file's evidence) or retrieved (from --store)."),
    store: str = typer.Option("default", "--store", help="Evidence store URI for --evidence retrieved."),
    split: str = typer.Option("all", "--split", help="all, fit (train + tune), train, tune or dev: the fixed "
                                             "70/10/20 split (the shipped models learn from fit; tune chooses "
                                             "the blend for models trained on train; dev is held out)."),
    judge: str = typer.Option(None, "--judge", help="Entailment backend: learned, crossencoder, hf:/path, chat (default: config)."),
    k: int = typer.Option(5, "--k", help="Passages per claim."),
    limit: int = typer.Option(None, "--limit", help="Evaluate only the first N claims."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    plots: Path = typer.Option(None, "--plots", help="Folder for the confusion-matrix PNG."),
) -> None:
    """Measure the entailment stage on a claims file against majority and lexical baselines."""
    from newsproof.config import load_config
    from newsproof.evaluation.verify import evaluate_verify, format_result
    from newsproof.verify.judges import get_judge

    backend = get_judge(judge, load_config().get("verify", {}))
    result = evaluate_verify(data, evidence=evidence, store=store, split=split, judge=backend, plots=plots,
                             k=k, limit=limit)
    typer.echo(json.dumps(result) if as_json else format_result(result))


def eval_blend_cmd(
    split: str = typer.Option("tune", "--split", help="tune (default) or train; dev is refused (it is held out)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Choose the ensemble's cross-encoder share (`[verify] ensemble_weight`) on the claim sets' tune split."""
    from newsproof.evaluation.blend import choose_blend, format_blend

    result = choose_blend(split=split)
    typer.echo(json.dumps(result) if as_json else format_blend(result))


def register(app: typer.Typer) -> None:
    """Attach the verify subcommands to the shared train/eval groups."""
    train_app.command("verify", epilog=examples(
        "newsproof train verify --backend learned --limit 2000",
        "newsproof train verify --backend crossencoder --pretrain nli",
        "newsproof train verify --backend all --out artifacts/"))(train_verify_cmd)
    eval_app.command("verify", epilog=examples(
        "newsproof eval verify --data averitec/data.jsonl --limit 500",
        "newsproof eval verify --data claims.jsonl --evidence retrieved --json"))(eval_verify_cmd)
    eval_app.command("blend", epilog=examples("newsproof eval blend", "newsproof eval blend --json"))(eval_blend_cmd)
