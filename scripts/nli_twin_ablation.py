"""Issue #19's contrastive ablation: the same short NLI pre-training with and without the twin hinge.

Pre-trains the cross-encoder on the two sets with twins (VitaminC real, counterfactual SNLI) with
`pretrain_nli(per_set=N, margin=M)`, then reads the pre-trained 4-way head directly on a seeded sample
of VitaminC real's held-out side (split by `case_id`) and prints one JSON line. Torch extra needed.

    .venv/bin/python scripts/nli_twin_ablation.py --margin 1.0 --per-set 6000 --eval 2000
    .venv/bin/python scripts/nli_twin_ablation.py --margin 0 --per-set 6000 --eval 2000
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--margin", type=float, required=True, help="Twin hinge margin (0 = plain cross-entropy).")
    parser.add_argument("--per-set", type=int, default=6000, help="Rows drawn per set for the one epoch.")
    parser.add_argument("--eval", type=int, default=2000, help="Held-out VitaminC real pairs to score.")
    parser.add_argument("--threads", type=int, default=1, help="Torch threads (two runs side by side: 1 each).")
    parser.add_argument("--checkpoints", type=Path, default=None,
                        help="Checkpoint folder (default: $NEWSPROOF_HOME/cache/verify/twin-ablation-<margin>).")
    args = parser.parse_args()

    import torch
    from safetensors.torch import load_file
    from sklearn.metrics import f1_score

    from newsproof.labels import LABELS
    from newsproof.paths import home_dir
    from newsproof.verify.judges.crossencoder import encode_pairs, pair_tokenizer
    from newsproof.verify.train.nli_data import read_set
    from newsproof.verify.train.nli_pretrain import PRETRAIN_MAX_LENGTH, pretrain_nli
    from newsproof.verify.train.pair_model import base_model

    torch.set_num_threads(args.threads)
    folder = args.checkpoints or home_dir() / "cache" / "verify" / f"twin-ablation-{args.margin:g}"
    started = time.time()
    weights = pretrain_nli(sets=("vitaminc_real", "counterfactual_snli"), per_set=args.per_set, margin=args.margin,
                           checkpoint_dir=folder, progress=False)
    minutes = (time.time() - started) / 60
    model, tokenizer_json = base_model(None)
    model.load_state_dict(load_file(str(weights)))
    model.eval()
    tokenizer = pair_tokenizer(tokenizer_json, PRETRAIN_MAX_LENGTH)
    held_out = read_set("vitaminc_real", "dev")
    random.Random(0).shuffle(held_out)
    held_out = held_out[: args.eval]
    predicted: list[int] = []
    with torch.no_grad():
        for i in range(0, len(held_out), 64):
            batch = held_out[i : i + 64]
            feeds = encode_pairs(tokenizer, [(p.claim, p.evidence) for p in batch])
            predicted += model(**{k: torch.from_numpy(v) for k, v in feeds.items()}).argmax(-1).tolist()
    gold = [LABELS.index(p.targets[0]) for p in held_out]
    print(json.dumps({
        "margin": args.margin, "per_set": args.per_set, "train_minutes": round(minutes, 1), "n_eval": len(gold),
        "accuracy": round(float(np.mean(np.array(predicted) == np.array(gold))), 4),
        "macro_f1": round(float(f1_score(gold, predicted, average="macro", labels=sorted(set(gold)))), 4),
        "majority": round(float(np.bincount(gold).max() / len(gold)), 4),
    }))


if __name__ == "__main__":
    main()
