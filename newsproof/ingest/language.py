"""Language identification with py3langid, weighted over paragraphs so mixed text is judged fairly."""

from __future__ import annotations

import threading
from collections import Counter

from py3langid.langid import classify as _classify

from newsproof.errors import Errors, InputError

MIN_CHARS = 40  # shorter paragraphs are too short to identify reliably
_SAMPLE_CHARS = 20000
_FIRST_LOAD = threading.Lock()
_loaded = False


def classify(text: str) -> tuple[str, float]:
    """py3langid's `classify`, with its lazy model load done once: its loader is not thread-safe, so
    threads that identify their first texts together (e.g. `newsproof update` workers) would each load it."""
    global _loaded
    if not _loaded:
        with _FIRST_LOAD:
            result = _classify(text)
            _loaded = True
            return result
    return _classify(text)


def language_shares(paragraphs: list[str]) -> Counter[str]:
    """Share of characters per detected language, over paragraphs long enough to judge."""
    counts: Counter[str] = Counter()
    budget = _SAMPLE_CHARS
    for paragraph in paragraphs:
        if len(paragraph) < MIN_CHARS or budget <= 0:
            continue
        lang, _prob = classify(paragraph[:budget])
        counts[lang] += min(len(paragraph), budget)
        budget -= len(paragraph)
    total = sum(counts.values())
    return Counter({lang: n / total for lang, n in counts.items()}) if total else counts


def check_language(paragraphs: list[str], accepted: list[str]) -> str:
    """Return the main accepted language, or raise E105 when accepted languages hold under half the text."""
    shares = language_shares(paragraphs)
    if not shares:
        joined = " ".join(paragraphs[:2000])[:_SAMPLE_CHARS]  # bounded: 1 M tiny paragraphs must stay cheap
        if len(joined) < MIN_CHARS:
            return accepted[0] if accepted else "en"
        shares = Counter({str(classify(joined)[0]): 1.0})
    if sum(shares.get(lang, 0.0) for lang in accepted) >= 0.5:
        return next(lang for lang, _ in shares.most_common() if lang in accepted)
    raise InputError(Errors.E105.format(lang=shares.most_common(1)[0][0]), code="E105")
