"""The README's sample terminal report is generated from the current code (scripts/render_readme_sample.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _script():
    spec = importlib.util.spec_from_file_location("render_readme_sample", REPO / "scripts" / "render_readme_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_sample_output_is_current(checker):
    script = _script()
    fresh = script.block(script.render_sample(checker))
    assert "CONTRADICTED" in fresh and "Evidence base:" in fresh
    assert script.current_block(script.README.read_text("utf-8")) == fresh, (
        "README.md sample output is stale: run `.venv/bin/python scripts/render_readme_sample.py`")


def test_splice_replaces_only_the_marked_block():
    script = _script()
    readme = f"intro\n{script.START}\nold\n{script.END}\nafter\n"
    assert script.splice(readme, script.block("new")) == f"intro\n{script.block('new')}\nafter\n"
