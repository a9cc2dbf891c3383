"""The bad-input corpus through ingest and claim extraction in-process: exact refusal codes, correct
decoding of legacy encodings, bounded time, and claims whose spans point into the article."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from support.hostile import NEWS_EN, HostileInput, hostile_inputs, single_line

from newsproof.claims import ClaimExtractor
from newsproof.config import load_config
from newsproof.errors import InputError
from newsproof.ingest import ingest, ingest_bytes

SECONDS_PER_ITEM = 60  # ingest + claims, loaded 2-core machine
REFUSAL_CODES = {"empty": "NP101", "whitespace_only": "NP101", "png_image": "NP102", "jpeg_image": "NP102",
                 "gif_image": "NP102", "pdf_document": "NP102", "zip_archive": "NP102", "gzip_text": "NP102",
                 "png_named_html": "NP102", "nul_bytes": "NP102", "control_characters": "NP102",
                 "german": "NP105", "chinese": "NP105", "russian": "NP105", "arabic": "NP105",
                 "script_only_html": "NP108", "huge_100mb": "NP103", "single_line_5mb": "NP103",
                 "single_line_4.9mb": "NP103", "million_paragraphs": "NP103"}


@pytest.fixture(scope="module")
def extractor() -> ClaimExtractor:
    """One warmed-up claim extractor."""
    return ClaimExtractor().warm_up()


@pytest.mark.parametrize("item", hostile_inputs(), ids=lambda item: item.name)
def test_ingest_and_claims(item: HostileInput, corpus: list[tuple[HostileInput, Path]],
                           extractor: ClaimExtractor) -> None:
    path = dict((i.name, p) for i, p in corpus)[item.name]
    started = time.monotonic()
    try:
        article = ingest(str(path))
    except InputError as exc:
        assert time.monotonic() - started < SECONDS_PER_ITEM
        assert item.expect != "accept", f"{item.name} refused: {exc}"
        if item.name in REFUSAL_CODES:
            assert exc.code == REFUSAL_CODES[item.name], str(exc)
        assert "\n" not in str(exc)
        return
    assert item.expect != "refuse", f"{item.name} accepted: {article.text[:200]!r}"
    if item.must_contain:
        assert item.must_contain in article.text
    assert "\x00" not in article.text and "\x1b" not in article.text
    claims = extractor.run(article)
    assert len(claims) <= load_config()["claims"]["max_claims"]
    for claim in claims:
        assert 0 <= claim.start < claim.end <= len(article.text)
        assert article.text[claim.start:claim.end] == claim.text
    assert time.monotonic() - started < SECONDS_PER_ITEM


def test_legacy_encodings_decode_to_the_same_text() -> None:
    text = "Zürich café owner José Müller said “prices rose 5%” — €4 a cup… " + NEWS_EN
    expected = ingest_bytes(text.encode("utf-8")).text
    assert ingest_bytes(text.encode("cp1252")).text == expected
    assert ingest_bytes(text.encode("utf-16")).text == expected
    latin1 = text.replace("“", '"').replace("”", '"').replace("—", "-").replace("€", "EUR ").replace("…", "...")
    assert ingest_bytes(latin1.encode("latin-1")).text == ingest_bytes(latin1.encode()).text


def test_max_chars_and_max_paragraphs_are_configurable() -> None:
    config = load_config()
    small = {**config, "ingest": {**config["ingest"], "max_chars": 1000, "max_paragraphs": 3}}
    with pytest.raises(InputError) as exc:
        ingest_bytes(single_line(5000), config=small)
    assert exc.value.code == "NP103" and "ingest.max_chars" in str(exc.value)
    with pytest.raises(InputError) as exc:
        ingest_bytes(("\n\n".join([NEWS_EN[:200]] * 4)).encode(), config=small)
    assert exc.value.code == "NP103" and "ingest.max_paragraphs" in str(exc.value)
    assert ingest_bytes(single_line(5000), config=config).text


def test_long_paragraph_is_parsed_in_pieces_with_exact_spans(extractor: ClaimExtractor) -> None:
    article = ingest_bytes(single_line(25_000))
    assert "\n" not in article.text and len(article.text) > 20_000
    claims = ClaimExtractor({**extractor.config, "max_paragraph_chars": 4000}).warm_up().run(article)
    assert claims and max(c.end for c in claims) > 20_000  # claims from the last piece too
    assert all(article.text[c.start:c.end] == c.text for c in claims)


def test_claim_time_budget_keeps_the_first_paragraphs() -> None:
    article = ingest_bytes("\n\n".join([NEWS_EN] * 300).encode())
    quick = ClaimExtractor({**load_config()["claims"], "max_seconds": 0.0}).warm_up()
    started = time.monotonic()
    claims = quick.run(article)
    assert time.monotonic() - started < 5
    assert claims and max(c.end for c in claims) <= len(NEWS_EN)  # only the first paragraph was parsed


@pytest.mark.parametrize("kind", ["proc_file", "directory", "fifo", "dangling_link", "dev_zero"])
def test_unreadable_sources_are_refused(kind: str, tmp_path: Path) -> None:
    """Names that are not readable regular files give E106, not an OSError (or an endless read)."""
    path = tmp_path / f"{kind}.txt"
    if kind == "proc_file":
        path.symlink_to("/proc/self/mem")  # is_file() is true, read() fails with EIO, even as root
    elif kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "dangling_link":
        path.symlink_to(tmp_path / "missing")
    else:
        path.symlink_to("/dev/zero")
    with pytest.raises(InputError) as exc:
        ingest(str(path))
    assert exc.value.code == "NP106"
