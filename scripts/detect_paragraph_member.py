"""Experiment (README, "Evasion, short texts and mixed authorship"): a MiniLM member trained on paragraphs,
read on every paragraph of a mixed article, mixed with the shipped feature stack's paragraph log-odds.

- Rows: the shipped stack's training rows (`with_extra_rows`, `--chunks 4`, the shipped augment), folds
  grouped by article opening. The member learns from the sentence paragraphs (chunk rows) of every fold
  but HOLDOUT_FOLD: one epoch, one window per paragraph, otherwise the shipped member's recipe (LoRA rank 16,
  `newsproof.detect.train.windows.fit`).
- Mix: a logistic regression on the HOLDOUT_FOLD chunk rows, from the stack's out-of-fold log-odds
  (`fit_model`) and the member's; dev is only reported.
- Dev: the mixed articles of `eval detect --mixed` (seed 0); the stack's paragraph log-odds come from the
  shipped artifact, as `score()` computes them for paragraphs of 20+ words.
- Cost: milliseconds per mixed dev article to read its opening window (what the shipped member reads) and
  to read every paragraph (one thread, the shipped `WindowScorer`).

Run: .venv/bin/python scripts/detect_paragraph_member.py [--data ../shared/data/mgt] [--out result.json] [--limit N]
(needs the torch extra; ~25 min on 2 CPU cores: ~8 for the stack's out-of-fold columns, ~15 for the member)
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import joblib
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.utils.class_weight import compute_sample_weight

from newsproof.detect.feature_detector import WINDOW_ARTIFACT
from newsproof.detect.metrics import binary_metrics
from newsproof.detect.model import stack_text
from newsproof.detect.normalise import clean
from newsproof.detect.train import stack
from newsproof.detect.train.data import Corpus, group_folds, load_corpus
from newsproof.detect.train.windows import SEED, THREADS, build_network, fit, to_member
from newsproof.detect.windows import WindowScorer, window_ids
from newsproof.encoders import minilm_dir, plain_tokenizer, tokenizer_json
from newsproof.evaluation.detect_robustness import mixed_articles
from newsproof.paths import shared_data_dir


def summary(y: np.ndarray, logits: np.ndarray) -> dict[str, float]:
    metrics = binary_metrics(y, 1 / (1 + np.exp(-logits)))
    return {"auroc": round(metrics["auroc"], 4), "tpr_at_1pct_fpr": round(metrics["tpr_at_1pct_fpr"], 3)}


def stack_oof(rows: Corpus, folds: np.ndarray, original: np.ndarray, reading: str) -> np.ndarray:
    """The stack's out-of-fold log-odds of every row, as `newsproof train detect` fits them."""
    seen = Corpus([stack_text(t, reading) for t in rows.texts], rows.labels, rows.generators)
    feats = stack.oof_features(seen, folds, original)
    chars = stack.CharFitter(seen)
    everything = np.ones(len(rows), bool)
    return stack.fit_model("stacked+gbm", seen, feats, chars.oof_logits(folds), chars, everything, folds)[2]


def train_paragraph_member(texts: list[str], labels: np.ndarray):  # type: ignore[no-untyped-def]
    import torch

    torch.manual_seed(SEED)
    torch.set_num_threads(THREADS)
    tokenizer = plain_tokenizer(tokenizer_json(minilm_dir()))
    net = build_network(minilm_dir())
    fit(net, window_ids(tokenizer, texts, 1), labels, epochs=1,
        progress=lambda done, total: print(f"member step {done}/{total}", flush=True) if done % 100 == 0 else None)
    return to_member(net)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=(shared_data_dir() or Path("../shared/data")) / "mgt")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--limit", type=int, help="read only this many texts of each split (a quick smoke run)")
    args = parser.parse_args()
    shipped = joblib.load(WINDOW_ARTIFACT)
    meta = json.loads(WINDOW_ARTIFACT.with_suffix(".json").read_text("utf-8"))
    train, dev = (load_corpus(args.data / f"{split}.jsonl", limit=args.limit) for split in ("train", "dev"))
    folds = group_folds(train.texts, stack.FOLDS)
    rows, row_folds, original = stack.with_extra_rows(train, folds, chunks=meta["chunks"], augment=tuple(meta["augment"]))
    chunk = np.zeros(len(rows), bool)
    chunk[len(train) : len(rows) - (len(train) if meta["augment"] else 0)] = True  # chunk rows come before the attacked copies
    oof = stack_oof(rows, row_folds, original, meta["reading"])
    fitted, held = chunk & (row_folds != stack.HOLDOUT_FOLD), chunk & (row_folds == stack.HOLDOUT_FOLD)
    member = train_paragraph_member([rows.texts[i] for i in np.flatnonzero(fitted)], rows.labels[fitted])
    scorer = WindowScorer(member)
    held_member = scorer.logits([rows.texts[i] for i in np.flatnonzero(held)])
    held_cols, y_held = np.column_stack([oof[held], held_member]), rows.labels[held]
    mix = LogisticRegression(C=1e4).fit(held_cols, y_held, sample_weight=compute_sample_weight("balanced", y_held))

    articles = mixed_articles(dev, seed=0)
    paras = [[clean(p).text for p in text.split("\n\n")] for text, _ in articles]
    flat, y_dev = [p for ps in paras for p in ps], np.array([y for _, labels in articles for y in labels])
    dev_cols = np.column_stack([shipped.raw_logit(shipped.columns(flat)), scorer.logits(flat)])
    opening = WindowScorer(shipped.window)
    timings = {}
    for name, read in (("opening_window", lambda ps: opening.logits(["\n\n".join(ps)])), ("every_paragraph", scorer.logits)):
        read(paras[0])
        start = time.perf_counter()
        for ps in paras:
            read(ps)
        timings[name] = round(1000 * (time.perf_counter() - start) / len(paras), 1)
    result = {
        "holdout_chunk_rows": {"n": int(held.sum()), "stack": summary(y_held, held_cols[:, 0]),
                               "member": summary(y_held, held_member), "mix": summary(y_held, mix.decision_function(held_cols))},
        "dev_mixed_paragraphs": {"n": len(y_dev), "n_machine": int(y_dev.sum()), "stack": summary(y_dev, dev_cols[:, 0]),
                                 "member": summary(y_dev, dev_cols[:, 1]), "mix": summary(y_dev, mix.decision_function(dev_cols))},
        "mix_coefficients": [round(float(c), 4) for c in (*mix.coef_[0], mix.intercept_[0])],
        "ms_per_mixed_dev_article_one_thread": timings,
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", "utf-8")


if __name__ == "__main__":
    main()
