"""Training of the verify stage's shipped models (build time only; `newsproof train verify`): the learned
judge (`learned`), the cross-encoder (`crossencoder`, after `nli_pretrain` on `nli_data`; the torch model in
`pair_model`) and the fact-check matching thresholds (`factcheck`). `checkpoint` and `onnx_export` are shared
with detect/train/. Run-time code never imports this package."""
