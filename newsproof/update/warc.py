"""`--warc DIR`: everything fetched is also written as WARC response records (warcio), one gzipped file per
run, so the archive can be rebuilt (`newsproof index build DIR`) or shared without fetching again."""

from __future__ import annotations

import datetime as dt
import io
import os
import threading
from pathlib import Path

from newsproof.errors import error
from newsproof.update.http import Answer


class WarcArchive:
    """A WARC file being written; `write` is safe to call from several threads."""

    def __init__(self, folder: str | Path) -> None:
        try:
            from warcio.statusandheaders import StatusAndHeaders
            from warcio.warcwriter import WARCWriter
        except ImportError as exc:
            raise error("NP163") from exc
        self._headers = StatusAndHeaders
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        self.path = folder / f"newsproof-update-{stamp}-{os.getpid()}.warc.gz"
        self._file = self.path.open("wb")
        self._writer = WARCWriter(self._file, gzip=True)
        self._lock = threading.Lock()
        self.records = 0
        info = self._writer.create_warcinfo_record(self.path.name, {"software": "newsproof update",
                                                                   "format": "WARC File Format 1.0"})
        self._write(info)

    def _write(self, record: object) -> None:
        with self._lock:
            self._writer.write_record(record)
            self._file.flush()

    def write(self, answer: Answer) -> None:
        """Archive a 200 answer (304s carry no body)."""
        if answer.not_modified:
            return
        ctype = answer.content_type + (f"; charset={answer.charset}" if answer.charset else "")
        headers = [("Content-Type", ctype), ("Content-Length", str(len(answer.content)))]
        headers += [(k, v) for k, v in (("ETag", answer.etag), ("Last-Modified", answer.last_modified)) if v]
        http = self._headers(f"{answer.status} OK", headers, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(answer.url, "response", payload=io.BytesIO(answer.content),
                                                 http_headers=http)
        self._write(record)
        self.records += 1

    def close(self) -> None:
        """Finish the file."""
        with self._lock:
            self._file.close()
