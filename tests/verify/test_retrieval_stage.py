"""The one retrieval stage behind `check`'s textual checks: hybrid when the store has vectors."""

from __future__ import annotations

import pytest

from newsproof.errors import ConfigError
from newsproof.evidence import open_store
from newsproof.evidence.embed import get_embedder
from newsproof.evidence.hybrid import embed_store
from newsproof.evidence.retrieval import Retriever, build_retriever
from newsproof.models import Passage

PASSAGES = [Passage(id="p1", text="Iranian general Qasem Soleimani was killed in a US drone strike in Baghdad.",
                    source="t", kind="news"),
            Passage(id="p2", text="Cocoa arrivals in Bahia rose after showers ended the drought.", source="t",
                    kind="news"),
            Passage(id="p3", text="The central bank left interest rates unchanged on Thursday.", source="t",
                    kind="news")]


@pytest.fixture()
def store(tmp_path):
    opened = open_store(str(tmp_path / "s.sqlite"))
    opened.write_passages(PASSAGES)
    yield opened
    opened.close()


def test_a_store_without_vectors_is_searched_by_bm25(store):
    retriever = Retriever(store, mode="hybrid", embedder="minilm-static")
    hits = retriever.search("drone strike Baghdad", k=2)
    assert retriever.mode_ == "bm25" and hits[0].passage.id == "p1"


def test_a_store_with_vectors_is_searched_hybrid(store):
    embed_store(store, get_embedder("minilm-static"), progress=False)
    retriever = build_retriever(store, {"retrieval": "hybrid", "embedder": "minilm-static"})
    (hits,) = retriever.search_many(["a military commander died in an air attack in Iraq"], k=3)
    assert retriever.mode_ == "hybrid" and hits[0].passage.id == "p1"
    assert "dense" in hits[0].scores or "bm25" in hits[0].scores


def test_an_unknown_method_is_a_config_error(store):
    with pytest.raises(ConfigError, match="verify.retrieval"):
        Retriever(store, mode="psychic")
