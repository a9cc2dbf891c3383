"""`newsproof eval linking`: precision and recall of the entity links `check` reports.

The labelled mentions are the Wikipedia links that the Portal:Current events editors put on the
names in each item (`entities` in ../shared/data/news/wikipedia_current_events.jsonl). A link's
title resolves to a KB record through the record's Wikipedia URL or, failing that, its exact name.
Each day's items are checked as one article, exactly as `check` would read them; every mention the
pipeline reports is matched to the editors' link on the same words.

- recall: labelled mentions of a KB record that the pipeline links to that record;
- precision: among the pipeline's links on labelled mentions, those to the labelled record (a link
  on a mention whose title is not in the KB counts as wrong);
- links on words the editors left unlinked are counted apart (`unjudged`).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import urllib.parse
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from newsproof.evaluation.splices.cases import split_of
from newsproof.evaluation.splices.facts import iso_day, read_jsonl
from newsproof.verify.checks.same_event import fold

BUNDLED_ENTITIES = ("people.entities.jsonl.gz", "kb.entities.jsonl.gz")
HAND_CHECKED = Path(__file__).with_name("linking_titles.tsv")


def _title_key(title: str) -> str:
    return fold(urllib.parse.unquote(title).replace("_", " ")).strip()


def _bare(title: str) -> str:
    """A title without its disambiguation: 'Ben Wallace (politician)' -> 'ben wallace'."""
    return re.sub(r"\s*\(.*\)$", "", _title_key(title))


@dataclass
class KBTitles:
    """Which bundled KB records a Wikipedia title names."""

    by_title: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_name: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    kind: dict[str, str] = field(default_factory=dict)

    @classmethod
    def bundled(cls) -> KBTitles:
        titles = cls()
        folder = resources.files("newsproof.data")
        for name in BUNDLED_ENTITIES:
            with gzip.open(str(folder.joinpath(name)), "rt", encoding="utf-8") as handle:
                for line in handle:
                    titles.add(json.loads(line))
        for line in HAND_CHECKED.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                title, entity_id = line.split("\t")
                titles.by_title[_title_key(title)].add(entity_id.strip())
        return titles

    def add(self, record: dict[str, Any]) -> None:
        url = record.get("url") or ""
        if "wikipedia.org/wiki/" in url:
            self.by_title[_title_key(url.split("/wiki/", 1)[1])].add(record["id"])
        self.by_name[fold(record["name"])].add(record["id"])
        self.kind[record["id"]] = record.get("type") or "person"

    def resolve(self, title: str) -> set[str]:
        """Records with this title as their Wikipedia URL, else with it as their exact name when the
        title reads as a full name (two or more words, none a common word: never 'Paris' or 'Military junta')."""
        if found := self.by_title.get(_title_key(title)):
            return set(found)
        words = re.sub(r"\s*\(.*\)$", "", urllib.parse.unquote(title).replace("_", " ")).split()
        common = [w for w in words if w[:1].islower() and len(w) > 3 and "-" not in w]
        if len(words) >= 2 and words[0][:1].isupper() and not common:
            return set(self.by_name.get(_bare(title)) or ())
        return set()


@dataclass(frozen=True)
class Labelled:
    """One editor-linked mention: the article (a day), its words and the records its title names."""

    article: str
    text: str
    title: str
    gold: frozenset[str]


def linking_articles(news: Path, titles: KBTitles, split: str) -> Iterator[tuple[str, str, dt.date, list[Labelled]]]:
    """(article id, text, date, labelled mentions) per day of current-events items in `split`."""
    by_day: dict[str, list[dict]] = defaultdict(list)
    for row in read_jsonl(news / "wikipedia_current_events.jsonl"):
        if iso_day(row.get("date")):
            by_day[row["date"]].append(row)
    for day in sorted(by_day):
        ident = f"cep_{day}"
        if split != "all" and split_of(ident) != split:
            continue
        rows = by_day[day]
        seen: dict[str, Labelled] = {}
        for row in rows:
            for link in row.get("entities") or []:
                words = link["text"].strip()
                if words and words not in seen:
                    seen[words] = Labelled(ident, words, link["wiki"], frozenset(titles.resolve(link["wiki"])))
        text = "World news on " + day + "\n\n" + "\n\n".join(r["text"] for r in rows)
        yield ident, text, iso_day(day), list(seen.values())


def _labelled_for(mention: str, labelled: dict[str, Labelled]) -> Labelled | None:
    """The editors' link on the same words: equal, or one inside the other ('President Joe Biden')."""
    if mention in labelled:
        return labelled[mention]
    inside = [lab for words, lab in labelled.items() if words in mention or mention in words]
    return max(inside, key=lambda lab: len(lab.text)) if inside else None


@dataclass
class LinkCounts:
    """Counts for one group of mentions (all, or persons only)."""

    labelled_in_kb: int = 0
    found: int = 0
    correct: int = 0
    wrong: int = 0
    unjudged: int = 0
    errors: list[dict] = field(default_factory=list)
    misses: list[dict] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        judged = self.correct + self.wrong
        return {"labelled_in_kb": self.labelled_in_kb, "links_judged": judged, "correct": self.correct,
                "wrong": self.wrong, "unjudged_links": self.unjudged,
                "precision": round(self.correct / judged, 4) if judged else None,
                "recall": round(self.found / self.labelled_in_kb, 4) if self.labelled_in_kb else None,
                "errors": self.errors[:50], "misses": self.misses[:50]}


def score_article(linked: dict[str, tuple[str | None, str]], labelled: list[Labelled], counts: dict[str, LinkCounts],
                  kinds: dict[str, str]) -> None:
    """Add one article's outcome. `linked` maps each reported mention's words to (entity id, label)."""
    by_words = {lab.text: lab for lab in labelled}
    found: set[Labelled] = set()
    for words, (entity_id, label) in linked.items():
        lab = _labelled_for(words, by_words)
        groups = ["all"] + (["person"] if label == "PERSON" else [])
        if entity_id is None:
            continue
        if lab is None:
            for g in groups:
                counts[g].unjudged += 1
            continue
        right = entity_id in lab.gold
        for g in groups:
            if right:
                counts[g].correct += 1
            else:
                counts[g].wrong += 1
                counts[g].errors.append({"article": lab.article, "mention": words, "title": lab.title,
                                         "linked": entity_id})
        if right:
            found.add(lab)
    for lab in labelled:
        if not lab.gold:
            continue
        person = any(kinds.get(i) == "person" for i in lab.gold)
        for g in ["all"] + (["person"] if person else []):
            counts[g].labelled_in_kb += 1
            counts[g].found += lab in found
            if lab not in found:
                counts[g].misses.append({"article": lab.article, "mention": lab.text, "title": lab.title,
                                         "reported": lab.text in linked})


def evaluate_linking(data: Path, *, split: str = "dev", store: str = "default", limit: int | None = None,
                     progress: bool = True) -> dict[str, Any]:
    """Precision and recall of the pipeline's entity links against the editors' links."""
    from newsproof.ingest import ingest_bytes
    from newsproof.pipeline import Checker
    from newsproof.progress import make_progress

    titles = KBTitles.bundled()
    articles = list(linking_articles(data / "news", titles, split))[:limit]
    counts = {"all": LinkCounts(), "person": LinkCounts()}
    checker = Checker(store_uri=store)
    checker.warm_up()
    try:
        with make_progress(progress) as bar:
            task = bar.add_task("linking", total=len(articles), failed=0)
            for _ident, text, date, labelled in articles:
                article = ingest_bytes(text.encode(), kind="text", date=date, config=checker.config())
                claims, _links = checker.verifier_.link(article, checker.extractor_.run(article))
                linked = {m.text: (m.entity_id, m.label) for c in claims for m in c.mentions}
                score_article(linked, labelled, counts, titles.kind)
                bar.advance(task)
    finally:
        checker.close()
    labelled_total = sum(len(a[3]) for a in articles)
    return {"split": split, "articles": len(articles), "labelled_mentions": labelled_total,
            "persons": counts["person"].summary(), "all": counts["all"].summary()}
