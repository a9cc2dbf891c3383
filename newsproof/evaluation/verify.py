"""`newsproof eval verify`: label accuracy, macro-F1, per-class P/R and a confusion matrix on any claims file.

Two baselines run on the same examples: the majority class of the file and a lexical-overlap rule.
Predictions are taken among the labels that occur in the file's gold labels (its label space), for the
model and both baselines alike.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsproof.errors import ConfigError, Errors
from newsproof.labels import LABELS, Label
from newsproof.models import Passage
from newsproof.verify.dataset import Example, read_examples
from newsproof.verify.features import NEGATIONS, lexical_overlap, tokens
from newsproof.verify.judges import Judge, argmax_label, get_judge

LEXICAL_SUPPORT = 0.5
RETRIEVED_KINDS = ("news", "encyclopedia", "kb")
BATCH = 64


def lexical_baseline(claim: str, passages: Sequence[Passage], allowed: Sequence[Label]) -> Label:
    """Overlap rule: most claim words in one passage -> SUPPORTED (CONTRADICTED if only one side is
    negated); otherwise NOT ENOUGH EVIDENCE, or CONTRADICTED where the label space has no NEE."""
    best, best_text = 0.0, ""
    for p in passages:
        score = lexical_overlap(claim, p.text)
        if score > best:
            best, best_text = score, p.text
    if best >= LEXICAL_SUPPORT:
        negated = any(t in NEGATIONS for t in tokens(claim)) != any(t in NEGATIONS for t in tokens(best_text))
        label = Label.CONTRADICTED if negated else Label.SUPPORTED
    else:
        label = Label.NOT_ENOUGH_EVIDENCE
    if label in allowed:
        return label
    fallback = [lab for lab in (Label.CONTRADICTED, Label.SUPPORTED, Label.NOT_ENOUGH_EVIDENCE) if lab in allowed]
    return fallback[0] if fallback else allowed[0]


def scores(gold: Sequence[Label], pred: Sequence[Label], labels: Sequence[Label]) -> dict[str, Any]:
    """Accuracy, macro-F1 over `labels`, per-class precision/recall/F1 and the confusion matrix."""
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

    names = [lab.value for lab in labels]
    g, p = [x.value for x in gold], [x.value for x in pred]
    prec, rec, f1, support = precision_recall_fscore_support(g, p, labels=names, zero_division=0)
    return {
        "n": len(g),
        "accuracy": round(float(accuracy_score(g, p)), 4),
        "macro_f1": round(float(f1_score(g, p, labels=names, average="macro", zero_division=0)), 4),
        "per_class": {n: {"precision": round(float(a), 4), "recall": round(float(b), 4), "f1": round(float(c), 4),
                          "support": int(s)} for n, a, b, c, s in zip(names, prec, rec, f1, support, strict=True)},
        "confusion": {"labels": names, "matrix": confusion_matrix(g, p, labels=names).tolist()},
        "predicted": dict(Counter(p)),
    }


def retrieve(examples: Sequence[Example], store_uri: str, k: int) -> list[list[Passage]]:
    """Top-k passages per claim from the evidence store (hybrid BM25 + dense retrieval).

    Fact-check evidence passages (kind "evidence", indexed from the claim sets themselves) are left out,
    so a claim is never judged on the evidence annotated for it.
    """
    from newsproof.evidence import SearchFilters, open_store
    from newsproof.evidence.embed import get_embedder
    from newsproof.evidence.hybrid import HybridRetriever

    store = open_store(store_uri, read_only=True)
    try:
        retriever = HybridRetriever(store, get_embedder())
        retriever.warm_up()
        filters = SearchFilters(kinds=RETRIEVED_KINDS)
        return [[h.passage for h in retriever.search(ex.claim, k, filters)] for ex in examples]
    finally:
        store.close()


def plot_confusion(result: dict[str, Any], path: Path, title: str) -> Path:
    """Write the confusion matrix as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names, matrix = result["confusion"]["labels"], result["confusion"]["matrix"]
    fig, ax = plt.subplots(figsize=(1.6 * len(names) + 2, 1.4 * len(names) + 1.5))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right")
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            ax.text(j, i, str(value), ha="center", va="center")
    ax.set_title(title)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def evaluate_verify(data: str | Path, *, evidence: str = "gold", store: str = "default", split: str = "all",
                    judge: Judge | None = None, plots: str | Path | None = None, k: int = 5,
                    limit: int | None = None) -> dict[str, Any]:
    """Evaluate the entailment judge and both baselines on a claims JSONL file."""
    if evidence not in ("gold", "retrieved"):
        raise ConfigError(Errors.E301.format(value=evidence, name="--evidence", choices="gold, retrieved"))
    start = time.perf_counter()
    examples = read_examples(data, with_evidence=evidence == "gold", split=split)[:limit]
    if not examples:
        raise ConfigError(f"no claims with evidence in {data} (split {split!r})")
    passages = [list(ex.passages) for ex in examples] if evidence == "gold" else retrieve(examples, store, k)
    gold = [ex.label for ex in examples]
    allowed = [lab for lab in LABELS if lab in set(gold)]
    judge = judge or get_judge()
    judge.warm_up()
    judge_start = time.perf_counter()
    pred: list[Label] = []
    for i in range(0, len(examples), BATCH):
        batch = [(ex.claim, ps) for ex, ps in zip(examples[i:i + BATCH], passages[i:i + BATCH], strict=True)]
        pred.extend(argmax_label(j.probs, allowed) for j in judge.judge_batch(batch))
    judge_seconds = time.perf_counter() - judge_start
    majority = Counter(gold).most_common(1)[0][0]
    result = scores(gold, pred, allowed)
    result.update({
        "data": str(data), "evidence": evidence, "split": split, "judge": judge.name,
        "labels": [lab.value for lab in allowed],
        "baselines": {
            "majority": scores(gold, [majority] * len(gold), allowed),
            "lexical": scores(gold, [lexical_baseline(ex.claim, ps, allowed)
                                     for ex, ps in zip(examples, passages, strict=True)], allowed),
        },
        "ms_per_claim": round(1000 * judge_seconds / len(examples), 2),
        "seconds": round(time.perf_counter() - start, 2),
    })
    if plots:
        stem = f"{Path(data).parent.name}_{Path(data).stem}_{evidence}"
        result["plots"] = [str(plot_confusion(result, Path(plots) / f"confusion_{stem}.png",
                                              f"{Path(data).parent.name} ({evidence} evidence)"))]
    return result


def format_result(result: dict[str, Any]) -> str:
    """Human-readable summary of `evaluate_verify` output."""
    lines = [f"{result['data']} ({result['evidence']} evidence, split {result['split']}): n={result['n']}",
             f"  model     macro-F1 {result['macro_f1']:.3f}  accuracy {result['accuracy']:.3f}"]
    for name, base in result["baselines"].items():
        lines.append(f"  {name:<9} macro-F1 {base['macro_f1']:.3f}  accuracy {base['accuracy']:.3f}")
    for label, pc in result["per_class"].items():
        lines.append(f"  {label:<20} P {pc['precision']:.3f}  R {pc['recall']:.3f}  F1 {pc['f1']:.3f}  n={pc['support']}")
    lines.append(f"  {result['ms_per_claim']} ms/claim; plots: {', '.join(result.get('plots', [])) or '-'}")
    return "\n".join(lines)
