"""Cross-source person merge, US office terms, and the people in the committed bundle."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newsproof.evidence.loaders import find_loader, load_file
from newsproof.evidence.loaders.kb import split_namesake_row
from newsproof.evidence.loaders.people_merge import clean_positions, group_people, merge_people
from newsproof.evidence.loaders.us_terms import bioguide_spells, congress_start, merge_spells
from newsproof.models import Entity, Position
from newsproof.paths import package_data_dir

PRESIDENT = "President of the United States"
WIKI = "https://en.wikipedia.org/wiki/"


def _person(pid: str, name: str, source: str, **fields: object) -> Entity:
    return Entity(id=pid, name=name, source=source, **fields)


# --------------------------------------------------------------------------- splitting glued rows
def test_pantheon_row_glued_to_a_namesakes_death_is_split() -> None:
    row = {"id": "p_ea813e12af71", "name": "Jimmy Carter", "qid": "Q44135", "enwiki_title": "Jimmy Carter (boxer)",
           "birth_year": 1924, "death_date": "1994-09-21", "occupations": ["politician"], "country": "United States",
           "sitelinks": 10, "popularity": {"pantheon_hpi": 26.5, "numlangs": 104},
           "sources": ["pantheon1", "wd_deaths_1990s"], "pantheon_category": "government / institutions",
           "enwiki_curid": 15992}
    president, boxer = split_namesake_row(row)
    assert (president["birth_year"], president.get("death_date"), president["sources"]) == (1924, None, ["pantheon1"])
    assert president["id"] != row["id"] and president["popularity"] == {"pantheon_hpi": 26.5, "numlangs": 104}
    assert (boxer["id"], boxer["death_date"], boxer["sources"]) == (row["id"], "1994-09-21", ["wd_deaths_1990s"])
    assert "birth_year" not in boxer and "occupations" not in boxer
    # the disambiguator names the Pantheon occupation: one person, kept
    assert split_namesake_row(row | {"enwiki_title": "Hide (musician)", "occupations": ["singer"]}) == [
        row | {"enwiki_title": "Hide (musician)", "occupations": ["singer"]}]


def test_deaths_list_entry_of_another_domain_or_age_is_split() -> None:
    row = {"id": "p_x", "name": "John Edwards", "birth_year": 1953, "death_date": "2025-05-11",
           "description": "American Hall of Fame singer (The Spinners)", "occupations": ["politician"],
           "pantheon_category": "government / institutions", "sources": ["pantheon1", "wp_deaths_2020_2025"],
           "popularity": {"pantheon_hpi": 20.0, "wp_pageviews_60d_after_death": 1000}}
    assert len(split_namesake_row(row)) == 2
    actress = row | {"description": "English actress (Women in Love) and politician"}
    assert split_namesake_row(actress) == [actress]
    aged = row | {"description": "American politician", "death_date": "2024-02", "age_at_death": 90}
    assert len(split_namesake_row(aged)) == 2


# --------------------------------------------------------------------------- US terms
def test_congress_dates_and_bioguide_spells() -> None:
    assert (congress_start(1), congress_start(73), congress_start(74), congress_start(115)) == (
        "1789-03-04", "1933-03-04", "1935-01-03", "2017-01-03")
    rows = [{"id": "H", "job": "Senator", "start": "", "end": "", "congress": c, "state": "CA"} for c in ("115", "116")]
    rows += [{"id": "H", "job": "Senator", "start": "", "end": "2021-01-18", "congress": "117", "state": "CA"},
             {"id": "H", "job": "Vice President", "start": "2021-01-20", "end": "", "congress": "117", "state": "US"},
             {"id": "H", "job": "Representative", "start": "", "end": "", "congress": "100", "state": "CA"},
             {"id": "H", "job": "Representative", "start": "1991-02-01", "end": "", "congress": "102", "state": "CA"}]
    assert [(p.title, p.start, p.end) for p in bioguide_spells(rows)] == [
        ("United States Representative from California", "1987-01-03", "1989-01-03"),
        ("United States Representative from California", "1991-02-01", "1993-01-03"),
        ("United States Senator from California", "2017-01-03", "2021-01-18")]
    assert bioguide_spells(rows, terms=False) == []


def test_consecutive_terms_merge_into_one_spell() -> None:
    terms = [Position(title=PRESIDENT, start=s, end=e) for s, e in
             [("1933-03-04", "1937-01-20"), ("1937-01-20", "1941-01-20"), ("2017-01-20", "2021-01-20"),
              ("2025-01-20", None)]]
    assert [(p.start, p.end) for p in merge_spells(terms)] == [
        ("1933-03-04", "1941-01-20"), ("2017-01-20", "2021-01-20"), ("2025-01-20", None)]


def test_us_files_are_registered() -> None:
    for name in ("kb/us/executive.yaml", "kb/us/legislators-current.yaml", "kb/us/bioguide_people.csv.gz"):
        assert find_loader(Path("/data") / name) is not None
    assert find_loader(Path("/data/kb/us/bioguide_positions.csv.gz")) is None


# --------------------------------------------------------------------------- grouping
def _groups(*people: Entity) -> list[list[str]]:
    return sorted(sorted(e.id for e in group) for group in group_people(people))


def test_namesakes_stay_apart_when_dates_or_titles_contradict() -> None:
    writer = _person("p_w", "Victor Hugo", "pantheon1", birth_date="1802", occupations=["writer"])
    artist = _person("p_a", "Victor Hugo", "wd_deaths_1990s", death_date="1993-01-01",
                     url=WIKI + "Victor_Hugo_(artist_and_window_dresser)")
    assert _groups(writer, artist) == [["p_a"], ["p_w"]]
    president = _person("p_p", "Jimmy Carter", "archigos41", birth_date="1924-10-01", url=WIKI + "Jimmy_Carter",
                        positions=[Position(title="effective national leader", country="USA", start="1977-01-20")])
    boxer = _person("p_b", "Jimmy Carter", "wd_deaths_1990s", death_date="1994-09-21",
                    url=WIKI + "Jimmy_Carter_(boxer)", description="American boxer and politician")
    death = _person("p_d", "Jimmy Carter", "wp_deaths_2020_2025", death_date="2024-12-29",
                    description="American politician and humanitarian")
    assert _groups(president, boxer, death) == [["p_b"], ["p_d", "p_p"]]
    # two rows of one source are two people; a name without any corroboration is not enough
    assert _groups(_person("p_1", "John Smith", "bioguide", birth_date="1900"),
                   _person("p_2", "John Smith", "bioguide")) == [["p_1"], ["p_2"]]
    assert _groups(_person("p_r", "Carl Perkins", "bioguide", birth_date="1954", occupations=["politician"]),
                   _person("p_m", "Carl Perkins", "wd_deaths_1990s", death_date="1998-01-19")) == [["p_m"], ["p_r"]]


def test_names_agreeing_in_first_and_last_word_need_exact_dates() -> None:
    rep = _person("p_r", "LeRoy Anderson", "bioguide", birth_date="1906-02-02", death_date="1991",
                  occupations=["politician"])
    wikidata = _person("p_w", "LeRoy H. Anderson", "wd_deaths_1990s", death_date="1991-09-25")
    assert _groups(rep, wikidata) == [["p_r", "p_w"]]
    congressman = _person("p_c", "Charles Russell", "bioguide", birth_date="1852-03-02", death_date="1902-10-23",
                          occupations=["politician"])
    preacher = _person("p_p", "Charles Taze Russell", "pantheon1", birth_date="1852", occupations=["religious figure"])
    assert _groups(congressman, preacher) == [["p_c"], ["p_p"]]


def test_one_person_from_several_sources_is_one_record() -> None:
    pantheon = _person("p_s1", "Joseph Stalin", "pantheon1", birth_date="1878", popularity=1.0)
    archigos = _person("p_s2", "Joseph Stalin", "archigos41", birth_date="1879-12-21", death_date="1953-03-05",
                       aliases=["Stalin"], positions=[Position(title="effective national leader", country="Russia",
                                                               start="1923-03-10", end="1953-03-05")])
    short = _person("p_s3", "Stalin", "archigos41", birth_date="1879",
                    positions=[Position(title="effective national leader", country="Russia", start="1923-03-10")])
    pope_death = _person("p_f1", "Pope Francis", "wp_deaths_2020_2025", death_date="2025-04-21",
                         description="Argentine Roman Catholic prelate", popularity=1.0)
    pope_office = _person("p_f2", "Pope Francis", "wd_world_leaders_2021",
                          positions=[Position(title="pope", country="Vatican City", start="2013")])
    merged = {e.name: e for e in merge_people([pantheon, archigos, short, pope_death, pope_office])}
    assert set(merged) == {"Joseph Stalin", "Pope Francis"}
    stalin = merged["Joseph Stalin"]
    assert (stalin.id, stalin.birth_date, stalin.death_date) == ("p_s1", "1879-12-21", "1953-03-05")
    assert stalin.source == "pantheon1,archigos41" and "Stalin" in stalin.aliases
    assert [(p.start, p.end) for p in stalin.positions] == [("1923-03-10", "1953-03-05")]
    pope = merged["Pope Francis"]
    assert (pope.id, pope.death_date, pope.positions[0].title) == ("p_f1", "2025-04-21", "pope")


def test_positions_cleaned_and_popularity_floor() -> None:
    spells = [Position(title=PRESIDENT, country="United States of America", start="2021"),
              Position(title=PRESIDENT, country="United States", start="2021-01-20", end="2025-01-20"),
              Position(title="effective national leader", country="United States of America", start="2009-01-20"),
              Position(title=PRESIDENT, country="United States", start="2009-01-20", end="2017-01-20")]
    assert [(p.title, p.start, p.end) for p in clean_positions(spells)] == [
        (PRESIDENT, "2009-01-20", "2017-01-20"), ("effective national leader", "2009-01-20", "2017-01-20"),
        (PRESIDENT, "2021-01-20", "2025-01-20")]
    president, = merge_people([_person("p_o", "Barack Obama", "congress_legislators", positions=spells)])
    assert president.popularity >= 0.95


# --------------------------------------------------------------------------- shared data
def test_executive_terms_from_shared_data(shared: Path) -> None:
    people = {e.name: e for e in load_file(shared / "kb/us/executive.yaml") if isinstance(e, Entity)}
    assert len(people) == 80 and {"John Adams", "John Q. Adams"} <= set(people)  # namesakes get initials
    trump = [(p.start, p.end) for p in people["Donald Trump"].positions]
    assert trump == [("2017-01-20", "2021-01-20"), ("2025-01-20", None)]
    roosevelt = people["Franklin Roosevelt"]
    assert [(p.title, p.start, p.end) for p in roosevelt.positions] == [(PRESIDENT, "1933-03-04", "1945-04-12")]
    assert "Franklin D. Roosevelt" in roosevelt.aliases
    assert "Jimmy Carter" in people and people["Jimmy Carter"].birth_date == "1924-10-01"


# --------------------------------------------------------------------------- the committed bundle
_NAMES = ("Jimmy Carter", "Kamala Harris", "Donald Trump", "Pope Francis", "Kim Jong-il", "Victor Hugo",
          "Joe Biden", "Shinzo Abe")


@pytest.fixture(scope="module")
def bundled() -> dict[str, list[Entity]]:
    """People in the committed bundle named (or aliased) as one of _NAMES, by name."""
    out: dict[str, list[Entity]] = {n: [] for n in _NAMES}
    with gzip.open(package_data_dir() / "people.entities.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            if any(f'"{n}"' in line for n in _NAMES):
                entity = Entity.model_validate(json.loads(line))
                if entity.name in out:
                    out[entity.name].append(entity)
    return out


def _spells(entity: Entity, title: str) -> list[tuple[str | None, str | None]]:
    return [(p.start, p.end) for p in entity.positions if p.title == title]


def test_bundle_president_and_boxer_are_two_people(bundled: dict[str, list[Entity]]) -> None:
    carters = sorted(bundled["Jimmy Carter"], key=lambda e: -e.popularity)
    assert len(carters) == 2
    president, boxer = carters
    assert (president.birth_date, president.death_date) == ("1924-10-01", "2024-12-29")
    assert _spells(president, PRESIDENT) == [("1977-01-20", "1981-01-20")]
    assert boxer.death_date == "1994-09-21" and "boxer" in (boxer.url or "") and not boxer.positions


def test_bundle_us_terms(bundled: dict[str, list[Entity]]) -> None:
    harris, = bundled["Kamala Harris"]
    assert _spells(harris, "United States Senator from California") == [("2017-01-03", "2021-01-18")]
    assert _spells(harris, "Vice President of the United States") == [("2021-01-20", "2025-01-20")]
    trump, = bundled["Donald Trump"]
    assert _spells(trump, PRESIDENT) == [("2017-01-20", "2021-01-20"), ("2025-01-20", None)]
    biden, = bundled["Joe Biden"]
    assert _spells(biden, PRESIDENT) == [("2021-01-20", "2025-01-20")]
    assert [p.title for p in biden.positions][:2] == ["United States Senator from Delaware",
                                                      "Vice President of the United States"]


def test_bundle_merged_deaths(bundled: dict[str, list[Entity]]) -> None:
    pope, = bundled["Pope Francis"]
    assert pope.death_date == "2025-04-21" and any(p.title == "pope" for p in pope.positions)
    kim, = bundled["Kim Jong-il"]
    assert kim.death_date == "2011-12-17" and "archigos41" in kim.source and "pantheon1" in kim.source
    abe, = bundled["Shinzo Abe"]
    assert abe.death_date == "2022-07-08" and abe.birth_date == "1954-09-21" and abe.positions
    writer = max(bundled["Victor Hugo"], key=lambda e: e.popularity)
    assert writer.birth_date == "1802" and writer.death_date is None
