"""Helpers the test suite (and a few benchmarks) share; repository-only, not part of the package.

`pyproject.toml` puts `tests/` on pytest's path, so tests import them as `support.<module>`: `cli` runs
the installed CLI, `hostile` builds the bad-input corpus, `judges` checks entailment judges' output and
`store_suite` is the conformance suite every EvidenceStore backend must pass.
"""
