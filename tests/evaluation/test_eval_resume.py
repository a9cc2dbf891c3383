"""A killed `eval` run resumes: reports already made are replayed, not checked again."""

from __future__ import annotations

import contextlib
import datetime as dt

from newsproof.evaluation import runner
from newsproof.evaluation.runner import checkpoint_path, run_articles

ARTICLE = (b"Iraqi paramilitary commander Abu Mahdi al-Muhandis was killed in a US drone strike at Baghdad "
           b"International Airport on 3 January 2020, Iraqi officials said.")
ITEMS = [(f"a{i}", ARTICLE, "text", dt.date(2020, 1, 4)) for i in range(3)]


class Killed(Exception):
    pass


def test_a_killed_run_resumes_from_its_checkpoint(checker, monkeypatch, tmp_path):
    from newsproof.evidence import open_store
    from newsproof.pipeline import Checker

    store_uri = checker.evidence_store().uri  # the bundled base, built by the session fixture
    monkeypatch.setenv("NEWSPROOF_HOME", str(tmp_path))
    first: list[str] = []

    def die_after_two(ident, report):
        first.append(ident)
        if len(first) == 2:
            raise Killed

    with contextlib.suppress(Killed):
        run_articles(iter(ITEMS), 3, store=open_store(store_uri, read_only=True), progress=False,
                     on_report=die_after_two, run_key="t")
    checkpoint = checkpoint_path("t", None, store_uri)
    assert len(checkpoint.read_text().splitlines()) == 2
    with checkpoint.open("a") as handle:
        handle.write('{"id": "a2", "report": {"torn')  # a kill in the middle of a write

    checked: list[str] = []
    original = Checker.check_bytes

    def counting(self, data, **kwargs):
        checked.append("x")
        return original(self, data, **kwargs)

    monkeypatch.setattr(Checker, "check_bytes", counting)
    seen: dict[str, int] = {}
    run_articles(iter(ITEMS), 3, store=open_store(store_uri, read_only=True), progress=False,
                 on_report=lambda ident, report: seen.setdefault(ident, len(report.claims)), run_key="t")
    assert len(checked) == 1, "only the article the kill interrupted is checked again"
    assert sorted(seen) == ["a0", "a1", "a2"] and len(set(seen.values())) == 1
    assert not checkpoint.exists(), "a finished run removes its checkpoint"


def test_the_engine_fingerprint_covers_the_source():
    assert len(runner.engine_fingerprint()) == 64
