"""What a reader sees: evidence the verdict rests on (with why), NOT ENOUGH EVIDENCE without a percentage,
plain check names, citable linked sources, the evidence-base footer, next steps and the machine-text panel.
Built from hand-made reports: no models load."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from rich.console import Console

from newsproof.models import (
    Article,
    Claim,
    ClaimResult,
    DetectionResult,
    EvidenceBase,
    EvidenceItem,
    FactResult,
    Mention,
    Quote,
    Report,
    Signal,
    SourceCount,
    Summary,
    TimeExpression,
    Verdict,
)
from newsproof.report import render_html, render_text, to_json, validate_report_json
from newsproof.report.claim_view import claim_views
from newsproof.report.evidence_base import describe_store
from newsproof.report.machine_view import gauge_needle, paragraph_rows
from newsproof.report.sources import cite
from newsproof.report.wording import check_name, signal_phrase

ARTICLE = ("Quds Force commander Qasem Soleimani was killed in a drone strike on 27 May 2021.\n\n"
           "Chancellor Olaf Scholz formed a coalition with the Greens on Thursday.\n\n"
           "\"We will answer,\" said Akram al-Kaabi.\n\n"
           "The strike hit a convoy of two vehicles shortly after midnight.")
SOLEIMANI = EvidenceItem(id="p_9fd", kind="kb", text="Qasem Soleimani (died 3 Jan 2020 at Baghdad airport).",
                         title="Qasem Soleimani", source="wp_deaths_2020_2025,pages_curated", date="2020-01-03",
                         url="https://glyphsignal.pages.dev/article/Qasem_Soleimani")
AL_GORE = EvidenceItem(id="cep_1", kind="passage", text="Al Gore wins the Nobel Peace Prize.", title="Nobel",
                       source="wikipedia_current_events_portal", date="2007-10-12",
                       url="https://en.wikipedia.org/wiki/Portal:Current_events/2007_October_12")
KAABI = EvidenceItem(id="pg_2", kind="passage", text="The US designated Akram al-Kaabi a terrorist.",
                     title="US adds militia", source="FDD's Long War Journal", date="2019-03",
                     url="javascript:alert(1)")


def _span(text: str, part: str) -> tuple[int, int]:
    start = ARTICLE.index(part)
    return start, start + len(part)


def _claim(cid: str, sentence: str, mentions: list[Mention], time: TimeExpression | None = None,
           quote: Quote | None = None) -> Claim:
    start, end = _span(ARTICLE, sentence)
    return Claim(id=cid, kind="quote" if quote else "event", text=sentence, start=start, end=end, mentions=mentions,
                 time=time, quote=quote)


def make_report(date: dt.date | None = dt.date(2021, 5, 28), claims: list[ClaimResult] | None = None,
                base: EvidenceBase | None = None) -> Report:
    soleimani = _claim("c1", ARTICLE.split("\n\n")[0], [
        Mention(text="Quds Force", label="ORG", start=0, end=10),
        Mention(text="Qasem Soleimani", label="PERSON", start=21, end=36, entity_id="p_9fd")],
        TimeExpression(text="27 May 2021", start=70, end=81, date_start=dt.date(2021, 5, 27),
                       date_end=dt.date(2021, 5, 27), granularity="day"))
    scholz = _claim("c2", ARTICLE.split("\n\n")[1], [
        Mention(text="Olaf Scholz", label="PERSON", start=11, end=22),
        Mention(text="Greens", label="ORG", start=48, end=54), Mention(text="Thursday", label="DATE", start=58, end=66)])
    quote = _claim("c3", ARTICLE.split("\n\n")[2], [Mention(text="Akram al-Kaabi", label="PERSON", start=0, end=14)],
                   quote=Quote(text="We will answer,", speaker="Akram al-Kaabi"))
    convoy = _claim("c4", ARTICLE.split("\n\n")[3], [])
    results = claims if claims is not None else [
        ClaimResult(claim=soleimani, verdict=Verdict.CONTRADICTED, confidence=0.97, check="death_date",
                    reason="Qasem Soleimani died on 3 Jan 2020; the article says 27 May 2021",
                    evidence=[SOLEIMANI, AL_GORE], decided_by=["p_9fd"],
                    facts=[FactResult(fact="date", verdict=Verdict.CONTRADICTED, confidence=0.97, reason="r",
                                      check="death_date")]),
        ClaimResult(claim=scholz, verdict=Verdict.NOT_ENOUGH_EVIDENCE, confidence=0.5, check="entailment_ensemble",
                    reason="Evidence leans SUPPORTED but not confidently (52%): Nobel supports this",
                    evidence=[AL_GORE], decided_by=[]),
        ClaimResult(claim=quote, verdict=Verdict.NOT_ENOUGH_EVIDENCE, confidence=0.5, check="quote_unverified",
                    reason="unverified quote: not found in the archive", evidence=[AL_GORE, KAABI], decided_by=[]),
        ClaimResult(claim=convoy, verdict=Verdict.NOT_ENOUGH_EVIDENCE, confidence=0.5, check="entailment_ensemble",
                    reason="Related passages were found, but none settles this claim", evidence=[AL_GORE]),
    ]
    detection = DetectionResult(
        probability=0.46, label="uncertain", reason="probability 0.46 is too close to the decision threshold",
        paragraph_scores=[0.9, 0.1, 0.7, 0.2], detector="test",
        signals=[Signal(name="log_words", value=4.7, contribution=0.13, description="log of the number of words"),
                 Signal(name="sent_len_cv", value=0.1, contribution=0.05, description="burstiness")])
    counts = {v: sum(r.verdict is v for r in results) for v in Verdict}
    return Report(newsproof_version="test", article=Article(id="a", title="Strike", text=ARTICLE, date=date),
                  claims=results, machine_generated=detection, evidence_base=base or EvidenceBase(
                      uri="sqlite:///x", passages=24496, entities=87239, checked_claims=1228, latest_date="2024-02-03",
                      sources=[SourceCount(source="ucdp_ged_syria_191", records=16566)]),
                  summary=Summary(claims=len(results), supported=counts[Verdict.SUPPORTED],
                                  contradicted=counts[Verdict.CONTRADICTED],
                                  not_enough_evidence=counts[Verdict.NOT_ENOUGH_EVIDENCE],
                                  credibility="low" if counts[Verdict.CONTRADICTED] else "unverified"))


def terminal(report: Report) -> str:
    buffer = io.StringIO()
    render_text(report, Console(file=buffer, width=120, color_system=None))
    return buffer.getvalue()


def test_only_evidence_the_verdict_rests_on_is_shown_with_why():
    views = claim_views(make_report())
    contradicted = views[0]
    assert [c.item.id for c in contradicted.cards] == ["p_9fd"]  # Al Gore is not shown
    assert "the evidence base's record of Qasem Soleimani" in contradicted.cards[0].why
    page = render_html(make_report())
    assert "Al Gore" not in page
    assert "Relevant: the evidence base&#39;s record of Qasem Soleimani" in page


def test_not_enough_evidence_has_no_percentage_and_says_why():
    report = make_report()
    views = claim_views(report)
    kinds = {v.result.claim.id: v.nee_kind for v in views}
    assert kinds == {"c1": None, "c2": "nothing", "c3": "unsettled", "c4": "nothing"}
    quote = views[2]
    assert [c.item.id for c in quote.cards] == ["pg_2"] and quote.cards[0].closest
    assert all(v.confidence is None for v in views[1:]) and all("%" not in v.reason for v in views[1:])
    page = render_html(report)
    for number in (2, 3, 4):
        card = re.search(rf'id="claim-{number}">(.*?)</div>\s*(?=<div class="claim|</section>)', page, re.S).group(1)
        assert not re.search(r"\d+%", card), card
    assert "Closest passage: it does not settle this claim" in page
    assert "nothing relevant in the evidence base" in page
    text = terminal(report)
    assert "50%" not in text and "52%" not in text and "closest passage, does not settle the claim" in text


def test_unknown_article_date_is_its_own_reason():
    views = claim_views(make_report(date=None))
    assert views[1].nee_kind == "date_unknown" and "--date" in views[1].reason


def test_plain_check_names_for_readers_codes_in_json():
    report = make_report()
    page, text = render_html(report), terminal(report)
    for code in ("death_date", "entailment_ensemble", "quote_unverified", "wp_deaths_2020_2025", "log_words",
                 "log of the number of words"):
        assert code not in page and code not in text, code
    assert "date of death" in page and "quote" in page and "date of death" in text
    data = json.loads(to_json(report))
    validate_report_json(data)
    assert [c["check"] for c in data["claims"]][:3] == ["death_date", "entailment_ensemble", "quote_unverified"]
    assert check_name("office_date") == "office held at the time" and check_name("quote_misattributed") == "quote"


def test_sources_get_names_canonical_links_and_keep_the_mirror():
    soleimani = cite(SOLEIMANI)
    assert soleimani.name == "Wikipedia: Deaths in January 2020"
    assert soleimani.links[1] == ("Wikipedia: Qasem Soleimani", "https://en.wikipedia.org/wiki/Qasem_Soleimani")
    assert soleimani.retrieved_from == "https://glyphsignal.pages.dev/article/Qasem_Soleimani"
    tracked = cite(EvidenceItem(id="wk", kind="passage", text="t", title="Abu Mahdi al-Muhandis",
                                source="search-tool pages corpus (stored copy of public web page)",
                                url="https://review.example.com/wiki/view_html.php?lang=en&q=Abu_Mahdi_al-Muhandis&sq=Envato"))
    assert tracked.url == "https://en.wikipedia.org/wiki/Abu_Mahdi_al-Muhandis" and "sq=Envato" in tracked.retrieved_from
    ucdp = cite(EvidenceItem(id="ucdp_ged_123", kind="passage", text="t", source="ucdp_ged_syria_191",
                             url="https://ucdp.uu.se/event/123", date="2017-01-01"))
    assert ucdp.name == "UCDP event 123"
    reuters = cite(EvidenceItem(id="r1", kind="passage", text="t", source="reuters21578", date="1987-03-02"))
    assert reuters.name == "Reuters, 1987-03-02"
    assert cite(KAABI).url is None  # a javascript: URL is never linked
    page = render_html(make_report())
    assert '<a href="https://en.wikipedia.org/wiki/Deaths_in_January_2020"' in page
    assert 'href="https://glyphsignal.pages.dev/article/Qasem_Soleimani"' in page and "retrieved from" in page
    assert 'href="javascript' not in page


def test_every_report_has_an_evidence_base_footer():
    report = make_report()
    page, text = render_html(report), terminal(report)
    assert 'aria-label="Evidence base"' in page and "24,496 passages" in page and "2024-02-03" in page
    assert "UCDP Georeferenced Event Dataset 19.1 (16,566)" in page
    assert "Evidence base:" in text and "latest dated item" in text and "2024-02-03" in text


def test_describe_store_counts_sources_and_latest_date(tmp_path):
    from newsproof.evidence.sqlite_store import SQLiteStore
    from newsproof.models import Passage

    store = SQLiteStore(tmp_path / "s.sqlite")
    store.write_passages([Passage(id="a", text="x", source="reuters21578", date="1987-03-02"),
                          Passage(id="b", text="y", source="reuters21578,wikipedia", date="1987-04-01"),
                          Passage(id="c", text="z", source="wikipedia")])
    base = describe_store(store)
    store.close()
    assert base.passages == 3 and base.latest_date == "1987-04-01"
    assert {s.source: s.records for s in base.sources} == {"reuters21578": 2, "wikipedia": 2}


def test_next_steps_give_exact_phrases_and_names():
    views = claim_views(make_report())
    quote = views[2]
    assert quote.search_phrases[0] == '"We will answer" "Akram al-Kaabi"'
    assert "Akram al-Kaabi (no record linked)" in quote.lookups
    assert '"The strike hit a convoy of two vehicles shortly after midnight"' in views[3].search_phrases
    assert "Next steps:" in render_html(make_report())


def test_no_claims_says_so():
    report = make_report(claims=[])
    assert "No check-worthy claims found" in render_html(report)
    assert "no check-worthy claims found" in terminal(report)


def test_machine_panel_legend_words_and_one_row_per_paragraph():
    report = make_report()
    page = render_html(report)
    assert 'aria-label="Legend for the paragraph shading"' in page
    rows, note = paragraph_rows(ARTICLE, report.machine_generated.paragraph_scores)
    assert [r.opening.split()[0] for r in rows] == ["Quds", "Chancellor", '"We', "The"] and "per paragraph" in note
    assert page.count('<li title="paragraph ') == 4
    assert "a length typical of machine-written articles" in page and "unusually uniform sentence lengths" in page
    assert "too close to the decision threshold" in page and "not as a 50/50" in page
    human = Signal(name="sent_len_cv", value=0.9, contribution=-0.1)
    assert signal_phrase(human) == "sentence lengths that vary as in human writing"


@pytest.mark.parametrize("probability", [0.0, 0.01, 0.46, 0.5, 0.99, 1.0])
def test_gauge_needle_stays_above_its_label(probability):
    x, y = gauge_needle(probability)
    assert y <= 112.0 + 1e-9 and 30 <= x <= 210  # the percentage is drawn below the pivot (y=142)


def test_reports_without_decided_by_show_the_deciding_item_and_relevant_ones_only():
    report = make_report()
    old = report.claims[0].model_copy(update={"decided_by": None, "evidence": [SOLEIMANI, AL_GORE, SOLEIMANI.model_copy(
        update={"id": "pg_9", "kind": "passage", "text": "Soleimani was buried in Kerman."})]})
    view = claim_views(make_report(claims=[old]))[0]
    assert [c.item.id for c in view.cards] == ["p_9fd", "pg_9"]  # Al Gore shares nothing with the claim
