"""The package's import graph has no cycles, and every import looks down the stage order.

The graph is read from the source with `ast` (module-level and function-level imports alike), so a lazy
import inside a function counts as much as one at the top of a module. `scripts/architecture_svg.py` draws
the same graph (docs/architecture.svg) from `STAGES` and `import_graph` here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = "newsproof"
ROOT = Path(__file__).resolve().parents[1] / PACKAGE

# Lowest first. A module may import from its own stage and the stages below it, never from above.
# A module belongs to the first entry whose prefix names it or a package above it; package-root modules
# not listed (models, labels, errors, config, paths, progress, encoders, registry, ...) are "base".
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("base", ()),
    ("ingest", ("ingest",)),
    ("claims", ("claims",)),
    ("evidence", ("evidence",)),
    ("update", ("update",)),  # writes evidence, reads articles through ingest
    ("verify", ("verify",)),
    ("detect", ("detect",)),
    ("report", ("report",)),
    ("pipeline", ("pipeline",)),  # composes ingest ... report into one check
    ("serve", ("web", "batch")),  # the two front ends that run checks
    ("evaluation", ("evaluation",)),  # measures every stage, never imported by one
    ("cli", ("cli",)),
)
# Training code (any `train` package) is for the training and evaluation commands: run-time code never imports
# it. These may import it:
TRAINING_USERS = ("train", "evaluation", "cli")

# (importer, imported) pairs exempt from the rules above, each with its reason. Keep this tiny.
ALLOWED: dict[tuple[str, str], str] = {
    # `spark-submit newsproof/batch/spark.py` enters through run_batch, as `newsproof batch` does
    ("newsproof.batch.spark", "newsproof.batch"): "the spark-submit entry point calls the package's run_batch",
}


def module_name(path: Path) -> str:
    """Dotted module name of a source file under ROOT."""
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name."""
    return {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _targets(node: ast.AST, name: str, is_package: bool) -> Iterator[str]:
    """Dotted names an import statement asks for (`from X import Y`: X.Y, which resolves to X unless Y is a
    module)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            base = name.split(".") if is_package else name.split(".")[:-1]
            base = base[: len(base) - node.level + 1]
            stem = ".".join(base + ([node.module] if node.module else []))
        else:
            stem = node.module or ""
        yield from (f"{stem}.{alias.name}" for alias in node.names)


def _resolve(target: str, known: dict[str, Path]) -> str | None:
    """The package module a dotted target lands in (longest known prefix), None outside the package."""
    parts = target.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return None


def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports anywhere in its source."""
    known = modules()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        edges: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            for target in _targets(node, name, path.name == "__init__.py"):
                found = _resolve(target, known) if target.startswith(PACKAGE) else None
                if found and found != name and found != PACKAGE:
                    edges.add(found)
        graph[name] = edges
    return graph


def stage_of(module: str) -> int:
    """Index in STAGES of a module's stage."""
    rest = module.split(".")[1:]
    for rank, (_, prefixes) in enumerate(STAGES):
        if rest and rest[0] in prefixes:
            return rank
    return 0


def is_training(module: str) -> bool:
    """Whether a module is training code (inside a `train` package)."""
    return "train" in module.split(".")[1:-1] or module.endswith(".train")


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """'importer -> imported' lines breaking the stage order or the training rule (ALLOWED left out)."""
    bad = []
    for src, targets in sorted(graph.items()):
        for dst in sorted(targets):
            if (src, dst) in ALLOWED:
                continue
            if stage_of(dst) > stage_of(src):
                bad.append(f"{src} ({STAGES[stage_of(src)][0]}) -> {dst} ({STAGES[stage_of(dst)][0]})")
            elif is_training(dst) and not is_training(src) and src.split(".")[1] not in TRAINING_USERS:
                bad.append(f"{src} (run time) -> {dst} (training)")
    return bad


def test_the_graph_is_read() -> None:
    graph = import_graph()
    assert "newsproof.verify.judges.base" in graph["newsproof.verify.judges.learned"]
    assert "newsproof.evidence" in graph["newsproof.pipeline"]  # a function-level import counts


def test_no_import_cycles() -> None:
    graph = {src: {dst for dst in targets if (src, dst) not in ALLOWED} for src, targets in import_graph().items()}
    found = cycles(graph)
    lines = [" <-> ".join(c) + "\n    " + "\n    ".join(f"{s} -> {d}" for s in c for d in sorted(graph[s] & set(c)))
             for c in found]
    assert not found, "import cycles:\n  " + "\n  ".join(lines)


def test_imports_look_down_the_stage_order() -> None:
    bad = upward_imports(import_graph())
    order = " < ".join(name for name, _ in STAGES)
    assert not bad, f"imports against the stage order ({order}):\n  " + "\n  ".join(bad)


def test_allowed_exceptions_still_exist() -> None:
    graph = import_graph()
    stale = [f"{src} -> {dst}" for src, dst in ALLOWED if dst not in graph.get(src, set())]
    assert not stale, "ALLOWED lists imports that no longer exist:\n  " + "\n  ".join(stale)
