"""Output safety without models: refusing to overwrite, the .partial file, torn tails, input order."""

from __future__ import annotations

import pytest

from newsproof.batch import run_batch
from newsproof.batch.output import done_ids, partial_path, plan_output, repair_tail
from newsproof.batch.runner import InputOrder
from newsproof.errors import ConfigError

A = '{"id": "a", "report": {}}\n'
B = '{"id": "b", "error": {"code": "NP101", "message": "x"}}\n'


def test_done_ids_cuts_only_a_torn_last_line(tmp_path):
    out = tmp_path / "results.jsonl"
    out.write_text(A + B + '{"id": "c", "rep')
    assert done_ids(out) == {"a", "b"}
    assert out.read_text() == A + B
    assert done_ids(tmp_path / "missing.jsonl") == set()


def test_a_complete_last_record_without_newline_is_kept(tmp_path):
    out = tmp_path / "results.jsonl"
    out.write_text(A.rstrip("\n"))  # one whole record, no newline: the old code emptied this file
    assert done_ids(out) == {"a"}
    assert out.read_text() == A
    out.write_text(A + B.rstrip("\n"))
    repair_tail(out)
    assert out.read_text() == A + B


def test_a_single_torn_line_is_dropped_and_nothing_else(tmp_path):
    out = tmp_path / "results.jsonl"
    out.write_text('{"id": "a", "rep')
    assert done_ids(out) == set() and out.read_text() == ""
    long_line = '{"id": "big", "report": {"text": "' + "x" * 200_000 + '"}}\n'  # spans several read blocks
    out.write_text(A + long_line + '{"id": "torn", "report": {"text": "' + "y" * 150_000)
    assert done_ids(out) == {"a", "big"}
    assert out.read_text() == A + long_line


def test_resume_refuses_a_file_that_is_not_batch_output(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\nsecond line\nno newline at the end")
    with pytest.raises(ConfigError, match="not a newsproof batch result"):
        done_ids(notes)


def test_existing_outputs_are_refused_without_overwrite(tmp_path):
    out = tmp_path / "results.jsonl"
    out.write_text(A)
    with pytest.raises(ConfigError, match="already exists") as refused:
        plan_output(out)
    assert refused.value.exit_code == 2 and "\n" not in str(refused.value)
    assert out.read_text() == A, "untouched"
    target = plan_output(out, overwrite=True)
    assert (target.working, target.append) == (partial_path(out), False), "the old output stays until the end"
    assert plan_output(out, resume=True).working == out
    with pytest.raises(ConfigError, match="exclude each other"):
        plan_output(out, resume=True, overwrite=True)


def test_a_killed_run_leaves_a_partial_that_resume_continues(tmp_path):
    out = tmp_path / "results.jsonl"
    partial_path(out).write_text(A + '{"id": "b", "er')  # killed mid-line
    with pytest.raises(ConfigError, match="unfinished output"):
        plan_output(out)
    target = plan_output(out, resume=True)
    assert (target.working, target.append) == (partial_path(out), True)
    assert done_ids(target.working) == {"a"}
    with target.open() as handle:
        handle.write(B)
        target.finish(handle)
    assert out.read_text() == A + B and not partial_path(out).exists()


def test_run_batch_refuses_before_any_work(tmp_path):
    out, summary, reports = tmp_path / "out.jsonl", tmp_path / "summary.html", tmp_path / "reports"
    article = tmp_path / "a.txt"
    article.write_text("text")
    for existing, kwargs in ((out, {}), (summary, {"summary_html": summary}), (reports / "x.html", {"reports": reports})):
        existing.parent.mkdir(exist_ok=True)
        existing.write_text("keep me")
        with pytest.raises(ConfigError, match="refusing to write over it"):
            run_batch([str(article)], str(tmp_path / "new.jsonl" if existing != out else out), progress=False,
                      **kwargs)
        assert existing.read_text() == "keep me"
        existing.unlink()
    assert not (tmp_path / "new.jsonl").exists() and not partial_path(tmp_path / "new.jsonl").exists()


def test_input_order_releases_lines_once_every_earlier_input_is_done():
    order = InputOrder()
    assert order.ready(2, "c") == [] and order.ready(1, "b") == []
    assert order.ready(0, "a") == ["a", "b", "c"]
    assert order.ready(3, "d") == ["d"]
    unordered = InputOrder(ordered=False)
    assert unordered.ready(5, "x") == ["x"]
