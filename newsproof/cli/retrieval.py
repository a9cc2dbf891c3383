"""`newsproof eval retrieval` and `newsproof index embed`: retrieval quality and dense indexing."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from newsproof.cli.groups import eval_app, examples
from newsproof.cli.index import STORE_HELP, index_app


def eval_retrieval_cmd(
    data: Path = typer.Option(..., "--data", help="Claims JSONL file (shared/data/claims format)."),
    store: str = typer.Option(None, "--store", help="Index into this empty, throw-away store (default: a temp SQLite file)."),
    embedder: str = typer.Option(None, "--embedder", help="Embedder: minilm-onnx (default), minilm-static, minilm-st."),
    distractors: int = typer.Option(10000, "--distractors", help="Distractor passages mixed with the gold evidence."),
    limit: int = typer.Option(None, "--limit", help="Evaluate only the first N claims that have evidence."),
    rrf_k: int = typer.Option(60, "--rrf-k", help="Reciprocal rank fusion constant."),
    dense_weight: float = typer.Option(1.0, "--dense-weight", help="Weight of the dense ranking in the fusion (BM25: 1)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Recall@5, recall@10 and MRR of the gold evidence for BM25, dense and hybrid retrieval."""
    from newsproof.evaluation.retrieval import evaluate_retrieval

    result = evaluate_retrieval(data, store_uri=store, embedder=embedder, distractors=distractors, limit=limit,
                                rrf_k=rrf_k, dense_weight=dense_weight, progress=not as_json)
    if as_json:
        typer.echo(json.dumps(result))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"retrieval on {data.name}: {result['n']} claims ({result['skipped']} without evidence "
                        f"skipped), {result['passages']} passages, embedder {result['embedder']}")
    for column in ("method", "recall@5", "recall@10", "MRR"):
        table.add_column(column)
    for method in ("bm25", "dense", "hybrid"):
        m = result[method]
        table.add_row(method, f"{m['recall@5']:.3f}", f"{m['recall@10']:.3f}", f"{m['mrr']:.3f}")
    Console().print(table)


def embed_cmd(
    store: str = typer.Option("default", "--store", "-s", help=STORE_HELP),
    embedder: str = typer.Option(None, "--embedder", help="Embedder: minilm-onnx (default), minilm-static, minilm-st."),
    batch_size: int = typer.Option(512, "--batch-size", help="Passages per embedding batch (one transaction each)."),
) -> None:
    """Give every passage of a store a dense vector (incremental: resumes where a previous run stopped)."""
    from newsproof.evidence import open_store
    from newsproof.evidence.embed import get_embedder
    from newsproof.evidence.hybrid import embed_store

    opened = open_store(store)
    try:
        added = embed_store(opened, get_embedder(embedder), batch_size=batch_size)
    finally:
        opened.close()
    typer.echo(f"embedded {added} passages")


def register(app: typer.Typer) -> None:
    """Attach `eval retrieval` and `index embed`."""
    eval_app.command("retrieval", epilog=examples(
        "newsproof eval retrieval --data claims.jsonl --limit 200",
        "newsproof eval retrieval --data claims.jsonl --embedder minilm-static --json"))(eval_retrieval_cmd)
    index_app.command("embed", epilog=examples("newsproof index embed --store my.sqlite"))(embed_cmd)
