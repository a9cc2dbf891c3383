"""The splice benchmark: articles built from real facts, some with one fact spliced, run through `check`."""

from newsproof.evaluation.splices.cases import SPLITS, TYPES, Case, split_of
from newsproof.evaluation.splices.generate import generate
from newsproof.evaluation.splices.render import FORMATS

__all__ = ["FORMATS", "SPLITS", "TYPES", "Case", "generate", "split_of"]
