"""ClaimExtractor on fixture and real articles: event frames, dates, quotes, quantities, spans, speed."""

from __future__ import annotations

import json
import time
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsproof.claims import ClaimExtractor
from newsproof.ingest import ingest_bytes
from newsproof.models import Article, Claim
from newsproof.paths import shared_data_dir


def _events(claims: list[Claim], lemma: str) -> dict[str | None, Claim]:
    return {c.target: c for c in claims if c.kind == "event" and c.action_lemma == lemma}


def _article(text: str, day: date | None = date(2020, 1, 4)) -> Article:
    return ingest_bytes(text.encode(), kind="text", date=day)


def test_fake_strike_event_frames(extractor: ClaimExtractor, fake_article: Article) -> None:
    kills = _events(extractor.run(fake_article), "kill")
    for person in ("Qasem Soleimani", "Abu Mahdi al-Muhandis"):
        claim = kills[person]
        assert claim.action == "killed"
        assert claim.place == "Baghdad"
        assert claim.time is not None
        assert (claim.time.date_start, claim.time.date_end, claim.time.granularity) == (
            date(2021, 5, 27),
            date(2021, 5, 27),
            "day",
        )
        assert fake_article.text[claim.time.start : claim.time.end] == "27 May 2021"
        assert {"Qasem Soleimani", "Abu Mahdi al-Muhandis", "Quds Force"} <= {m.text for m in claim.mentions}
    assert kills["10 people"].agent == "strike"


def test_relative_dates_resolve_against_article_date(
    extractor: ClaimExtractor, accurate_article: Article
) -> None:
    claims = extractor.run(accurate_article)
    killed = _events(claims, "kill")["Qasem Soleimani"]
    assert killed.place == "Baghdad International Airport"
    assert killed.time is not None and killed.time.text == "Friday"
    assert (killed.time.date_start, killed.time.granularity) == (date(2020, 1, 3), "day")
    ordered = _events(claims, "order")["strike"]
    assert ordered.agent == "Donald Trump"
    assert ordered.time is not None and ordered.time.date_start == date(2020, 1, 2)  # "Thursday night"
    named = _events(claims, "name")["Esmail Qaani"]
    assert named.agent == "Ayatollah Ali Khamenei"  # "He named ...": pronoun resolved to the last person


def test_quotes_and_speakers(extractor: ClaimExtractor, fake_article: Article) -> None:
    quotes = [c for c in extractor.run(fake_article) if c.kind == "quote"]
    pentagon = next(
        c for c in quotes if c.quote and c.quote.text.startswith("At the direction of the President")
    )
    assert (pentagon.quote.speaker, pentagon.quote.speaker_org) == ("Pentagon", "Pentagon")
    follow_up = next(c for c in quotes if c.quote and c.quote.text.startswith("This strike was aimed"))
    assert follow_up.quote.speaker == "Pentagon"  # an unattributed follow-on quote inherits the speaker
    revenge = next(c for c in quotes if c.quote and c.quote.text.startswith("Severe revenge"))
    assert revenge.quote.speaker == "Ayatollah Ali Khamenei"  # "he said"


@pytest.mark.parametrize(
    ("sentence", "speaker", "org"),
    [
        (
            '"The base came under rocket fire twice overnight," a Pentagon spokesman said.',
            "Pentagon spokesman",
            "Pentagon",
        ),
        (
            'Jonathan Hoffman, a spokesman for the Pentagon, said: "The strike was a defensive action."',
            "Jonathan Hoffman",
            "Pentagon",
        ),
        (
            '"We will respond at a time of our choosing," according to Iranian Foreign Minister Javad Zarif.',
            "Javad Zarif",
            None,
        ),
        (
            "“Iraq’s sovereignty has been violated by this attack,” Adel Abdul Mahdi told parliament on Sunday.",
            "Adel Abdul Mahdi",
            None,
        ),
    ],
)
def test_speaker_patterns(extractor: ClaimExtractor, sentence: str, speaker: str, org: str | None) -> None:
    body = (
        "Qasem Soleimani was killed in a US drone strike at Baghdad airport on 3 January 2020.\n\n" + sentence
    )
    quote = next(c for c in extractor.run(_article(body)) if c.kind == "quote").quote
    assert quote is not None and (quote.speaker, quote.speaker_org) == (speaker, org)


def test_quantities(extractor: ClaimExtractor) -> None:
    article = _article(
        "Kataib Hezbollah said 25 militiamen were killed in US air strikes on its bases in Iraq and Syria on "
        "29 December 2019.\n\nThe Pentagon offered $500,000 in compensation, and 3.5 million people live "
        "within 10 km of the border, where unemployment stands at 15%."
    )
    quantities = {q.text: (q.value, q.unit) for c in extractor.run(article) for q in c.quantities}
    assert quantities["25 militiamen"] == (25, "militiamen")
    assert quantities["$500,000"] == (500_000, "USD")
    assert quantities["3.5 million people"] == (3_500_000, "people")
    assert quantities["10 km"] == (10, "km")
    assert quantities["15%"] == (15, "%")


def test_quantity_claims(extractor: ClaimExtractor, accurate_article: Article) -> None:
    claims = extractor.run(accurate_article)
    troops = next(c for c in claims if "5,200 troops" in c.text)
    assert troops.kind == "quantity"
    assert [(q.value, q.unit) for q in troops.quantities] == [(5200, "troops")]


def test_passive_agent_and_negation(extractor: ClaimExtractor) -> None:
    claims = extractor.run(
        _article(
            "The convoy was attacked by Kataib Hezbollah fighters near the town of al-Qaim in Anbar province on "
            "29 December 2019.\n\nIraqi officials said Abu Mahdi al-Muhandis was not killed in the first raid."
        )
    )
    attacked = _events(claims, "attack")["convoy"]
    assert attacked.agent == "Kataib Hezbollah fighters"
    assert attacked.place in ("Anbar", "al-Qaim")
    assert attacked.time is not None and attacked.time.date_start == date(2019, 12, 29)
    assert _events(claims, "kill")["Abu Mahdi al-Muhandis"].action == "not killed"


def test_spans_ids_and_order(
    extractor: ClaimExtractor, fake_article: Article, accurate_article: Article
) -> None:
    for article in (fake_article, accurate_article):
        claims = extractor.run(article)
        assert claims == extractor.run(article)  # deterministic, stable ids
        assert len({c.id for c in claims}) == len(claims)
        assert [c.start for c in claims] == sorted(c.start for c in claims)
        for claim in claims:
            assert article.text[claim.start : claim.end] == claim.text
            assert 0.0 <= claim.checkworthiness <= 1.0
            for part in [*claim.mentions, *claim.quantities, *([claim.time] if claim.time else [])]:
                assert article.text[part.start : part.end] == part.text


def test_max_claims_and_threshold(fake_article: Article, extractor: ClaimExtractor) -> None:
    everything = extractor.run(fake_article)
    limited = ClaimExtractor({"max_claims": 3, "min_checkworthiness": 0.0})
    limited.nlp_ = extractor.nlp_  # share the loaded pipeline
    top = limited.run(fake_article)
    assert len(top) == 3
    assert sorted(c.checkworthiness for c in top) == sorted(c.checkworthiness for c in everything)[-3:]
    strict = ClaimExtractor({"min_checkworthiness": 0.7})
    strict.nlp_ = extractor.nlp_
    assert all(c.checkworthiness >= 0.7 for c in strict.run(fake_article))


def test_checkworthiness_ranks_facts_above_questions_and_opinions(extractor: ClaimExtractor) -> None:
    claims = ClaimExtractor({"min_checkworthiness": 0.0})
    claims.nlp_ = extractor.nlp_
    scores = {
        c.text: c.checkworthiness
        for c in claims.run(
            _article(
                "Qasem Soleimani was killed in a US drone strike at Baghdad airport on 3 January 2020.\n\n"
                "Will there be a war?\n\nI think this might be the worst decision ever made."
            )
        )
    }
    fact = scores["Qasem Soleimani was killed in a US drone strike at Baghdad airport on 3 January 2020."]
    assert fact > 0.7
    assert scores["Will there be a war?"] < 0.15
    assert scores["I think this might be the worst decision ever made."] < 0.15


def test_real_news_excerpt(extractor: ClaimExtractor) -> None:
    data = shared_data_dir()
    if data is None:
        pytest.skip("shared data not available")
    records = [
        json.loads(line) for line in (data / "news" / "pages_news_excerpts.jsonl").open(encoding="utf-8")
    ]
    rudaw = next(r for r in records if r["publisher"] == "Rudaw")
    article = ingest_bytes(rudaw["text"].encode(), kind="text", date=date.fromisoformat(rudaw["date"]))
    killed = _events(extractor.run(article), "kill")["Qasem Soleimani"]
    assert killed.time is not None and killed.time.date_start == date(2020, 1, 3)  # "early Friday morning"
    assert "Baghdad" in (killed.place or "")


def test_thousand_words_extract_in_well_under_a_second(
    extractor: ClaimExtractor, fake_article: Article, accurate_article: Article
) -> None:
    """Measured as process CPU time: wall time on a shared, overloaded test machine says little."""
    paragraphs = (fake_article.text + "\n\n" + accurate_article.text).split("\n\n")
    body, words = [], 0
    while words < 1000:
        paragraph = paragraphs[len(body) % len(paragraphs)]
        body.append(paragraph)
        words += len(paragraph.split())
    extractor.run(_article("\n\n".join(body)))  # fills the date-parsing cache; time a fresh text next
    article = _article("\n\n".join(reversed(body)))
    start = time.process_time()
    claims = extractor.run(article)
    elapsed = time.process_time() - start
    assert claims and elapsed < 1.0, f"{words} words took {elapsed:.3f} s of CPU"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1, max_size=400))
def test_arbitrary_text_never_breaks_spans(extractor: ClaimExtractor, text: str) -> None:
    article = Article(id="x", text=text, date=date(2020, 1, 4))
    for claim in extractor.run(article):
        assert text[claim.start : claim.end] == claim.text
