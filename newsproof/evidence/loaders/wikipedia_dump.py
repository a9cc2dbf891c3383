"""Wikipedia XML dumps (`pages-articles*.xml[.bz2]`) -> plain-text encyclopedia passages by section.

Streams pages with mwxml, renders wikitext to plain text with mwparserfromhell (templates,
references, tables, files and categories dropped) and yields one passage per section paragraph
group (at most ~`max_chars` characters), titled "Page > Section".
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import re
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from urllib.parse import quote

from newsproof.errors import InputError
from newsproof.evidence.store_common import content_id
from newsproof.models import Passage

MAX_CHARS = 1200
MIN_CHARS = 40
_DROP_LINK = re.compile(r"^\s*(file|image|category|media)\s*:", re.IGNORECASE)
_DROP_TAGS = {"table", "ref", "gallery", "math", "references", "timeline", "imagemap", "score"}
_SKIP_SECTIONS = {"references", "external links", "see also", "further reading", "notes", "bibliography",
                  "sources", "footnotes", "citations"}


def open_dump(path: Path) -> IO[bytes]:
    """Binary stream of a dump, decompressing .bz2/.gz on the fly."""
    name = path.name.lower()
    if name.endswith(".bz2"):
        return bz2.open(path, "rb")
    if name.endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


def _require_mw():
    try:
        import mwparserfromhell
        import mwxml
    except ImportError as exc:
        raise InputError("reading Wikipedia dumps needs the loaders extra: pip install 'newsproof[loaders]'") from exc
    return mwxml, mwparserfromhell


def plain_text(wikicode) -> str:
    """Plain text of parsed wikitext without templates, references, tables, files and categories."""
    for link in wikicode.filter_wikilinks(recursive=True):
        if _DROP_LINK.match(str(link.title)):
            _remove(wikicode, link)
    for tag in wikicode.filter_tags(recursive=True):
        if str(tag.tag).strip().lower() in _DROP_TAGS:
            _remove(wikicode, tag)
    for template in wikicode.filter_templates(recursive=False):
        _remove(wikicode, template)
    text = wikicode.strip_code(normalize=True, collapse=True)
    return re.sub(r"[ \t]+", " ", text)


def _remove(wikicode, node) -> None:
    with contextlib.suppress(ValueError):  # already removed with its parent
        wikicode.remove(node)


def chunk_paragraphs(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    """Group paragraphs into chunks of at most `max_chars` (a longer paragraph stays whole)."""
    chunks: list[str] = []
    current = ""
    for para in (p.strip() for p in text.split("\n")):
        if not para:
            continue
        if current and len(current) + len(para) + 1 > max_chars:
            chunks.append(current)
            current = para
        else:
            current = f"{current}\n{para}" if current else para
    if current:
        chunks.append(current)
    return chunks


def page_passages(title: str, wikitext: str, date: str | None, source: str,
                  max_chars: int = MAX_CHARS) -> Iterator[Passage]:
    """Passages of one article, section by section ("Page" for the lead, "Page > Section" after)."""
    _, mwparser = _require_mw()
    url = "https://en.wikipedia.org/wiki/" + quote(title.replace(" ", "_"))
    for section in mwparser.parse(wikitext).get_sections(flat=True, include_lead=True):
        headings = section.filter_headings(recursive=False)
        heading = plain_text(headings[0].title).strip() if headings else ""
        if heading.lower() in _SKIP_SECTIONS:
            continue
        for heading_node in headings:
            _remove(section, heading_node)
        full_title = f"{title} > {heading}" if heading else title
        for i, chunk in enumerate(chunk_paragraphs(plain_text(section), max_chars)):
            if len(chunk) >= MIN_CHARS:
                yield Passage(id=content_id("wp", title, heading, i, chunk), text=chunk, title=full_title,
                              source=source, url=url, date=date, kind="encyclopedia")


def load_wikipedia_dump(path: Path) -> Iterator[Passage]:
    """Stream main-namespace, non-redirect pages of a MediaWiki XML dump as passages (latest revision)."""
    mwxml, _ = _require_mw()
    with open_dump(path) as handle:
        try:
            dump = mwxml.Dump.from_file(handle)
        except Exception as exc:  # mwxml raises plain errors on malformed XML
            raise InputError(f"{path}: not a MediaWiki XML dump ({exc})") from exc
        source = f"wikipedia:{dump.site_info.dbname or 'dump'}"
        for page in dump:
            if page.namespace != 0 or page.redirect:
                continue
            last = deque(page, maxlen=1)  # the latest revision
            revision = last[0] if last else None
            if revision is None or not revision.text:
                continue
            date = revision.timestamp.strftime("%Y-%m-%d") if revision.timestamp else None
            yield from page_passages(page.title, revision.text, date, source)
