"""Whole-article evaluation: the splice benchmark and real-article controls (kept apart from run-time code)."""
