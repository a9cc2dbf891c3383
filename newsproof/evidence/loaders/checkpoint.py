"""Per-input checkpoints of `index build`, kept in the store's meta table, so a killed run resumes.

After each committed batch the indexer records, per input file, how many of its records are
written and where its reader stands: the byte offset and number of the line that produced the
last written record, and how many records of that line were written. A resumed run seeks to that
offset (JSON Lines files, plain or gzipped: nothing before it is read again) or, for other
formats, skips that many records without writing them. A checkpoint only applies to the same file
(path, size and modification time) read with the same field map; a finished run removes the
checkpoints of its files.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from newsproof.evidence.loaders import load_file
from newsproof.evidence.loaders.generic import CURSOR, ReadCursor, Record
from newsproof.evidence.protocol import EvidenceStore

KEY_PREFIX = "checkpoint:"


@dataclass
class FileCheckpoint:
    """How far one input file is indexed."""

    path: str
    size: int
    mtime_ns: int
    records: int = 0  # records of the file written so far
    offset: int | None = None  # byte offset of the line holding the last written record (JSONL readers)
    line: int = 0  # that line's number
    skip: int = 0  # records of that line already written
    done: bool = False

    @classmethod
    def fresh(cls, path: Path) -> FileCheckpoint:
        """No record of `path` written yet."""
        stat = path.stat()
        return cls(str(path.resolve()), stat.st_size, stat.st_mtime_ns)

    def same_file(self, other: FileCheckpoint) -> bool:
        """Whether both describe the same, unchanged file."""
        return (self.path, self.size, self.mtime_ns) == (other.path, other.size, other.mtime_ns)


class Checkpoints:
    """The checkpoints of one store for one field map (disabled: nothing is read or written)."""

    def __init__(self, store: EvidenceStore, field_map: str | Mapping[str, str] | None = None,
                 enabled: bool = True) -> None:
        self.store = store
        self.enabled = enabled
        self._map = json.dumps(field_map, sort_keys=True) if isinstance(field_map, Mapping) else str(field_map)

    def key(self, path: Path) -> str:
        """The meta-table key of a file's checkpoint."""
        return KEY_PREFIX + hashlib.sha1(f"{path.resolve()}\x1f{self._map}".encode()).hexdigest()[:20]

    def load(self, path: Path) -> FileCheckpoint:
        """Where indexing `path` stands: its checkpoint when one matches the file as it is now, else fresh."""
        current = FileCheckpoint.fresh(path)
        raw = self.store.get_meta(self.key(path)) if self.enabled else None
        if raw:
            try:
                saved = FileCheckpoint(**json.loads(raw))
            except (TypeError, ValueError):
                return current
            if saved.same_file(current):
                return saved
        return current

    def save(self, state: FileCheckpoint) -> None:
        """Record a file's progress (call after the records it counts are committed)."""
        if self.enabled:
            self.store.set_meta(self.key(Path(state.path)), json.dumps(dataclasses.asdict(state)))

    def clear(self, paths: list[Path]) -> None:
        """Forget the checkpoints of `paths` (their run finished)."""
        if self.enabled:
            for path in paths:
                self.store.set_meta(self.key(path), None)


def resume_records(path: Path, field_map: str | Mapping[str, str] | None, state: FileCheckpoint,
                   read: list[int]) -> Iterator[Record]:
    """The records of `path` after those `state` says are written; `state` follows the records
    yielded (it describes the last one) and `read[0]` counts every record the loader produced."""
    if state.done:
        return
    resume_at_line = state.offset is not None
    cursor = ReadCursor(path, state.offset or 0, state.line) if resume_at_line else ReadCursor(path)
    skip = state.skip if resume_at_line else state.records
    token = CURSOR.set(cursor)
    try:
        line, on_line = -1, 0
        for record in load_file(path, field_map):
            read[0] += 1
            if cursor.line != line:
                line, on_line = cursor.line, 0
            on_line += 1
            if skip:
                skip -= 1
                continue
            state.records += 1
            state.offset, state.line, state.skip = (cursor.offset, cursor.line, on_line) if cursor.used else (
                None, 0, 0)
            yield record
    finally:
        CURSOR.reset(token)
