"""Wikipedia XML, Wikidata JSON and WARC loaders on small dumps written in the real formats."""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import json
from pathlib import Path

import pytest

from newsproof.errors import InputError
from newsproof.evidence.loaders.warc import load_warc
from newsproof.evidence.loaders.wikidata_dump import load_wikidata_dump, wikidata_time
from newsproof.evidence.loaders.wikipedia_dump import load_wikipedia_dump
from newsproof.models import Entity, Passage

WIKI_XML = """<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" version="0.10" xml:lang="en">
  <siteinfo><sitename>Wikipedia</sitename><dbname>enwiki</dbname>
    <base>https://en.wikipedia.org/wiki/Main_Page</base><generator>MediaWiki 1.41</generator>
    <case>first-letter</case><namespaces><namespace key="0" case="first-letter" />
    <namespace key="10" case="first-letter">Template</namespace></namespaces></siteinfo>
  <page><title>Polar bear</title><ns>0</ns><id>1</id>
    <revision><id>10</id><timestamp>2023-01-01T00:00:00Z</timestamp><contributor><username>A</username><id>1</id></contributor>
      <model>wikitext</model><format>text/x-wiki</format><text xml:space="preserve">An old revision.</text><sha1>a</sha1></revision>
    <revision><id>11</id><timestamp>2024-03-01T12:00:00Z</timestamp><contributor><username>A</username><id>1</id></contributor>
      <model>wikitext</model><format>text/x-wiki</format>
      <text xml:space="preserve">{{Infobox species|name=Polar bear|status=VU}}
The '''polar bear''' (''Ursus maritimus'') is a large [[bear]] native to the [[Arctic Circle|Arctic]].&lt;ref&gt;Smith 2001, p. 4&lt;/ref&gt; [[File:Polar bear.jpg|thumb|A bear on ice]]

== Conservation ==
Rising temperatures reduce the [[sea ice]] the polar bear depends on for hunting seals.
{| class="wikitable"
|-
| Population || 26,000
|}

== References ==
{{reflist}}
[[Category:Bears]]</text><sha1>b</sha1></revision></page>
  <page><title>Ursus maritimus</title><ns>0</ns><id>2</id><redirect title="Polar bear" />
    <revision><id>12</id><timestamp>2024-03-01T12:00:00Z</timestamp><contributor><username>A</username><id>1</id></contributor>
      <model>wikitext</model><format>text/x-wiki</format><text xml:space="preserve">#REDIRECT [[Polar bear]]</text><sha1>c</sha1></revision></page>
  <page><title>Template:Reflist</title><ns>10</ns><id>3</id>
    <revision><id>13</id><timestamp>2024-03-01T12:00:00Z</timestamp><contributor><username>A</username><id>1</id></contributor>
      <model>wikitext</model><format>text/x-wiki</format><text xml:space="preserve">A template page that is long enough to pass.</text><sha1>d</sha1></revision></page>
</mediawiki>
"""


def test_wikipedia_dump_sections_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "enwiki-20240301-pages-articles.xml.bz2"
    path.write_bytes(bz2.compress(WIKI_XML.encode()))
    passages = list(load_wikipedia_dump(path))
    assert [p.title for p in passages] == ["Polar bear", "Polar bear > Conservation"]
    lead, conservation = passages
    assert lead.text == "The polar bear (Ursus maritimus) is a large bear native to the Arctic."
    assert conservation.text == "Rising temperatures reduce the sea ice the polar bear depends on for hunting seals."
    assert all(p.kind == "encyclopedia" and p.date == "2024-03-01" for p in passages)
    assert lead.url == "https://en.wikipedia.org/wiki/Polar_bear" and lead.source == "wikipedia:enwiki"
    assert [p.id for p in load_wikipedia_dump(path)] == [p.id for p in passages]  # stable ids: re-indexing adds nothing


def test_wikipedia_dump_rejects_other_xml(tmp_path: Path) -> None:
    path = tmp_path / "not-a-dump.xml"
    path.write_text("<html><body>hello</body></html>")
    with pytest.raises(InputError):
        list(load_wikipedia_dump(path))


def _item(qid: str, label: str, claims: dict | None = None, **extra) -> dict:
    return {"type": "item", "id": qid, "labels": {"en": {"language": "en", "value": label}},
            "descriptions": {"en": {"language": "en", "value": extra.pop("description", "")}} if "description" in extra
            else {}, "aliases": {"en": [{"language": "en", "value": a} for a in extra.pop("aliases", [])]},
            "claims": claims or {}, "sitelinks": extra.pop("sitelinks", {})}


def _item_claim(prop: str, qid: str, qualifiers: dict | None = None, rank: str = "normal") -> dict:
    snak = {"snaktype": "value", "property": prop,
            "datavalue": {"value": {"entity-type": "item", "numeric-id": int(qid[1:]), "id": qid},
                          "type": "wikibase-entityid"}}
    return {"mainsnak": snak, "type": "statement", "rank": rank, "qualifiers": qualifiers or {}}


def _time(prop: str, iso: str, precision: int = 11) -> dict:
    return {"snaktype": "value", "property": prop,
            "datavalue": {"value": {"time": f"+{iso}T00:00:00Z", "precision": precision, "calendarmodel": ""},
                          "type": "time"}}


def _time_claim(prop: str, iso: str, precision: int = 11) -> dict:
    return {"mainsnak": _time(prop, iso, precision), "type": "statement", "rank": "normal"}


def wikidata_dump() -> str:
    person = _item("Q1001", "Jane Example", {
        "P31": [_item_claim("P31", "Q5")],
        "P569": [_time_claim("P569", "1950-04-02")], "P570": [_time_claim("P570", "2020-01-00", 10)],
        "P19": [_item_claim("P19", "Q90")], "P20": [_item_claim("P20", "Q84")],
        "P509": [_item_claim("P509", "Q12078")], "P1196": [_item_claim("P1196", "Q3739104")],
        "P39": [_item_claim("P39", "Q3001", {"P580": [_time("P580", "2001-05-01")], "P582": [_time("P582", "2005-00-00", 9)]})],
        "P102": [_item_claim("P102", "Q2001")], "P27": [_item_claim("P27", "Q142", rank="deprecated"),
                                                        _item_claim("P27", "Q145")],
    }, description="British politician", aliases=["J. Example"], sitelinks={"enwiki": {"title": "Jane Example"}})
    party = _item("Q2001", "Example Party", {"P31": [_item_claim("P31", "Q7278")], "P571": [_time_claim("P571", "1990-00-00", 9)],
                                              "P17": [_item_claim("P17", "Q145")]})
    event = _item("Q4001", "Example Summit", {"P31": [_item_claim("P31", "Q1190554")],
                                               "P585": [_time_claim("P585", "2019-06-30")],
                                               "P276": [_item_claim("P276", "Q84")],
                                               "P710": [_item_claim("P710", "Q1001"), _item_claim("P710", "Q2001")]})
    places = [_item(q, name, {"P31": [_item_claim("P31", cls)]})
              for q, name, cls in [("Q90", "Paris", "Q515"), ("Q84", "London", "Q515"), ("Q145", "United Kingdom", "Q6256")]]
    labels = places + [_item(q, name) for q, name in [("Q12078", "cancer"), ("Q3739104", "natural causes"),
                                                     ("Q3001", "Member of Parliament"), ("Q5", "human")]]
    taxon = _item("Q9999", "Ursus maritimus", {"P31": [_item_claim("P31", "Q16521")]})
    lines = [json.dumps(x) for x in [event, person, taxon, party, *labels]]
    return "[\n" + ",\n".join(lines) + "\n]\n"


@pytest.mark.parametrize("suffix", [".json.gz", ".json.bz2"])
def test_wikidata_dump_entities(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"latest-all{suffix}"
    data = wikidata_dump().encode()
    path.write_bytes(gzip.compress(data) if suffix.endswith("gz") else bz2.compress(data))
    records = list(load_wikidata_dump(path))
    entities = {r.name: r for r in records if isinstance(r, Entity)}
    assert set(entities) == {"Jane Example", "Example Party", "Example Summit", "Paris", "London", "United Kingdom"}
    jane = entities["Jane Example"]
    assert jane.id == "p_" + hashlib.sha1(b"Q1001").hexdigest()[:12]  # shared KB id convention
    assert (jane.birth_date, jane.death_date) == ("1950-04-02", "2020-01")
    assert (jane.birth_place, jane.death_place) == ("Paris", "London")
    assert (jane.cause_of_death, jane.manner_of_death) == ("cancer", "natural causes")
    assert jane.country == "United Kingdom"  # the deprecated statement is ignored
    assert jane.aliases == ["J. Example"] and jane.description == "British politician"
    assert jane.url == "https://en.wikipedia.org/wiki/Jane_Example"
    mp = next(p for p in jane.positions if p.title == "Member of Parliament")
    assert (mp.start, mp.end) == ("2001-05-01", "2005")
    assert any(p.org == "Example Party" for p in jane.positions)
    party = entities["Example Party"]
    assert party.type == "organization" and party.inception == "1990" and party.country == "United Kingdom"
    summit = entities["Example Summit"]
    assert summit.type == "event" and summit.inception == "2019-06-30"
    passage = next(r for r in records if isinstance(r, Passage))
    assert passage.date == "2019-06-30" and "Place: London" in passage.text
    assert "Participants: Jane Example; Example Party" in passage.text


def test_wikidata_time_precision() -> None:
    assert wikidata_time({"time": "+1952-03-11T00:00:00Z", "precision": 11}) == "1952-03-11"
    assert wikidata_time({"time": "+1952-03-00T00:00:00Z", "precision": 10}) == "1952-03"
    assert wikidata_time({"time": "-0044-03-15T00:00:00Z", "precision": 9}) == "-0044"


def test_wikidata_dump_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json.gz"
    path.write_bytes(gzip.compress(b'[\n{"type": "item", "id": "Q1", \n]\n'))
    with pytest.raises(InputError):
        list(load_wikidata_dump(path))


ARTICLE = """<html><head><title>Dam breach floods valley | Example News</title>
<meta property="article:published_time" content="2023-09-12T08:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Dam breach floods valley</h1>
<p>Two dams collapsed near the coastal city of Derna on Sunday night after days of torrential rain from the storm,
sending a wall of water through neighbourhoods along the river valley.</p>
<p>Local officials said thousands of residents were missing on Monday, and rescue teams were struggling to reach
districts cut off by the flood, which swept entire buildings into the sea.</p>
<p>The regional government declared three days of mourning and appealed for international help with search and
rescue equipment, medical supplies and temporary shelter for the displaced families.</p>
</article><footer>Copyright Example News. All rights reserved. Subscribe to our newsletter.</footer></body></html>"""


def _warc(path: Path, html: str, content_type: str = "text/html; charset=utf-8") -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=path.suffix == ".gz")
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record("https://news.example.com/2023/09/dam-breach", "response",
                                           payload=io.BytesIO(html.encode()), http_headers=headers,
                                           warc_headers_dict={"WARC-Date": "2023-09-13T10:00:00Z"})
        writer.write_record(record)
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://news.example.com/logo.png", "response",
                                                      payload=io.BytesIO(b"\x89PNG"), http_headers=image))


def test_warc_news_passages(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    _warc(path, ARTICLE)
    passages = list(load_warc(path))
    assert passages, "the article page gives passages"
    text = " ".join(p.text for p in passages)
    assert "Two dams collapsed near the coastal city of Derna" in text
    assert "Subscribe" not in text and "Sport" not in text  # boilerplate removed
    first = passages[0]
    assert first.date == "2023-09-12" and first.kind == "news"
    assert first.url == "https://news.example.com/2023/09/dam-breach"
    assert first.title == "Dam breach floods valley"


def test_warc_crawl_date_fallback(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    _warc(path, ARTICLE.replace('<meta property="article:published_time" content="2023-09-12T08:00:00Z">', ""))
    assert {p.date for p in load_warc(path)} == {"2023-09-13"}


def test_warc_rejects_other_files(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_text("this is not a web archive\n")
    with pytest.raises(InputError):
        list(load_warc(path))
