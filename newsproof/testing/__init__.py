"""Test helpers shipped with the package: the evidence-store conformance suite."""
