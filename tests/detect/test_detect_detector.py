"""The shipped default detector on real held-out articles."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from newsproof.detect import DEFAULT_DETECTOR, DETECTORS, get_detector
from newsproof.detect.feature_detector import FeatureDetector
from newsproof.detect.text import paragraphs
from newsproof.detect.train.data import Corpus
from newsproof.errors import ConfigError, InputError
from newsproof.models import DetectionResult

GERMAN = (
    "Die Bundesregierung hat am Dienstag ein neues Gesetz zur Förderung erneuerbarer Energien beschlossen. "
    "Nach Angaben des Wirtschaftsministeriums sollen bis zum Jahr 2030 mindestens achtzig Prozent des Stroms "
    "aus Wind und Sonne stammen. Kritiker bemängeln, dass der Ausbau der Netze nicht schnell genug vorankommt."
)


SHIPPED = ("newsproof.features.v2", "newsproof.features+minilm.v3", "newsproof.features+minilm+smollm.v4")


@pytest.fixture(scope="module", params=SHIPPED)
def detector(request: pytest.FixtureRequest) -> FeatureDetector:
    det = get_detector(request.param, {})
    if not det.artifact.is_file():
        pytest.skip("detector artifact not built")
    if request.param.endswith("smollm.v4"):
        from newsproof.detect.binoculars import packaged_model

        if packaged_model() is None or importlib.util.find_spec("torch") is None:
            pytest.skip("v4 reads SmolLM2, installed by the torch extra")
    det.warm_up()
    return det


def test_registry_names_and_unknown_name() -> None:
    assert {*SHIPPED, "newsproof.binoculars.v1"} <= set(DETECTORS)
    assert get_detector("default", {}).name == DEFAULT_DETECTOR == "newsproof.features+minilm.v3"
    assert get_detector("default", {"detector": "newsproof.features.v2"}).name == "newsproof.features.v2"
    with pytest.raises(ConfigError, match="valid choices"):
        get_detector("no.such.detector")


def test_real_articles_scored_in_the_right_direction(detector: FeatureDetector, long_dev: Corpus) -> None:
    human = [t for t, y in zip(long_dev.texts, long_dev.labels, strict=True) if y == 0][:15]
    machine = [t for t, y in zip(long_dev.texts, long_dev.labels, strict=True) if y == 1][:15]
    h, m = detector.score(human[0]), detector.score(machine[0])
    for res in (h, m):
        assert isinstance(res, DetectionResult) and res.detector == detector.name
        assert res.probability is not None and res.signals and res.paragraph_scores and res.reason
        assert all(s.description and np.isfinite(s.value) for s in res.signals)
        contributions = [abs(s.contribution) for s in res.signals]
        assert contributions == sorted(contributions, reverse=True)
    assert h.probability < 0.5 < m.probability
    assert h.label == "human" and m.label == "machine"
    # beyond one pair: the held-out classes separate on average
    assert detector.probabilities(human).mean() + 0.4 < detector.probabilities(machine).mean()


def test_paragraph_scores_follow_paragraphs(detector: FeatureDetector, long_dev: Corpus) -> None:
    """A held-out human article followed by a machine one: one score per paragraph, in order, and the
    machine part scores higher than the human part in every pair (by 0.4 on average)."""
    human = [t for t, y in zip(long_dev.texts, long_dev.labels, strict=True) if y == 0][:5]
    machine = [t for t, y in zip(long_dev.texts, long_dev.labels, strict=True) if y == 1][:5]
    gaps = []
    for h, m in zip(human, machine, strict=True):
        res = detector.score(h + "\n\n" + m)
        split = len(paragraphs(h))
        assert len(res.paragraph_scores) == split + len(paragraphs(m))
        assert all(0.0 <= p <= 1.0 for p in res.paragraph_scores)
        human_part, machine_part = res.paragraph_scores[:split], res.paragraph_scores[split:]
        gaps.append(float(np.mean(machine_part) - np.mean(human_part)))
    assert min(gaps) > 0 and np.mean(gaps) > 0.4, gaps


def test_short_text_is_uncertain_without_a_score(detector: FeatureDetector, long_dev: Corpus) -> None:
    short = " ".join(long_dev.texts[0].split()[:40])
    res = detector.score(short)
    assert res.label == "uncertain" and res.probability is None
    assert "40 words" in res.reason and "80" in res.reason


def test_non_english_is_refused(detector: FeatureDetector) -> None:
    with pytest.raises(InputError, match="not in English"):
        detector.score(GERMAN * 2)


def test_artifact_is_small_and_versioned(detector: FeatureDetector) -> None:
    meta = detector.metadata()
    assert detector.artifact.stat().st_size <= 10_000_000
    assert meta["feature_version"] == detector.model_.feature_version
    assert meta["dev_metrics"]["auroc"] > 0.9


def test_window_member_moves_the_probability(long_dev: Corpus) -> None:
    """In v3 the MiniLM member is part of the score: mixed in with a positive weight, and shown as a signal."""
    from newsproof.detect.windows import SIGNAL

    det = get_detector("newsproof.features+minilm.v3", {})
    if not det.artifact.is_file():
        pytest.skip("detector artifact not built")
    det.warm_up()
    model = det.model_
    assert model is not None and model.blender is not None and det.scorer_ is not None
    assert (model.blender.coef_ > 0).all()
    texts = long_dev.texts[:40]
    mixed = det.probabilities(texts)
    alone = model.predict_proba(texts, det.extractor_)  # the stack without its member
    assert np.abs(mixed - alone).mean() > 0.02
    signals = {s.name for text in texts[:10] for s in det.score(text).signals}
    assert SIGNAL in signals


def test_smollm_statistics_drive_v4(long_dev: Corpus) -> None:
    """v4 reads SmolLM2 statistics as classifier columns: they show among the top signals of real articles
    and move the probability when set to their training medians."""
    from newsproof.detect.binoculars import packaged_model
    from newsproof.detect.lm_columns import COLUMNS

    det = get_detector("newsproof.features+minilm+smollm.v4", {})
    if not det.artifact.is_file() or packaged_model() is None or importlib.util.find_spec("torch") is None:
        pytest.skip("v4 reads SmolLM2, installed by the torch extra")
    det.warm_up()
    assert det.model_ is not None and det.model_.column_names[-len(COLUMNS):] == COLUMNS
    signals = [s for text in long_dev.texts[:8] for s in det.score(text).signals if s.name in COLUMNS]
    assert signals and max(abs(s.contribution) for s in signals) > 0.02
