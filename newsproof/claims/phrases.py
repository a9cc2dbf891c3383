"""Noun-phrase helpers over a spaCy parse: compact phrase text, entities, pronouns."""

from __future__ import annotations

from spacy.tokens import Span, Token

NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
PRONOUNS = frozenset({"he", "she", "him", "her"})
# Left modifiers kept in a compact noun phrase ("the deputy commander" -> "deputy commander").
_LEFT_DEPS = frozenset({"compound", "amod", "nummod", "poss", "nmod", "quantmod"})


def entity_of(token: Token) -> Span | None:
    """The named entity (of a naming label) that covers `token`, if any."""
    if not token.ent_type_ or token.ent_type_ not in NAME_LABELS:
        return None
    return next((ent for ent in token.doc.ents if ent.start <= token.i < ent.end), None)


def strip_article(text: str) -> str:
    """Drop a leading 'the '/'a '/'an '."""
    for article in ("the ", "The ", "a ", "A ", "an ", "An "):
        if text.startswith(article):
            return text[len(article) :]
    return text


def phrase_tokens(token: Token) -> tuple[int, int]:
    """Token range [start, end) of a compact noun phrase headed by `token`."""
    start = token.i
    for child in token.lefts:
        if child.dep_ in _LEFT_DEPS:
            start = min(start, child.left_edge.i)
    end = token.i + 1
    for child in token.rights:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i == end:
            end = child.right_edge.i + 1
    return start, end


def phrase(token: Token) -> str:
    """Readable text for the participant headed by `token`: its entity, a named apposition, or its noun phrase."""
    entity = entity_of(token)
    if entity is not None and entity.label_ != "NORP":
        return strip_article(entity.text)
    for child in token.rights:
        if child.dep_ == "appos" and (named := entity_of(child)) is not None and named.label_ == "PERSON":
            return named.text
    start, end = phrase_tokens(token)
    return strip_article(token.doc[start:end].text)


def conjuncts(token: Token) -> list[Token]:
    """The token and the tokens coordinated with it ("X and Y")."""
    return [token, *token.conjuncts]


def is_pronoun(token: Token) -> bool:
    """Third-person personal pronoun that may refer to a person named earlier."""
    return token.lower_ in PRONOUNS
