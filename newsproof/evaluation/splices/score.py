"""Run `check` over generated cases and measure recall, precision and false alarms."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from rapidfuzz import fuzz

from newsproof.evaluation.splices.cases import Case
from newsproof.models import Report, Verdict
from newsproof.verify.checks.same_event import fold


def names_entity(text: str, entity: str) -> bool:
    """Whether `text` names `entity` (its full name or its last word)."""
    folded = fold(text)
    return fold(entity) in folded or fold(entity.split()[-1]) in folded.replace("-", " ").split() \
        or fold(entity.split()[-1]) in folded


def is_spliced_claim(case: Case, claim_text: str) -> bool:
    """A claim about the case's fact: it names the entity and comes from the fact sentence."""
    return names_entity(claim_text, case.entity) and fuzz.partial_ratio(fold(claim_text), fold(case.sentence)) >= 70


def outcome(case: Case, report: Report) -> dict[str, Any]:
    """What `check` said about one case: its CONTRADICTED claims, and whether the splice was caught."""
    contradicted = [r for r in report.claims if r.verdict is Verdict.CONTRADICTED]
    alarms = [{"claim": r.claim.text, "reason": r.reason, "check": r.check,
               "on_fact": case.kind == "spliced" and is_spliced_claim(case, r.claim.text)}
              for r in contradicted]
    return {"id": case.id, "kind": case.kind, "type": case.splice_type, "format": case.format,
            "caught": any(a["on_fact"] for a in alarms), "contradicted": alarms,
            "claims": len(report.claims), "article_date": report.article.date.isoformat() if report.article.date else None}


def fact_in_store(case: Case, store: Any) -> bool:
    """Whether the evidence base records the true fact the case is built on."""
    probe = case.probe
    if "passage" in probe:
        return bool(store.get_passages([probe["passage"]]))
    entities = [e for e in store.find_entities(probe["name"], limit=20) if fold(e.name) == fold(probe["name"])
                or fold(probe["name"]) in {fold(a) for a in e.aliases}]
    for entity in entities:
        if "office" in probe:
            if any((p.start or "")[:4] == probe["start"][:4] for p in entity.positions):
                return True
            continue
        death = entity.death_date or ""
        if not death or death[:7] != probe["death"][:7]:
            continue
        if "death_place" in probe and not entity.death_place:
            continue
        if "birth" in probe and len(entity.birth_date or "") < 10:
            continue
        return True
    return False


def _ratio(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


def summarise(cases: Iterable[Case], outcomes: dict[str, dict], in_kb: dict[str, bool], split: str) -> dict:
    """The JSON result: overall, per splice type and per article format."""
    cases = list(cases)
    spliced = [c for c in cases if c.kind == "spliced"]
    controls = [c for c in cases if c.kind == "control"]

    def stats(group: list[Case]) -> dict[str, Any]:
        sp = [c for c in group if c.kind == "spliced"]
        co = [c for c in group if c.kind == "control"]
        caught = sum(outcomes[c.id]["caught"] for c in sp)
        alarms = [a for c in group for a in outcomes[c.id]["contradicted"]]
        right = sum(a["on_fact"] for a in alarms)
        sp_kb = [c for c in sp if in_kb[c.id]]
        return {"n": len(sp), "n_controls": len(co), "recall": _ratio(caught, len(sp)),
                "recall_in_kb": _ratio(sum(outcomes[c.id]["caught"] for c in sp_kb), len(sp_kb)),
                "precision": _ratio(right, len(alarms)), "contradicted_claims": len(alarms),
                "false_alarm_rate": _ratio(sum(bool(outcomes[c.id]["contradicted"]) for c in co), len(co)),
                "in_kb_share": _ratio(len(sp_kb), len(sp)), "in_kb": len(sp_kb) * 2 > len(sp)}

    by_type: dict[str, list[Case]] = defaultdict(list)
    by_format: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        by_type[case.splice_type].append(case)
        by_format[case.format].append(case)
    overall = stats(cases)
    return {
        "split": split, "n_spliced": len(spliced), "n_controls": len(controls),
        "overall": {k: overall[k] for k in ("recall", "recall_in_kb", "precision", "false_alarm_rate",
                                            "contradicted_claims", "in_kb_share")},
        "by_type": {k: {f: v[f] for f in ("n", "recall", "recall_in_kb", "precision", "in_kb", "in_kb_share",
                                          "false_alarm_rate")}
                    for k, v in ((t, stats(g)) for t, g in sorted(by_type.items()))},
        "by_format": {k: {f: v[f] for f in ("n", "recall", "recall_in_kb", "false_alarm_rate")}
                      for k, v in ((f, stats(g)) for f, g in sorted(by_format.items()))},
        "misses": [{"id": c.id, "entity": c.entity, "sentence": c.sentence, "in_kb": in_kb[c.id]}
                   for c in spliced if not outcomes[c.id]["caught"]][:200],
        "false_alarms": [{"id": c.id, **a} for c in controls for a in outcomes[c.id]["contradicted"]][:200],
    }
