"""Safe batch output files: never write over a user's file, survive a kill, resume without losing a line.

A fresh run writes `<out>.partial` and renames it onto `<out>` when done, so `<out>` is either absent,
the old file, or complete. `--resume` continues `<out>.partial` if a killed run left one, else appends
to `<out>`; in both it keeps every complete line and drops only a torn last line.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from newsproof.errors import ConfigError

ID_PREFIX = '{"id": '
PARTIAL_SUFFIX = ".partial"
_BLOCK = 1 << 16


def partial_path(out: Path) -> Path:
    """Where a fresh run writes before the final rename."""
    return out.with_name(out.name + PARTIAL_SUFFIX)


def refuse_existing(path: Path, what: str = "output") -> None:
    """Raise a one-line usage error (exit 2) because `path` exists and --overwrite was not given."""
    raise ConfigError(f"{what} {str(path)!r} already exists; refusing to write over it "
                      "(add --resume to continue it, --overwrite to replace it, or choose another path)",
                      code="NP301")


@dataclass(frozen=True, slots=True)
class OutputFile:
    """The file a run writes to (`working`) and the file it becomes (`final`) when the run ends."""

    final: Path
    working: Path
    append: bool

    def open(self) -> IO[str]:
        """Open the working file for writing (appending when resuming)."""
        self.working.parent.mkdir(parents=True, exist_ok=True)
        return self.working.open("a" if self.append else "w", encoding="utf-8")

    def finish(self, handle: IO[str]) -> None:
        """Flush to disk and move the working file onto the final name (atomic on one filesystem)."""
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        if self.working != self.final:
            os.replace(self.working, self.final)


def plan_output(out: Path, *, resume: bool = False, overwrite: bool = False) -> OutputFile:
    """Check `out` before any work and choose where to write; refuses to replace data without --overwrite."""
    if resume and overwrite:
        raise ConfigError("--resume and --overwrite exclude each other: resume keeps the output, overwrite "
                          "replaces it", code="NP301")
    if out.is_dir():
        raise ConfigError(f"output {str(out)!r} is a folder; give a .jsonl file path", code="NP301")
    partial = partial_path(out)
    if resume and (partial.exists() or out.exists()):
        return OutputFile(final=out, working=partial if partial.exists() else out, append=True)
    if not overwrite and not resume:
        for path in (out, partial):
            if path.exists():
                refuse_existing(path, "output" if path == out else "unfinished output of a killed run")
    return OutputFile(final=out, working=partial, append=False)


def done_ids(path: Path) -> set[str]:
    """Ids already in an output file (streamed); its torn last line, if any, is cut first."""
    if not path.exists():
        return set()
    repair_tail(path)
    return {_line_id(line, path, number) for number, line in enumerate(_lines(path), start=1)}


def repair_tail(path: Path) -> None:
    """Keep every complete line; a last line without its newline is kept (newline added) if it is a whole
    record, else dropped as torn. Refuses (exit 2) when a complete line is not a batch result."""
    with path.open("rb+") as handle:
        end = handle.seek(0, os.SEEK_END)
        start = _last_newline(handle, end) + 1
        if start >= end:
            return
        handle.seek(start)
        tail = handle.read(end - start)
        if _is_record(tail):
            handle.seek(end)
            handle.write(b"\n")
        else:
            handle.truncate(start)


def _last_newline(handle: Any, end: int) -> int:
    """Offset of the last b'\\n' before `end`, or -1."""
    position = end
    while position > 0:
        start = max(0, position - _BLOCK)
        handle.seek(start)
        newline = handle.read(position - start).rfind(b"\n")
        if newline >= 0:
            return start + newline
        position = start
    return -1


def _is_record(data: bytes) -> bool:
    try:
        record = json.loads(data)
    except ValueError:
        return False
    return isinstance(record, dict) and "id" in record and ("report" in record or "error" in record)


def _lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8", errors="replace") as handle:
        yield from (line for line in handle if line.strip())


def _line_id(line: str, path: Path, number: int) -> str:
    """The id of one output line (only the id is decoded when the line starts with {"id": ...})."""
    try:
        if line.startswith(ID_PREFIX):
            return str(json.JSONDecoder().raw_decode(line, len(ID_PREFIX))[0])
        return str(json.loads(line)["id"])
    except (ValueError, KeyError, TypeError):
        raise ConfigError(f"{path}:{number} is not a newsproof batch result line; refusing to resume into "
                          "this file (choose another --out)", code="NP301") from None


def read_results(out: Path) -> Iterator[dict[str, Any]]:
    """Records of a results JSONL file."""
    for line in _lines(out):
        yield json.loads(line)
