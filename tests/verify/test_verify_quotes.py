"""Quote attribution checks against a small real store of Reuters articles."""

from __future__ import annotations

import itertools
import re

import pytest

from newsproof.evidence.loaders.news import load_news
from newsproof.evidence.sqlite_store import SQLiteStore
from newsproof.models import Quote, Verdict
from newsproof.verify.checks.quotes import QuoteChecker, attributions, same_person

_QUOTED = re.compile(r'"([^"]{50,220}?)[,.]?"\s+said\s+([A-Z][a-z]+ [A-Z][a-z]+)')


@pytest.fixture(scope="module")
def reuters_store(tmp_path_factory, claims_dir):
    path = claims_dir.parent / "news" / "reuters21578.jsonl"
    store = SQLiteStore(tmp_path_factory.mktemp("quotes") / "store.sqlite")
    passages = list(itertools.islice(load_news(path), 400))
    store.write_passages(passages)
    yield store, passages
    store.close()


@pytest.fixture(scope="module")
def real_quotes(reuters_store):
    """(quote, speaker) pairs as printed in the articles: '"...," said First Last'."""
    found: dict[str, str] = {}
    for p in reuters_store[1]:
        for m in _QUOTED.finditer(p.text):
            found.setdefault(" ".join(m.group(1).split()), m.group(2))
    pairs = list(found.items())
    assert len({s for _, s in pairs}) >= 3
    return pairs[:6]


def test_quote_from_its_speaker_is_supported(reuters_store, real_quotes):
    checker = QuoteChecker(reuters_store[0])
    for text, speaker in real_quotes:
        result = checker.check(Quote(text=text, speaker=speaker))
        assert result.verdict is Verdict.SUPPORTED, (text, speaker, result.reason)
        assert result.status == "verified" and speaker.split()[-1] in result.passage.text


def test_near_verbatim_quote_is_still_found(reuters_store, real_quotes):
    text, speaker = real_quotes[0]
    words = text.split()
    altered = " ".join(words[:-1]) + " " + words[-1].upper()  # case change and dropped punctuation
    result = QuoteChecker(reuters_store[0]).check(Quote(text=altered.rstrip(",."), speaker=speaker))
    assert result.verdict is Verdict.SUPPORTED


def test_quote_from_another_speaker_is_misattributed(reuters_store, real_quotes):
    text, speaker = real_quotes[0]
    other = next(s for _, s in real_quotes if not same_person(s, speaker))
    result = QuoteChecker(reuters_store[0]).check(Quote(text=text, speaker=other))
    assert result.verdict is Verdict.CONTRADICTED
    assert result.status == "misattributed" and same_person(result.found_speaker, speaker)


def test_unknown_quote_is_unverified(reuters_store):
    quote = Quote(text="We will triple the wheat harvest on the moon by next spring", speaker="Perrin Long")
    result = QuoteChecker(reuters_store[0]).check(quote)
    assert result.verdict is Verdict.NOT_ENOUGH_EVIDENCE and result.status == "unverified"
    assert "unverified quote" in result.reason


def test_attribution_patterns():
    assert [n for _, n in attributions('"We are pleased," said John Smith, the chairman.')] == ["John Smith"]
    assert attributions('"Prices will rise," he said.') == []
    assert same_person("President Joe Biden", "Biden") and not same_person("Joe Biden", "Jill Stein")
