"""Export the packaged MiniLM to an int8-quantised ONNX file shipped as newsproof/evidence/minilm_int8.onnx.

Needs the torch extra plus `onnx` (build time only). Usage: python scripts/export_onnx.py [--out PATH]
The tokenizer definition is stored in the model's metadata, so the .onnx file is self-contained.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def export(out: Path) -> Path:
    """Export MiniLM's token states with dynamic batch/sequence axes, int8 weights, tokenizer embedded."""
    import torch
    from transformers import AutoModel

    from newsproof.encoders import minilm_dir, tokenizer_json
    from newsproof.verify.train.onnx_export import export_int8

    bert = AutoModel.from_pretrained(str(minilm_dir())).eval()

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    return export_int8(Encoder(), out, ["last_hidden_state"],
                       {"tokenizer": tokenizer_json(), "source": "sentence-transformers/all-MiniLM-L6-v2"},
                       per_token_outputs=True)


def main() -> None:
    from newsproof.encoders import ONNX_MODEL

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ONNX_MODEL)
    args = parser.parse_args()
    path = export(args.out)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
