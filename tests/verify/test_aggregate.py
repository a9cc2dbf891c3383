"""Verdict aggregation on committed cases (tests/resources/verify): which check decides a claim, and the
article summary. Needs no shared data and no evidence store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsproof.models import Claim, ClaimResult, EvidenceItem, Verdict
from newsproof.verify.checks.aggregate import MIN_TEXTUAL_CONFIDENCE, combine, summarise
from newsproof.verify.checks.structured import CheckOutcome

CASES = json.loads((Path(__file__).resolve().parents[1] / "resources" / "verify" / "aggregate_cases.json")
                   .read_text("utf-8"))
CLAIM = Claim.model_validate(CASES["claim"])
EVIDENCE = {key: EvidenceItem.model_validate(item) for key, item in CASES["evidence"].items()}


def outcomes(rows: list[list]) -> list[CheckOutcome]:
    return [CheckOutcome(verdict=Verdict(verdict), confidence=confidence, reason=f"{check} says {verdict}",
                         check=check, evidence=[EVIDENCE[evidence]]) for verdict, confidence, check, evidence in rows]


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda case: case["name"])
def test_combine(case: dict) -> None:
    result = combine(CLAIM, outcomes(case["outcomes"]))
    assert (result.verdict.value, result.check) == (case["verdict"], case["check"]), result.reason
    assert {f.fact: f.verdict.value for f in result.facts} == case["facts"]
    if result.verdict is not Verdict.NOT_ENOUGH_EVIDENCE:  # the deciding evidence is shown first
        decided = next(o for o in case["outcomes"] if o[2] == case["check"] and o[0] == case["verdict"])
        assert result.evidence[0].id == decided[3] and result.confidence == decided[1]
    assert len({e.id for e in result.evidence}) == len(result.evidence) <= 5


def test_undecided_reason_says_which_way_evidence_leans() -> None:
    weak = combine(CLAIM, outcomes([["SUPPORTED", MIN_TEXTUAL_CONFIDENCE - 0.05, "textual", "p-news"]]))
    assert weak.reason.startswith("Evidence leans SUPPORTED but not confidently (50%)")
    partial = combine(CLAIM, outcomes([["SUPPORTED", 0.9, "role", "kb-qs"]]))
    assert "partly confirmed: role says SUPPORTED" in partial.reason


def result(verdict: str, confidence: float, claim_id: str) -> ClaimResult:
    claim = CLAIM.model_copy(update={"id": claim_id})
    return ClaimResult(claim=claim, verdict=Verdict(verdict), confidence=confidence, reason="r", check="textual")


@pytest.mark.parametrize(("verdicts", "credibility"), [
    (["SUPPORTED", "SUPPORTED", "NOT ENOUGH EVIDENCE", "CONTRADICTED"], "low"),
    (["SUPPORTED", "SUPPORTED", "NOT ENOUGH EVIDENCE", "NOT ENOUGH EVIDENCE"], "high"),
    (["SUPPORTED", "NOT ENOUGH EVIDENCE", "NOT ENOUGH EVIDENCE"], "mixed"),
    (["NOT ENOUGH EVIDENCE"], "unverified"),
    ([], "unverified"),
])
def test_summary_credibility(verdicts: list[str], credibility: str) -> None:
    summary = summarise([result(v, 0.6, f"c{n}") for n, v in enumerate(verdicts)])
    assert summary.credibility == credibility and summary.claims == len(verdicts)
    assert (summary.supported, summary.contradicted, summary.not_enough_evidence) == tuple(
        verdicts.count(v) for v in ("SUPPORTED", "CONTRADICTED", "NOT ENOUGH EVIDENCE"))


def test_worst_claims_are_the_most_confident_contradictions() -> None:
    results = [result("CONTRADICTED", c, f"c{n}") for n, c in enumerate([0.6, 0.9, 0.7, 0.8])]
    assert summarise(results + [result("SUPPORTED", 0.99, "s")]).worst_claims == ["c1", "c3", "c2"]
