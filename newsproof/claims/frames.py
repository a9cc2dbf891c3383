"""Event frames from the dependency parse: who did what to whom, where and when."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Span, Token

from newsproof.claims.phrases import PLACE_LABELS, conjuncts, is_pronoun, phrase, strip_article

EVENT_LEMMAS = frozenset(
    """kill die strike attack bomb shoot arrest meet visit sign say announce elect appoint resign win launch
    hit injure wound capture detain execute assassinate murder fire invade seize order declare name nominate
    defeat lose sanction ban approve pass vote ratify withdraw deploy raid bombard target condemn sentence
    convict charge release kidnap abduct destroy crash explode host sack dismiss succeed lead head found
    tell question ask speak address attend open inaugurate receive chair testify write urge warn promise pledge
    welcome travel arrive tour unveil propose deliver greet preside campaign perform sing score""".split()
)
REPORTING_LEMMAS = frozenset({"say", "tell", "add", "state", "announce", "report", "confirm", "claim"})
# Participles modifying a noun ("a statement released on Thursday") describe it, not a new event.
NON_EVENT_DEPS = frozenset({"acl", "amod", "compound"})
# Verbs whose grammatical subject is the one it happens to ("X died").
PATIENT_SUBJECT_LEMMAS = frozenset({"die", "crash", "explode"})
LOCATIVE_PREPS = frozenset(
    {
        "in",
        "at",
        "near",
        "outside",
        "inside",
        "across",
        "around",
        "into",
        "over",
        "off",
        "throughout",
        "within",
        "on",
        "from",
        "toward",
        "towards",
        "along",
        "beside",
    }
)
PLACE_NOUNS = frozenset(
    """airport city province region border base capital town village district embassy camp square street road
    port hospital area country state county neighbourhood neighborhood outskirts suburb compound headquarters
    palace parliament prison mosque church school university station bridge highway coast island""".split()
)


@dataclass
class Frame:
    """One event: the verb and its participants (phrases, not yet spans)."""

    verb: Token
    agent: str | None
    target: str | None
    place: str | None
    time_token: Span | None


def event_verbs(sentence: Span, skip: Callable[[Token], bool]) -> list[Token]:
    """Event verbs of the sentence; reporting verbs only when no other event verb is present."""
    verbs = [
        t
        for t in sentence
        if t.lemma_ in EVENT_LEMMAS
        and t.pos_ in ("VERB", "AUX")
        and t.dep_ not in NON_EVENT_DEPS
        and not skip(t)
    ]
    main = [t for t in verbs if t.lemma_ not in REPORTING_LEMMAS]
    return main or verbs


def frames_for(
    verb: Token,
    sentence: Span,
    times: list[Span],
    fallback_place: str | None,
    resolve: Callable[[Token], str | None],
) -> list[Frame]:
    """Frames for an event verb: one per coordinated target ("X and Y were killed")."""
    agent_token, target_tokens = _participants(verb)
    agent = resolve(agent_token) if agent_token is not None else None
    place = _place(verb, sentence) or fallback_place
    time = _time(verb, times)
    targets = [t for head in target_tokens for t in conjuncts(head)] or [None]
    return [Frame(verb, agent, resolve(t) if t is not None else None, place, time) for t in targets]


def _subject(verb: Token) -> tuple[Token | None, bool]:
    """(subject, is_passive), inheriting the subject of the verb it is coordinated with."""
    current: Token | None = verb
    while current is not None:
        for child in current.children:
            if child.dep_ in ("nsubj", "csubj"):
                return child, False
            if child.dep_ in ("nsubjpass", "csubjpass"):
                return child, True
        current = current.head if current.dep_ == "conj" and current.head is not current else None
    return None, False


def _participants(verb: Token) -> tuple[Token | None, list[Token]]:
    subject, passive = _subject(verb)
    if subject is not None and subject.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
        subject = verb.head  # "the drone that targeted their vehicle": the drone did it
    objects = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
    by_agent = next(
        (g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None
    )
    if passive:
        return by_agent, [subject] if subject is not None else []
    if verb.lemma_ in PATIENT_SUBJECT_LEMMAS and not objects:
        return None, [subject] if subject is not None else []
    if verb.dep_ == "advcl" and subject is None:  # "..., killing 25 militiamen": the main clause's actor
        subject, head_passive = _subject(verb.head)
        if head_passive:
            subject = next((g for c in verb.head.children if c.dep_ == "agent" for g in c.children), None)
    return subject, objects


def _place(verb: Token, sentence: Span) -> str | None:
    """Best place entity: under a locative preposition of the verb's clause, or modifying a place noun."""
    best: tuple[int, str] | None = None
    for ent in sentence.ents:
        if ent.label_ not in PLACE_LABELS:
            continue
        score = _place_score(ent, verb)
        if score > 0 and (best is None or score > best[0]):
            best = (score, strip_article(ent.text))
    return best[1] if best else None


def _place_score(ent: Span, verb: Token) -> int:
    root, head = ent.root, ent.root.head
    attached = verb in root.ancestors
    if root.dep_ == "pobj" and head.lower_ in LOCATIVE_PREPS:
        return 4 if attached else 2
    if root.dep_ in ("compound", "poss") and head.lower_ in PLACE_NOUNS and head.dep_ == "pobj":
        return 3 if attached else 1
    if ent.label_ == "FAC" and root.dep_ not in ("compound", "poss", "amod"):
        return 2
    return 0


def _time(verb: Token, times: list[Span]) -> Span | None:
    """The time expression attached most closely to the verb ('died yesterday', not the 'Today' inside
    the subject's apposition), else the first in the sentence."""
    attached = [t for t in times if verb in t.root.ancestors or t.root.head == verb]
    direct = [t for t in attached if not _in_apposition(t.root, verb)]
    return (direct or attached or times or [None])[0]


def _in_apposition(token: Token, verb: Token) -> bool:
    """Whether `token` hangs off `verb` through an apposition or parenthetical (a name's description)."""
    for ancestor in [token, *token.ancestors]:
        if ancestor == verb:
            return False
        if ancestor.dep_ in ("appos", "parataxis") or ancestor.text == "(":
            return True
    return False


def participant_resolver(last_person: Callable[[int], str | None]) -> Callable[[Token], str | None]:
    """Phrase text for a participant; he/she/they resolve to the last person named before it."""

    def resolve(token: Token) -> str | None:
        return last_person(token.idx) if is_pronoun(token) else phrase(token)

    return resolve
