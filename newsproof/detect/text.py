"""Light, fast text splitting shared by the detectors: words, sentences, paragraphs, language."""

from __future__ import annotations

import re

from newsproof.errors import Errors, InputError

WORD_RE = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d+(?:[.,]\d+)*")
_SENT_SPLIT_RE = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n+")
_PARA_SPLIT_RE = re.compile(r"\n\s*\n|\n")


_ARTICLE_RE = re.compile(r"\b(?:[Aa]n?|[Tt]he)\s+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
_SPACE_RE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Layout-free text: whitespace runs (line breaks included) to one space, curly quotes to straight.

    Detector features read this form so that layout and typography, which depend on how a text was
    scraped or pasted rather than on who wrote it, cannot drive the score.
    """
    return _SPACE_RE.sub(" ", text.translate(_QUOTES)).strip()


def without_articles(text: str) -> str:
    """`text` without the articles a, an and the: what a detector that must not depend on them reads (deleting
    articles is a cheap evasion edit that makes machine text look human to the stylometric features)."""
    return _ARTICLE_RE.sub("", text)


def words(text: str) -> list[str]:
    """Word tokens (letters with inner apostrophes, or numbers), original case."""
    return WORD_RE.findall(text)


def sentences(text: str) -> list[str]:
    """Sentences split on end punctuation followed by a capital, and on line breaks."""
    return [s.strip() for s in _SENT_SPLIT_RE.split(text) if s and s.strip()]


def paragraphs(text: str) -> list[str]:
    """Non-empty paragraphs (blank-line or line-break separated)."""
    return [p.strip() for p in _PARA_SPLIT_RE.split(text) if p.strip()]


def require_english(text: str, language: str | None = None) -> None:
    """Raise InputError for empty text or text that is mostly not English: ingest's language check, run
    here unless `language` (the article's, found by that check at ingest) is given."""
    if not text.strip():
        raise InputError(Errors.E101)
    if language is not None:
        if language != "en":
            raise InputError(Errors.E105.format(lang=language), code="E105")
        return
    from newsproof.ingest.language import check_language

    check_language(paragraphs(text), ["en"])


def sentence_paragraphs(text: str, min_words: int = 30) -> list[str]:
    """The text's sentences grouped, in order, into paragraphs of at least `min_words` words (a short tail
    joins the last one)."""
    groups: list[list[str]] = []
    buf: list[str] = []
    for sent in (s for p in paragraphs(text) for s in sentences(p)):
        buf.append(sent)
        if len(words(" ".join(buf))) >= min_words:
            groups.append(buf)
            buf = []
    if buf and groups:
        groups[-1].extend(buf)
    elif buf:
        groups.append(buf)
    return [" ".join(g) for g in groups]
