"""Direct quotes in a paragraph and who said them ("X said", "said X", "according to X", "X told")."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsproof.claims.phrases import entity_of, is_pronoun, phrase, strip_article

SPEECH_LEMMAS = frozenset(
    {
        "say",
        "tell",
        "add",
        "state",
        "explain",
        "insist",
        "warn",
        "write",
        "note",
        "declare",
        "announce",
        "claim",
        "tweet",
        "ask",
        "reply",
        "conclude",
        "argue",
        "vow",
    }
)
_QUOTE = re.compile(r"\"([^\"\n]+)\"|“([^”\n]+)”")
MIN_QUOTE_WORDS = 4  # shorter quoted strings are scare quotes ("severe revenge"), not statements


@dataclass
class FoundQuote:
    """A quote inside one paragraph doc: char span of the content and its attribution."""

    text: str
    start: int  # paragraph-relative, including the quote marks
    end: int
    speaker: str | None = None
    speaker_org: str | None = None
    speaker_token: Token | None = None


def find_quotes(doc: Doc) -> list[FoundQuote]:
    """Quotes of at least MIN_QUOTE_WORDS words, in order of appearance."""
    found = []
    for match in _QUOTE.finditer(doc.text):
        content = (match.group(1) or match.group(2)).strip()
        if len(content.split()) >= MIN_QUOTE_WORDS:
            found.append(FoundQuote(text=content, start=match.start(), end=match.end()))
    return found


def inside(token: Token, quotes: list[FoundQuote]) -> bool:
    """True when the token lies within a quote's marks."""
    return any(q.start <= token.idx < q.end for q in quotes)


def attribute(doc: Doc, quotes: list[FoundQuote], last_person: Callable[[int], str | None]) -> None:
    """Fill speaker/speaker_org for each quote; a quote with no attribution inherits the previous one's.

    `last_person(i)` names the last PERSON mentioned before paragraph character `i` (for "he said").
    """
    previous: FoundQuote | None = None
    for quote in quotes:
        speaker = _speaker_token(doc, quote, quotes)
        if speaker is not None:
            quote.speaker_token = speaker
            quote.speaker, quote.speaker_org = _speaker_names(speaker, last_person(quote.start))
        elif previous is not None and _adjacent(doc, previous, quote):
            quote.speaker, quote.speaker_org = previous.speaker, previous.speaker_org
        previous = quote


def _sentences(doc: Doc, quote: FoundQuote) -> list[Span]:
    return [s for s in doc.sents if s.start_char < quote.end and s.end_char > quote.start]


def _speaker_token(doc: Doc, quote: FoundQuote, quotes: list[FoundQuote]) -> Token | None:
    sentences = _sentences(doc, quote)
    if sentences and sentences[0].start > 0:
        before = doc[sentences[0].start - 1]
        if before.text == ":":  # 'X said: "..."'
            sentences.insert(0, before.sent)
    for sentence in sentences:
        for token in sentence:
            if inside(token, quotes):
                continue
            if token.lemma_ in SPEECH_LEMMAS and token.pos_ in ("VERB", "AUX"):
                subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subject is not None and not inside(subject, quotes):
                    return subject
            if token.lower_ == "according":
                to = next((c for c in token.children if c.lower_ == "to"), None)
                obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
                if obj is not None:
                    return obj
    return None


def _speaker_names(token: Token, last_person: str | None) -> tuple[str | None, str | None]:
    """(speaker, speaker_org): pronouns resolve to the last person named; org from the phrase or apposition."""
    if is_pronoun(token):
        return last_person, None
    speaker = phrase(token)
    return speaker, _organisation(token)


def _organisation(token: Token) -> str | None:
    entity = entity_of(token)
    if entity is not None and entity.label_ == "ORG":
        return strip_article(entity.text)
    for child in token.subtree:
        if child.i == token.i or child.dep_ == "relcl":
            continue
        named = entity_of(child)
        if named is not None and named.label_ == "ORG":
            return strip_article(named.text)
    return None


def _adjacent(doc: Doc, first: FoundQuote, second: FoundQuote) -> bool:
    """Two quotes with only attribution or whitespace between them continue one statement."""
    between = doc.text[first.end : second.start]
    return len(between.split()) <= 12 and "\n" not in between
