"""Old path of `newsproof.verify.train.onnx_export`, loaded by file: a process that imported the old
`newsproof/verify/train.py` module cannot import the `newsproof.verify.train` package."""

# temporary: removed when the running training ends
import runpy as _runpy
from pathlib import Path as _Path

export_int8 = _runpy.run_path(str(_Path(__file__).parent / "verify" / "train" / "onnx_export.py"))["export_int8"]
