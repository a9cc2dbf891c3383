"""What the splice generator produces: one `Case` per article, and the `Splice` a builder returns."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import asdict, dataclass, field

TYPES = ("death_date", "death_place", "posthumous_action", "office_out_of_term", "former_misuse",
         "event_date", "victim_swap", "quote_swap", "number_change")
SPLITS = ("tune", "dev")


def split_of(key: str) -> str:
    """The fixed split of a person or event: a hash, so it never depends on the sample drawn."""
    return "dev" if int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) % 2 else "tune"


@dataclass(frozen=True)
class Side:
    """One version of the fact sentence: spliced or true."""

    value: str  # the stated value, for the record ('2020-01-03', 'Baghdad', 'Kamala Harris', ...)
    fact_date: dt.date  # when the stated fact happened (the article is dated just after it)
    template: str  # the sentence, with '{when}' where its date goes

    def write(self, article: dt.date | None, rng: random.Random) -> str:
        """The sentence, dated relative to the article's date (absolute when the article has none)."""
        from newsproof.evaluation.splices.render import when_phrase

        text = self.template.replace("{when}", when_phrase(self.fact_date, article, rng))
        return text[0].upper() + text[1:]


@dataclass(frozen=True)
class Splice:
    """A real fact and a spliced version of it, as a builder returns them."""

    splice_type: str
    key: str  # the person or event the split is decided by
    entity: str  # the name a contradicted claim must carry (the spliced entity)
    record_id: str  # the shared-data record the true fact comes from
    true: Side
    spliced: Side
    title: str
    city: str
    background: list[str] = field(default_factory=list)  # true sentences about the same subject
    probe: dict = field(default_factory=dict)  # how to tell whether the evidence base records the fact


@dataclass(frozen=True)
class Case:
    """One generated article, spliced or accurate (a control)."""

    id: str
    split: str
    kind: str  # "spliced" | "control"
    splice_type: str
    format: str
    content: str
    media: str  # "text" | "html"
    date: str | None  # ISO date to pass as --date, or None
    entity: str
    sentence: str  # the fact sentence as written in the article
    true_value: str
    stated_value: str
    record_id: str
    probe: dict

    def to_dict(self) -> dict:
        return asdict(self)
