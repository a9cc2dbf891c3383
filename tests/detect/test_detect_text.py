"""Text splitting, layout normalisation and the language gate."""

from __future__ import annotations

import pytest

from newsproof.detect.base import paragraph_chunks
from newsproof.detect.text import normalise, require_english, sentences, words
from newsproof.errors import InputError

FRENCH = (
    "Le gouvernement a annoncé mardi une nouvelle réforme des retraites qui sera présentée au parlement "
    "dans les prochaines semaines. Les syndicats ont immédiatement appelé à une journée de grève nationale, "
    "estimant que le texte menace les droits acquis des salariés du secteur public et privé."
)


def test_normalise_removes_layout_and_curly_quotes() -> None:
    assert normalise("He said:\n\n“It’s  over.”\n") == "He said: \"It's over.\""


def test_sentences_and_words() -> None:
    text = "The mayor resigned on Monday. Dr. Smith said 3.5 million people voted! Why?\nNew line here"
    assert words("It's 3.5 million") == ["It's", "3.5", "million"]
    assert sentences(text)[0] == "The mayor resigned on Monday."
    assert sentences(text)[-1] == "New line here"


def test_paragraph_chunks_merge_short_paragraphs() -> None:
    text = "Short one.\n\n" + " ".join(["word"] * 45) + "\n\nTail."
    chunks = paragraph_chunks(text)
    assert len(chunks) == 1 and chunks[0].startswith("Short one.") and chunks[0].endswith("Tail.")
    two = paragraph_chunks(" ".join(["alpha"] * 45) + "\n\n" + " ".join(["beta"] * 45))
    assert len(two) == 2


def test_non_english_is_refused_and_english_accepted(long_dev) -> None:
    with pytest.raises(InputError, match="not in English"):
        require_english(FRENCH)
    with pytest.raises(InputError, match="empty"):
        require_english("   ")
    require_english(long_dev.texts[0])


def test_the_language_found_at_ingest_is_not_checked_again() -> None:
    """An article's language (from ingest's check) decides: English passes unread, others are refused."""
    require_english(FRENCH, language="en")
    with pytest.raises(InputError, match="not in English") as refused:
        require_english(FRENCH * 2, language="fr")
    assert refused.value.code == "NP105"
    with pytest.raises(InputError, match="empty"):
        require_english("   ", language="en")
