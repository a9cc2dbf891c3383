"""Leave-one-generator-family-out table for the detector candidates (README figures).

Run: .venv/bin/python scripts/detect_logo.py [--data ../shared/data/mgt] [--model stacked+gbm ...] [--window]
(--window: also the candidate mixed with the MiniLM window member, retrained per family: ~15 min each)
"""

from __future__ import annotations

import argparse
import json

from threadpoolctl import threadpool_limits

from newsproof.detect.train.experiments import FAMILIES, leave_family_out, markdown_table
from newsproof.paths import shared_data_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=None, help="folder with train.jsonl and dev.jsonl")
    parser.add_argument("--model", action="append", help="candidate(s) to run; default all")
    parser.add_argument("--family", action="append", choices=list(FAMILIES), help="held-out famil(ies); default all")
    parser.add_argument("--json", action="store_true", help="print the full metrics as JSON too")
    parser.add_argument("--window", action="store_true", help="also mix in the MiniLM window member (torch extra)")
    args = parser.parse_args()
    data = args.data or shared_data_dir() / "mgt"
    with threadpool_limits(limits=1):  # the GBM's OpenMP threads only contend on a small shared machine
        results = leave_family_out(
            data, families={f: FAMILIES[f] for f in args.family} if args.family else None,
            kinds=tuple(args.model) if args.model else None,
            on_family=lambda family, row: print(family, json.dumps(row), flush=True), window=args.window,
        )
    print("AUROC / TPR@1%FPR / F1 (machine texts of the held-out family vs human dev)")
    print(markdown_table(results))
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
