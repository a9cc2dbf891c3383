"""Conformance suite every EvidenceStore backend must pass.

Subclass `EvidenceStoreBaseTests` in a test module and override the `store` fixture so that it
yields a fresh, empty, writable store whose `uri` can be reopened with `open_store`.
"""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from newsproof.errors import StoreError
from newsproof.evidence import EvidenceStore, SearchFilters, open_store
from newsproof.evidence.bundle import bundle_files
from newsproof.evidence.loaders import load_file
from newsproof.evidence.protocol import WriteCounts
from newsproof.evidence.store_common import query_tokens
from newsproof.models import CheckedClaim, Entity, Passage, Position, Verdict


@contextmanager
def postgres_schema_uri(base_url: str, prefix: str = "np_test") -> Iterator[str]:
    """A URI whose search_path is a fresh PostgreSQL schema, dropped on exit."""
    import psycopg

    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base_url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            yield f"{base_url}{'&' if '?' in base_url else '?'}options=-csearch_path%3D{schema}"
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


PASSAGES = [
    Passage(id="p-strike", title="US drone strike kills Soleimani",
            text="Qasem Soleimani was killed in a US drone strike at Baghdad International Airport.",
            source="rudaw", url="https://example.org/strike", date="2020-01-03", kind="news"),
    Passage(id="p-funeral", title="Funeral in Baghdad", text="Thousands of mourners attended the funeral procession.",
            source="wikipedia", date="2020-01-04", kind="encyclopedia"),
    Passage(id="p-parliament", text="The Iraqi parliament voted to expel foreign troops from the country.",
            source="rudaw", date="2020-01-05", kind="news"),
    Passage(id="p-cocoa", text="Showers continued throughout the week in the Bahia cocoa zone.",
            source="reuters", date="1987-02-26", kind="news"),
    Passage(id="p-undated", text="Kata'ib Hezbollah is an Iraqi paramilitary group backed by Iran.",
            title="Kata'ib Hezbollah", source="wikipedia", kind="encyclopedia"),
    Passage(id="p-month", text="Abu Fadak al-Mohammedawi was named deputy chief of the PMF.", source="events",
            date="2020-02", kind="kb"),
]
ENTITIES = [
    Entity(id="e-qs", name="Qasem Soleimani", aliases=["Qâsem Soleymâni", "Qassem Suleimani"],
           description="Iranian major general, commander of the Quds Force", death_date="2020-01-03",
           country="Iran", popularity=0.9, positions=[Position(title="Commander of the Quds Force", start="1998")]),
    Entity(id="e-amm", name="Abu Mahdi al-Muhandis", aliases=["Jamal al-Ibrahimi"], country="Iraq",
           description="Iraqi paramilitary leader", death_date="2020-01-03", popularity=0.3),
    Entity(id="e-hs", name="Hossein Soleimani", description="Iranian footballer", popularity=0.1),
    Entity(id="e-kh", name="Kata'ib Hezbollah", type="organization", inception="2003-10"),
]
CLAIMS = [
    CheckedClaim(id="c-1", claim="Global warming is driving polar bears toward extinction", label="SUPPORTS",
                 verdict=Verdict.SUPPORTED, source="climate_fever"),
    CheckedClaim(id="c-2", claim="Sea level rise is decelerating.", label="REFUTES", verdict=Verdict.CONTRADICTED,
                 source="climate_fever", date="2020-10-09", speaker="someone", url="https://example.org/c2"),
]
HOSTILE_QUERIES = ['"', "AND OR NOT", "NEAR(", "*", "title:x", "a' OR 1=1; DROP TABLE passages;--", "",
                   "   ", "ü", "x" * 2000, "(", "^term", "-", "foo_bar", "{}[]", "\x00"]


def _vec(*values: float) -> list[float]:
    return list(values)


class EvidenceStoreBaseTests:
    """Behaviour shared by all backends. Override `store`."""

    @pytest.fixture
    def store(self) -> Iterator[EvidenceStore]:
        """A fresh, empty, writable store (override in the backend's test module)."""
        raise NotImplementedError

    @pytest.fixture
    def filled(self, store: EvidenceStore) -> EvidenceStore:
        """The store with the fixture passages, entities and checked claims."""
        store.write_passages(PASSAGES)
        store.write_entities(ENTITIES)
        store.write_checked_claims(CLAIMS)
        return store

    # ------------------------------------------------------------------ writes
    def test_satisfies_protocol(self, store: EvidenceStore) -> None:
        """The fixture's contract: a fresh, empty, writable store whose `uri` reopens the same data."""
        assert isinstance(store, EvidenceStore)
        assert store.stats()["passages"] == 0 and store.get_passages([PASSAGES[0].id]) == []
        assert store.write_passages(PASSAGES[:2]) == 2
        reader = open_store(store.uri, read_only=True)
        try:
            assert reader.get_passages([p.id for p in PASSAGES[:2]]) == PASSAGES[:2]
            assert reader.stats()["passages"] == 2
        finally:
            reader.close()

    def test_passage_writes_are_idempotent(self, store: EvidenceStore) -> None:
        assert store.write_passages(PASSAGES) == len(PASSAGES)
        assert store.write_passages(PASSAGES) == 0
        assert store.write_passages([PASSAGES[0], PASSAGES[0]]) == 0
        assert store.write_passages(iter([])) == 0
        assert store.stats()["passages"] == len(PASSAGES)

    def test_duplicates_within_one_call_count_once(self, store: EvidenceStore) -> None:
        assert store.write_passages([PASSAGES[1], PASSAGES[1], PASSAGES[2]]) == 2

    def test_document_frequencies_count_each_passage_once(self, store: EvidenceStore) -> None:
        store.write_passages(PASSAGES)
        store.write_passages([*PASSAGES, PASSAGES[1], Passage(id="p-strike-2", text="Another drone strike.")])
        picker = store.term_picker  # type: ignore[attr-defined]
        picker.invalidate()
        assert picker.doc_freqs(["strike", "baghdad", "mourners", "zebrafishxyz"]) == {
            "strike": 2, "baghdad": 2, "mourners": 1, "zebrafishxyz": 0}

    def test_get_passages_round_trip_in_order(self, filled: EvidenceStore) -> None:
        got = filled.get_passages(["p-cocoa", "nope", "p-strike"])
        assert got == [PASSAGES[3], PASSAGES[0]]
        assert filled.get_passages([]) == []

    def test_failed_write_leaves_store_unchanged(self, filled: EvidenceStore) -> None:
        def broken() -> Iterator[Passage]:
            yield Passage(id="p-new", text="A new passage that must not survive the failure.")
            raise RuntimeError("loader crashed")

        with pytest.raises(RuntimeError):
            filled.write_passages(broken())
        assert filled.get_passages(["p-new"]) == []
        assert filled.stats()["passages"] == len(PASSAGES)
        assert filled.write_passages([Passage(id="p-new", text="Written after the failure.")]) == 1

    # ------------------------------------------------------------------ upserts and deletes
    def test_changed_passage_replaces_its_text_search_entry_and_vectors(self, filled: EvidenceStore) -> None:
        filled.write_embeddings([("p-strike", _vec(1, 0)), ("p-cocoa", _vec(0, 1))], model="mu")
        filled.search_dense(_vec(1, 0), model="mu", k=1)  # vectors cached: the update must drop them
        before = filled.write_counts
        fixed = PASSAGES[0].model_copy(update={"text": "Correction: Soleimani died in a zebrafishxyz strike."})

        def broken() -> Iterator[Passage]:
            yield fixed
            raise RuntimeError("loader crashed")

        with pytest.raises(RuntimeError):
            filled.write_passages(broken())
        assert filled.get_passages(["p-strike"]) == [PASSAGES[0]] and filled.write_counts == before
        assert filled.write_passages([fixed, PASSAGES[3]]) == 1
        assert filled.write_counts - before == WriteCounts(new=0, updated=1, unchanged=1)
        assert filled.get_passages(["p-strike"]) == [fixed] and filled.stats()["passages"] == len(PASSAGES)
        assert [h.passage.id for h in filled.search_passages("zebrafishxyz", k=3)] == ["p-strike"]
        assert "p-strike" not in [h.passage.id for h in filled.search_passages("International Airport", k=10)]
        picker = filled.term_picker  # type: ignore[attr-defined]
        picker.invalidate()
        assert picker.doc_freqs(["airport", "zebrafishxyz", "soleimani"]) == {
            "airport": 0, "zebrafishxyz": 1, "soleimani": 1}
        assert filled.embedding_count("mu") == 1
        assert [h.passage.id for h in filled.search_dense(_vec(1, 0), model="mu", k=5)] == ["p-cocoa"]
        assert "p-strike" in {p.id for p in filled.passages_missing_embeddings("mu", limit=100)}
        assert filled.write_passages([fixed]) == 0
        assert filled.write_counts - before == WriteCounts(new=0, updated=1, unchanged=2)

    def test_last_of_repeated_ids_wins(self, store: EvidenceStore) -> None:
        first, second = Passage(id="p-x", text="first version"), Passage(id="p-x", text="second version")
        assert store.write_passages([first, second]) == 1
        assert store.get_passages(["p-x"]) == [second]
        assert store.write_counts == WriteCounts(new=1)

    def test_delete_passages_removes_search_entries_and_vectors(self, filled: EvidenceStore) -> None:
        filled.write_embeddings([("p-strike", _vec(1, 0)), ("p-cocoa", _vec(0, 1))], model="md")
        assert filled.search_dense(_vec(1, 0), model="md", k=1)[0].passage.id == "p-strike"
        assert filled.delete_passages(["p-strike", "p-strike", "p-nope"]) == 1
        assert filled.get_passages(["p-strike"]) == [] and filled.stats()["passages"] == len(PASSAGES) - 1
        assert "p-strike" not in [h.passage.id for h in filled.search_passages("Soleimani drone strike", k=10)]
        picker = filled.term_picker  # type: ignore[attr-defined]
        picker.invalidate()
        assert picker.doc_freqs(["soleimani", "airport"]) == {"soleimani": 0, "airport": 0}
        assert filled.embedding_count("md") == 1
        assert [h.passage.id for h in filled.search_dense(_vec(1, 0), model="md", k=5)] == ["p-cocoa"]
        assert filled.delete_passages([]) == 0 and filled.delete_passages(["p-strike"]) == 0
        assert filled.write_passages([PASSAGES[0]]) == 1
        assert filled.search_passages("Soleimani drone strike", k=1)[0].passage.id == "p-strike"

    def test_passage_ids_for_url(self, filled: EvidenceStore) -> None:
        url = "https://example.org/strike"
        filled.write_passages([Passage(id="p-strike-2", text="The second paragraph of the story.", url=url)])
        assert filled.passage_ids_for_url(url) == ["p-strike", "p-strike-2"]
        assert filled.passage_ids_for_url("https://example.org/none") == []
        assert filled.passage_ids_for_url("") == []

    def test_checked_claims_and_entities_upsert(self, store: EvidenceStore) -> None:
        store.write_checked_claims(CLAIMS)
        rerated = CLAIMS[1].model_copy(update={"label": "SUPPORTS", "verdict": Verdict.SUPPORTED})
        reworded = CLAIMS[0].model_copy(update={"claim": "Polar bears thrive in a warming Arctic"})
        assert store.write_checked_claims([rerated, CLAIMS[1], rerated]) == 1
        assert store.write_checked_claims([reworded, rerated]) == 1
        assert store.table_write_counts["checked_claims"] == WriteCounts(new=2, updated=2, unchanged=1)
        assert store.search_checked_claims("sea level rise decelerating", k=1)[0][0] == rerated
        assert store.search_checked_claims("extinction", k=3) == []
        assert store.search_checked_claims("polar bears thrive", k=3)[0][0] == reworded
        assert store.stats()["checked_claims"] == 2
        store.write_entities(ENTITIES)
        store.write_entities([*ENTITIES, ENTITIES[0].model_copy(update={"aliases": ["Haj Qasem"]})])
        assert store.table_write_counts["entities"] == WriteCounts(new=4, updated=1, unchanged=3)
        assert store.write_counts == WriteCounts(new=6, updated=3, unchanged=4)

    def test_meta_keys(self, store: EvidenceStore) -> None:
        assert store.get_meta("checkpoint:x") is None
        store.set_meta("checkpoint:x", '{"records": 5}')
        store.set_meta("checkpoint:x", '{"records": 7}')
        assert store.get_meta("checkpoint:x") == '{"records": 7}'
        store.set_meta("checkpoint:x", None)
        assert store.get_meta("checkpoint:x") is None

    # ------------------------------------------------------------------ lexical search
    def test_search_ranks_the_relevant_passage_first(self, filled: EvidenceStore) -> None:
        hits = filled.search_passages("Was Soleimani killed by a drone strike in Baghdad?", k=3)
        assert hits[0].passage.id == "p-strike"
        assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
        assert all(a.score >= b.score for a, b in itertools.pairwise(hits))

    def test_search_matches_title_and_stems(self, filled: EvidenceStore) -> None:
        assert filled.search_passages("funeral", k=5)[0].passage.id == "p-funeral"
        assert "p-parliament" in [h.passage.id for h in filled.search_passages("parliaments voting", k=5)]

    def test_search_respects_k_and_misses(self, filled: EvidenceStore) -> None:
        assert len(filled.search_passages("Baghdad Iraqi Soleimani cocoa", k=2)) == 2
        assert filled.search_passages("zebrafishxyz", k=5) == []
        assert filled.search_passages("Baghdad", k=0) == []

    @pytest.mark.parametrize("query", HOSTILE_QUERIES)
    def test_search_never_raises_on_odd_input(self, filled: EvidenceStore, query: str) -> None:
        hits = filled.search_passages(query, k=3)
        assert len(hits) <= 3 and {h.passage.id for h in hits} <= {p.id for p in PASSAGES}
        claims = filled.search_checked_claims(query, k=3)
        assert len(claims) <= 3 and all(c in CLAIMS and isinstance(s, float) for c, s in claims)
        assert filled.stats()["passages"] == len(PASSAGES)

    def test_search_filters(self, filled: EvidenceStore) -> None:
        def ids(**kw: object) -> set[str]:
            query = "Soleimani Baghdad parliament mourners cocoa PMF Hezbollah"
            return {h.passage.id for h in filled.search_passages(query, k=20, filters=SearchFilters(**kw))}

        assert ids(date_from="2020-01-04") == {"p-funeral", "p-parliament", "p-month"}
        assert ids(date_to="2020-01-03") == {"p-strike", "p-cocoa"}
        assert ids(date_from="2020", date_to="2020") == {"p-strike", "p-funeral", "p-parliament", "p-month"}
        assert ids(date_from="2020-01-04", date_to="2020-01-04") == {"p-funeral"}
        assert ids(sources=["rudaw"]) == {"p-strike", "p-parliament"}
        assert ids(kinds=["encyclopedia"]) == {"p-funeral", "p-undated"}
        assert ids(kinds=["news"], sources=["reuters"]) == {"p-cocoa"}

    # ------------------------------------------------------------------ entities
    def test_entities_round_trip_and_merge_by_id(self, store: EvidenceStore) -> None:
        assert store.write_entities(ENTITIES) == len(ENTITIES)
        assert store.get_entity("e-qs") == ENTITIES[0]
        assert store.get_entity("missing") is None
        extra = Entity(id="e-qs", name="Qasem Soleimani", aliases=["Haj Qasem"], birth_date="1957-03-11",
                       positions=[Position(title="Commander of the Quds Force", start="1998"),
                                  Position(title="IRGC officer", start="1980")], source="extra")
        assert store.write_entities([extra]) == 0
        merged = store.get_entity("e-qs")
        assert merged is not None
        assert merged.birth_date == "1957-03-11" and merged.death_date == "2020-01-03"
        assert merged.aliases == ["Qâsem Soleymâni", "Qassem Suleimani", "Haj Qasem"]
        assert [p.title for p in merged.positions] == ["Commander of the Quds Force", "IRGC officer"]
        assert [e.id for e in store.find_entities("Haj Qasem")] == ["e-qs"]
        assert store.stats()["entities"] == len(ENTITIES)

    @pytest.mark.parametrize(("name", "expected_first"), [
        ("Qasem Soleimani", "e-qs"), ("QASEM  soleimani", "e-qs"), ("Qasem Soleymani", "e-qs"),
        ("qassem suleimani", "e-qs"), ("Abu Mahdi al Muhandis", "e-amm"), ("Kataib Hezbollah", "e-kh"),
        ("Kata’ib Hezbollah", "e-kh"), ("Soleimani", "e-qs"), ("Qasem Sol", "e-qs"), ("al-Muhandis", "e-amm"),
    ])
    def test_find_entities(self, filled: EvidenceStore, name: str, expected_first: str) -> None:
        found = filled.find_entities(name)
        assert found and found[0].id == expected_first

    def test_find_entities_orders_exact_before_partial_and_misses(self, filled: EvidenceStore) -> None:
        assert [e.id for e in filled.find_entities("Soleimani")] == ["e-qs", "e-hs"]
        assert [e.id for e in filled.find_entities("Hossein Soleimani")] == ["e-hs"]
        assert filled.find_entities("Nobody Atall") == []
        assert filled.find_entities("...") == []
        assert len(filled.find_entities("Soleimani", limit=1)) == 1

    # ------------------------------------------------------------------ checked claims
    def test_checked_claims(self, store: EvidenceStore) -> None:
        assert store.write_checked_claims(CLAIMS) == 2
        assert store.write_checked_claims(CLAIMS) == 0
        (claim, score), *_ = store.search_checked_claims("is the sea level rise slowing down or decelerating", k=2)
        assert claim == CLAIMS[1] and score > 0
        assert store.search_checked_claims("polar bear", k=1)[0][0].verdict is Verdict.SUPPORTED
        assert store.stats()["checked_claims"] == 2

    # ------------------------------------------------------------------ dense
    def test_dense_search(self, filled: EvidenceStore) -> None:
        vectors = {"p-strike": _vec(1, 0, 0), "p-funeral": _vec(0.8, 0.6, 0), "p-cocoa": _vec(0, 0, 3)}
        assert filled.write_embeddings(vectors.items(), model="m1") == 3
        assert filled.write_embeddings(vectors.items(), model="m1") == 0
        hits = filled.search_dense(_vec(2, 0.1, 0), model="m1", k=2)
        assert [h.passage.id for h in hits] == ["p-strike", "p-funeral"]
        assert hits[0].score == pytest.approx(2 / np.linalg.norm([2, 0.1]), abs=1e-5)
        assert filled.search_dense(_vec(0, 0, 1), model="m1", k=1)[0].score == pytest.approx(1.0, abs=1e-6)
        assert filled.search_dense(_vec(1, 0, 0), model="other", k=3) == []
        news = filled.search_dense(_vec(1, 0, 0), model="m1", k=3, filters=SearchFilters(kinds=["news"]))
        assert [h.passage.id for h in news] == ["p-strike", "p-cocoa"]
        assert filled.stats()["embeddings"] == 3

    def test_dense_cache_sees_new_vectors_and_missing_list_shrinks(self, filled: EvidenceStore) -> None:
        missing = filled.passages_missing_embeddings("m2", limit=100)
        assert {p.id for p in missing} == {p.id for p in PASSAGES}
        filled.write_embeddings([("p-cocoa", _vec(0, 1))], model="m2")
        assert filled.search_dense(_vec(1, 0), model="m2", k=5)[0].passage.id == "p-cocoa"
        filled.write_embeddings([("p-strike", _vec(1, 0))], model="m2")
        assert filled.search_dense(_vec(1, 0), model="m2", k=5)[0].passage.id == "p-strike"
        assert len(filled.passages_missing_embeddings("m2", limit=100)) == len(PASSAGES) - 2
        assert len(filled.passages_missing_embeddings("m2", limit=1)) == 1

    def test_iter_embeddings_pages_every_vector_and_counts_them(self, filled: EvidenceStore) -> None:
        assert filled.embedding_count("m3") == 0 and list(filled.iter_embeddings("m3")) == []
        vectors = {p.id: _vec(i + 1.0, 1.0, -i) for i, p in enumerate(PASSAGES)}
        assert filled.write_embeddings(list(vectors.items())[:4], model="m3") == 4
        filled.write_embeddings([("p-strike", _vec(0, 1, 0))], model="other")
        assert filled.embedding_count("m3") == 4
        assert filled.write_embeddings(vectors.items(), model="m3") == 2
        assert filled.write_embeddings(vectors.items(), model="m3") == 0
        assert filled.embedding_count("m3") == len(PASSAGES) and filled.embedding_count("other") == 1
        batches = list(filled.iter_embeddings("m3", batch_size=4))
        assert [len(ids) for ids, _ in batches] == [4, 2]
        ids = [pid for batch_ids, _ in batches for pid in batch_ids]
        assert ids == sorted(vectors)
        matrix = np.vstack([m for _, m in batches])
        assert matrix.dtype == np.float32 and matrix.shape == (len(PASSAGES), 3)
        for pid, row in zip(ids, matrix, strict=True):
            assert np.allclose(row, np.asarray(vectors[pid]) / np.linalg.norm(vectors[pid]), atol=1e-6)

    def test_ann_index_follows_the_store(self, filled: EvidenceStore, tmp_path: Path) -> None:
        pytest.importorskip("usearch")
        from newsproof.evidence.ann import AnnIndex

        rng = np.random.default_rng(0)
        vectors = rng.normal(size=(len(PASSAGES), 8)).astype(np.float32)
        filled.write_embeddings(zip([p.id for p in PASSAGES[:4]], vectors[:4], strict=False), model="ann")
        ann = AnnIndex(tmp_path / "store.ann.usearch", 8)
        assert ann.sync(filled, "ann") == 4 and ann.sync(filled, "ann") == 0
        filled.write_embeddings(zip([p.id for p in PASSAGES[4:]], vectors[4:], strict=False), model="ann")
        assert ann.sync(filled, "ann") == len(PASSAGES) - 4 and len(ann) == filled.embedding_count("ann")
        assert ann.search(vectors[5], 1)[0][0] == PASSAGES[5].id
        ann.add(["p-gone"], vectors[:1])  # an id the store does not hold: the next sync rebuilds
        assert ann.sync(filled, "ann") == len(PASSAGES) and "p-gone" not in ann.known_
        assert filled.get_passages([pid for pid, _ in ann.search(vectors[0], 3)])

    # ------------------------------------------------------------------ stats, concurrency, read-only
    def test_stats_counts_every_table(self, filled: EvidenceStore) -> None:
        stats = filled.stats()
        assert {k: stats[k] for k in ("passages", "entities", "checked_claims")} == {
            "passages": len(PASSAGES), "entities": len(ENTITIES), "checked_claims": len(CLAIMS)}

    def test_reader_sees_old_state_during_a_write(self, filled: EvidenceStore) -> None:
        started, release = threading.Event(), threading.Event()

        def slow_records() -> Iterator[Passage]:
            yield Passage(id="p-slow-1", text="first record of a slow write")
            started.set()
            release.wait(10)
            yield Passage(id="p-slow-2", text="second record of a slow write")

        writer = threading.Thread(target=filled.write_passages, args=(slow_records(),))
        writer.start()
        reader = open_store(filled.uri, read_only=True)
        try:
            assert started.wait(10)
            assert reader.stats()["passages"] == len(PASSAGES)
            assert reader.search_passages("Soleimani", k=1)[0].passage.id == "p-strike"
            release.set()
            writer.join(10)
            assert reader.stats()["passages"] == len(PASSAGES) + 2
        finally:
            release.set()
            reader.close()

    def test_read_only_store_refuses_writes(self, filled: EvidenceStore) -> None:
        reader = open_store(filled.uri, read_only=True)
        try:
            with pytest.raises(StoreError):
                reader.write_passages([Passage(id="p-ro", text="must not be written")])
            assert reader.get_passages(["p-strike"]) == [PASSAGES[0]]
        finally:
            reader.close()
        assert filled.get_passages(["p-ro"]) == []

    # ------------------------------------------------------------------ real (bundled) data
    def test_lexical_search_finds_by_rare_terms_and_ranks_by_all(self, store: EvidenceStore) -> None:
        path = next(p for p in bundle_files() if p.name == "kb.passages.jsonl.gz")
        store.write_passages(itertools.islice(load_file(path), 3000))
        query = "Syria deaths governorate Anbar Qaim Kirkuk zebrafishxyz"
        picker = store.term_picker  # type: ignore[attr-defined]
        picker.budget = 10_000  # a small store: every term fits (backends default to different budgets)
        assert picker.pick(query).core == query_tokens(query)
        everything = store.search_passages(query, k=3000)
        picker.budget = 100  # Syrian conflict events: "syria", "deaths", "governorate" are in nearly all
        picker.invalidate()
        terms = picker.pick(query)
        assert terms.core == ["anbar", "qaim", "kirkuk", "zebrafishxyz"]
        assert terms.extra == ["syria", "deaths", "governorate"]
        hits = store.search_passages(query, k=5)
        assert len(hits) >= 2 and all({"anbar", "qaim", "kirkuk"} & set(query_tokens(h.passage.text)) for h in hits)
        # exactly the ranking by all terms, among the passages holding a core term
        same = [h for h in everything if {"anbar", "qaim", "kirkuk"} & set(query_tokens(h.passage.text))][:5]
        assert [round(h.score, 4) for h in hits] == [round(h.score, 4) for h in same]
        picker.common = 2500  # terms in more passages than this are left out
        picker.invalidate()
        assert picker.pick(query).extra == []
        reader = open_store(store.uri, read_only=True)
        try:
            reader.term_picker.budget = 100  # type: ignore[attr-defined]
            assert "zebrafishxyz" in reader.term_picker.pick(query).core  # type: ignore[attr-defined]
            store.write_passages([Passage(id="p-zebra", text="Zebrafishxyz were seen in the Euphrates in Syria.")])
            # the reader's cached frequency (0) is stale, yet the term is kept and now matches
            assert "p-zebra" in [h.passage.id for h in reader.search_passages(query, k=10)]
        finally:
            reader.close()

    def test_bundled_conflict_events_subset(self, store: EvidenceStore) -> None:
        path = next(p for p in bundle_files() if p.name == "kb.passages.jsonl.gz")
        records = list(itertools.islice(load_file(path), 3000))
        assert store.write_passages(records) == 3000
        hits = store.search_passages("shelling Aleppo civilians killed", k=5,
                                     filters=SearchFilters(date_from="2016-01-01", date_to="2016-12", kinds=["kb"]))
        assert len(hits) == 5
        assert all("2016-01-01" <= (h.passage.date or "") <= "2016-12-31" for h in hits)
        assert any("aleppo" in h.passage.text.lower() for h in hits)
