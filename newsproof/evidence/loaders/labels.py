"""The one label map: fact-checkers' own rating strings -> newsproof verdicts.

Keys are compared lower-cased, with `_` and spaces read as `-`. Choices worth noting:
PolitiFact `barely-true` counts as CONTRADICTED (it "ignores critical facts"), `half-true`,
Snopes `mixture`/`outdated` and Climate-FEVER `DISPUTED` as NOT ENOUGH EVIDENCE (no single
verdict holds), Snopes `misattributed`/`miscaptioned`/`legend`/`scam` as CONTRADICTED and
`correct-attribution` as SUPPORTED. Unknown labels map to NOT ENOUGH EVIDENCE.
"""

from __future__ import annotations

from newsproof.models import Verdict

S, C, N = Verdict.SUPPORTED, Verdict.CONTRADICTED, Verdict.NOT_ENOUGH_EVIDENCE

LABEL_MAP: dict[str, Verdict] = {
    # Climate-FEVER / FEVER
    "supports": S, "refutes": C, "not-enough-info": N, "disputed": N,
    # AVeriTeC
    "supported": S, "refuted": C, "not-enough-evidence": N, "conflicting-evidence/cherrypicking": N,
    # LIAR / PolitiFact
    "true": S, "mostly-true": S, "half-true": N, "barely-true": C, "false": C, "pants-fire": C,
    # Snopes
    "mixture": N, "mostly-false": C, "correct-attribution": S, "misattributed": C, "miscaptioned": C,
    "legend": C, "outdated": N, "scam": C,
    # newsproof's own strings
    "contradicted": C,
}


def to_verdict(label: str) -> Verdict:
    """Map a dataset's own label string to a Verdict (unknown -> NOT ENOUGH EVIDENCE)."""
    key = label.strip().lower().replace("_", "-").replace(" ", "-")
    return LABEL_MAP.get(key, LABEL_MAP.get(label.strip().lower(), N))
