"""Loaders on the real shared data files, plus the generic field-mapped loader."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsproof.errors import InputError
from newsproof.evidence.loaders import expand_paths, find_loader, load_file
from newsproof.evidence.loaders.claims import iso_date
from newsproof.evidence.loaders.generic import parse_field_map
from newsproof.evidence.loaders.kb import actor_names, parse_position
from newsproof.labels import to_verdict
from newsproof.models import CheckedClaim, Entity, Passage, Position, Verdict


def _counts(path: Path) -> dict[str, int]:
    return dict(Counter(type(r).__name__ for r in load_file(path)))


@pytest.mark.parametrize(("rel", "expected"), [
    ("kb/people.jsonl", {"Entity": 68272}),  # 68,214 rows, 58 of them split (namesakes)
    ("kb/people_extra.jsonl", {"Entity": 6927}),
    ("kb/leaders.jsonl", {"Entity": 3963}),
    ("kb/events.jsonl", {"Entity": 16, "Passage": 9}),
    ("kb/wikipedia/wikipedia_excerpts.jsonl", {"Passage": 19, "Entity": 2}),
    ("news/wikipedia_current_events.jsonl", {"Passage": 3462}),
    ("news/pages_news_excerpts.jsonl", {"Passage": 11}),
    ("news/headlines_fwd_2021_2022.jsonl", {"Passage": 9870}),
    ("claims/averitec/data.jsonl", {"CheckedClaim": 395, "Passage": 1127}),
    ("claims/snopes/data.jsonl", {"CheckedClaim": 7210}),
])
def test_record_counts(shared: Path, rel: str, expected: dict[str, int]) -> None:
    assert _counts(shared / rel) == expected


def test_conflict_events_become_dated_passages_and_actors(shared: Path) -> None:
    records = list(load_file(shared / "kb/conflict_events.jsonl"))
    passages = [r for r in records if isinstance(r, Passage)]
    orgs = {r.name for r in records if isinstance(r, Entity)}
    assert len(passages) == 16566
    assert all(p.date and "2016" <= p.date < "2020" and p.kind == "kb" for p in passages)
    assert "Deaths (best estimate): 4" in passages[0].text and "Homs Governorate" in passages[0].text
    assert {"Government of Syria", "Syrian insurgents"} <= orgs


def test_leaders_attach_positions_to_existing_people(shared: Path) -> None:
    people = {json.loads(line)["id"] for name in ("people.jsonl", "people_extra.jsonl")
              for line in (shared / "kb" / name).open(encoding="utf-8")}
    leaders = [r for r in load_file(shared / "kb/leaders.jsonl") if isinstance(r, Entity)]
    assert sum(e.id in people for e in leaders) / len(leaders) > 0.95
    grant = next(e for e in leaders if e.name == "Ulysses S. Grant")
    assert grant.positions == [Position(title="effective national leader", country="United States of America",
                                        start="1869-03-04", end="1877-03-04")]


def test_curated_people_fields(shared: Path) -> None:
    amm = next(r for r in load_file(shared / "kb/people.jsonl") if r.name == "Abu Mahdi al-Muhandis")
    assert (amm.birth_date, amm.death_date, amm.country) == ("1954-11-16", "2020-01-03", "Iraq")
    assert "Al Muhandis" in amm.aliases
    assert Position(title="Deputy Chairman of the Popular Mobilization Committee", start="2014-06-15",
                    end="2020-01-03") in amm.positions


def test_organisations_from_wikipedia_infoboxes(shared: Path) -> None:
    orgs = {r.name: r for r in load_file(shared / "kb/wikipedia/wikipedia_excerpts.jsonl") if isinstance(r, Entity)}
    assert orgs["Kata'ib Hezbollah"].inception == "2003-10"
    assert orgs["Harakat Hezbollah al-Nujaba"].inception == "2013"
    assert "HHN" in orgs["Harakat Hezbollah al-Nujaba"].aliases


def test_claims_verdicts_and_dates(shared: Path) -> None:
    claims = [r for r in load_file(shared / "claims/climate_fever/data.jsonl") if isinstance(r, CheckedClaim)]
    verdicts = Counter(c.verdict for c in claims)
    assert verdicts == {Verdict.SUPPORTED: 522, Verdict.CONTRADICTED: 205, Verdict.NOT_ENOUGH_EVIDENCE: 501}
    snopes = next(r for r in load_file(shared / "claims/snopes/data.jsonl"))
    assert snopes.date == "2020-10-09" and snopes.url.startswith("https://www.snopes.com/")


def test_label_map_and_helpers() -> None:
    assert to_verdict("pants-fire") is Verdict.CONTRADICTED
    assert to_verdict("Conflicting Evidence/Cherrypicking") is Verdict.NOT_ENOUGH_EVIDENCE
    assert to_verdict("NOT_ENOUGH_INFO") is Verdict.NOT_ENOUGH_EVIDENCE
    assert to_verdict("Supported") is Verdict.SUPPORTED
    assert to_verdict("something new") is Verdict.NOT_ENOUGH_EVIDENCE
    assert iso_date("31-10-2020") == "2020-10-31" and iso_date("tomorrow") is None
    assert parse_position("Commander of the IRGC Quds Force (1998-2020)") == Position(
        title="Commander of the IRGC Quds Force", start="1998", end="2020")
    assert parse_position("Deputy Chief of the PMF (from Feb 2020)") == Position(
        title="Deputy Chief of the PMF", start="2020-02")
    assert actor_names("Kata'ib Hezbollah / PMF militiamen and supporters") == ["Kata'ib Hezbollah"]


def test_directory_walk_uses_the_registry(shared: Path) -> None:
    files = expand_paths([shared / "kb"])
    assert [f.name for f in files][:3] == ["people.jsonl", "people_extra.jsonl", "leaders.jsonl"]
    assert all(find_loader(f) for f in files) and not any(f.suffix == ".md" for f in files)
    assert expand_paths([shared / "mgt"]) == []
    with pytest.raises(InputError, match="no file, URL or .-. named"):
        expand_paths([shared / "nope.jsonl"])


def test_generic_csv_parquet_and_jsonl(tmp_path: Path) -> None:
    csv_file = tmp_path / "articles.csv"
    csv_file.write_text("headline,body,published\nStrike,US strike kills general,2020-01-03\n,Second body,\n")
    rows = list(load_file(csv_file, "text=body,title=headline,date=published"))
    assert [(p.title, p.text, p.date, p.source) for p in rows] == [
        ("Strike", "US strike kills general", "2020-01-03", "articles"), (None, "Second body", None, "articles")]
    assert rows == list(load_file(csv_file, "text=body,title=headline,date=published"))  # stable content ids
    pq.write_table(pa.table({"body": ["a parquet passage"], "when": ["2021-05-01"]}), tmp_path / "x.parquet")
    (only,) = load_file(tmp_path / "x.parquet", {"text": "body", "date": "when"})
    assert (only.text, only.date) == ("a parquet passage", "2021-05-01")
    claims = tmp_path / "checks.jsonl"
    claims.write_text(json.dumps({"statement": "The moon is cheese", "rating": "pants-fire"}) + "\n")
    (claim,) = load_file(claims, "claim=statement,label=rating")
    assert isinstance(claim, CheckedClaim) and claim.verdict is Verdict.CONTRADICTED


def test_bad_inputs_raise_clear_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{"text": oops}\n')
    with pytest.raises(InputError, match=r"bad.jsonl:2: not valid JSON"):
        list(load_file(bad))
    with pytest.raises(InputError, match="FIELD=COLUMN"):
        parse_field_map("text")
    with pytest.raises(InputError, match="unknown field"):
        parse_field_map("body=text")
    (tmp_path / "x.bin").write_bytes(b"\x00\x01")
    with pytest.raises(InputError, match="no loader"):
        load_file(tmp_path / "x.bin")
