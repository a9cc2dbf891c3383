"""Export a PyTorch module to an int8-quantised, self-contained ONNX file (build time only; needs the torch extra)."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

BERT_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def export_int8(module: Any, out: Path, output_names: Sequence[str], metadata: Mapping[str, str],
                input_names: Sequence[str] = BERT_INPUTS, per_token_outputs: bool = False) -> Path:
    """Trace `module` on long-integer inputs with dynamic batch/sequence axes, quantise its weights to int8
    (per channel) and store `metadata` (e.g. the tokenizer definition) in the model properties.

    `per_token_outputs`: the outputs have a sequence axis too (token states), not just a batch axis.
    """
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    module = module.eval()
    dummy = torch.ones((2, 8), dtype=torch.long)
    axes = {0: "batch", 1: "sequence"}
    with torch.no_grad(), tempfile.TemporaryDirectory() as tmp:
        fp32, int8 = Path(tmp) / "fp32.onnx", Path(tmp) / "int8.onnx"
        torch.onnx.export(
            module,
            tuple(dummy if name != "token_type_ids" else torch.zeros_like(dummy) for name in input_names),
            str(fp32),
            input_names=list(input_names),
            output_names=list(output_names),
            dynamic_axes={name: axes for name in input_names} | {name: axes if per_token_outputs else {0: "batch"} for name in output_names},
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
        proto = onnx.load(str(int8))
    onnx.helper.set_model_props(proto, dict(metadata))
    out.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(proto, str(out))
    return out
