"""Combine the signals about one claim into one verdict, and claims into an article summary."""

from __future__ import annotations

from newsproof.models import Claim, ClaimResult, EvidenceItem, FactResult, Summary, Verdict
from newsproof.verify.checks.same_event import same_event
from newsproof.verify.checks.structured import CheckOutcome

# Below this confidence a textual judgement is reported as NOT ENOUGH EVIDENCE.
MIN_TEXTUAL_CONFIDENCE = 0.55


def combine(claim: Claim, outcomes: list[CheckOutcome]) -> ClaimResult:
    """One ClaimResult from check outcomes, ordered by authority.

    Outcomes come from structured KB checks first, then quote checks, fact-check matches and
    textual entailment (each an outcome too). A CONTRADICTED structured outcome always wins,
    since it rests on a recorded fact; otherwise the most confident decisive outcome wins.
    """
    decisive = [o for o in outcomes if o.verdict is not Verdict.NOT_ENOUGH_EVIDENCE]
    structured = [o for o in decisive if o.check in STRUCTURED_CHECKS]
    contradictions = [o for o in structured if o.verdict is Verdict.CONTRADICTED]
    # A matching role or place confirms only part of a claim, so it never decides on its own.
    full_support = [o for o in structured if o.check in FULL_SUPPORT_CHECKS]
    # A textual contradiction counts only from a passage about the same event (shared names, close date).
    textual = [o for o in decisive if o.check not in STRUCTURED_CHECKS and o.confidence >= MIN_TEXTUAL_CONFIDENCE
               and (o.verdict is not Verdict.CONTRADICTED or o.check.startswith("quote")
                    or same_event(claim, o.evidence))]
    pool = contradictions or full_support or textual
    if pool:
        best = max(pool, key=lambda o: o.confidence)
        evidence = _merge_evidence([best.evidence] + [o.evidence for o in outcomes if o is not best])
        return ClaimResult(claim=claim, verdict=best.verdict, confidence=round(best.confidence, 3),
                           reason=best.reason, evidence=evidence, check=best.check, facts=facts_of(outcomes),
                           decided_by=[e.id for e in best.evidence])
    weak = [o for o in decisive if o.check not in STRUCTURED_CHECKS and o not in textual]
    undecided = [o for o in outcomes if o.verdict is Verdict.NOT_ENOUGH_EVIDENCE] + weak
    reason = "No evidence in the evidence base addresses this claim"
    if undecided:
        first = undecided[0]
        reason = first.reason if first.verdict is Verdict.NOT_ENOUGH_EVIDENCE else (
            f"Evidence leans {first.verdict.value} but not confidently ({first.confidence:.0%}): {first.reason}")
    partial = [o for o in structured if o.verdict is Verdict.SUPPORTED]
    if partial:
        reason += f"; partly confirmed: {partial[0].reason}"
    evidence = _merge_evidence([o.evidence for o in partial + undecided])
    return ClaimResult(claim=claim, verdict=Verdict.NOT_ENOUGH_EVIDENCE, confidence=0.5, reason=reason,
                       evidence=evidence, check=undecided[0].check if undecided else "none", facts=facts_of(outcomes),
                       decided_by=[])


# The fact each structured check tests.
FACT_OF_CHECK = {"death_date": "date", "death_place": "place", "posthumous_event": "alive", "prenatal_event": "born",
                 "office_date": "office", "role": "role", "age_at_death": "age", "event_date": "event date",
                 "event_toll": "death toll", "organisation_inception": "founded"}


def facts_of(outcomes: list[CheckOutcome]) -> list[FactResult]:
    """One FactResult per fact a structured check decided (the most confident outcome per fact)."""
    best: dict[str, CheckOutcome] = {}
    for outcome in outcomes:
        fact = FACT_OF_CHECK.get(outcome.check)
        if fact and outcome.verdict is not Verdict.NOT_ENOUGH_EVIDENCE and (
                fact not in best or outcome.confidence > best[fact].confidence):
            best[fact] = outcome
    return [FactResult(fact=fact, verdict=o.verdict, confidence=round(o.confidence, 3), reason=o.reason, check=o.check)
            for fact, o in best.items()]


# Structured checks whose SUPPORTED outcome confirms the whole claim (the event's date).
FULL_SUPPORT_CHECKS = frozenset({"death_date"})
STRUCTURED_CHECKS = frozenset(
    {"death_date", "death_place", "posthumous_event", "prenatal_event", "organisation_inception", "role",
     "office_date", "age_at_death", "event_date", "event_toll"}
)


def _merge_evidence(groups: list[list[EvidenceItem]], limit: int = 5) -> list[EvidenceItem]:
    seen: set[str] = set()
    merged: list[EvidenceItem] = []
    for group in groups:
        for item in group:
            if item.id not in seen:
                seen.add(item.id)
                merged.append(item)
    return merged[:limit]


def summarise(results: list[ClaimResult]) -> Summary:
    """Article-level credibility from its claim verdicts."""
    counts = {v: sum(1 for r in results if r.verdict is v) for v in Verdict}
    contradicted = counts[Verdict.CONTRADICTED]
    supported = counts[Verdict.SUPPORTED]
    if contradicted:
        credibility = "low"
    elif supported and supported >= len(results) / 2:
        credibility = "high"
    elif supported:
        credibility = "mixed"
    else:
        credibility = "unverified"
    worst = sorted((r for r in results if r.verdict is Verdict.CONTRADICTED), key=lambda r: -r.confidence)
    return Summary(claims=len(results), supported=supported, contradicted=contradicted,
                   not_enough_evidence=counts[Verdict.NOT_ENOUGH_EVIDENCE], credibility=credibility,
                   worst_claims=[r.claim.id for r in worst[:3]])
