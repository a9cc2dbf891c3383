"""Misspellings read as the word meant, and the article-free reading of the stack: the two evasion edits
(RAID's misspelling and article deletion) that the cleaning and the stack's reading undo."""

from __future__ import annotations

import re

import numpy as np
import pytest

from newsproof.detect.model import DetectorModel, stack_text
from newsproof.detect.normalise import clean
from newsproof.detect.spelling import correction, respell
from newsproof.detect.text import without_articles
from newsproof.detect.train.attacks import attack
from newsproof.detect.train.data import Corpus

_WORD_RE = re.compile(r"[A-Za-z]+")


def test_typos_are_read_as_the_word_meant() -> None:
    assert correction("presdient") == "president"  # swapped letters
    assert correction("goverments") == "governments"  # dropped letter
    assert correction("ministter") == "minister"  # doubled letter
    assert correction("Presdient") == "President"  # capitalised as written


def test_real_words_names_and_acronyms_are_kept() -> None:
    for word in ("tweeted", "said", "the", "Brexit", "NASAA", "McDonnell", "iPhone", "Zelensky", "cat"):
        assert correction(word) is None, word
    text = "Zelensky said the NATO summit in Vilnius was a success."
    assert respell(text) == (text, ())


def test_cleaning_records_the_respelled_words() -> None:
    cleaned = clean("The presdient said the ministter would resign on Tuesday.")
    assert cleaned.text == "The president said the minister would resign on Tuesday."
    assert cleaned.respelled == (("presdient", "president"), ("ministter", "minister"))
    (name, value, words), = cleaned.describe()
    assert name == "misspelled_words" and value == 2 and "presdient → president" in words
    assert not cleaned.hidden_script  # people make typos: reported, not evidence of evasion


def test_most_typos_of_the_attack_are_undone_and_clean_text_barely_changes(long_dev: Corpus) -> None:
    typos = undone = clean_words = changed = 0
    for text in long_dev.texts[:120]:
        attacked = attack("misspelling", text)
        fixed = respell(attacked)[0]
        for before, after, read in zip(_WORD_RE.findall(text), _WORD_RE.findall(attacked), _WORD_RE.findall(fixed),
                                       strict=True):
            if before == after:
                clean_words += 1
                changed += read != before
            else:
                typos += 1
                undone += read == before
    assert typos > 500
    assert undone / typos > 0.65
    assert changed / clean_words < 0.003


def test_the_article_free_reading_is_blind_to_article_deletion(long_dev: Corpus) -> None:
    assert without_articles("The man saw a cat and an owl in the Park. A dog barked.") == "man saw cat and owl in Park. dog barked."
    assert without_articles("Theresa and Annabel ate apples.") == "Theresa and Annabel ate apples."
    for text in long_dev.texts[:80]:
        assert stack_text(attack("article-deletion", text), "no-articles") == stack_text(text, "no-articles")
        assert stack_text(text, "plain") == text


def test_a_model_reads_as_its_reading_says(long_dev: Corpus) -> None:
    """`reading` decides what the stack's columns see; a model pickled before the field reads plain text."""
    from newsproof.detect.feature_detector import WINDOW_ARTIFACT

    if not WINDOW_ARTIFACT.is_file():
        pytest.skip("detector artifact not built")
    import joblib

    model: DetectorModel = joblib.load(WINDOW_ARTIFACT)
    text = next(t for t in long_dev.texts if " the " in t)
    attacked = attack("article-deletion", text)
    model.reading = "plain"
    plain = model.columns([text, attacked])
    assert not np.allclose(plain[0], plain[1])
    model.reading = "no-articles"
    blind = model.columns([text, attacked])
    np.testing.assert_allclose(blind[0], blind[1])
    del model.reading  # as unpickled from an artifact written before the field existed
    assert model.reading == "plain"


def test_paragraph_rows_read_as_the_article_row(long_dev: Corpus) -> None:
    """score()'s paragraph rows (char counts summed per paragraph, by the word-cached hasher) read the text as
    `reading` says, as `columns` does."""
    from newsproof.detect.base import paragraph_contexts
    from newsproof.detect.char_hash import WordCachedHasher
    from newsproof.detect.feature_detector import WINDOW_ARTIFACT
    from newsproof.detect.features import FeatureExtractor

    if not WINDOW_ARTIFACT.is_file():
        pytest.skip("detector artifact not built")
    import joblib

    model: DetectorModel = joblib.load(WINDOW_ARTIFACT)
    model.reading = "no-articles"
    assert model.char_model is not None
    extractor, hasher = FeatureExtractor(model.lm, model.machine_lm), WordCachedHasher(model.char_model[0])
    paras = [clean(p).text for p in "\n\n".join(long_dev.texts[:4]).split("\n\n")]
    groups = paragraph_contexts(paras)
    fast = model.paragraph_columns("\n\n".join(paras), paras, groups, extractor, hasher=hasher)
    slow = model.columns(["\n\n".join(paras), *("\n".join(paras[lo:hi]) for lo, hi in groups)], extractor)
    np.testing.assert_allclose(fast, slow, rtol=1e-9, atol=1e-9)


def test_the_word_cached_hasher_equals_the_vectorizer(long_dev: Corpus) -> None:
    from newsproof.detect.char_hash import WordCachedHasher
    from newsproof.detect.train.stack import make_char_model

    vectorizer = make_char_model()[0]
    hasher = WordCachedHasher(vectorizer)
    for batch in (long_dev.texts[:30], long_dev.texts[10:40], ["", "  ", "“Quoted” words, again and again."]):
        want, got = vectorizer.transform(batch), hasher.transform(batch)
        assert want.shape == got.shape and (want != got).nnz == 0
        assert np.array_equal(want.indices, got.indices) and np.array_equal(want.indptr, got.indptr)
    assert len(hasher.cache) > 1000
