"""Machine-generated text detection: `get_detector(name).score(text) -> DetectionResult`."""

from __future__ import annotations

from typing import Any

from newsproof.detect.base import Detector
from newsproof.registry import Registry

DEFAULT_DETECTOR = "newsproof.features+minilm.v3"


def _features(config: dict[str, Any]) -> Detector:
    from newsproof.detect.feature_detector import FeatureDetector

    return FeatureDetector(artifact=config.get("artifact"), config=config)


def _features_minilm(config: dict[str, Any]) -> Detector:
    from newsproof.detect.feature_detector import WINDOW_ARTIFACT, FeatureDetector

    return FeatureDetector(artifact=config.get("artifact") or WINDOW_ARTIFACT, config=config,
                           name="newsproof.features+minilm.v3")


def _features_minilm_smollm(config: dict[str, Any]) -> Detector:
    from newsproof.detect.feature_detector import LM_ARTIFACT, FeatureDetector

    return FeatureDetector(artifact=config.get("artifact") or LM_ARTIFACT, config=config,
                           name="newsproof.features+minilm+smollm.v4")


def _binoculars(config: dict[str, Any]) -> Detector:
    from newsproof.detect.binoculars import BinocularsDetector

    return BinocularsDetector.from_config(config)


def _fast_detectgpt(config: dict[str, Any]) -> Detector:
    from newsproof.detect.binoculars import BinocularsDetector

    return BinocularsDetector.from_config(config, criterion="fast-detectgpt")


DETECTORS: Registry[Detector] = Registry("detector", extra_choices=("default",))
DETECTORS.register("newsproof.features.v2", _features)
DETECTORS.register("newsproof.features+minilm.v3", _features_minilm)
DETECTORS.register("newsproof.features+minilm+smollm.v4", _features_minilm_smollm)
DETECTORS.register("newsproof.binoculars.v1", _binoculars)
DETECTORS.register("newsproof.fast-detectgpt.v1", _fast_detectgpt)


def get_detector(name: str = "default", config: dict[str, Any] | None = None) -> Detector:
    """A detector by registry name; 'default' is the `detector` key of `config` (the `detect` section), else
    DEFAULT_DETECTOR."""
    if config is None:
        from newsproof.config import load_config

        config = load_config().get("detect", {})
    key = (config.get("detector") or DEFAULT_DETECTOR) if name == "default" else name
    if key not in DETECTORS:
        raise DETECTORS.unknown(name)
    return DETECTORS[key](config)


__all__ = ["DETECTORS", "Detector", "get_detector"]
