"""Typed records that flow one way through the pipeline.

ingest -> Article -> claims -> Claim -> evidence -> EvidenceItem -> verify -> ClaimResult -> report -> Report
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

REPORT_SCHEMA_VERSION = "1.2"


class Verdict(StrEnum):
    """The three verdicts a claim can get."""

    SUPPORTED = "SUPPORTED"
    CONTRADICTED = "CONTRADICTED"
    NOT_ENOUGH_EVIDENCE = "NOT ENOUGH EVIDENCE"


class Record(BaseModel):
    """Base for all pipeline records: strict fields, JSON round-trip."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False)


# --------------------------------------------------------------------------- ingest
class Article(Record):
    """A cleaned article: what every later stage reads."""

    id: str
    title: str | None = None
    text: str = Field(description="Main body text, boilerplate removed.")
    date: dt.date | None = None
    date_source: Literal["metadata", "text", "option", "none"] = "none"
    byline: str | None = None
    url: str | None = None
    language: str = "en"
    source_kind: Literal["text", "html", "url", "markdown"] = "text"
    removed_boilerplate: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------- claims
class TimeExpression(Record):
    """A time expression normalised to an absolute date range."""

    text: str
    start: int
    end: int
    date_start: dt.date
    date_end: dt.date
    granularity: Literal["day", "month", "year"]


class Mention(Record):
    """A named-entity mention with its character span and optional KB link."""

    text: str
    label: str
    start: int
    end: int
    entity_id: str | None = None
    entity_name: str | None = None


class Quantity(Record):
    """A number with its unit, as stated in the text."""

    text: str
    value: float
    unit: str | None = None
    start: int
    end: int


class Quote(Record):
    """A direct quote and who it is attributed to."""

    text: str
    speaker: str | None = None
    speaker_org: str | None = None


class Claim(Record):
    """One check-worthy claim taken from an article."""

    id: str
    kind: Literal["event", "quote", "quantity", "statement"]
    text: str = Field(description="The sentence the claim comes from.")
    start: int
    end: int
    agent: str | None = None
    action: str | None = None
    action_lemma: str | None = None
    target: str | None = None
    place: str | None = None
    time: TimeExpression | None = None
    mentions: list[Mention] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    quote: Quote | None = None
    checkworthiness: float = 0.0


# --------------------------------------------------------------------------- evidence
class Position(Record):
    """A role held by a person (or a leader spell)."""

    title: str
    org: str | None = None
    country: str | None = None
    start: str | None = None
    end: str | None = None


class Entity(Record):
    """A knowledge-base entity: person, organisation or event."""

    id: str
    name: str
    type: Literal["person", "organization", "event", "place"] = "person"
    aliases: list[str] = Field(default_factory=list)
    description: str | None = None
    birth_date: str | None = None
    death_date: str | None = None
    birth_place: str | None = None
    death_place: str | None = None
    cause_of_death: str | None = None
    manner_of_death: str | None = None
    killed_by: str | None = None
    occupations: list[str] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)
    country: str | None = None
    inception: str | None = None
    dissolved: str | None = None
    popularity: float = 0.0
    source: str = ""
    url: str | None = None


class Passage(Record):
    """A dated text passage: news item, encyclopedia excerpt, fact-check evidence."""

    id: str
    text: str
    title: str | None = None
    source: str = ""
    url: str | None = None
    date: str | None = None
    kind: Literal["news", "encyclopedia", "evidence", "kb"] = "news"


class CheckedClaim(Record):
    """A claim that a fact-checker already rated."""

    id: str
    claim: str
    label: str = Field(description="The fact-checker's own rating string.")
    verdict: Verdict
    date: str | None = None
    speaker: str | None = None
    source: str = ""
    url: str | None = None


class EvidenceItem(Record):
    """One piece of evidence shown to the user for a verdict."""

    id: str
    kind: Literal["kb", "passage", "factcheck"]
    text: str
    title: str | None = None
    source: str = ""
    url: str | None = None
    date: str | None = None
    score: float = 0.0
    retrieved_from: str | None = Field(default=None, description="Where the text was read when `url` is the "
                                       "canonical page of a mirror copy (schema 1.2).")


# --------------------------------------------------------------------------- verify
class FactResult(Record):
    """One atomic fact inside a claim (a death's date, its place, an office at a date, an age, an
    event's date or toll) with its own verdict from one structured check."""

    fact: Literal["date", "place", "alive", "born", "office", "role", "age", "event date", "death toll",
                  "founded"]
    verdict: Verdict
    confidence: float = Field(ge=0.0, le=1.0)
    reason: str
    check: str


class ClaimResult(Record):
    """A claim with its verdict, confidence, reason and evidence."""

    claim: Claim
    verdict: Verdict
    confidence: float = Field(ge=0.0, le=1.0)
    reason: str
    evidence: list[EvidenceItem] = Field(default_factory=list)
    check: str = Field(description="Name of the check that decided the verdict.")
    facts: list[FactResult] = Field(default_factory=list,
                                    description="The claim's atomic facts that a structured check could test "
                                                "(schema 1.1).")
    decided_by: list[str] | None = Field(default=None,
                                         description="Ids of the evidence items the verdict rests on; empty for "
                                                     "NOT ENOUGH EVIDENCE, absent before schema 1.2.")


# --------------------------------------------------------------------------- detect
class Signal(Record):
    """One feature that drove the machine-generation score."""

    name: str
    value: float
    contribution: float = 0.0
    description: str = ""


class DetectionResult(Record):
    """Probability that a text was written by a language model."""

    probability: float | None = Field(default=None, ge=0.0, le=1.0)
    label: Literal["human", "machine", "uncertain"]
    signals: list[Signal] = Field(default_factory=list)
    paragraph_scores: list[float] = Field(default_factory=list)
    reason: str = ""
    detector: str = ""


# --------------------------------------------------------------------------- report
class SourceCount(Record):
    """How many records of one source tag an evidence base holds."""

    source: str
    records: int


class EvidenceBase(Record):
    """What the evidence base behind a report covers (schema 1.2)."""

    uri: str = ""
    passages: int = 0
    entities: int = 0
    checked_claims: int = 0
    sources: list[SourceCount] = Field(default_factory=list)
    latest_date: str | None = Field(default=None, description="Date of the most recent dated passage.")


class Summary(Record):
    """Article-level credibility summary."""

    claims: int
    supported: int
    contradicted: int
    not_enough_evidence: int
    credibility: Literal["low", "mixed", "unverified", "high"]
    worst_claims: list[str] = Field(default_factory=list)


class Report(Record):
    """Everything newsproof says about one article. Serialised as the JSON report."""

    schema_version: str = REPORT_SCHEMA_VERSION
    newsproof_version: str
    article: Article
    claims: list[ClaimResult]
    machine_generated: DetectionResult
    summary: Summary
    store: str = ""
    timings_ms: dict[str, float] = Field(default_factory=dict)
    evidence_base: EvidenceBase | None = None
