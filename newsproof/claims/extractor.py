"""ClaimExtractor: spaCy over paragraphs -> event, quote, quantity and statement claims with spans."""

from __future__ import annotations

import bisect
import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsproof.claims.dates import normalise_time
from newsproof.claims.frames import Frame, event_verbs, frames_for, participant_resolver
from newsproof.claims.quantities import QUANTITY_LABELS, quantity_from_entity
from newsproof.claims.quotes import SPEECH_LEMMAS, FoundQuote, attribute, find_quotes, inside
from newsproof.claims.scoring import Features, checkworthiness
from newsproof.config import section
from newsproof.errors import Errors, ModelError
from newsproof.ingest.dating import match_dateline
from newsproof.models import Article, Claim, Mention, Quantity, Quote, TimeExpression

MENTION_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "DATE"})
TIME_LABELS = frozenset({"DATE", "TIME"})


@dataclass
class _Paragraph:
    offset: int
    text: str
    dateline: str | None = None
    doc: Doc | None = None
    quotes: list[FoundQuote] = field(default_factory=list)


class ClaimExtractor:
    """Extract check-worthy claims from an Article (spaCy NER + dependencies, dateparser)."""

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = section("claims", config)  # the packaged [claims] completes a partial section
        self.nlp_: Language | None = None

    def warm_up(self) -> ClaimExtractor:
        """Load the spaCy pipeline and prime dateparser (idempotent)."""
        if self.nlp_ is None:
            import spacy

            name = self.config["spacy_model"]
            try:
                self.nlp_ = spacy.load(name)
            except OSError as exc:
                raise ModelError(
                    Errors.E401.format(path=name, rebuild=f"pip install {name}"), code="E401"
                ) from exc
            normalise_time("27 May 2021", date(2021, 5, 28))
        return self

    def run(self, article: Article) -> list[Claim]:
        """Claims of the article, best max_claims above min_checkworthiness, in article order."""
        self.warm_up()
        assert self.nlp_ is not None
        paragraphs = _paragraphs(article.text, self.config["max_paragraph_chars"])
        deadline = time.monotonic() + self.config["max_seconds"]
        parsed = 0
        texts = (p.text for p in paragraphs)
        for paragraph, doc in zip(paragraphs, self.nlp_.pipe(texts, batch_size=16), strict=False):
            paragraph.doc = doc
            parsed += 1
            if time.monotonic() > deadline:
                break  # time budget spent: claims come from the paragraphs parsed so far
        paragraphs = paragraphs[:parsed]
        people = [
            (p.offset + e.end_char, e.text) for p in paragraphs for e in p.doc.ents if e.label_ == "PERSON"
        ]
        ends = [end for end, _ in people]

        def last_person(position: int) -> str | None:
            index = bisect.bisect_right(ends, position) - 1
            return people[index][1] if index >= 0 else None

        claims: list[Claim] = []
        for paragraph in paragraphs:
            claims.extend(_ParagraphClaims(article, paragraph, last_person).claims())
        minimum = self.config["min_checkworthiness"]
        ranked = sorted(
            (pair for pair in enumerate(claims) if pair[1].checkworthiness >= minimum),
            key=lambda pair: -pair[1].checkworthiness,
        )[: self.config["max_claims"]]
        return [claim for _, claim in sorted(ranked, key=lambda pair: (pair[1].start, pair[0]))]


def _paragraphs(text: str, max_chars: int) -> list[_Paragraph]:
    """Paragraphs with their offsets; a dateline opening the first one is set aside as a place.

    ingest already cuts the dateline off; this covers Articles built by other means.

    Paragraphs longer than `max_chars` are cut into pieces (at a sentence end or a space when one is
    near) so that spaCy's memory and time per document stay bounded.
    """
    out: list[_Paragraph] = []
    for match in re.finditer(r"[^\n]+", text):
        offset, body = match.start(), match.group()
        dateline = None if out else match_dateline(body)
        if dateline:
            offset, body = offset + dateline.length, body[dateline.length :]
        place = dateline.place.title() if dateline else None
        for start, piece in _pieces(body, max_chars):
            if piece.strip():
                out.append(_Paragraph(offset=offset + start, text=piece, dateline=place))
                place = None
    return out


def _pieces(body: str, max_chars: int) -> list[tuple[int, str]]:
    """(offset, text) pieces of at most `max_chars` characters, cut after '. ' or a space where possible."""
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(body) - start > max_chars:
        window = body[start : start + max_chars]
        sentence_end, space = window.rfind(". "), window.rfind(" ")
        half = max_chars // 2
        cut = sentence_end + 2 if sentence_end >= half else space + 1 if space >= half else max_chars
        pieces.append((start, window[:cut]))
        start += cut
    pieces.append((start, body[start:]))
    return pieces


def claim_id(article_id: str, start: int, end: int, kind: str, detail: str | None) -> str:
    """Stable id: hash of article id, span, kind and the claim's distinguishing detail."""
    return hashlib.sha256(f"{article_id}:{start}:{end}:{kind}:{detail or ''}".encode()).hexdigest()[:16]


class _ParagraphClaims:
    """Claims of one parsed paragraph."""

    def __init__(
        self, article: Article, paragraph: _Paragraph, last_person: Callable[[int], str | None]
    ) -> None:
        self.article, self.paragraph, self.doc = article, paragraph, paragraph.doc
        self.offset = paragraph.offset
        self.person_before = lambda i: last_person(self.offset + i)
        self.resolve = participant_resolver(self.person_before)
        self.quotes = find_quotes(self.doc)
        attribute(self.doc, self.quotes, self.person_before)
        self.reference = article.date  # None: relative time expressions stay unresolved

    def claims(self) -> list[Claim]:
        out = [self._quote_claim(q) for q in self.quotes]
        for sentence in self.doc.sents:
            out.extend(self._sentence_claims(sentence))
        return out

    def _skip(self, token: Token) -> bool:
        """Tokens inside quotes, and speech verbs attributing a quote in the same sentence."""
        if inside(token, self.quotes):
            return True
        sent = token.sent
        quoted = any(q.start < sent.end_char and q.end > sent.start_char for q in self.quotes)
        return quoted and token.lemma_ in SPEECH_LEMMAS

    def _sentence_claims(self, sentence: Span) -> list[Claim]:
        if any(q.start <= sentence.start_char and sentence.end_char <= q.end + 1 for q in self.quotes):
            return []  # wholly quoted: covered by the quote claim
        times = [e for e in sentence.ents if e.label_ in TIME_LABELS and not inside(e.root, self.quotes)]
        frames = [
            frame
            for verb in event_verbs(sentence, self._skip)
            for frame in frames_for(verb, sentence, times, self.paragraph.dateline, self.resolve)
        ]
        if frames:
            return [self._event_claim(sentence, frame) for frame in frames]
        if any(q.start < sentence.end_char and q.end > sentence.start_char for q in self.quotes):
            return []  # attribution sentence of a quote
        quantities = self._quantities(sentence)
        kind = "quantity" if any(q.unit for q in quantities) else "statement"
        return [self._claim(sentence.start_char, sentence.end_char, kind, times=times)]

    def _event_claim(self, sentence: Span, frame: Frame) -> Claim:
        negated = any(c.dep_ == "neg" for c in frame.verb.children)
        return self._claim(
            sentence.start_char,
            sentence.end_char,
            "event",
            times=[frame.time_token] if frame.time_token is not None else [],
            detail=f"{frame.verb.i}:{frame.target}",
            agent=frame.agent,
            action=("not " if negated else "") + frame.verb.text,
            action_lemma=frame.verb.lemma_,
            target=frame.target,
            place=frame.place,
            event_verb=True,
        )

    def _quote_claim(self, quote: FoundQuote) -> Claim:
        sentences = [s for s in self.doc.sents if s.start_char < quote.end and s.end_char > quote.start]
        start, end = sentences[0].start_char, sentences[-1].end_char
        times = [e for s in sentences for e in s.ents if e.label_ in TIME_LABELS]
        return self._claim(
            start,
            end,
            "quote",
            times=times,
            detail=f"{quote.start}",
            agent=quote.speaker,
            quote=Quote(text=quote.text, speaker=quote.speaker, speaker_org=quote.speaker_org),
        )

    def _claim(
        self,
        start: int,
        end: int,
        kind: str,
        *,
        times: list[Span],
        detail: str | None = None,
        event_verb: bool = False,
        **fields: Any,
    ) -> Claim:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        mentions = [self._mention(e) for e in span.ents if e.label_ in MENTION_LABELS]
        quantities = self._quantities(span)
        time = next((t for t in (self._time(s) for s in times) if t is not None), None)
        text = self.doc.text[start:end]
        features = Features(
            text=text,
            entities=len({m.text for m in mentions if m.label != "DATE"}),
            has_number=bool(quantities),
            has_date=time is not None,
            has_event_verb=event_verb,
            has_quote=kind == "quote",
        )
        a_start, a_end = self.offset + start, self.offset + end
        return Claim(
            id=claim_id(self.article.id, a_start, a_end, kind, detail),
            kind=kind,
            text=text,
            start=a_start,
            end=a_end,
            time=time,
            mentions=mentions,
            quantities=quantities,
            checkworthiness=checkworthiness(features),
            **fields,
        )

    def _mention(self, ent: Span) -> Mention:
        return Mention(
            text=ent.text,
            label=ent.label_,
            start=self.offset + ent.start_char,
            end=self.offset + ent.end_char,
        )

    def _quantities(self, span: Span) -> list[Quantity]:
        found = (quantity_from_entity(e, self.offset) for e in span.ents if e.label_ in QUANTITY_LABELS)
        return [q for q in found if q is not None]

    def _time(self, ent: Span) -> TimeExpression | None:
        normalised = normalise_time(ent.text, self.reference)
        if normalised is None:
            return None
        start, end, granularity = normalised
        return TimeExpression(
            text=ent.text,
            start=self.offset + ent.start_char,
            end=self.offset + ent.end_char,
            date_start=start,
            date_end=end,
            granularity=granularity,
        )
