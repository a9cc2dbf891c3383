"""Distil MiniLM into the static token table shipped as newsproof/evidence/minilm_static.npz.

model2vec-style: every vocabulary token is embedded by MiniLM on its own ([CLS] tok [SEP], mean
pooled), the table is PCA-reduced, and each row is scaled by a SIF weight a / (a + p(token)) with
token probabilities counted on the shared news archive (so frequent, uninformative pieces count
less in the mean). Stored as float16 plus the tokenizer JSON. Needs the torch extra (build time only).

Usage: python scripts/distill_static.py [--dims 256] [--sif 1e-3] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

FREQ_FILES = ("news/reuters21578.jsonl", "news/wikipedia_current_events.jsonl", "news/pages_news_excerpts.jsonl",
              "kb/wikipedia/wikipedia_excerpts.jsonl")


def token_vectors(batch_size: int = 512) -> np.ndarray:
    """MiniLM output for every vocabulary token alone, mean pooled over [CLS] tok [SEP]."""
    import torch
    from transformers import AutoModel

    from newsproof.encoders import minilm_dir

    torch.manual_seed(0)
    model = AutoModel.from_pretrained(str(minilm_dir())).eval()
    vocab = model.config.vocab_size
    cls_id, sep_id = 101, 102
    out = np.zeros((vocab, model.config.hidden_size), dtype=np.float32)
    with torch.no_grad():
        for start in range(0, vocab, batch_size):
            ids = torch.arange(start, min(start + batch_size, vocab))
            batch = torch.stack([torch.full_like(ids, cls_id), ids, torch.full_like(ids, sep_id)], dim=1)
            hidden = model(input_ids=batch, attention_mask=torch.ones_like(batch)).last_hidden_state
            out[start : start + len(ids)] = hidden.mean(dim=1).numpy()
    return out


def corpus_texts(data_dir: Path) -> Iterator[str]:
    """Texts (title + body) of the shared news archive, for token frequencies."""
    for name in FREQ_FILES:
        path = data_dir / name
        if not path.is_file():
            continue
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                yield " ".join(str(record.get(key) or "") for key in ("title", "text"))


def token_probabilities(tokenizer, texts: Iterator[str], vocab: int, chunk: int = 2000) -> np.ndarray:
    """Relative frequency of each token id over `texts` (add-one smoothed)."""
    counts = np.ones(vocab, dtype=np.float64)
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) == chunk:
            for enc in tokenizer.encode_batch(batch, add_special_tokens=False):
                np.add.at(counts, enc.ids, 1)
            batch = []
    for enc in tokenizer.encode_batch(batch, add_special_tokens=False):
        np.add.at(counts, enc.ids, 1)
    return counts / counts.sum()


def distil(dims: int, sif: float, data_dir: Path) -> tuple[np.ndarray, str]:
    """Return the float16 (vocab, dims) table and the tokenizer JSON."""
    from sklearn.decomposition import PCA
    from tokenizers import Tokenizer

    from newsproof.encoders import tokenizer_json

    vectors = token_vectors()
    reduced = PCA(n_components=dims, random_state=0).fit_transform(vectors)
    tok_json = tokenizer_json()
    tokenizer = Tokenizer.from_str(tok_json)
    probs = token_probabilities(tokenizer, corpus_texts(data_dir), len(vectors))
    weights = sif / (sif + probs)
    return (reduced * weights[:, None]).astype(np.float16), tok_json


def main() -> None:
    from newsproof.evidence.embed import STATIC_TABLE
    from newsproof.paths import shared_data_dir

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dims", type=int, default=256)
    parser.add_argument("--sif", type=float, default=1e-3)
    parser.add_argument("--data", type=Path, default=shared_data_dir(), help="shared data folder (token counts)")
    parser.add_argument("--out", type=Path, default=STATIC_TABLE)
    args = parser.parse_args()
    if args.data is None:
        parser.error("no shared data folder found; pass --data")
    table, tok_json = distil(args.dims, args.sif, args.data)
    np.savez_compressed(args.out, embeddings=table, tokenizer=np.frombuffer(tok_json.encode("utf-8"), dtype=np.uint8))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB, {table.shape[0]} x {table.shape[1]})")


if __name__ == "__main__":
    main()
