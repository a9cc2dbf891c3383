"""Hybrid retrieval and incremental embedding on a real SQLite store filled with shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsproof.evaluation.retrieval import distractor_passages, load_eval_set, score_run
from newsproof.evidence import open_store
from newsproof.evidence.embed import get_embedder
from newsproof.evidence.hybrid import HybridRetriever, embed_store, rrf_fuse
from newsproof.evidence.protocol import Hit, SearchFilters
from newsproof.models import Passage
from newsproof.paths import shared_data_dir

DATA = shared_data_dir()
pytestmark = pytest.mark.skipif(DATA is None, reason="shared data not available")


@pytest.fixture(scope="module")
def climate(tmp_path_factory: pytest.TempPathFactory):
    """A store with the gold evidence of 80 Climate-FEVER claims and 400 news distractors, embedded."""
    eval_set = load_eval_set(DATA / "claims" / "climate_fever" / "data.jsonl", limit=80)
    store = open_store(str(tmp_path_factory.mktemp("hybrid") / "store.sqlite"))
    store.write_passages(eval_set.passages)
    store.write_passages(distractor_passages(400, DATA))
    embedder = get_embedder("minilm-static")
    embedded = embed_store(store, embedder, batch_size=128, progress=False)
    yield store, embedder, eval_set, embedded
    store.close()


def test_embed_store_is_incremental(climate, tmp_path: Path) -> None:
    store, embedder, eval_set, embedded = climate
    assert embedded == store.stats()["passages"] == len(eval_set.passages) + 400
    assert embed_store(store, embedder, progress=False) == 0  # nothing left: a rerun adds nothing
    fresh = open_store(str(tmp_path / "resume.sqlite"))
    fresh.write_passages(eval_set.passages[:50])
    assert embed_store(fresh, embedder, progress=False) == 50
    fresh.write_passages(eval_set.passages)  # more data arrives: only the new passages are embedded
    assert embed_store(fresh, embedder, progress=False) == len(eval_set.passages) - 50
    fresh.close()


def test_hybrid_finds_gold_evidence(climate) -> None:
    store, embedder, eval_set, _ = climate
    retriever = HybridRetriever(store, embedder)
    hits = retriever.search("Global warming is driving polar bears toward extinction", k=10)
    assert len(hits) == 10 and [h.rank for h in hits] == list(range(1, 11))
    assert any("polar bear" in h.passage.text.lower() for h in hits[:3])
    assert all("rrf" in h.scores and ({"bm25", "dense"} & set(h.scores)) for h in hits)
    runs = [retriever.search(q, k=10) for q in eval_set.queries]
    lexical = [retriever.lexical(q, 10) for q in eval_set.queries]
    hybrid, bm25 = score_run(runs, eval_set.gold), score_run(lexical, eval_set.gold)
    assert hybrid["recall@10"] > 0.3 and hybrid["mrr"] > 0.4
    assert hybrid["recall@10"] >= bm25["recall@10"] - 0.05


def test_filters_pass_through(climate) -> None:
    store, embedder, _, _ = climate
    retriever = HybridRetriever(store, embedder)
    news = retriever.search("attack killed people", k=10, filters=SearchFilters(kinds=("news",)))
    assert news and all(h.passage.kind == "news" for h in news)
    dated = retriever.search("attack killed people", k=10, filters=SearchFilters(date_from="2020-06-01", date_to="2021-01"))
    assert dated and all(h.passage.date and "2020-06-01" <= h.passage.date <= "2021-01-31" for h in dated)
    assert {h.passage.source for h in retriever.search("oil prices", k=5, filters=SearchFilters(sources=("Reuters",)))} == {
        "Reuters"}


def test_mmr_drops_near_duplicates(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "mmr.sqlite"))
    base = "Arctic sea ice reached its lowest extent on record in September, scientists said."
    store.write_passages([Passage(id=f"dup{i}", text=base + " " * i + "." * i) for i in range(4)] + [
        Passage(id="other", text="Polar bears rely on Arctic sea ice to hunt seals, and the ice is shrinking."),
        Passage(id="far", text="The football club signed a new striker for the season.")])
    embedder = get_embedder("minilm-static")
    embed_store(store, embedder, progress=False)
    plain = [h.passage.id for h in HybridRetriever(store, embedder).search("Arctic sea ice record low", k=3)]
    diverse = [h.passage.id for h in HybridRetriever(store, embedder, mmr_lambda=0.5).search("Arctic sea ice record low", k=3)]
    assert sum(pid.startswith("dup") for pid in plain) == 3
    assert "other" in diverse and sum(pid.startswith("dup") for pid in diverse) < 3
    store.close()


def test_rrf_fuse_order_and_weights() -> None:
    def hits(*ids: str) -> list[Hit]:
        return [Hit(passage=Passage(id=i, text=i), score=1.0) for i in ids]

    fused = rrf_fuse({"bm25": hits("a", "b", "c"), "dense": hits("c", "d")}, rrf_k=60)
    assert [h.passage.id for h in fused] == ["c", "a", "b", "d"]
    assert fused[0].score == pytest.approx(1 / 63 + 1 / 61)
    weighted = rrf_fuse({"bm25": hits("a", "b"), "dense": hits("b", "a")}, rrf_k=60, weights={"bm25": 2.0})
    assert [h.passage.id for h in weighted] == ["a", "b"]


def test_ann_index_matches_exact_search(climate, tmp_path: Path) -> None:
    pytest.importorskip("usearch")
    from newsproof.evidence.ann import AnnIndex

    _, embedder, eval_set, _ = climate
    store = open_store(str(tmp_path / "ann.sqlite"))
    store.write_passages(eval_set.passages)
    store.write_passages(distractor_passages(400, DATA))
    ann = AnnIndex(tmp_path / "ann.usearch", embedder.dim)
    assert embed_store(store, embedder, batch_size=200, progress=False, ann=ann) == len(ann)
    exact, approx = HybridRetriever(store, embedder), HybridRetriever(store, embedder, ann=AnnIndex(ann.path, embedder.dim))
    overlap = [len({h.passage.id for h in exact.dense(q, 10)} & {h.passage.id for h in approx.dense(q, 10)}) / 10
               for q in eval_set.queries[:40]]
    assert sum(overlap) / len(overlap) > 0.9  # reloaded from disk, close to brute force
    news = approx.search("attack killed people", k=5, filters=SearchFilters(kinds=("news",)))
    assert news and all(h.passage.kind == "news" for h in news)
    assert ann.add([eval_set.passages[0].id], embedder.encode([eval_set.passages[0].text])) == 0  # ids are unique
    store.close()


def test_retriever_uses_the_stores_ann_index_and_keeps_it_in_step(climate, tmp_path: Path) -> None:
    pytest.importorskip("usearch")
    from newsproof.evidence.ann import AnnIndex, ann_path, open_ann

    _, embedder, eval_set, _ = climate
    path = tmp_path / "auto.sqlite"
    store = open_store(str(path))
    store.write_passages(eval_set.passages[:200])
    assert embed_store(store, embedder, progress=False) == 200
    assert not ann_path(store, embedder.name).exists()  # small store: no index is made by default
    assert HybridRetriever(store, embedder).ann_index() is None
    ann = open_ann(store, embedder.name, embedder.dim, create=True)  # what embed_store does past ANN_MIN_VECTORS
    assert ann is not None and len(ann) == 200 and ann.path == ann_path(store, embedder.name)
    store.write_passages(eval_set.passages[200:300])
    assert embed_store(store, embedder, progress=False) == 100  # "auto" extends the index that exists
    assert len(AnnIndex(ann.path, embedder.dim)) == 300

    retriever = HybridRetriever(store, embedder)
    assert retriever.ann_index() is not None
    query = eval_set.queries[0]
    exact = {h.passage.id for h in HybridRetriever(store, embedder, ann=None).dense(query, 10)}
    assert len({h.passage.id for h in retriever.dense(query, 10)} & exact) >= 8  # int8 HNSW: near-exact
    late = Passage(id="late", text=query)  # vectors written behind the index's back are caught up
    store.write_passages([late])
    store.write_embeddings([("late", embedder.encode([query])[0])], embedder.name)
    assert retriever.dense(query, 1)[0].passage.id == "late"
    assert len(AnnIndex(ann.path, embedder.dim)) == 301 == store.embedding_count(embedder.name)
    store.close()

    path.unlink()  # a rebuilt store under the same name: the stale index is rebuilt, never trusted
    rebuilt = open_store(str(path))
    rebuilt.write_passages(eval_set.passages[300:350])
    embed_store(rebuilt, embedder, progress=False)
    hits = HybridRetriever(rebuilt, embedder).dense(query, 10)
    assert len(AnnIndex(ann.path, embedder.dim)) == 50 and len(hits) == 10
    assert {h.passage.id for h in hits} <= {p.id for p in eval_set.passages[300:350]}
    filtered = HybridRetriever(rebuilt, embedder).dense(query, 5, filters=SearchFilters(kinds=("news",)))
    assert filtered == []  # the ANN finds no news passage; the exact fallback confirms there is none
    rebuilt.close()
