"""Structured checks: compare a claim's event frame with knowledge-base facts.

Each check looks at one kind of fact (death date and place, life span, role, organisation
founding date) and returns a `CheckOutcome`, or nothing when it does not apply. The checks
never guess: a missing KB value means the check does not apply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from newsproof.models import Claim, Entity, EvidenceItem, Verdict
from newsproof.verify.checks.kbdates import from_time, parse_kb_date
from newsproof.verify.checks.places import PlaceMatch, compare_places

DEATH_LEMMAS = frozenset(
    {"kill", "die", "assassinate", "murder", "execute", "slay", "martyr", "behead", "eliminate", "perish"}
)
VIOLENCE_LEMMAS = DEATH_LEMMAS | frozenset(
    {"attack", "strike", "target", "injure", "wound", "arrest", "capture", "kidnap", "bomb", "shoot", "detain"}
)
# Things that can happen to a person after their death without contradiction.
POSTHUMOUS_LEMMAS = frozenset(
    {"bury", "mourn", "honour", "honor", "remember", "commemorate", "name", "award", "praise", "eulogize",
     "succeed", "replace", "revere", "blame", "accuse", "celebrate", "mark", "exhume", "inter", "cremate",
     "describe", "call", "consider", "know", "credit", "quote", "cite", "criticize", "criticise", "condemn"}
)
# A little-known person's recorded death this far from the article's date is more likely a namesake's
# than a spliced date; a prominent person's is not (Rajiv Gandhi 'shot dead in 2024').
NAMESAKE_YEARS = 10
PROMINENT = 0.6
DEPUTY_WORDS = ("deputy", "vice", "assistant", "acting", "second-in-command")
# A past holder of the office, compared as the office itself ('former Quds Force commander').
PAST_WORDS = ("former", "ex", "late")
ROLE_WORDS = (
    "leader", "head", "chief", "commander", "chairman", "chairwoman", "chair", "president", "prime minister",
    "secretary-general", "secretary general", "founder", "director", "general", "minister", "spokesman",
    "spokesperson", "king", "queen", "emir", "ayatollah", "governor", "mayor", "senator", "ambassador",
)
_LEAD_SYNONYMS = {"leader", "head", "chief", "commander", "chairman", "chairwoman", "chair", "secretary-general",
                  "secretary general", "director", "founder"}


@dataclass
class CheckOutcome:
    """The result of one structured check on one claim."""

    verdict: Verdict
    confidence: float
    reason: str
    check: str
    evidence: list[EvidenceItem] = field(default_factory=list)


def entity_evidence(entity: Entity) -> EvidenceItem:
    """The KB record of `entity`, as an evidence card a person can read."""
    facts = []
    born = parse_kb_date(entity.birth_date)
    died = parse_kb_date(entity.death_date)
    if born:
        facts.append(f"born {born.human()}" + (f" in {entity.birth_place}" if entity.birth_place else ""))
    if died:
        death = f"died {died.human()}"
        if entity.death_place:
            death += f" at {entity.death_place}"
        if entity.cause_of_death:
            death += f" ({entity.cause_of_death})"
        facts.append(death)
    if entity.inception:
        facts.append(f"founded {entity.inception}")
    text = entity.name + (f" ({'; '.join(facts)})" if facts else "")
    if entity.description:
        text += f". {entity.description}"
    roles = [_position_text(p) for p in entity.positions[:4]]
    if roles:
        text += ". Roles: " + "; ".join(roles)
    return EvidenceItem(id=entity.id, kind="kb", text=text, title=entity.name, source=entity.source or "kb",
                        url=entity.url, date=entity.death_date, score=1.0)


def _position_text(position) -> str:
    span = ""
    if position.start or position.end:
        span = f" ({position.start or '?'} to {position.end or 'present'})"
    where = f", {position.org}" if position.org else (f", {position.country}" if position.country else "")
    return f"{position.title}{where}{span}"


def _verb_phrase(claim: Claim) -> str:
    lemma = claim.action_lemma or ""
    if lemma in DEATH_LEMMAS and lemma != "die":
        return "was killed"
    return claim.action or lemma or "is mentioned"


def check_death(entity: Entity, claim: Claim) -> list[CheckOutcome]:
    """Claimed killing/death date and place of `entity` against the KB."""
    outcomes: list[CheckOutcome] = []
    died = parse_kb_date(entity.death_date)
    evidence = [entity_evidence(entity)]
    if died and claim.time:
        claimed = from_time(claim.time)
        if died.overlaps(claimed):
            outcomes.append(CheckOutcome(
                Verdict.SUPPORTED, 0.9,
                f"{entity.name} died on {died.human()}, matching the article's date ({claimed.human()})",
                "death_date", evidence))
        elif abs(died.start.year - claimed.start.year) <= NAMESAKE_YEARS or entity.popularity >= PROMINENT:
            confidence = 0.97 if died.granularity == claimed.granularity == "day" else 0.9
            outcomes.append(CheckOutcome(
                Verdict.CONTRADICTED, confidence,
                f"{entity.name} died on {died.human()}; the article says {entity.name} {_verb_phrase(claim)} "
                f"on {claimed.human()}",
                "death_date", evidence))
    match = compare_places(entity.death_place, claim.place) if entity.death_place and claim.place else None
    if match is PlaceMatch.MATCH:
        outcomes.append(CheckOutcome(
            Verdict.SUPPORTED, 0.75, f"{entity.name} died at {entity.death_place}, matching '{claim.place}'",
            "death_place", evidence))
    elif match is PlaceMatch.MISMATCH:
        outcomes.append(CheckOutcome(
            Verdict.CONTRADICTED, 0.8,
            f"{entity.name} died at {entity.death_place}; the article says {entity.name} "
            f"{_verb_phrase(claim)} in {claim.place}",
            "death_place", evidence))
    return outcomes


def check_lifespan(entity: Entity, claim: Claim, role: str) -> CheckOutcome | None:
    """An event involving `entity` dated after their death or before their birth."""
    if not claim.time:
        return None
    lemma = claim.action_lemma or ""
    if lemma in POSTHUMOUS_LEMMAS or (role == "target" and lemma not in VIOLENCE_LEMMAS and lemma != "meet"):
        return None
    claimed = from_time(claim.time)
    died = parse_kb_date(entity.death_date)
    if died and died.before(claimed) and (claimed.start.year - died.end.year <= NAMESAKE_YEARS
                                          or entity.popularity >= PROMINENT):
        what = "is quoted as saying" if claim.kind == "quote" else _verb_phrase(claim)
        return CheckOutcome(
            Verdict.CONTRADICTED, 0.93 if died.granularity == "day" else 0.85,
            f"{entity.name} died on {died.human()}; the article says {entity.name} {what} on {claimed.human()}",
            "posthumous_event", [entity_evidence(entity)])
    born = parse_kb_date(entity.birth_date)
    if born and claimed.before(born):
        return CheckOutcome(
            Verdict.CONTRADICTED, 0.85,
            f"{entity.name} was born on {born.human()}; the article dates the event to {claimed.human()}",
            "prenatal_event", [entity_evidence(entity)])
    return None


def check_inception(entity: Entity, claim: Claim) -> CheckOutcome | None:
    """An event involving an organisation dated before the organisation existed."""
    founded = parse_kb_date(entity.inception)
    if not (founded and claim.time):
        return None
    claimed = from_time(claim.time)
    if claimed.before(founded):
        return CheckOutcome(
            Verdict.CONTRADICTED, 0.85,
            f"{entity.name} was founded in {founded.human()}; the article dates the event to {claimed.human()}",
            "organisation_inception", [entity_evidence(entity)])
    return None


def claimed_roles(sentence: str, name: str) -> list[str]:
    """Role phrases attached to `name` in `sentence`: 'Quds Force commander X', 'X, the leader of Y,'."""
    roles: list[str] = []
    escaped = re.escape(name)
    before = re.search(r"((?:[\w'’.-]+\s+){1,6})" + escaped, sentence)
    if before:
        words = before.group(1).split()
        # A title sits right before the name: 'Quds Force commander Qasem Soleimani'.
        if _role_word(words[-1].lower()) or _role_word(" ".join(words[-2:]).lower()):
            roles.append(" ".join(words[-5:]))
    after = re.search(escaped + r",\s+((?:the|a|an)\s+)?([^,;.]{3,80})[,;.]", sentence)
    if after and _role_word(after.group(2).lower()):
        roles.append(after.group(2).strip())
    return roles


def _role_word(text: str) -> str | None:
    """The role word in `text` (whole words), if any."""
    for word in ROLE_WORDS:
        if re.search(rf"\b{re.escape(word)}\b", text):
            return word
    return None


def check_role(entity: Entity, claim: Claim, name: str) -> CheckOutcome | None:
    """A role/title the article gives `entity` against the KB's recorded roles."""
    known = [entity.description or ""] + [_position_text(p) for p in entity.positions] + entity.occupations
    known = [k for k in known if k]
    if not known:
        return None
    for role in claimed_roles(claim.text, name):
        outcome = _compare_role(entity, role, known)
        if outcome:
            return outcome
    return None


def _compare_role(entity: Entity, role: str, known: list[str]) -> CheckOutcome | None:
    role_l = role.lower()
    word = _role_word(role_l)
    org = _strip_role_words(role_l)
    if not word or len(org) < 3:
        return None
    claimed_deputy = any(d in role_l.split() for d in DEPUTY_WORDS)
    evidence = [entity_evidence(entity)]
    mismatch: str | None = None
    for fact in re.split(r"[;.]", "; ".join(known)):
        fact_l = fact.lower().strip()
        if not fact_l or fuzz.partial_ratio(org, fact_l) < 85:
            continue
        fact_word = _role_word(fact_l)
        if not fact_word:
            continue
        fact_deputy = any(d in fact_l.split() for d in DEPUTY_WORDS)
        same_kind = fact_word == word or (fact_word in _LEAD_SYNONYMS and word in _LEAD_SYNONYMS)
        if same_kind and fact_deputy == claimed_deputy:
            return CheckOutcome(Verdict.SUPPORTED, 0.7,
                                f"The KB records {entity.name} as {fact.strip()}, matching '{role}'",
                                "role", evidence)
        if same_kind and mismatch is None:
            mismatch = fact.strip()
    # A deputy/lead mismatch counts only when no recorded role of the same kind agrees (Joe Biden was
    # vice president and later president).
    if mismatch is not None:
        return CheckOutcome(Verdict.CONTRADICTED, 0.75,
                            f"The KB records {entity.name} as {mismatch}; the article calls {entity.name} '{role}'",
                            "role", evidence)
    return None


def _strip_role_words(text: str) -> str:
    """The organisation/country part of a role phrase."""
    out = text
    for word in (*ROLE_WORDS, *DEPUTY_WORDS, *PAST_WORDS, "the", "of", "a", "an", "iran's", "iraq's"):
        out = re.sub(rf"\b{re.escape(word)}\b", " ", out)
    return " ".join(out.split())


def run_checks(claim: Claim, linked: list[tuple[str, str, Entity]]) -> list[CheckOutcome]:
    """All structured checks for `claim`; `linked` holds (mention text, role, entity) triples,
    role being 'agent', 'target', 'speaker' or 'other'."""
    outcomes: list[CheckOutcome] = []
    for name, role, entity in linked:
        if entity.type == "organization":
            found = check_inception(entity, claim)
            outcomes += [found] if found else []
            continue
        if entity.type != "person":
            continue
        if role == "target" and (claim.action_lemma or "") in DEATH_LEMMAS:
            outcomes += check_death(entity, claim)
        elif role in {"agent", "target", "speaker"}:
            found = check_lifespan(entity, claim, role)
            outcomes += [found] if found else []
        found = check_role(entity, claim, name)
        outcomes += [found] if found else []
    return outcomes
