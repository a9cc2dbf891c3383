"""WARC files of crawled news (`.warc`, `.warc.gz`) -> dated news passages.

HTML responses are read with warcio, their main text and metadata (title, publication date) are
extracted with trafilatura, and the text is cut into passages of a few paragraphs. The
publication date falls back to the crawl date (WARC-Date) when the page states none.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from newsproof.errors import InputError
from newsproof.evidence.loaders.wikipedia_dump import chunk_paragraphs
from newsproof.evidence.store_common import content_id
from newsproof.models import Passage

MIN_CHARS = 40
MAX_HTML_BYTES = 5_000_000


def html_passages(html: str, url: str | None, crawl_date: str | None = None) -> Iterator[Passage]:
    """Passages of one HTML page (boilerplate removed); nothing when trafilatura finds no main text."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True)
    if doc is None or not doc.text:
        return
    date = doc.date or crawl_date
    source = doc.sitename or (urlsplit(url).hostname if url else None) or "warc"
    for i, chunk in enumerate(chunk_paragraphs(doc.text)):
        if len(chunk) >= MIN_CHARS:
            yield Passage(id=content_id("warc", url, i, chunk), text=chunk, title=doc.title, source=source, url=url,
                          date=date, kind="news")


def load_warc(path: Path) -> Iterator[Passage]:
    """Stream the HTML responses of a WARC file as news passages."""
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError as exc:
        raise InputError("reading WARC files needs the loaders extra: pip install 'newsproof[loaders]'") from exc
    _check_header(path)
    with path.open("rb") as handle:
        try:
            for record in ArchiveIterator(handle):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                ctype = (record.http_headers.get_header("Content-Type") or "").lower()
                if "html" not in ctype or not record.http_headers.get_statuscode().startswith("2"):
                    continue
                body = record.content_stream().read(MAX_HTML_BYTES)
                charset = ctype.split("charset=")[-1].split(";")[0].strip() if "charset=" in ctype else "utf-8"
                html = body.decode(charset, errors="replace") if _known(charset) else body.decode("utf-8", "replace")
                warc_date = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
                yield from html_passages(html, record.rec_headers.get_header("WARC-Target-URI"), warc_date)
        except ArchiveLoadFailed as exc:
            raise InputError(f"{path}: not a WARC file ({exc})") from exc


def _check_header(path: Path) -> None:
    """Refuse files that are neither WARC nor ARC (warcio would read arbitrary text as a record)."""
    import gzip

    with path.open("rb") as raw:
        magic = raw.read(2)
        raw.seek(0)
        head = gzip.GzipFile(fileobj=raw).read(16) if magic == b"\x1f\x8b" else raw.read(16)
    if not head.startswith((b"WARC/", b"filedesc://")):
        raise InputError(f"{path}: not a WARC file (it does not start with a WARC header)")


def _known(charset: str) -> bool:
    import codecs

    try:
        codecs.lookup(charset)
    except LookupError:
        return False
    return True
