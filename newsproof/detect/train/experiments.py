"""Leave-one-generator-family-out evaluation: how the detector fares on generators it never saw."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from newsproof.detect.metrics import binary_metrics
from newsproof.detect.model import CANDIDATES
from newsproof.detect.train.data import Corpus, group_folds, load_corpus
from newsproof.detect.train.stack import (
    DEFAULT_CANDIDATES,
    FOLDS,
    CharFitter,
    add_window_member,
    fit_model,
    oof_features,
)
from newsproof.detect.windows import WindowScorer

# Sibling models are held out together, so a "new" generator is not a size variant of a training one.
FAMILIES: dict[str, tuple[str, ...]] = {
    "openai (gpt-3.5-turbo, gpt-4, davinci)": ("gpt-3.5-turbo", "gpt-4", "davinci"),
    "llama-2-chat (7b, 13b)": ("llama-2-7b-chat", "llama-2-13b-chat"),
    "vicuna (7b, 13b, 33b)": ("vicuna-7b-v1.3", "vicuna-13b-v1.3", "vicuna-33b-v1.3"),
    "eleuther (gpt-neo, gpt-j, gpt-neox)": ("gpt-neo-2.7B", "gpt-j-6B", "gpt-neox-20b"),
    "gpt2-xl": ("gpt2-xl",),
    "opt-2.7b": ("opt-2.7b",),
}


def _concat(a: Corpus, b: Corpus) -> Corpus:
    return Corpus(a.texts + b.texts, np.concatenate([a.labels, b.labels]), a.generators + b.generators)


def leave_family_out(data_dir: str | Path, families: dict[str, tuple[str, ...]] | None = None,
                     kinds: tuple[str, ...] | None = None,
                     on_family: Callable[[str, dict[str, Any]], None] | None = None,
                     window: bool = False) -> dict[str, dict[str, Any]]:
    """Per held-out family and candidate: train (LMs, char model, classifier, calibration) without the family,
    test on its train+dev texts vs human dev. `window`: each candidate also gets the MiniLM window member
    trained without the family (reported as '<candidate>+window')."""
    data_dir = Path(data_dir)
    train, dev = load_corpus(data_dir / "train.jsonl"), load_corpus(data_dir / "dev.jsonl")
    kinds = kinds or DEFAULT_CANDIDATES
    folds = group_folds(train.texts, FOLDS)
    chars = CharFitter(train)
    results: dict[str, dict[str, Any]] = {}
    for family, gens in (families or FAMILIES).items():
        in_train, in_dev = np.isin(train.generators, gens), np.isin(dev.generators, gens)
        test = _concat(dev.subset(in_dev | (dev.labels == 0)), train.subset(in_train))
        # the machine-text LM must not see the held-out family either
        feats = oof_features(train, folds, ~in_train) if any(CANDIDATES[k][0] for k in kinds) else None
        char_oof = chars.oof_logits(folds, ~in_train) if any(CANDIDATES[k][1] for k in kinds) else None
        results[family] = {}
        for kind in kinds:
            model, _, oof = fit_model(kind, train, feats, char_oof, chars, ~in_train, folds)
            results[family][kind] = binary_metrics(test.labels, model.predict_proba(test.texts))
            if window:
                add_window_member(model, train.subset(~in_train), folds[~in_train], oof, epochs=3)
                assert model.window is not None
                scored = model.predict_proba(test.texts, scorer=WindowScorer(model.window))
                results[family][f"{kind}+window"] = binary_metrics(test.labels, scored)
        if on_family is not None:
            on_family(family, results[family])
    return results


def markdown_table(results: dict[str, dict[str, Any]]) -> str:
    """AUROC / TPR@1%FPR / F1 per held-out family (rows) and candidate (columns)."""
    kinds = list(next(iter(results.values())))
    lines = ["| held-out family | n machine | " + " | ".join(kinds) + " |", "|---|---|" + "---|" * len(kinds)]
    for family, row in results.items():
        cells = [f"{m['auroc']:.3f} / {m['tpr_at_1pct_fpr']:.2f} / {m['f1']:.2f}" for m in row.values()]
        lines.append(f"| {family} | {next(iter(row.values()))['n_machine']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
