"""Export the packaged MiniLM to an int8-quantised ONNX file shipped as newsproof/evidence/minilm_int8.onnx.

Needs the torch extra plus `onnx` (build time only). Usage: python scripts/export_onnx.py [--out PATH]
The tokenizer definition is stored in the model's metadata, so the .onnx file is self-contained.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def export(out: Path) -> Path:
    """Export MiniLM (fp32) with dynamic batch/sequence axes, quantise weights to int8, embed tokenizer."""
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    from newsproof.evidence.embed import minilm_dir, tokenizer_json

    bert = AutoModel.from_pretrained(str(minilm_dir())).eval()

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    model = Encoder().eval()
    dummy = torch.ones((2, 8), dtype=torch.long)
    with torch.no_grad(), tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "minilm_fp32.onnx"
        axes = {0: "batch", 1: "sequence"}
        torch.onnx.export(
            model,
            (dummy, dummy, torch.zeros_like(dummy)),
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                          "last_hidden_state": axes},
            opset_version=17,
            dynamo=False,
        )
        int8 = Path(tmp) / "minilm_int8.onnx"
        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
        proto = onnx.load(str(int8))
    onnx.helper.set_model_props(proto, {"tokenizer": tokenizer_json(), "source": "sentence-transformers/all-MiniLM-L6-v2"})
    out.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(proto, str(out))
    return out


def main() -> None:
    from newsproof.evidence.embed import ONNX_MODEL

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ONNX_MODEL)
    args = parser.parse_args()
    path = export(args.out)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
