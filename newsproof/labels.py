"""The one mapping from every data set's rating strings to newsproof's verdict classes.

Four classes are kept for training and evaluation: the three verdicts plus CONFLICTING
(mixture, half-true, disputed, cherry-picking), which `to_verdict` folds into
NOT ENOUGH EVIDENCE when a three-way `Verdict` is needed (a claim that is partly true and
partly false is neither supported nor plainly refuted).

| data set | SUPPORTED | CONTRADICTED | NOT ENOUGH EVIDENCE | CONFLICTING |
|---|---|---|---|---|
| climate_fever | SUPPORTS | REFUTES | NOT_ENOUGH_INFO | DISPUTED |
| averitec | Supported | Refuted | Not Enough Evidence | Conflicting Evidence/Cherrypicking |
| covidfact | SUPPORTED | REFUTED | - | - |
| liar_plus | true, mostly-true | false, pants-fire, barely-true | - | half-true |
| snopes | true, mostly-true, correct-attribution | false, mostly-false, misattributed, miscaptioned, scam | legend, outdated | mixture |
| ClaimReview / other | true, correct, accurate... | false, fake, pants on fire, incorrect... | unproven, unverified... | half true, misleading, mixture... |
"""

from __future__ import annotations

import re
from enum import StrEnum

from newsproof.models import Verdict


class Label(StrEnum):
    """Verdict classes used for training and evaluation (the three verdicts + CONFLICTING)."""

    SUPPORTED = "SUPPORTED"
    CONTRADICTED = "CONTRADICTED"
    NOT_ENOUGH_EVIDENCE = "NOT ENOUGH EVIDENCE"
    CONFLICTING = "CONFLICTING"


LABELS: tuple[Label, ...] = tuple(Label)

_S, _C, _N, _X = Label.SUPPORTED, Label.CONTRADICTED, Label.NOT_ENOUGH_EVIDENCE, Label.CONFLICTING

# Keys are normalised rating strings (see `normalise_rating`); one table serves every data set.
LABEL_MAP: dict[str, Label] = {
    # climate_fever (claim and evidence level)
    "supports": _S, "refutes": _C, "not enough info": _N, "disputed": _X,
    # averitec
    "supported": _S, "refuted": _C, "not enough evidence": _N,
    "conflicting evidence cherrypicking": _X,
    # covidfact uses SUPPORTED / REFUTED (above)
    # liar_plus (PolitiFact)
    "true": _S, "mostly true": _S, "half true": _X, "barely true": _C, "false": _C, "pants fire": _C,
    "pants on fire": _C,
    # snopes
    "correct attribution": _S, "mixture": _X, "mostly false": _C, "misattributed": _C,
    "miscaptioned": _C, "scam": _C, "legend": _N, "outdated": _N,
    # newsproof's own verdict strings
    "contradicted": _C, "conflicting": _X,
}

# Keyword fall-back for free-text ClaimReview ratings ("Four Pinocchios", "Fake", "Partly false"...).
_KEYWORDS: tuple[tuple[re.Pattern[str], Label], ...] = (
    (re.compile(r"\b(half|partly|partially|mix|mixed|mixture|mislead\w*|cherry|exaggerat\w*|disputed)"), _X),
    (re.compile(r"\b(unproven|unverified|unsupported|no evidence|unclear|unknown|research in progress)"), _N),
    (re.compile(r"\b(not (true|correct|accurate)|false|fake|incorrect|inaccurate|wrong|pinocchio|fabricat\w*|hoax|scam|untrue|baseless|"
                r"debunked|misattributed|miscaptioned|satire|altered|doctored)"), _C),
    (re.compile(r"\b(true|correct|accurate|verified|confirmed)"), _S),
)


def normalise_rating(raw: str) -> str:
    """Lower-case a rating string and turn punctuation/underscores into single spaces."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", raw.lower()).split())


def known_label(raw: str) -> Label | None:
    """The `Label` of a rating string by the table, else by keywords; None when unrecognised."""
    key = normalise_rating(raw)
    if key in LABEL_MAP:
        return LABEL_MAP[key]
    return next((label for pattern, label in _KEYWORDS if pattern.search(key)), None)


def map_label(raw: str) -> Label:
    """Map any data set's (or fact-checker's) rating string to a `Label`; unrecognised -> NOT ENOUGH EVIDENCE."""
    return known_label(raw) or _N


def to_verdict(label: Label | str) -> Verdict:
    """Fold a four-way `Label` (or a raw rating string) into the three-way `Verdict`."""
    label = label if isinstance(label, Label) else map_label(label)
    if label is Label.CONFLICTING:
        return Verdict.NOT_ENOUGH_EVIDENCE
    return Verdict(label.value)


def rating_value(label: Label) -> int:
    """A 1 (false) .. 5 (true) score for ClaimReview `reviewRating.ratingValue`."""
    return {_C: 1, _X: 3, _N: 3, _S: 5}[label]
